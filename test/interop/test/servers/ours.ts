/**
 * The interop scenario served by this SDK: our `McpServer`, mounted with our Express adapter
 * (`createMcpExpressApp` + `mountMcp`) over our Node `StreamableHTTPServerTransport`.
 *
 * @module
 */
import { createMcpExpressApp, mountMcp } from '@modelcontextprotocol/express';
import type { ConnectableServer, McpRouteHandler } from '@modelcontextprotocol/express';
import { InMemoryEventStore, McpServer } from '@modelcontextprotocol/server';
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
import { listen } from '../helpers.js';
import type { RunningServer } from '../helpers.js';

/** The name our server reports in `serverInfo`. */
export const OUR_SERVER_NAME = 'mcp-stepup-server';

/** Builds our `McpServer` with the interop scenario registered. */
export function buildOurServer(): McpServer {
    const server = new McpServer({ name: OUR_SERVER_NAME, version: '0.0.0' });
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
        {
            description: 'Counts up, reporting progress',
            inputSchema: z.object({ steps: z.number().int().min(1).max(10) })
        },
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
        contents: [{ uri: uri.href, mimeType: 'text/plain', text: greetingText(OUR_SERVER_NAME) }]
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
export function addOurResumeTool(server: McpServer): McpServer {
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

/** Our server running behind Express. */
export interface OurHost extends RunningServer {
    readonly route: McpRouteHandler;
}

/**
 * Serves on 127.0.0.1 (port 0) in `mode` with `mountMcp`: a server per session (stateful) or per request
 * (stateless), made by `build` (default: {@link buildOurServer}).
 */
export async function serveOurs(mode: ServeMode, build: () => ConnectableServer = buildOurServer): Promise<OurHost> {
    const app = createMcpExpressApp();
    const route = mountMcp(app, '/mcp', {
        createServer: build,
        stateless: mode.stateless,
        transportOptions: {
            enableJsonResponse: mode.json,
            ...(mode.resumable ? { eventStore: new InMemoryEventStore(), retryInterval: RESUME_RETRY_MS } : {})
        }
    });
    const running = await listen(app);
    return {
        ...running,
        route,
        close: async () => {
            await route.close();
            await running.close();
        }
    };
}
