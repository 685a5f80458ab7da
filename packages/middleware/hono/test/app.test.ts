/**
 * `createMcpHonoApp` and the validation middlewares on a real `127.0.0.1` server: our `Client` over real HTTP
 * through the web-standard transport, `Host` / `Origin` refusals, and the one parse of JSON bodies (413, 400
 * `-32700`, other media types left to the transport).
 */
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ServerTransportError, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { createMcpHonoApp } from '../src/app.js';
import type { CreateMcpHonoAppOptions } from '../src/app.js';
import {
    hostHeaderValidation,
    localhostHostValidation,
    localhostOriginValidation,
    originValidation
} from '../src/validation.js';
import { INIT, POST_HEADERS, buildServer, listen, postWithHost, recordDispatched } from './fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

/** An app with one stateful session served at `/mcp`; `parsed` collects what the app stashed as `parsedBody`. */
async function serveSession(options: CreateMcpHonoAppOptions = {}) {
    const app = createMcpHonoApp(options);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
    await buildServer().connect(transport);
    const dispatched = recordDispatched(transport);
    const parsed: unknown[] = [];
    app.all('/mcp', c => {
        parsed.push(c.get('parsedBody'));
        return transport.handleRequest(c.req.raw, { parsedBody: c.get('parsedBody') });
    });
    const server = await listen(app);
    cleanups.push(async () => {
        await transport.close();
        await server.close();
    });
    return { ...server, dispatched, parsed };
}

describe('createMcpHonoApp', () => {
    test('serves a session to our Client: initialize, tools/list, tools/call', async () => {
        const { url } = await serveSession();
        const client = new Client({ name: 'c', version: '1' });
        const transport = new StreamableHTTPClientTransport(url);
        await client.connect(transport);
        expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        const { tools } = await client.listTools();
        expect(tools.map(tool => tool.name)).toEqual(['add']);
        const result = await client.callTool({ name: 'add', arguments: { a: 40, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '42' }]);
        await client.close();
    });

    test("leaves other routes' c.req.json() and c.req.text() working on the body it decoded", async () => {
        const app = createMcpHonoApp();
        app.post('/api/echo', async c => c.json({ json: await c.req.json(), text: await c.req.text() }));
        const server = await listen(app);
        cleanups.push(() => server.close());
        const response = await fetch(new URL('/api/echo', server.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ hello: 'world', n: [1, 2] })
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({
            json: { hello: 'world', n: [1, 2] },
            text: '{"hello":"world","n":[1,2]}'
        });
    });

    test('dispatches the very object its parser decoded', async () => {
        const { url, dispatched, parsed } = await serveSession();
        const response = await fetch(url, { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(INIT) });
        expect(response.status).toBe(200);
        await response.text();
        expect(parsed[0]).toEqual(INIT);
        expect(dispatched[0]).toBe(parsed[0]);
    });

    test('refuses a DNS-rebinding Host with 403 and a JSON-RPC error body', async () => {
        const { url, dispatched } = await serveSession();
        const response = await postWithHost(url, 'evil.example:80');
        expect(response.status).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(dispatched).toHaveLength(0);
        expect((await postWithHost(url, `localhost:${url.port}`)).status).toBe(200);
    });

    test('refuses a foreign Origin with 403, and serves a loopback one', async () => {
        const { url, dispatched } = await serveSession();
        const foreign = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, origin: 'http://evil.example' },
            body: JSON.stringify(INIT)
        });
        expect(foreign.status).toBe(403);
        expect(await foreign.json()).toMatchObject({ id: null, error: { code: -32000 } });
        expect(dispatched).toHaveLength(0);
        const local = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, origin: 'http://localhost:5173' },
            body: JSON.stringify(INIT)
        });
        expect(local.status).toBe(200);
        await local.text();
    });

    test('answers a body over maxRequestBodySize with 413, before it reaches the transport', async () => {
        const { url, dispatched } = await serveSession({ maxRequestBodySize: 100 });
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify({ ...INIT, pad: 'x'.repeat(200) })
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(dispatched).toHaveLength(0);
    });

    test('answers malformed JSON with 400 and a JSON-RPC parse error', async () => {
        const { url, dispatched } = await serveSession();
        const response = await fetch(url, { method: 'POST', headers: POST_HEADERS, body: '{oops' });
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
        expect(dispatched).toHaveLength(0);
    });

    test('leaves other media types unread, for the transport to refuse with 415', async () => {
        const { url, parsed } = await serveSession();
        const response = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, 'content-type': 'text/plain' },
            body: JSON.stringify(INIT)
        });
        expect(response.status).toBe(415);
        expect(parsed).toEqual([undefined]);
        await response.text();
    });

    test('accepts any Host when bound to a non-loopback address without allowedHosts', async () => {
        const { url } = await serveSession({ host: '0.0.0.0' });
        expect((await postWithHost(url, 'mcp.example.com')).status).toBe(200);
    });

    test('honours an explicit allowedHosts list', async () => {
        const { url } = await serveSession({ host: '0.0.0.0', allowedHosts: ['mcp.example.com'] });
        expect((await postWithHost(url, 'other.example.com')).status).toBe(403);
        expect((await postWithHost(url, 'mcp.example.com:443')).status).toBe(200);
    });

    test('rejects an invalid body limit or allow-list entry with ServerTransportError INVALID_OPTIONS', () => {
        for (const options of [{ maxRequestBodySize: 0 }, { maxBodyBytes: -1 }, { allowedHosts: ['a b'] }]) {
            expect(() => createMcpHonoApp(options)).toThrow(
                expect.objectContaining({ name: 'ServerTransportError', code: 'INVALID_OPTIONS' })
            );
        }
        expect(() => createMcpHonoApp({ maxRequestBodySize: Number.NaN })).toThrow(ServerTransportError);
    });
});

describe('Hono validation middlewares', () => {
    async function serveChecked(...checks: MiddlewareHandler[]) {
        const app = new Hono();
        for (const check of checks) app.use(check);
        app.post('/mcp', c => c.text('ok'));
        const server = await listen(app);
        cleanups.push(() => server.close());
        return server.url;
    }

    test('hostHeaderValidation and localhostHostValidation refuse other hosts with 403', async () => {
        const url = await serveChecked(localhostHostValidation());
        const refused = await postWithHost(url, 'evil.example');
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect((await postWithHost(url, `127.0.0.1:${url.port}`)).status).toBe(200);
        const custom = await serveChecked(hostHeaderValidation(['mcp.example.com']));
        expect((await postWithHost(custom, 'mcp.example.com:8080')).status).toBe(200);
        expect((await postWithHost(custom, 'localhost')).status).toBe(403);
    });

    test('originValidation and localhostOriginValidation refuse other origins and pass requests without one', async () => {
        const url = await serveChecked(localhostOriginValidation());
        const post = (origin?: string) =>
            fetch(url, { method: 'POST', headers: origin ? { origin } : {}, body: '{}' }).then(r => r.status);
        expect(await post('http://evil.example')).toBe(403);
        expect(await post('http://localhost:3000')).toBe(200);
        expect(await post()).toBe(200);
        const custom = await serveChecked(originValidation(['app.example']));
        const postCustom = (origin: string) =>
            fetch(custom, { method: 'POST', headers: { origin }, body: '{}' }).then(r => r.status);
        expect(await postCustom('https://app.example')).toBe(200);
        expect(await postCustom('https://other.example')).toBe(403);
    });
});
