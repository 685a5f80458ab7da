/**
 * `createMcpFastifyApp` and the validation hooks on a real `127.0.0.1` server: our `Client` over real HTTP through
 * the Node transport, `Host` / `Origin` refusals, and the one parse of JSON bodies in place of Fastify's parser
 * (413, 400 `-32700`, other media types left to the transport).
 */
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { createMcpFastifyApp } from '../src/app.js';
import type { CreateMcpFastifyAppOptions } from '../src/app.js';
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

/** An app with one stateful session served at `/mcp`; `parsed` collects the `request.body` each request had. */
async function serveSession(options: CreateMcpFastifyAppOptions = {}) {
    const app = createMcpFastifyApp(options);
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
    await buildServer().connect(transport);
    const dispatched = recordDispatched(transport);
    const parsed: unknown[] = [];
    app.all('/mcp', async (request, reply) => {
        parsed.push(request.body);
        reply.hijack();
        await transport.handleRequest(request.raw, reply.raw, request.body);
    });
    const server = await listen(app);
    cleanups.push(async () => {
        await transport.close();
        await server.close();
    });
    return { ...server, dispatched, parsed };
}

describe('createMcpFastifyApp', () => {
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

    test('dispatches the very object its parser decoded as request.body', async () => {
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

    test('answers a body over maxBodyBytes with 413, before it reaches the route', async () => {
        const { url, dispatched, parsed } = await serveSession({ maxBodyBytes: 100 });
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify({ ...INIT, pad: 'x'.repeat(200) })
        });
        expect(response.status).toBe(413);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(parsed).toHaveLength(0);
        expect(dispatched).toHaveLength(0);
    });

    test('answers a chunked body that grows past maxBodyBytes with 413', async () => {
        const { url, parsed } = await serveSession({ maxBodyBytes: 100 });
        const chunks = [JSON.stringify(INIT).slice(0, 60), 'x'.repeat(200)];
        const body = new ReadableStream<Uint8Array>({
            pull(controller) {
                const next = chunks.shift();
                if (next === undefined) controller.close();
                else controller.enqueue(new TextEncoder().encode(next));
            }
        });
        const response = await fetch(url, {
            method: 'POST',
            headers: POST_HEADERS,
            body,
            duplex: 'half'
        } as RequestInit);
        expect(response.status).toBe(413);
        await response.text();
        expect(parsed).toHaveLength(0);
    });

    test('answers malformed JSON with 400 and a JSON-RPC parse error, not Fastify error JSON', async () => {
        const { url, dispatched, parsed } = await serveSession();
        const response = await fetch(url, { method: 'POST', headers: POST_HEADERS, body: '{oops' });
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32700, message: expect.any(String) }
        });
        expect(parsed).toHaveLength(0);
        expect(dispatched).toHaveLength(0);
    });

    test('leaves a JSON body in another charset unread, for the transport to refuse with 415', async () => {
        const { url, parsed } = await serveSession();
        const response = await fetch(url, {
            method: 'POST',
            headers: { ...POST_HEADERS, 'content-type': 'application/json; charset=latin1' },
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
        for (const options of [{ maxBodyBytes: 0 }, { maxBodyBytes: 1.5 }, { allowedHosts: ['a b'] }]) {
            expect(() => createMcpFastifyApp(options)).toThrow(
                expect.objectContaining({ name: 'ServerTransportError', code: 'INVALID_OPTIONS' })
            );
        }
    });
});

describe('Fastify validation hooks', () => {
    type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

    async function serveChecked(...hooks: Hook[]) {
        const app = Fastify();
        for (const hook of hooks) app.addHook('onRequest', hook);
        app.post('/mcp', async () => 'ok');
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
