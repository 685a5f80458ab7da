/**
 * Serving the page from an MCP server's own origin (so the browser client needs no CORS towards it), and the
 * tools server the tools page talks to: our `McpServer` over Streamable HTTP on `127.0.0.1:<ephemeral port>`,
 * without authorization, with a tool whose progress can only be seen while its response is still open.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createMcpExpressApp, mcpRoute } from '@modelcontextprotocol/express';
import { McpServer } from '@modelcontextprotocol/server';
import type { Express } from 'express';
import * as z from 'zod/v4';

import { BUNDLE_PATH, MCP_PATH, REDIRECT_PAGE_PATH, TOOLS_PAGE_PATH, TOOL_NAMES } from '../page/protocol.js';
import type { PageBundle } from './bundle.js';

/** How long `countdown` waits for `release` before it fails the call. */
const RELEASE_TIMEOUT_MS = 10_000;

const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MCP browser test</title>
<link rel="icon" href="data:,">
<script type="module" src="${BUNDLE_PATH}"></script>
</head>
<body><main>running…</main></body>
</html>
`;

/**
 * The pages' Content Security Policy: scripts only from the page's origin (no inline script, no `eval` or
 * `new Function`), fetches only to loopback servers (the MCP server and the authorization server).
 */
export const PAGE_CSP =
    "default-src 'none'; script-src 'self'; connect-src 'self' http://127.0.0.1:*; img-src data:; base-uri 'none'";

/**
 * Adds the page routes to an Express app: the tools and redirect pages (one HTML shell each, loading the
 * bundle, under {@link PAGE_CSP}) and the bundle itself, all `no-store`.
 */
export function addPageRoutes(app: Express, bundle: PageBundle): void {
    for (const path of [TOOLS_PAGE_PATH, REDIRECT_PAGE_PATH]) {
        app.get(path, (_req, res) => {
            res.set({ 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP }).type('html').send(PAGE_HTML);
        });
    }
    app.get(BUNDLE_PATH, (_req, res) => {
        res.set('cache-control', 'no-store').type('text/javascript').send(bundle.code);
    });
}

/** `echo`, `add`, and `countdown` + `release` (see `TOOL_NAMES`), one server per session. */
export function createProgressToolServer(): McpServer {
    const server = new McpServer({ name: 'browser-test-tools', version: '1.0.0' });
    let release: (() => void) | undefined;
    server.registerTool(
        TOOL_NAMES.echo,
        { description: 'Echoes its input', inputSchema: { text: z.string() } },
        ({ text }) => ({ content: [{ type: 'text', text }] })
    );
    server.registerTool(
        TOOL_NAMES.add,
        { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
        ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] })
    );
    server.registerTool(
        TOOL_NAMES.countdown,
        {
            description: 'Reports progress 1, waits for release, then reports the rest',
            inputSchema: { steps: z.number().int().min(2).max(10) }
        },
        async ({ steps }, extra) => {
            const progressToken = extra._meta?.progressToken;
            if (progressToken === undefined) throw new Error('countdown needs a progress token');
            const report = (progress: number) =>
                extra.sendNotification({
                    method: 'notifications/progress',
                    params: { progressToken, progress, total: steps, message: `step ${progress} of ${steps}` }
                });
            let timer: ReturnType<typeof setTimeout> | undefined;
            const released = new Promise<void>((resolve, reject) => {
                release = resolve;
                timer = setTimeout(
                    () => reject(new Error('not released: progress 1 did not reach the client while the call ran')),
                    RELEASE_TIMEOUT_MS
                );
                extra.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
            });
            released.catch(() => undefined); // awaited below; never an unhandled rejection if report(1) throws
            try {
                await report(1);
                await released;
            } finally {
                clearTimeout(timer);
            }
            for (let progress = 2; progress <= steps; progress++) await report(progress);
            return { content: [{ type: 'text', text: `counted ${steps}` }] };
        }
    );
    server.registerTool(TOOL_NAMES.release, { description: 'Lets a waiting countdown go on' }, () => {
        const waiting = release;
        release = undefined;
        waiting?.();
        return { content: [{ type: 'text', text: waiting === undefined ? 'nothing to release' : 'released' }] };
    });
    return server;
}

/** A running {@link startToolsServer}. */
export interface ToolsServer {
    /** The page origin and MCP endpoint's origin: `http://127.0.0.1:<port>`. */
    readonly origin: string;
    /** Stops the server and closes its sessions. */
    close(): Promise<void>;
}

/** Starts the tools server with the page routes on `127.0.0.1:<ephemeral port>`. */
export async function startToolsServer(bundle: PageBundle): Promise<ToolsServer> {
    const app = createMcpExpressApp();
    addPageRoutes(app, bundle);
    const route = mcpRoute({ createServer: createProgressToolServer });
    app.post(MCP_PATH, route);
    app.get(MCP_PATH, route);
    app.delete(MCP_PATH, route);
    const http = createServer(app);
    await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(0, '127.0.0.1', () => resolve());
    });
    let closing: Promise<void> | undefined;
    return {
        origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        close: () =>
            (closing ??= (async () => {
                await route.close();
                await new Promise<void>(resolve => {
                    http.close(() => resolve());
                    http.closeAllConnections();
                });
            })())
    };
}
