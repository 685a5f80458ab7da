import { request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { Express } from 'express';
import type { Transport } from '@modelcontextprotocol/server';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { createMcpExpressApp } from '../src/app.js';
import { mcpRoute, mountMcp } from '../src/mount.js';
import type { ConnectableServer, McpRouteHandler } from '../src/mount.js';

const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
};

/** A stand-in for McpServer: answers every request with `{ method }`. */
class EchoServer implements ConnectableServer {
    static closed = 0;
    private _transport: Transport | undefined;
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

async function serve(app: Express, handler?: McpRouteHandler): Promise<URL> {
    const server: Server = await new Promise(resolve => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(async () => {
        await handler?.close();
        server.closeAllConnections();
        await new Promise(resolve => server.close(resolve));
    });
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

/** A raw request with an arbitrary Host header (fetch always sends the real one). */
function postWithHost(url: URL, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', headers: { ...POST_HEADERS, host } }, res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(INIT));
    });
}

function firstData(sse: string): unknown {
    const line = sse.split('\n').find(l => l.startsWith('data: ') && l.length > 6);
    return line ? JSON.parse(line.slice(6)) : undefined;
}

describe('createMcpExpressApp', () => {
    test('rejects a foreign Host with 403 and a JSON-RPC error body', async () => {
        const app = createMcpExpressApp();
        const handler = mountMcp(app, '/mcp', { createServer: () => new EchoServer() });
        const url = await serve(app, handler);
        const response = await postWithHost(url, 'evil.example:80');
        expect(response.status).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(handler.sessionCount).toBe(0);
        const local = await postWithHost(url, `localhost:${url.port}`);
        expect(local.status).toBe(200);
    });

    test('accepts any Host when bound to a non-loopback address without allowedHosts', async () => {
        const app = createMcpExpressApp({ host: '0.0.0.0' });
        const url = await serve(app, mountMcp(app, '/mcp', { createServer: () => new EchoServer() }));
        expect((await postWithHost(url, 'mcp.example.com')).status).toBe(200);
    });

    test('honours an explicit allowedHosts list', async () => {
        const app = createMcpExpressApp({ host: '0.0.0.0', allowedHosts: ['mcp.example.com'] });
        const url = await serve(app, mountMcp(app, '/mcp', { createServer: () => new EchoServer() }));
        expect((await postWithHost(url, 'mcp.example.com:443')).status).toBe(200);
        expect((await postWithHost(url, 'other.example.com')).status).toBe(403);
    });

    test('answers malformed JSON with 400 ParseError instead of an HTML page', async () => {
        const app = createMcpExpressApp();
        const url = await serve(app, mountMcp(app, '/mcp', { createServer: () => new EchoServer() }));
        const response = await fetch(url, { method: 'POST', headers: POST_HEADERS, body: '{oops' });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: -32700 } });
    });

    test('answers a body over the limit with 413', async () => {
        const app = createMcpExpressApp({ jsonLimit: 100 });
        const url = await serve(app, mountMcp(app, '/mcp', { createServer: () => new EchoServer() }));
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify({ ...INIT, pad: 'x'.repeat(200) })
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    });
});

describe('mcpRoute / mountMcp', () => {
    test('serves a stateful session keyed by Mcp-Session-Id and removes it on DELETE', async () => {
        const app = createMcpExpressApp();
        const handler = mountMcp(app, '/mcp', { createServer: () => new EchoServer() });
        const url = await serve(app, handler);
        const init = await fetch(url, { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(INIT) });
        const sessionId = init.headers.get('mcp-session-id')!;
        expect(firstData(await init.text())).toEqual({ jsonrpc: '2.0', id: 0, result: { method: 'initialize' } });
        expect(handler.sessionCount).toBe(1);

        const headers = { ...POST_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
        const call = await fetch(url, {
            method: 'POST',
            headers,
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
        });
        expect(firstData(await call.text())).toEqual({ jsonrpc: '2.0', id: 1, result: { method: 'tools/list' } });

        const unknown = await fetch(url, {
            method: 'POST',
            headers: { ...headers, 'mcp-session-id': 'nope' },
            body: '{}'
        });
        expect(unknown.status).toBe(404);

        expect((await fetch(url, { method: 'DELETE', headers })).status).toBe(200);
        expect(handler.sessionCount).toBe(0);
        expect((await fetch(url, { method: 'POST', headers, body: '{}' })).status).toBe(404);
    });

    test('does not keep a server for a POST that is not an initialize', async () => {
        const app = createMcpExpressApp();
        const handler = mountMcp(app, '/mcp', { createServer: () => new EchoServer() });
        const url = await serve(app, handler);
        const before = EchoServer.closed;
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
        });
        expect(response.status).toBe(400);
        expect(handler.sessionCount).toBe(0);
        expect(EchoServer.closed).toBe(before + 1);
        expect((await fetch(url, { headers: { accept: 'text/event-stream' } })).status).toBe(400);
    });

    test('serves each request with a fresh server in stateless mode', async () => {
        const app = createMcpExpressApp();
        const url = await serve(app, mountMcp(app, '/mcp', { createServer: () => new EchoServer(), stateless: true }));
        const before = EchoServer.closed;
        for (const id of [1, 2]) {
            const response = await fetch(url, {
                method: 'POST',
                headers: POST_HEADERS,
                body: JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })
            });
            expect(response.headers.get('mcp-session-id')).toBeNull();
            expect(firstData(await response.text())).toEqual({ jsonrpc: '2.0', id, result: { method: 'ping' } });
        }
        await expect.poll(() => EchoServer.closed).toBe(before + 2);
        expect((await fetch(url, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    });

    test('serves a single caller-connected transport', async () => {
        const transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        await new EchoServer().connect(transport);
        const app = createMcpExpressApp();
        app.post('/mcp', mcpRoute(transport));
        const url = await serve(app);
        cleanups.push(() => transport.close());
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'x' })
        });
        expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 3, result: { method: 'x' } });
    });
});
