/**
 * `serveStdio`, the official v2 SDK's one-call stdio server: makes a server with the factory and connects it to
 * the process's stdin / stdout (or a given transport).
 *
 * @module
 */
import type { Transport } from '@modelcontextprotocol/core';
import type { McpServerFactory } from './createMcpHandler.js';
import type { Server } from './index.js';
import type { McpServer } from './mcp.js';
import { StdioServerTransport } from './stdio.js';

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
    /** 2025-era clients are served (`'serve'`, default); `'reject'` is for 2026-07-28-only servers (Step 7). */
    legacy?: 'serve' | 'reject';
    /** The transport to serve on; default a {@link StdioServerTransport} over `process.stdin` / `process.stdout`. */
    transport?: Transport;
    /** Errors of the factory or the connection. */
    onerror?: (error: Error) => void;
}

/** What {@link serveStdio} returns. */
export interface StdioServerHandle {
    /** Closes the server and its transport. */
    close(): Promise<void>;
}

/**
 * Serves one server over stdio.
 *
 * @example
 * ```ts
 * import { serveStdio } from '@modelcontextprotocol/server/stdio';
 * serveStdio(() => buildServer());
 * ```
 */
export function serveStdio(factory: McpServerFactory, options: ServeStdioOptions = {}): StdioServerHandle {
    const transport = options.transport ?? new StdioServerTransport();
    const report = (error: unknown): void =>
        options.onerror?.(error instanceof Error ? error : new Error(String(error)));
    const started: Promise<McpServer | Server | undefined> = (async () => {
        const server = await factory({ era: 'legacy' });
        await server.connect(transport);
        return server;
    })().catch((error: unknown) => {
        report(error);
        return undefined;
    });
    return {
        close: async () => {
            const server = await started;
            if (server !== undefined) await server.close();
            else await transport.close();
        }
    };
}
