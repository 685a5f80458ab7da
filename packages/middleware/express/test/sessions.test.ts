/**
 * The stateful route's session map is bounded: at most `maxSessions` sessions, and `maxSessionsPerPrincipal` per
 * principal (a new one beyond that gets 503 with `Retry-After`), and sessions idle for `sessionIdleTimeoutMs` are
 * closed and forgotten.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { TokenVerifier, Transport } from '@modelcontextprotocol/server';
import { InvalidTokenError, ServerTransportError } from '@modelcontextprotocol/server';
import { createMcpExpressApp } from '../src/app.js';
import { requireBearerAuth } from '../src/auth.js';
import { mcpRoute, mountMcp } from '../src/mount.js';
import type { ConnectableServer, McpRouteFactory, McpRouteHandler } from '../src/mount.js';

const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
};

/** A stand-in for McpServer: answers every request with `{ method }`; counts servers made and closed. */
class EchoServer implements ConnectableServer {
    static made = 0;
    static closed = 0;
    private _transport: Transport | undefined;
    constructor() {
        EchoServer.made++;
    }
    async connect(transport: Transport): Promise<void> {
        this._transport = transport;
        transport.onmessage = message => {
            if ('method' in message && 'id' in message) {
                void transport.send(
                    { jsonrpc: '2.0', id: message.id, result: { method: message.method } },
                    { relatedRequestId: message.id }
                );
            }
        };
        await transport.start();
    }
    async close(): Promise<void> {
        EchoServer.closed++;
        await this._transport?.close();
    }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

/** Subjects by token: two principals (same OAuth client, distinct `sub`). */
const subjects: Record<string, string> = { aliceToken: 'alice', alice2Token: 'alice', bobToken: 'bob' };
const principalVerifier: TokenVerifier = {
    async verifyAccessToken(token) {
        const sub = subjects[token];
        if (!sub) throw new InvalidTokenError('The access token is invalid');
        return { token, clientId: 'client-1', scopes: [], extra: { sub } };
    }
};

/**
 * Serves a stateful route with the given limits (behind bearer auth when `auth`); `initialize(token?)` opens a
 * session and returns its headers.
 */
async function serve(
    limits: Pick<McpRouteFactory, 'maxSessions' | 'sessionIdleTimeoutMs' | 'maxSessionsPerPrincipal'>,
    auth = false
) {
    const app = createMcpExpressApp();
    if (auth) app.use('/mcp', requireBearerAuth({ verifier: principalVerifier }));
    const handler: McpRouteHandler = mountMcp(app, '/mcp', { createServer: () => new EchoServer(), ...limits });
    const server: Server = await new Promise(resolve => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(async () => {
        await handler.close();
        server.closeAllConnections();
        await new Promise(resolve => server.close(resolve));
    });
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
    const initialize = async (token?: string) => {
        const bearer: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const response = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...bearer },
            body: JSON.stringify(INIT)
        });
        const text = await response.text();
        const sessionId = response.headers.get('mcp-session-id');
        const headers = { 'mcp-session-id': sessionId ?? '', 'mcp-protocol-version': '2025-11-25', ...bearer };
        return { response, text, headers };
    };
    const ping = (headers: Record<string, string>) =>
        fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...headers },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })
        });
    return { url, handler, initialize, ping };
}

describe('maxSessions', () => {
    test('refuses a new session beyond the limit with 503, a JSON-RPC error body and Retry-After', async () => {
        const { url, handler, initialize } = await serve({ maxSessions: 2 });
        const first = await initialize();
        await initialize();
        expect(handler.sessionCount).toBe(2);
        const made = EchoServer.made;

        const refused = await initialize();
        expect(refused.response.status).toBe(503);
        expect(refused.response.headers.get('retry-after')).toBe('60');
        expect(JSON.parse(refused.text)).toEqual({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Service Unavailable: too many open sessions' },
            id: null
        });
        expect(EchoServer.made).toBe(made);
        expect(handler.sessionCount).toBe(2);

        expect((await fetch(url, { method: 'DELETE', headers: first.headers })).status).toBe(200);
        expect((await initialize()).response.status).toBe(200);
        expect(handler.sessionCount).toBe(2);
    });

    test('counts initializations under way, so concurrent ones cannot overshoot the limit', async () => {
        const { handler, initialize } = await serve({ maxSessions: 3 });
        const results = await Promise.all(Array.from({ length: 6 }, () => initialize()));
        expect(results.map(r => r.response.status).sort()).toEqual([200, 200, 200, 503, 503, 503]);
        expect(handler.sessionCount).toBe(3);
    });
});

describe('maxSessionsPerPrincipal', () => {
    test('refuses a principal beyond its limit with 503 and Retry-After; another principal still opens one', async () => {
        const { handler, initialize, ping } = await serve({ maxSessionsPerPrincipal: 1 }, true);
        const alice = await initialize('aliceToken');
        expect(alice.response.status).toBe(200);
        const made = EchoServer.made;
        const refused = await initialize('alice2Token');
        expect(refused.response.status).toBe(503);
        expect(refused.response.headers.get('retry-after')).toBe('60');
        expect(JSON.parse(refused.text)).toEqual({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Service Unavailable: too many open sessions for this principal' },
            id: null
        });
        expect(EchoServer.made).toBe(made);
        expect((await initialize('bobToken')).response.status).toBe(200);
        expect(handler.sessionCount).toBe(2);
        expect((await ping({ ...alice.headers, authorization: 'Bearer bobToken' })).status).toBe(404);
        expect((await ping(alice.headers)).status).toBe(200);
    });

    test('counts unauthenticated sessions only against maxSessions', async () => {
        const { handler, initialize } = await serve({ maxSessionsPerPrincipal: 1 });
        for (let i = 0; i < 3; i++) expect((await initialize()).response.status).toBe(200);
        expect(handler.sessionCount).toBe(3);
    });
});

describe('sessionIdleTimeoutMs', () => {
    test('closes and forgets a session that received no request for that long', async () => {
        const { initialize, ping, handler } = await serve({ sessionIdleTimeoutMs: 100 });
        const { headers } = await initialize();
        expect((await ping(headers)).status).toBe(200);
        const closed = EchoServer.closed;
        await expect.poll(() => handler.sessionCount, { timeout: 2000 }).toBe(0);
        expect(EchoServer.closed).toBe(closed + 1);
        expect((await ping(headers)).status).toBe(404);
    });

    test('keeps a session whose requests keep coming', async () => {
        const { initialize, ping, handler } = await serve({ sessionIdleTimeoutMs: 300 });
        const { headers } = await initialize();
        for (let i = 0; i < 15; i++) {
            const response = await ping(headers);
            expect(response.status).toBe(200);
            await response.text();
            await new Promise(resolve => setTimeout(resolve, 40));
        }
        expect(handler.sessionCount).toBe(1);
    });

    test('keeps a session while one of its requests is in progress (an open GET stream), then expires it', async () => {
        const { url, initialize, handler } = await serve({ sessionIdleTimeoutMs: 100 });
        const { headers } = await initialize();
        const controller = new AbortController();
        const stream = await fetch(url, {
            headers: { accept: 'text/event-stream', ...headers },
            signal: controller.signal
        });
        expect(stream.status).toBe(200);
        await new Promise(resolve => setTimeout(resolve, 400));
        expect(handler.sessionCount).toBe(1);
        controller.abort();
        await expect.poll(() => handler.sessionCount, { timeout: 2000 }).toBe(0);
    });

    test('advertises the sweep interval as Retry-After when the idle timeout is shorter than a minute', async () => {
        const { initialize } = await serve({ maxSessions: 1, sessionIdleTimeoutMs: 1500 });
        await initialize();
        expect((await initialize()).response.headers.get('retry-after')).toBe('2');
    });
});

test('rejects limits that are not integers >= 1 or Infinity', () => {
    for (const bad of [0, -1, 1.5, NaN]) {
        for (const key of ['maxSessions', 'sessionIdleTimeoutMs', 'maxSessionsPerPrincipal'] as const) {
            const build = () => mcpRoute({ createServer: () => new EchoServer(), [key]: bad });
            expect(build).toThrow(ServerTransportError);
            expect(build).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
        }
    }
    expect(() => mcpRoute({ createServer: () => new EchoServer(), maxSessions: Infinity })).not.toThrow();
});
