/**
 * The single-file browser bundle in headless Chromium, against our MCP server over Streamable HTTP on loopback:
 * the page connects, lists and calls tools, and sees a call's progress while the call is still open.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { BUNDLE_PATH, MCP_PATH, TOOLS_PAGE_PATH, TOOL_NAMES } from '../page/protocol.js';
import type { ToolsReport } from '../page/protocol.js';
import { launchChromium, PageProbe, rpcMethod } from '../src/browser.js';
import type { Chromium } from '../src/browser.js';
import { buildPageBundle } from '../src/bundle.js';
import type { PageBundle } from '../src/bundle.js';
import { startToolsServer } from '../src/pageServer.js';
import type { ToolsServer } from '../src/pageServer.js';

/** Bound of one page run (start to report). */
const PAGE_TIMEOUT_MS = 20_000;
/** Bound of one test. */
const TEST_TIMEOUT_MS = 45_000;

let bundle: PageBundle;
let chromium: Chromium;
let server: ToolsServer | undefined;
let probe: PageProbe | undefined;

beforeAll(async () => {
    bundle = await buildPageBundle();
    chromium = await launchChromium();
}, 60_000);

afterAll(async () => {
    await chromium?.close();
});

afterEach(async () => {
    await probe?.close();
    await server?.close();
    probe = undefined;
    server = undefined;
});

/** Opens the tools page and returns its report, failing with the page's log when it is not a tools report. */
async function runToolsPage(): Promise<{ report: ToolsReport; probe: PageProbe; origin: string }> {
    server = await startToolsServer(bundle);
    probe = await PageProbe.open(chromium.browser);
    const report = await probe.run(new URL(TOOLS_PAGE_PATH, server.origin), PAGE_TIMEOUT_MS);
    if (!report.ok || report.scenario !== 'tools') {
        throw new Error(
            `the page failed:\n${report.ok ? JSON.stringify(report) : report.error}\n${probe.diagnostics()}`
        );
    }
    return { report, probe, origin: server.origin };
}

describe('the browser bundle in headless Chromium', () => {
    it(
        'is one ES module file the page loads without errors',
        async () => {
            expect(bundle.bytes).toBeGreaterThan(10_000);
            expect(bundle.code).not.toMatch(/\bimport\s*\(\s*["'`]\.{0,2}\//); // no chunk left to load
            const { probe: page, origin } = await runToolsPage();
            const scripts = page.requests.filter(request => request.resourceType === 'script');
            expect(scripts.map(request => request.url.href)).toEqual([new URL(BUNDLE_PATH, origin).href]);
            expect(page.log.filter(line => line.startsWith('uncaught') || line.startsWith('console.error'))).toEqual(
                []
            );
        },
        TEST_TIMEOUT_MS
    );

    it(
        'connects, lists tools and calls them over Streamable HTTP',
        async () => {
            const { report, probe: page, origin } = await runToolsPage();
            expect(report.tools).toEqual([TOOL_NAMES.add, TOOL_NAMES.countdown, TOOL_NAMES.echo, TOOL_NAMES.release]);
            expect(report.echo).toBe('hello from the browser');
            expect(report.add).toBe('5');
            const methods = page.requests
                .filter(request => request.method === 'POST' && request.url.href === new URL(MCP_PATH, origin).href)
                .map(rpcMethod);
            expect(methods).toEqual(
                expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/list', 'tools/call'])
            );
        },
        TEST_TIMEOUT_MS
    );

    it(
        'streams a tool call’s progress over SSE into onprogress while the call is open',
        async () => {
            const { report, probe: page } = await runToolsPage();
            // countdown waits after progress 1 until the page, having seen it, calls release: so it was streamed.
            expect(report.release).toBe('released');
            expect(report.countdown).toBe('counted 4');
            expect(report.progress).toEqual(
                [1, 2, 3, 4].map(progress => ({ progress, total: 4, message: `step ${progress} of 4` }))
            );
            const countdownPost = page.requests.find(
                request => rpcMethod(request) === 'tools/call' && request.body?.includes(`"${TOOL_NAMES.countdown}"`)
            );
            expect(countdownPost?.response, page.diagnostics()).toEqual({
                status: 200,
                contentType: expect.stringMatching(/^text\/event-stream/)
            });
        },
        TEST_TIMEOUT_MS
    );
});
