/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by `puppeteer-core`, and a probe on one tab
 * that records what the page did (requests with their headers, responses, main-frame navigations, console
 * output, uncaught errors) and waits, bounded in time, for the page's report.
 *
 * @module
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import puppeteer from 'puppeteer-core';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';

import { REPORT_BINDING } from '../page/protocol.js';
import type { PageReport } from '../page/protocol.js';

/**
 * The Chromium executable: `CHROMIUM_PATH`, else `chromium` on `PATH`.
 *
 * @throws {Error} when there is none, saying how to install it.
 */
export function findChromium(): string {
    const candidates = process.env.CHROMIUM_PATH
        ? [process.env.CHROMIUM_PATH]
        : (process.env.PATH ?? '').split(delimiter).map(dir => join(dir, 'chromium'));
    for (const candidate of candidates) {
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            // next one
        }
    }
    throw new Error(
        'Chromium not found: set CHROMIUM_PATH, or install Debian’s package ' +
            '(apt-get install --no-install-recommends chromium; .ci/run does this).'
    );
}

/** A launched Chromium with its own profile directory. */
export interface Chromium {
    readonly browser: Browser;
    /** Closes the browser and deletes its profile directory. */
    close(): Promise<void>;
}

/** Launches headless Chromium (`--headless=new`, `--no-sandbox` as tests run as root) on a fresh profile. */
export async function launchChromium(): Promise<Chromium> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'mcp-browser-test-'));
    try {
        const browser = await puppeteer.launch({
            executablePath: findChromium(),
            headless: true, // puppeteer passes --headless=new
            userDataDir,
            args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
            timeout: 30_000,
            protocolTimeout: 30_000
        });
        return {
            browser,
            close: async () => {
                await browser.close().catch(() => undefined);
                rmSync(userDataDir, { recursive: true, force: true });
            }
        };
    } catch (error) {
        rmSync(userDataDir, { recursive: true, force: true });
        throw error;
    }
}

/** One request the page made. */
export interface RecordedRequest {
    readonly url: URL;
    readonly method: string;
    /** `navigation`, `script`, `fetch`, … (puppeteer's resource type). */
    readonly resourceType: string;
    /** The `Authorization` header, when the request carried one. */
    readonly authorization: string | undefined;
    /** The request body (JSON-RPC for MCP POSTs). */
    readonly body: string | undefined;
    /** The response's status and `content-type`, once it arrived. */
    response?: { status: number; contentType: string };
}

/**
 * One tab in its own browser context (its own cookies and `sessionStorage`) that records the page's traffic and
 * output, and receives the page's report through {@link REPORT_BINDING}.
 */
export class PageProbe {
    /** Every request, in order. */
    readonly requests: RecordedRequest[] = [];
    /** Main-frame navigations, in order. */
    readonly navigations: URL[] = [];
    /** Console messages, uncaught errors and failed requests, for failure messages. */
    readonly log: string[] = [];
    private readonly _reports: PageReport[] = [];
    private _onReport: (() => void) | undefined;

    private constructor(
        readonly context: BrowserContext,
        readonly page: Page
    ) {}

    /** Opens a tab in a new browser context, ready to {@link PageProbe.run}. */
    static async open(browser: Browser): Promise<PageProbe> {
        const context = await browser.createBrowserContext();
        const probe = new PageProbe(context, await context.newPage());
        await probe._watch();
        return probe;
    }

    /**
     * Navigates to `url` and waits for the page's next report (across the page's own navigations).
     *
     * @throws {Error} when the page does not load, or after `timeoutMs` without a report, with the page's log.
     */
    async run(url: URL, timeoutMs: number): Promise<PageReport> {
        this._reports.length = 0;
        const reported = new Promise<void>(resolve => (this._onReport = resolve));
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new Error(`no report from the page within ${timeoutMs} ms\n${this.diagnostics()}`)),
                timeoutMs
            );
        });
        try {
            const loaded = this.page.goto(url.href, { timeout: timeoutMs, waitUntil: 'domcontentloaded' }).then(
                () => undefined,
                (error: unknown) => {
                    // The page may navigate on its own (to authorize) before this load is through: not a failure.
                    if (/ERR_ABORTED|detached/.test(String(error))) return void this.log.push(`goto: ${String(error)}`);
                    throw new Error(`could not load ${url.href}: ${String(error)}\n${this.diagnostics()}`);
                }
            );
            await Promise.race([loaded, timeout]);
            await Promise.race([reported, timeout]);
        } finally {
            clearTimeout(timer);
        }
        if (this._reports.length !== 1) throw new Error(`expected one report, got ${JSON.stringify(this._reports)}`);
        return this._reports[0] as PageReport;
    }

    /** The page's log and navigations, for a failure message. */
    diagnostics(): string {
        return [
            `page URL: ${this.page.url()}`,
            `navigations: ${this.navigations.map(url => url.href).join(' → ') || '(none)'}`,
            'page log:',
            ...(this.log.length > 0 ? this.log.map(line => `  ${line}`) : ['  (empty)'])
        ].join('\n');
    }

    /** Closes the tab's browser context. */
    async close(): Promise<void> {
        await this.context.close().catch(() => undefined);
    }

    private async _watch(): Promise<void> {
        const { page } = this;
        page.setDefaultTimeout(30_000);
        await page.exposeFunction(REPORT_BINDING, (report: PageReport) => {
            this._reports.push(report);
            this._onReport?.();
        });
        page.on('console', message => this.log.push(`console.${message.type()}: ${message.text()}`));
        page.on('pageerror', error => this.log.push(`uncaught: ${error instanceof Error ? error.stack : error}`));
        page.on('requestfailed', request => {
            // Diagnostics only: a navigation away aborts the page's open requests and streams, as expected.
            this.log.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
        });
        page.on('framenavigated', frame => {
            if (frame === page.mainFrame()) this.navigations.push(new URL(frame.url()));
        });
        const byRequest = new Map<unknown, RecordedRequest>();
        page.on('request', request => {
            const headers = request.headers();
            const recorded: RecordedRequest = {
                url: new URL(request.url()),
                method: request.method(),
                resourceType: request.resourceType(),
                authorization: headers.authorization,
                body: request.postData()
            };
            this.requests.push(recorded);
            byRequest.set(request, recorded);
        });
        page.on('response', response => {
            const recorded = byRequest.get(response.request());
            if (recorded === undefined) return;
            recorded.response = { status: response.status(), contentType: response.headers()['content-type'] ?? '' };
            if (response.status() >= 400) {
                this.log.push(`HTTP ${response.status()}: ${recorded.method} ${recorded.url.href}`);
            }
        });
    }
}

/** The JSON-RPC method of an MCP POST body (the first message's, for a batch); `undefined` when none. */
export function rpcMethod(request: RecordedRequest): string | undefined {
    if (request.body === undefined) return undefined;
    try {
        const parsed = JSON.parse(request.body) as unknown;
        const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { method?: unknown } | undefined;
        return typeof first?.method === 'string' ? first.method : undefined;
    } catch {
        return undefined;
    }
}
