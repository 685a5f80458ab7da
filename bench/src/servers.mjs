// @ts-check
/**
 * The servers under test, each serving the same single tool (`add`, input `{ a: number, b: number }`, answer
 * `String(a + b)` as text) at `http://127.0.0.1:<port>/mcp`:
 *
 * - `floor`: bare `node:http` that parses the JSON-RPC body and answers — the least work a server can do;
 * - `ours`: our `McpServer` + Node `StreamableHTTPServerTransport` behind the shared session router;
 * - `ours-express`: our `McpServer` mounted with `createMcpExpressApp` + `mountMcp`;
 * - `v1`: official `@modelcontextprotocol/sdk` 1.32.2 `McpServer` + its Node transport, same router;
 * - `v2`: official `@modelcontextprotocol/server` 2.4.0 `McpServer` + its web-standard transport, bridged.
 *
 * Every SDK runs with its defaults except the two switches the mode needs (session ids, JSON responses). Built
 * packages are imported (`dist/`), as users get them.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { listen, routeSessions, toWebRequest, writeWebResponse } from './hosting.mjs';

/** @typedef {'floor' | 'ours' | 'ours-express' | 'v1' | 'v2'} Impl */
/** @typedef {'stateless-json' | 'stateful-sse'} Mode */
/** @typedef {{ calls: number }} CallCounter */
/**
 * @typedef {object} RunningServer
 * @property {number} port
 * @property {() => number} sessionCount
 * @property {() => number} errors
 * @property {() => Promise<void>} close
 */

/** Every implementation under test, in table order. */
export const IMPLS = /** @type {const} */ (['ours', 'ours-express', 'v1', 'v2', 'floor']);
/** Both transport modes. */
export const MODES = /** @type {const} */ (['stateless-json', 'stateful-sse']);

const TOOL = 'add';
const DESCRIPTION = 'Adds two numbers';
/**
 * The input schema, built once at module level as a careful server author would (servers are built per session
 * or per request): the raw-shape form for ours and v1, the object form v2 takes.
 */
const ADD_SHAPE = { a: z.number(), b: z.number() };
const ADD_OBJECT = z.object(ADD_SHAPE);

/**
 * @param {CallCounter} counter
 * @returns {(args: { a: number; b: number }) => { content: Array<{ type: 'text'; text: string }> }}
 */
function addTool(counter) {
    return ({ a, b }) => {
        counter.calls++;
        return { content: [{ type: 'text', text: String(a + b) }] };
    };
}

/**
 * @param {Mode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startOurs(mode, counter) {
    const { McpServer } = await import('@modelcontextprotocol/server');
    const { NodeStreamableHTTPServerTransport: StreamableHTTPServerTransport } =
        await import('@modelcontextprotocol/node');
    const stateless = mode === 'stateless-json';
    const tool = addTool(counter);
    const router = routeSessions(async hooks => {
        const server = new McpServer({ name: 'bench-ours', version: '0.0.0' });
        server.registerTool(TOOL, { description: DESCRIPTION, inputSchema: ADD_SHAPE }, tool);
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
 * @param {Mode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startOursExpress(mode, counter) {
    const { McpServer } = await import('@modelcontextprotocol/server');
    const { createMcpExpressApp, mountMcp } = await import('@modelcontextprotocol/express');
    const tool = addTool(counter);
    const app = createMcpExpressApp();
    const route = mountMcp(app, '/mcp', {
        createServer: () => {
            const server = new McpServer({ name: 'bench-ours-express', version: '0.0.0' });
            server.registerTool(TOOL, { description: DESCRIPTION, inputSchema: ADD_SHAPE }, tool);
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
 * @param {Mode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startV1(mode, counter) {
    const { McpServer } = await import('official-sdk/server/mcp.js');
    const { StreamableHTTPServerTransport } = await import('official-sdk/server/streamableHttp.js');
    const stateless = mode === 'stateless-json';
    const tool = addTool(counter);
    const router = routeSessions(async hooks => {
        const server = new McpServer({ name: 'bench-v1', version: '1.32.2' });
        server.registerTool(TOOL, { description: DESCRIPTION, inputSchema: ADD_SHAPE }, tool);
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
 * @param {Mode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startV2(mode, counter) {
    const { McpServer, WebStandardStreamableHTTPServerTransport } = await import('official-server');
    const stateless = mode === 'stateless-json';
    const tool = addTool(counter);
    const router = routeSessions(async hooks => {
        const server = new McpServer({ name: 'bench-v2', version: '2.4.0' });
        server.registerTool(TOOL, { description: DESCRIPTION, inputSchema: ADD_OBJECT }, tool);
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
 * The floor: read the body, `JSON.parse` it, answer. Stateful mode mints a session id on `initialize`, keeps a
 * small record per session, checks the id on later requests and answers over a one-event SSE stream.
 *
 * @param {Mode} mode
 * @param {CallCounter} counter
 * @returns {Promise<RunningServer>}
 */
async function startFloor(mode, counter) {
    const stateless = mode === 'stateless-json';
    /** @type {Map<string, { protocolVersion: string }>} */
    const sessions = new Map();
    /**
     * @param {import('node:http').ServerResponse} res
     * @param {unknown} id
     * @param {unknown} result
     * @param {Record<string, string>} [extraHeaders]
     */
    const answer = (res, id, result, extraHeaders) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id, result });
        if (stateless) {
            res.writeHead(200, { 'content-type': 'application/json', ...extraHeaders }).end(body);
        } else {
            res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...extraHeaders });
            res.end(`event: message\ndata: ${body}\n\n`);
        }
    };
    const running = await listen((req, res) => {
        if (req.method !== 'POST') {
            res.writeHead(405).end();
            return;
        }
        /** @type {Buffer[]} */
        const chunks = [];
        req.on('data', chunk => chunks.push(chunk));
        req.on('end', () => {
            /** @type {{ id?: unknown; method?: unknown; params?: any }} */
            let message;
            try {
                message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
                res.writeHead(400).end();
                return;
            }
            if (message.method === 'initialize') {
                const protocolVersion = String(message.params?.protocolVersion ?? '2025-11-25');
                const result = {
                    protocolVersion,
                    capabilities: { tools: {} },
                    serverInfo: { name: 'bench-floor', version: '0.0.0' }
                };
                if (stateless) return answer(res, message.id, result);
                const sessionId = randomUUID();
                sessions.set(sessionId, { protocolVersion });
                return answer(res, message.id, result, { 'mcp-session-id': sessionId });
            }
            if (!stateless) {
                const sessionId = req.headers['mcp-session-id'];
                if (typeof sessionId !== 'string' || !sessions.has(sessionId)) {
                    res.writeHead(404).end();
                    return;
                }
            }
            if (message.id === undefined) {
                res.writeHead(202).end();
                return;
            }
            if (message.method === 'tools/call') {
                const { a, b } = message.params.arguments;
                counter.calls++;
                return answer(res, message.id, { content: [{ type: 'text', text: String(a + b) }] });
            }
            answer(res, message.id, {});
        });
    });
    return {
        port: running.port,
        sessionCount: () => sessions.size,
        errors: running.errors,
        close: async () => {
            running.server.closeAllConnections();
            running.server.close();
        }
    };
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
 * Starts `impl` in `mode` on 127.0.0.1 (port 0); `counter.calls` counts `tools/call` handler runs.
 *
 * @param {Impl} impl
 * @param {Mode} mode
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
