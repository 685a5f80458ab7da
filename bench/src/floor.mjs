// @ts-check
/**
 * The floor server: bare `node:http` that reads the body, `JSON.parse`s it and answers — the least work an MCP
 * server can do. Stateful mode mints a session id on `initialize`, keeps a small record per session, checks the id
 * on later requests and answers over an SSE stream (progress notifications first, then the response, in one
 * write); stateless mode answers with JSON.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { listen } from './hosting.mjs';
import { floorToolCall } from './tools.mjs';

/**
 * @param {import('./servers.mjs').ServerMode} mode
 * @param {import('./tools.mjs').CallCounter} counter
 * @returns {Promise<import('./servers.mjs').RunningServer>}
 */
export async function startFloor(mode, counter) {
    if (mode === 'modern-2026') throw new Error('the floor serves no 2026-07-28 mode');
    const stateless = mode === 'stateless-json';
    /** @type {Map<string, { protocolVersion: string }>} */
    const sessions = new Map();
    /**
     * @param {import('node:http').ServerResponse} res
     * @param {unknown} id
     * @param {unknown} result
     * @param {{ headers?: Record<string, string>; notifications?: object[] }} [extra]
     */
    const answer = (res, id, result, extra = {}) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id, result });
        if (stateless) {
            res.writeHead(200, { 'content-type': 'application/json', ...extra.headers }).end(body);
            return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...extra.headers });
        let events = '';
        for (const notification of extra.notifications ?? []) {
            events += `event: message\ndata: ${JSON.stringify(notification)}\n\n`;
        }
        res.end(`${events}event: message\ndata: ${body}\n\n`);
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
                return answer(res, message.id, result, { headers: { 'mcp-session-id': sessionId } });
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
                const call = floorToolCall(message.params);
                if (call !== undefined) {
                    counter.calls++;
                    return answer(res, message.id, call.result, { notifications: call.notifications });
                }
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
