/**
 * Fastify `mcpRoute` on a real `127.0.0.1` server: sessions kept in the server's `SessionPool` (one `McpServer`
 * each), unknown ids answered 404, the pool bounded overall and per principal (503 with `Retry-After`), idle sessions
 * expired unless a request (an open GET stream) is in progress, and stateless serving.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ServerTransportError } from '@modelcontextprotocol/server';
import { createMcpFastifyApp } from '../src/app.js';
import { requireBearerAuth } from '../src/auth.js';
import { mcpRoute } from '../src/route.js';
import type { McpRouteFactory } from '../src/route.js';
import { INIT, POST_HEADERS, buildServer, listen, principalVerifier } from './fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

type Limits = Omit<McpRouteFactory, 'createServer'>;

/** Serves `mcpRoute` on `/mcp` (behind bearer auth with two principals when `auth`), counting servers made and closed. */
async function serve(limits: Limits = {}, auth = false) {
    const counts = { made: 0, closed: 0 };
    const app = createMcpFastifyApp();
    const route = mcpRoute({
        createServer: () => {
            counts.made++;
            const server = buildServer();
            const close = server.close.bind(server);
            server.close = async () => {
                counts.closed++;
                await close();
            };
            return server;
        },
        ...limits
    });
    app.route({
        method: ['GET', 'POST', 'DELETE'],
        url: '/mcp',
        ...(auth ? { preHandler: requireBearerAuth({ verifier: principalVerifier }) } : {}),
        handler: route
    });
    const listening = await listen(app);
    cleanups.push(async () => {
        await route.close();
        await listening.close();
    });
    const { url } = listening;
    const bearer = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
    const initialize = async (token?: string) => {
        const response = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...bearer(token) },
            body: JSON.stringify(INIT)
        });
        const text = await response.text();
        const headers = {
            'mcp-session-id': response.headers.get('mcp-session-id') ?? '',
            'mcp-protocol-version': '2025-11-25',
            ...bearer(token)
        };
        return { response, text, headers };
    };
    const ping = async (headers: Record<string, string>) => {
        const response = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...headers },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })
        });
        await response.text();
        return response.status;
    };
    return { url, route, counts, initialize, ping };
}

describe('Fastify mcpRoute sessions', () => {
    test('serves each client its own session and server, and forgets a session on DELETE', async () => {
        const { url, route, counts, initialize } = await serve();
        const client = new Client({ name: 'c', version: '1' });
        const transport = new StreamableHTTPClientTransport(url);
        await client.connect(transport);
        const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '3' }]);
        const other = await initialize();
        expect(other.response.status).toBe(200);
        expect(other.headers['mcp-session-id']).not.toBe(transport.sessionId);
        expect(route.sessionCount).toBe(2);
        expect(counts.made).toBe(2);

        expect((await fetch(url, { method: 'DELETE', headers: other.headers })).status).toBe(200);
        expect(route.sessionCount).toBe(1);
        await client.close();
    });

    test('answers 404 for an unknown session id, 400 for a GET without one and for two Mcp-Session-Id headers', async () => {
        const { url, ping, initialize } = await serve();
        expect(await ping({ 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' })).toBe(404);
        const get = await fetch(url, { headers: { accept: 'text/event-stream' } });
        expect(get.status).toBe(400);
        expect((await get.json()).error.message).toBe('Bad Request: Mcp-Session-Id header is required');

        const { headers } = await initialize();
        const id = headers['mcp-session-id'];
        const twice = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
            const req = httpRequest(
                url,
                { method: 'POST', headers: { ...POST_HEADERS, 'mcp-session-id': [id, id] } },
                res => {
                    let text = '';
                    res.setEncoding('utf8');
                    res.on('data', (chunk: string) => (text += chunk));
                    res.on('end', () => resolve({ status: res.statusCode!, body: text }));
                }
            );
            req.on('error', reject);
            req.end(body);
        });
        expect(twice.status).toBe(400);
        expect(JSON.parse(twice.body).error.message).toBe('Bad Request: more than one Mcp-Session-Id header');
    });

    test('refuses a session beyond maxSessions with 503, a JSON-RPC error body and Retry-After, making no server', async () => {
        const { url, route, counts, initialize } = await serve({ maxSessions: 2, sessionIdleTimeoutMs: 1500 });
        const first = await initialize();
        await initialize();
        const refused = await initialize();
        expect(refused.response.status).toBe(503);
        expect(refused.response.headers.get('retry-after')).toBe('2');
        expect(JSON.parse(refused.text)).toEqual({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Service Unavailable: too many open sessions' },
            id: null
        });
        expect(counts.made).toBe(2);
        expect(route.sessionCount).toBe(2);

        expect((await fetch(url, { method: 'DELETE', headers: first.headers })).status).toBe(200);
        expect((await initialize()).response.status).toBe(200);
    });

    test('limits sessions per principal: another principal still gets one, and cannot use the first one’s', async () => {
        const { initialize, ping, route } = await serve({ maxSessionsPerPrincipal: 1 }, true);
        const alice = await initialize('aliceToken');
        expect(alice.response.status).toBe(200);
        const again = await initialize('alice2Token');
        expect(again.response.status).toBe(503);
        expect(again.response.headers.get('retry-after')).toBe('60');
        expect(JSON.parse(again.text).error.message).toBe(
            'Service Unavailable: too many open sessions for this principal'
        );
        const bob = await initialize('bobToken');
        expect(bob.response.status).toBe(200);
        expect(route.sessionCount).toBe(2);

        expect(await ping(alice.headers)).toBe(200);
        expect(await ping({ ...alice.headers, authorization: 'Bearer bobToken' })).toBe(404);
        expect(await ping({ ...alice.headers, authorization: 'Bearer alice2Token' }), 'same principal').toBe(200);
    });

    test('closes and forgets an idle session; its client then gets 404', async () => {
        const { initialize, ping, route, counts } = await serve({ sessionIdleTimeoutMs: 100 });
        const { headers } = await initialize();
        expect(await ping(headers)).toBe(200);
        await expect.poll(() => route.sessionCount, { timeout: 2000 }).toBe(0);
        expect(counts.closed).toBe(1);
        expect(await ping(headers)).toBe(404);
    });

    test('keeps a session while its GET stream is open, then expires it once the stream ends', async () => {
        const { url, initialize, route } = await serve({ sessionIdleTimeoutMs: 100 });
        const { headers } = await initialize();
        const controller = new AbortController();
        const stream = await fetch(url, {
            headers: { accept: 'text/event-stream', ...headers },
            signal: controller.signal
        });
        expect(stream.status).toBe(200);
        await new Promise(resolve => setTimeout(resolve, 400));
        expect(route.sessionCount).toBe(1);
        controller.abort();
        await expect.poll(() => route.sessionCount, { timeout: 2000 }).toBe(0);
    });

    test('close() closes every session and refuses new ones', async () => {
        const { initialize, route, counts } = await serve();
        await initialize();
        await initialize();
        await route.close();
        expect(counts.closed).toBe(2);
        expect(route.sessionCount).toBe(0);
        expect((await initialize()).response.status).toBe(503);
    });

    test('stateless: a fresh server per request, closed when its response ends, and no session id', async () => {
        const { initialize, route, counts } = await serve({ stateless: true });
        const first = await initialize();
        expect(first.response.status).toBe(200);
        expect(first.response.headers.get('mcp-session-id')).toBeNull();
        expect(JSON.parse(first.text.split('data: ')[1]!).result.serverInfo.name).toBe('fastify-test');
        await initialize();
        expect(counts.made).toBe(2);
        await expect.poll(() => counts.closed).toBe(2);
        expect(route.sessionCount).toBe(0);
    });

    test('rejects limits that are not integers >= 1 or Infinity', () => {
        for (const key of ['maxSessions', 'sessionIdleTimeoutMs', 'maxSessionsPerPrincipal'] as const) {
            const build = () => mcpRoute({ createServer: () => buildServer(), [key]: 0 });
            expect(build).toThrow(ServerTransportError);
            expect(build).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
        }
    });
});
