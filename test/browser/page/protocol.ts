/**
 * What the page and the Node side of the browser tests agree on: page paths, tool names, the binding the page
 * reports through and the reports' shapes. Imported by the page script (bundled) and by the tests.
 *
 * @module
 */

/** Where the page script is served, on the MCP server's origin. */
export const BUNDLE_PATH = '/app/app.js';

/** The page that connects, lists and calls tools, and watches progress stream in (no authorization). */
export const TOOLS_PAGE_PATH = '/app/tools';

/** The page that runs the seed workload through the redirect flow; also the OAuth redirect URI. */
export const REDIRECT_PAGE_PATH = '/app/redirect';

/** The MCP endpoint, on the page's origin. */
export const MCP_PATH = '/mcp';

/** The name of the function the test exposes to the page (`page.exposeFunction`), called once with the report. */
export const REPORT_BINDING = '__mcpBrowserTestReport';

/** Tools of the tools server: `echo`, `add`, and the pair that proves a response streams. */
export const TOOL_NAMES = {
    echo: 'echo',
    add: 'add',
    /** Reports progress 1, waits for {@link TOOL_NAMES.release}, then reports the rest and returns. */
    countdown: 'countdown',
    /** Lets a waiting `countdown` go on; the page calls it when progress 1 arrived. */
    release: 'release'
} as const;

/** How the redirect page hands the callback to the transport. */
export type FinishMode =
    /** `transport.finishAuth(code)`, the way the official SDK's browser examples do. */
    | 'code'
    /** `transport.finishAuth(callbackUrl)`: the transport also checks `state` and the RFC 9207 `iss`. */
    | 'callback';

/** One progress notification as the page's `onprogress` saw it. */
export interface ProgressSeen {
    progress: number;
    total?: number;
    message?: string;
}

/** The tools page's result. */
export interface ToolsReport {
    ok: true;
    scenario: 'tools';
    /** The listed tool names, sorted. */
    tools: string[];
    /** The text of `echo({ text: 'hello from the browser' })`. */
    echo: string;
    /** The text of `add({ a: 2, b: 3 })`. */
    add: string;
    /** Every progress notification of the `countdown` call, in arrival order. */
    progress: ProgressSeen[];
    /** The text of the `countdown` result. */
    countdown: string;
    /** The text of the `release` result. */
    release: string;
}

/** The redirect page's result, once the whole workload is done. */
export interface RedirectReport {
    ok: true;
    scenario: 'redirect';
    /** One line per workload step, in order: what the step returned. */
    results: string[];
    /** Calls of the provider's `redirectToAuthorization` (each one a navigation away). */
    redirects: number;
    /** `finishAuth` calls (one per page load with `?code=`). */
    finishes: number;
    /** Page loads of the redirect page, the first one included. */
    pageLoads: number;
    /** Tries per workload step (connect first). */
    attempts: number[];
    /** The access token the provider holds at the end. */
    accessToken: string;
    /** The scope the stored token response named, if any. */
    tokenScope: string | undefined;
}

/** What the page reports when something went wrong. */
export interface FailureReport {
    ok: false;
    /** The error, its causes and stack. */
    error: string;
}

/** Anything the page reports. */
export type PageReport = ToolsReport | RedirectReport | FailureReport;

/** One operation of the redirect page's workload. */
export type WorkloadStep =
    | { op: 'connect' }
    | { op: 'ping' }
    | { op: 'tools/list' }
    | { op: 'tools/call'; name: string; args: Record<string, unknown>; expected: string };

/**
 * The seed workload, as `redirectFlow.test.ts` runs it in Node: connect (needs `init`), tools/list (needs
 * `mcp:tools:read`), tools/call (needs `mcp:tools:write`), then ten mixed operations.
 */
export const SEED_WORKLOAD: readonly WorkloadStep[] = [
    { op: 'connect' },
    { op: 'tools/list' },
    { op: 'tools/call', name: 'echo', args: { text: 'hello' }, expected: 'hello' },
    ...Array.from({ length: 10 }, (_, i): WorkloadStep => {
        if (i % 3 === 0) return { op: 'ping' };
        if (i % 3 === 1) return { op: 'tools/list' };
        return { op: 'tools/call', name: 'add', args: { a: i, b: 1 }, expected: String(i + 1) };
    })
];

/** The line a step's result is reported as: `connect`, `ping`, `tools/list: add,echo`, `tools/call add: 3`. */
export function resultLine(step: WorkloadStep, value: { tools?: string[]; text?: string } = {}): string {
    switch (step.op) {
        case 'tools/list':
            return `tools/list: ${(value.tools ?? []).join(',')}`;
        case 'tools/call':
            return `tools/call ${step.name}: ${value.text ?? ''}`;
        default:
            return step.op;
    }
}
