/**
 * The interop scenario served by the official SDK v2 (`@modelcontextprotocol/server` 2.4.0, aliased
 * `official-server`): its `McpServer` behind its web-standard `WebStandardStreamableHTTPServerTransport`, bridged
 * to `node:http` (the v2 line ships its Node adapter in a separate package).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { McpServer, WebStandardStreamableHTTPServerTransport } from 'official-server';
import type { JSONRPCMessage } from 'official-server';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import {
    ADD_TOOL,
    GREET_PROMPT,
    GREETING_URI,
    greetingFor,
    greetingText,
    PROGRESS_TOOL,
    RESUME_PAUSE_MS,
    RESUME_RETRY_MS,
    RESUME_TOOL,
    stepMessage,
    sumText
} from '../fixtures.js';
import type { ServeMode } from '../fixtures.js';
import { listen, MemoryEventStore, routeSessions, toWebRequest, writeWebResponse } from '../helpers.js';
import type { RunningServer, SessionRouter } from '../helpers.js';

/** The name the v2 server reports in `serverInfo`. */
export const OFFICIAL_V2_SERVER_NAME = 'official-server-v2';

/** Builds a v2 `McpServer` with the interop scenario registered. */
export function buildOfficialV2Server(): McpServer {
    const server = new McpServer({ name: OFFICIAL_V2_SERVER_NAME, version: '2.4.0' });
    server.registerTool(
        ADD_TOOL,
        {
            description: 'Adds two numbers',
            inputSchema: z.object({ a: z.number(), b: z.number() }),
            outputSchema: z.object({ sum: z.number() })
        },
        ({ a, b }) => ({
            content: [{ type: 'text', text: sumText(a, b) }],
            structuredContent: { sum: a + b }
        })
    );
    server.registerTool(
        PROGRESS_TOOL,
        {
            description: 'Counts up, reporting progress',
            inputSchema: z.object({ steps: z.number().int().min(1).max(10) })
        },
        async ({ steps }, ctx) => {
            const progressToken = ctx.mcpReq._meta?.progressToken;
            if (progressToken !== undefined) {
                for (let i = 1; i <= steps; i++) {
                    await ctx.mcpReq.notify({
                        method: 'notifications/progress',
                        params: { progressToken, progress: i, total: steps, message: stepMessage(i) }
                    });
                }
            }
            return { content: [{ type: 'text', text: `counted ${steps}` }] };
        }
    );
    server.registerResource('greeting', GREETING_URI, { mimeType: 'text/plain' }, uri => ({
        contents: [{ uri: uri.href, mimeType: 'text/plain', text: greetingText(OFFICIAL_V2_SERVER_NAME) }]
    }));
    server.registerPrompt(
        GREET_PROMPT,
        { description: 'Greets someone', argsSchema: z.object({ name: z.string() }) },
        ({ name }) => ({
            messages: [{ role: 'user', content: { type: 'text', text: greetingFor(name) } }]
        })
    );
    return server;
}

/** Registers {@link RESUME_TOOL}, which closes its own SSE stream half-way (needs an event store). */
export function addOfficialV2ResumeTool(server: McpServer): McpServer {
    server.registerTool(RESUME_TOOL, { description: 'Closes its SSE stream, then finishes' }, async ctx => {
        const progressToken = ctx.mcpReq._meta?.progressToken;
        const report = (progress: number) =>
            progressToken === undefined
                ? Promise.resolve()
                : ctx.mcpReq.notify({
                      method: 'notifications/progress',
                      params: { progressToken, progress, total: 2, message: stepMessage(progress) }
                  });
        await report(1);
        ctx.http?.closeSSE?.();
        await sleep(RESUME_PAUSE_MS);
        await report(2);
        return { content: [{ type: 'text', text: 'resumed' }] };
    });
    return server;
}

/** What {@link serveOfficialV2} connects to each transport: a `McpServer` or a low-level `Server`. */
export interface OfficialV2Connectable {
    connect(transport: WebStandardStreamableHTTPServerTransport): Promise<void>;
    close(): Promise<void>;
}

/** A running v2 server and its session router. */
export interface OfficialV2Host extends RunningServer {
    readonly router: SessionRouter;
}

/**
 * Serves on 127.0.0.1 (port 0) in `mode`, one server per session (stateful) or per request (stateless), made by
 * `build` (default: {@link buildOfficialV2Server}).
 */
export async function serveOfficialV2(
    mode: ServeMode,
    build: () => OfficialV2Connectable = buildOfficialV2Server
): Promise<OfficialV2Host> {
    const router = routeSessions(async hooks => {
        const server = build();
        const transport = new WebStandardStreamableHTTPServerTransport({
            ...(mode.stateless
                ? {}
                : {
                      sessionIdGenerator: randomUUID,
                      onsessioninitialized: hooks.initialized,
                      onsessionclosed: hooks.closed
                  }),
            ...(mode.resumable
                ? { eventStore: new MemoryEventStore<JSONRPCMessage>(), retryInterval: RESUME_RETRY_MS }
                : {}),
            enableJsonResponse: mode.json,
            keepAliveMs: 0
        });
        await server.connect(transport);
        return {
            handle: async (req, res) => writeWebResponse(await transport.handleRequest(toWebRequest(req)), res),
            close: () => server.close()
        };
    }, mode.stateless);
    const running = await listen(router);
    return {
        ...running,
        router,
        close: async () => {
            await router.closeAll();
            await running.close();
        }
    };
}
