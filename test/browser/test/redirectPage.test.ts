/**
 * Step-up through the browser redirect flow with real page navigations: the page (see `page/redirect.ts`, the
 * browser counterpart of `RedirectApp`) keeps its provider state and its place in the workload in
 * `sessionStorage`, is sent to the real authorization server by `location.assign`, comes back to its callback
 * with `?code=`, finishes the authorization in a new transport and resumes. Against the per-operation-scope server
 * (`startPerOperationServer`), which also serves the page from its origin.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startPerOperationServer } from '@mcp-stepup/test-server';
import type { PerOperationServer } from '@mcp-stepup/test-server';

import { requestedScopes, SEED_AUTHORIZATIONS } from '../../../packages/test-server/test/fixtures/progressiveClient.js';
import { MCP_PATH, REDIRECT_PAGE_PATH, resultLine, SEED_WORKLOAD } from '../page/protocol.js';
import type { FinishMode, PageReport, RedirectReport } from '../page/protocol.js';
import { launchChromium, PageProbe } from '../src/browser.js';
import type { Chromium } from '../src/browser.js';
import { buildPageBundle } from '../src/bundle.js';
import type { PageBundle } from '../src/bundle.js';
import { addPageRoutes } from '../src/pageServer.js';

/** Bound of one page run (start to report, all navigations included). */
const PAGE_TIMEOUT_MS = 25_000;
/** Bound of one test (the rerun test makes two page runs). */
const TEST_TIMEOUT_MS = 60_000;

let bundle: PageBundle;
let chromium: Chromium;
let server: PerOperationServer | undefined;
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

/** What each workload step must report, in order. */
const EXPECTED_RESULTS = SEED_WORKLOAD.map(step =>
    step.op === 'tools/call' ? resultLine(step, { text: step.expected }) : resultLine(step, { tools: ['add', 'echo'] })
);

/** The report as a redirect report, or a failure with the page's report and log. */
function asRedirectReport(report: PageReport, page: PageProbe): RedirectReport {
    if (!report.ok || report.scenario !== 'redirect') {
        throw new Error(
            `the page failed:\n${report.ok ? JSON.stringify(report) : report.error}\n${page.diagnostics()}`
        );
    }
    return report;
}

/** Starts the server (page on its origin) and runs the redirect page to its report. */
async function runRedirectPage(
    authServer: 'simple' | 'oidc',
    finish: FinishMode
): Promise<{ report: RedirectReport; probe: PageProbe; server: PerOperationServer }> {
    server = await startPerOperationServer({ authServer, routes: app => addPageRoutes(app, bundle) });
    probe = await PageProbe.open(chromium.browser);
    const start = new URL(`${REDIRECT_PAGE_PATH}?finish=${finish}`, server.url);
    return { report: asRedirectReport(await probe.run(start, PAGE_TIMEOUT_MS), probe), probe, server };
}

describe.each([
    ['the simple authorization server, finishAuth(code)', 'simple', 'code'],
    ['oidc-provider, finishAuth(callback URL) checking state and iss', 'oidc', 'callback']
] as const)('the browser redirect flow with %s', (_name, authServer, finish) => {
    it(
        'the seed workload costs exactly 3 authorizations through real page navigations',
        async () => {
            const { report, probe: page, server: mcp } = await runRedirectPage(authServer, finish);
            const why = page.diagnostics();

            expect(requestedScopes(mcp.authServer.stats), why).toEqual(SEED_AUTHORIZATIONS);
            expect(report.results, why).toEqual(EXPECTED_RESULTS);
            expect(report.redirects, why).toBe(3);
            expect(report.finishes, why).toBe(3);
            expect(report.pageLoads, why).toBe(4);
            // connect, tools/list and the first tools/call each went away once and were retried; the rest ran once.
            expect(report.attempts, why).toEqual([2, 2, 2, ...Array<number>(10).fill(1)]);
            expect(report.tokenScope?.split(' ').sort(), why).toEqual(['init', 'mcp:tools:read', 'mcp:tools:write']);

            // Three top-level navigations to the authorization server's authorization endpoint …
            const issuer = new URL(mcp.authServer.issuer).origin;
            const callbackUrl = new URL(REDIRECT_PAGE_PATH, mcp.url).href;
            const authorizationRequests = page.requests.filter(
                request =>
                    request.resourceType === 'document' &&
                    request.url.origin === issuer &&
                    request.url.searchParams.get('response_type') === 'code'
            );
            expect(
                authorizationRequests.map(request => request.url.searchParams.get('redirect_uri')),
                why
            ).toEqual(Array(3).fill(callbackUrl));
            expect(
                authorizationRequests.map(request => request.url.searchParams.get('resource')),
                why
            ).toEqual(Array(3).fill(mcp.url.href));
            // … each answered by a navigation back to the page's callback with a code and the issuer (RFC 9207) …
            const callbacks = page.navigations.filter(url => url.searchParams.has('code'));
            expect(
                callbacks.map(url => `${url.origin}${url.pathname}`),
                why
            ).toEqual(Array(3).fill(callbackUrl));
            expect(
                callbacks.map(url => url.searchParams.get('iss')),
                why
            ).toEqual(Array(3).fill(mcp.authServer.issuer));
            // … and the page itself loaded four times: the start, then once per callback.
            const pageDocuments = page.requests.filter(
                request => request.resourceType === 'document' && request.url.origin === mcp.url.origin
            );
            expect(pageDocuments, why).toHaveLength(4);
        },
        TEST_TIMEOUT_MS
    );

    it(
        'the token is only ever sent to the MCP server, in the Authorization header',
        async () => {
            const { report, probe: page, server: mcp } = await runRedirectPage(authServer, finish);
            const why = page.diagnostics();
            const bearing = page.requests.filter(request => request.authorization !== undefined);
            expect(bearing.length, why).toBeGreaterThan(SEED_WORKLOAD.length);
            for (const request of bearing) {
                expect(request.url.origin, why).toBe(mcp.url.origin);
                expect(request.url.pathname, why).toBe(MCP_PATH);
                expect(request.authorization, why).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
            }
            const tokens = new Set(bearing.map(request => (request.authorization ?? '').slice('Bearer '.length)));
            expect(tokens, why).toContain(report.accessToken);
            expect(tokens.size, why).toBe(3); // one access token per authorization
            // Never in a URL, and never towards the authorization server (token requests authenticate as public client).
            const issuer = new URL(mcp.authServer.issuer).origin;
            const toIssuer = page.requests.filter(request => request.url.origin === issuer);
            expect(toIssuer.length, why).toBeGreaterThan(0);
            for (const token of tokens) {
                expect(page.requests.filter(request => request.url.href.includes(token))).toEqual([]);
                expect(toIssuer.filter(request => request.body?.includes(token))).toEqual([]);
            }
            // The 401 on connect, then one 403 insufficient_scope for tools/list and one for tools/call.
            expect(
                mcp.challenges.map(c => `${c.status} ${c.method} ${c.scope ?? ''}`.trim()),
                why
            ).toEqual(['401 initialize init', '403 tools/list mcp:tools:read', '403 tools/call mcp:tools:write']);
        },
        TEST_TIMEOUT_MS
    );

    it(
        'a later page load runs the workload again on the tokens in sessionStorage, without authorizing',
        async () => {
            const { probe: page, server: mcp } = await runRedirectPage(authServer, finish);
            const again = asRedirectReport(
                await page.run(new URL(`${REDIRECT_PAGE_PATH}?rerun`, mcp.url), PAGE_TIMEOUT_MS),
                page
            );
            const why = page.diagnostics();
            expect(again.results, why).toEqual(EXPECTED_RESULTS);
            expect([again.redirects, again.finishes, again.pageLoads], why).toEqual([0, 0, 1]);
            expect(again.attempts, why).toEqual(Array<number>(SEED_WORKLOAD.length).fill(1));
            expect(requestedScopes(mcp.authServer.stats), why).toEqual(SEED_AUTHORIZATIONS);
        },
        TEST_TIMEOUT_MS
    );
});
