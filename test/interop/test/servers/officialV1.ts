/**
 * The interop scenario served by the official SDK v1 (`@modelcontextprotocol/sdk` 1.32.2, aliased
 * `official-sdk`): its `McpServer` behind its Node `StreamableHTTPServerTransport`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { McpServer } from 'official-sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from 'official-sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from 'official-sdk/types.js';
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
import { listen, MemoryEventStore, routeSessions } from '../helpers.js';
import type { RunningServer, SessionRouter } from '../helpers.js';

/** The name the v1 server reports in `serverInfo`. */
export const OFFICIAL_V1_SERVER_NAME = 'official-sdk-v1';

/** Builds a v1 `McpServer` with the interop scenario registered. */
export function buildOfficialV1Server(): McpServer {
    const server = new McpServer({ name: OFFICIAL_V1_SERVER_NAME, version: '1.32.2' });
    server.registerTool(
        ADD_TOOL,
        {
            description: 'Adds two numbers',
            inputSchema: { a: z.number(), b: z.number() },
            outputSchema: { sum: z.number() }
        },
        ({ a, b }) => ({
            content: [{ type: 'text', text: sumText(a, b) }],
            structuredContent: { sum: a + b }
        })
    );
    server.registerTool(
        PROGRESS_TOOL,
        { description: 'Counts up, reporting progress', inputSchema: { steps: z.number().int().min(1).max(10) } },
        async ({ steps }, extra) => {
            const progressToken = extra._meta?.progressToken;
            if (progressToken !== undefined) {
                for (let i = 1; i <= steps; i++) {
                    await extra.sendNotification({
                        method: 'notifications/progress',
                        params: { progressToken, progress: i, total: steps, message: stepMessage(i) }
                    });
                }
            }
            return { content: [{ type: 'text', text: `counted ${steps}` }] };
        }
    );
    server.registerResource('greeting', GREETING_URI, { mimeType: 'text/plain' }, uri => ({
        contents: [{ uri: uri.href, mimeType: 'text/plain', text: greetingText(OFFICIAL_V1_SERVER_NAME) }]
    }));
    server.registerPrompt(
        GREET_PROMPT,
        { description: 'Greets someone', argsSchema: { name: z.string() } },
        ({ name }) => ({
            messages: [{ role: 'user', content: { type: 'text', text: greetingFor(name) } }]
        })
    );
    return server;
}

/** Registers {@link RESUME_TOOL}, which closes its own SSE stream half-way (needs an event store). */
export function addOfficialV1ResumeTool(server: McpServer): McpServer {
    server.registerTool(RESUME_TOOL, { description: 'Closes its SSE stream, then finishes' }, async extra => {
        const progressToken = extra._meta?.progressToken;
        const report = (progress: number) =>
            progressToken === undefined
                ? Promise.resolve()
                : extra.sendNotification({
                      method: 'notifications/progress',
                      params: { progressToken, progress, total: 2, message: stepMessage(progress) }
                  });
        await report(1);
        extra.closeSSEStream?.();
        await sleep(RESUME_PAUSE_MS);
        await report(2);
        return { content: [{ type: 'text', text: 'resumed' }] };
    });
    return server;
}

/** What {@link serveOfficialV1} connects to each transport: a `McpServer` or a low-level `Server`. */
export interface OfficialV1Connectable {
    connect(transport: StreamableHTTPServerTransport): Promise<void>;
    close(): Promise<void>;
}

/** A running v1 server and its session router. */
export interface OfficialV1Host extends RunningServer {
    readonly router: SessionRouter;
}

/**
 * Serves on 127.0.0.1 (port 0) in `mode`, one server per session (stateful) or per request (stateless), made by
 * `build` (default: {@link buildOfficialV1Server}).
 */
export async function serveOfficialV1(
    mode: ServeMode,
    build: () => OfficialV1Connectable = buildOfficialV1Server
): Promise<OfficialV1Host> {
    const router = routeSessions(async hooks => {
        const server = build();
        const transport = new StreamableHTTPServerTransport({
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
            enableJsonResponse: mode.json
        });
        await server.connect(transport);
        return {
            handle: (req, res) => transport.handleRequest(req, res),
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
