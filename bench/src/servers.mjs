// @ts-check
/**
 * The servers under test, each serving the same tools ({@link ./tools.mjs}: `add`, `big`, `progress`) at
 * `http://127.0.0.1:<port>/mcp`:
 *
 * - `floor`: bare `node:http` that parses the JSON-RPC body and answers — the least work a server can do
 *   ({@link ./floor.mjs});
 * - `ours`: our `McpServer` + Node `StreamableHTTPServerTransport` behind the shared session router;
 * - `ours-express`: our `McpServer` mounted with `createMcpExpressApp` + `mountMcp`;
 * - `v1`: official `@modelcontextprotocol/sdk` 1.32.2 `McpServer` + its Node transport, same router;
 * - `v2`: official `@modelcontextprotocol/server` 2.4.0 `McpServer` + its web-standard transport, bridged.
 *
 * Every SDK runs with its defaults except the two switches the mode needs (session ids, JSON responses). The
 * `modern-2026` mode is each SDK's protocol-2026-07-28 entry point, `createMcpHandler(factory)` with its defaults
 * (a fresh server per request), behind the same `node:http` ↔ web bridge for both (ours and v2 only). Built
 * packages are imported (`dist/`), as users get them.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { startFloor } from './floor.mjs';
import { listen, routeSessions, toWebRequest, writeWebResponse } from './hosting.mjs';
import { registerBenchTools } from './tools.mjs';

/** @typedef {'floor' | 'ours' | 'ours-express' | 'v1' | 'v2'} Impl */
/** @typedef {'stateless-json' | 'stateful-sse'} Mode */
/** @typedef {Mode | 'modern-2026'} ServerMode */
/** @typedef {import('./tools.mjs').CallCounter} CallCounter */
/**
 * @typedef {object} RunningServer
 * @property {number} port
 * @property {() => number} sessionCount
 * @property {() => number} errors
 * @property {() => Promise<void>} close
 */

/** Every implementation under test, in table order. */
export const IMPLS = /** @type {const} */ (['ours', 'ours-express', 'v1', 'v2', 'floor']);
/** Both transport modes of the throughput metric. */
export const MODES = /** @type {const} */ (['stateless-json', 'stateful-sse']);

/** Ours and official v2 take handlers with `ctx.mcpReq`; v1 takes `extra`. */
const OURS_TOOLS = /** @type {const} */ ({ schema: 'shape', context: 'mcpReq' });
const V1_TOOLS = /** @type {const} */ ({ schema: 'shape', context: 'v1' });
const V2_TOOLS = /** @type {const} */ ({ schema: 'object', context: 'mcpReq' });

/**
 * @param {ServerMode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startOurs(mode, counter) {
    const { McpServer, createMcpHandler } = await import('@modelcontextprotocol/server');
    const build = () => {
        const server = new McpServer({ name: 'bench-ours', version: '0.0.0' });
        registerBenchTools(server, OURS_TOOLS, counter);
        return server;
    };
    if (mode === 'modern-2026') return hostWeb(createMcpHandler(build));
    const { NodeStreamableHTTPServerTransport: StreamableHTTPServerTransport } =
        await import('@modelcontextprotocol/node');
    const stateless = mode === 'stateless-json';
    const router = routeSessions(async hooks => {
        const server = build();
        const transport = new StreamableHTTPServerTransport(
            stateless
                ? { sessionIdGenerator: undefined, enableJsonResponse: true }
                : {
                      sessionIdGenerator: randomUUID,
                      onsessioninitialized: hooks.initialized,
                      onsessionclosed: hooks.closed
                  }
        );
        await server.connect(transport);
        return { handle: (req, res) => transport.handleRequest(req, res), close: () => server.close() };
    }, stateless);
    return host(router);
}

/**
 * @param {ServerMode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startOursExpress(mode, counter) {
    if (mode === 'modern-2026') throw new Error('ours-express: no separate modern-2026 server');
    const { McpServer } = await import('@modelcontextprotocol/server');
    const { createMcpExpressApp, mountMcp } = await import('@modelcontextprotocol/express');
    const app = createMcpExpressApp();
    const route = mountMcp(app, '/mcp', {
        createServer: () => {
            const server = new McpServer({ name: 'bench-ours-express', version: '0.0.0' });
            registerBenchTools(server, OURS_TOOLS, counter);
            return server;
        },
        stateless: mode === 'stateless-json',
        transportOptions: { enableJsonResponse: mode === 'stateless-json' }
    });
    const running = await listen(/** @type {import('./hosting.mjs').NodeHandler} */ (/** @type {unknown} */ (app)));
    return {
        port: running.port,
        sessionCount: () => route.sessionCount,
        errors: running.errors,
        close: async () => {
            await route.close();
            running.server.closeAllConnections();
            running.server.close();
        }
    };
}

/**
 * @param {ServerMode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startV1(mode, counter) {
    if (mode === 'modern-2026') throw new Error('official v1 does not serve protocol 2026-07-28');
    const { McpServer } = await import('official-sdk/server/mcp.js');
    const { StreamableHTTPServerTransport } = await import('official-sdk/server/streamableHttp.js');
    const stateless = mode === 'stateless-json';
    const router = routeSessions(async hooks => {
        const server = new McpServer({ name: 'bench-v1', version: '1.32.2' });
        registerBenchTools(server, V1_TOOLS, counter);
        const transport = new StreamableHTTPServerTransport(
            stateless
                ? { enableJsonResponse: true }
                : {
                      sessionIdGenerator: randomUUID,
                      onsessioninitialized: hooks.initialized,
                      onsessionclosed: hooks.closed
                  }
        );
        await server.connect(transport);
        return { handle: (req, res) => transport.handleRequest(req, res), close: () => server.close() };
    }, stateless);
    return host(router);
}

/**
 * @param {ServerMode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startV2(mode, counter) {
    const { McpServer, WebStandardStreamableHTTPServerTransport, createMcpHandler } = await import('official-server');
    const build = () => {
        const server = new McpServer({ name: 'bench-v2', version: '2.4.0' });
        registerBenchTools(server, V2_TOOLS, counter);
        return server;
    };
    if (mode === 'modern-2026') return hostWeb(createMcpHandler(build));
    const stateless = mode === 'stateless-json';
    const router = routeSessions(async hooks => {
        const server = build();
        const transport = new WebStandardStreamableHTTPServerTransport(
            stateless
                ? { sessionIdGenerator: undefined, enableJsonResponse: true }
                : {
                      sessionIdGenerator: randomUUID,
                      onsessioninitialized: hooks.initialized,
                      onsessionclosed: hooks.closed
                  }
        );
        await server.connect(transport);
        return {
            handle: async (req, res) => writeWebResponse(await transport.handleRequest(toWebRequest(req)), res),
            close: () => server.close()
        };
    }, stateless);
    return host(router);
}

/**
 * @param {ReturnType<typeof routeSessions>} router
 * @returns {Promise<RunningServer>}
 */
async function host(router) {
    const running = await listen(router.handler);
    return {
        port: running.port,
        sessionCount: router.sessionCount,
        errors: running.errors,
        close: async () => {
            await router.closeAll();
            running.server.closeAllConnections();
            running.server.close();
        }
    };
}

/**
 * Serves a web-standard `{ fetch, close }` handler (`createMcpHandler`'s) through the bench's bridge.
 *
 * @param {{ fetch: (request: Request) => Promise<Response>; close: () => Promise<void> }} handler
 * @returns {Promise<RunningServer>}
 */
async function hostWeb(handler) {
    const running = await listen(async (req, res) => writeWebResponse(await handler.fetch(toWebRequest(req)), res));
    return {
        port: running.port,
        sessionCount: () => 0,
        errors: running.errors,
        close: async () => {
            await handler.close();
            running.server.closeAllConnections();
            running.server.close();
        }
    };
}

/**
 * Starts `impl` in `mode` on 127.0.0.1 (port 0); `counter.calls` counts tool handler runs.
 *
 * @param {Impl} impl
 * @param {ServerMode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
export function startServer(impl, mode, counter) {
    switch (impl) {
        case 'floor':
            return startFloor(mode, counter);
        case 'ours':
            return startOurs(mode, counter);
        case 'ours-express':
            return startOursExpress(mode, counter);
        case 'v1':
            return startV1(mode, counter);
        case 'v2':
            return startV2(mode, counter);
    }
}
