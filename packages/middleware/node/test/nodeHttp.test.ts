import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { InMemoryEventStore } from '@modelcontextprotocol/server';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';
import {
    POST_HEADERS,
    SseReader,
    echo,
    initializeRequest,
    listen,
    request
} from '../../../server/test/transports/fixtures.js';
import type { TestServer } from '../../../server/test/transports/fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(options: Partial<StreamableHTTPServerTransportOptions> = {}) {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), ...options });
    const protocol = echo(transport);
    const closed: string[] = [];
    transport.onclose = () => closed.push('closed');
    await transport.start();
    const server: TestServer = await listen((req, res) => {
        void transport.handleRequest(req, res);
    });
    cleanups.push(async () => {
        await transport.close();
        await server.close();
    });
    const post = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(server.url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...headers },
            body: typeof body === 'string' ? body : JSON.stringify(body)
        });
    return { transport, protocol, server, post, closed };
}

/** Sets up a stateful transport and initializes it; returns the session headers to use afterwards. */
async function initialized(
    options: Partial<StreamableHTTPServerTransportOptions> = {},
    protocolVersion = '2025-11-25'
) {
    const context = await setup(options);
    const response = await context.post(initializeRequest(0, protocolVersion));
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    await response.text();
    const session = { 'mcp-session-id': sessionId!, 'mcp-protocol-version': protocolVersion };
    const get = (headers: Record<string, string> = {}) =>
        fetch(context.server.url, { headers: { accept: 'text/event-stream', ...session, ...headers } });
    return { ...context, sessionId: sessionId!, session, get };
}

async function errorOf(response: Response): Promise<{ code: number; message: string }> {
    const body = (await response.json()) as { jsonrpc: string; id: unknown; error: { code: number; message: string } };
    expect(body.jsonrpc).toBe('2.0');
    expect(body.id).toBeNull();
    return body.error;
}

describe('StreamableHTTPServerTransport over node:http (stateful)', () => {
    test('initialize returns a session id and the result on an SSE stream that then ends', async () => {
        const { post, protocol } = await setup();
        const response = await post(initializeRequest(1));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        expect(response.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
        const events = await new SseReader(response.body).rest();
        expect(events).toHaveLength(1);
        expect(JSON.parse(events[0]!.data)).toEqual({
            jsonrpc: '2.0',
            id: 1,
            result: { echo: 'initialize', params: initializeRequest(1).params }
        });
        expect(protocol.messages[0]!.extra?.requestInfo?.headers['content-type']).toBe('application/json');
        expect(protocol.messages[0]!.extra?.requestInfo?.url?.pathname).toBe('/mcp');
    });

    test('rejects a request with an unknown session id with 404', async () => {
        const { post } = await initialized();
        const response = await post(request(2), { 'mcp-session-id': 'not-a-session' });
        expect(response.status).toBe(404);
        expect((await errorOf(response)).message).toMatch(/session not found/i);
    });

    test('rejects a non-initialize request without a session id with 400', async () => {
        const { post } = await initialized();
        const response = await post(request(2));
        expect(response.status).toBe(400);
        expect((await errorOf(response)).message).toMatch(/Mcp-Session-Id/);
    });

    test('rejects a request before initialization with 400', async () => {
        const { post } = await setup();
        const response = await post(request(2), { 'mcp-session-id': 'x' });
        expect(response.status).toBe(400);
        expect((await errorOf(response)).message).toMatch(/not initialized/);
    });

    test('rejects a second initialize with 400 InvalidRequest', async () => {
        const { post, session } = await initialized();
        const response = await post(initializeRequest(5), session);
        expect(response.status).toBe(400);
        expect((await errorOf(response)).code).toBe(-32600);
    });

    test('rejects an unsupported MCP-Protocol-Version with 400', async () => {
        const { post, session } = await initialized();
        const response = await post(request(2), { ...session, 'mcp-protocol-version': '1999-01-01' });
        expect(response.status).toBe(400);
        expect((await errorOf(response)).message).toMatch(/1999-01-01/);
    });

    test('assumes the default protocol version when the header is absent', async () => {
        const { post, sessionId } = await initialized();
        const response = await post(request(2), { 'mcp-session-id': sessionId });
        expect(response.status).toBe(200);
        expect(await new SseReader(response.body).nextMessage()).toMatchObject({ id: 2 });
    });

    test('answers malformed JSON with 400 and ParseError', async () => {
        const { post, session } = await initialized();
        const response = await post('{"jsonrpc": "2.0", ', session);
        expect(response.status).toBe(400);
        expect((await errorOf(response)).code).toBe(-32700);
    });

    test('answers a JSON value that is not JSON-RPC with 400 and InvalidRequest', async () => {
        const { post, session } = await initialized();
        const response = await post({ hello: 'world' }, session);
        expect(response.status).toBe(400);
        expect((await errorOf(response)).code).toBe(-32600);
    });

    test('requires Accept to list JSON and SSE (406)', async () => {
        const { post } = await setup();
        const response = await post(initializeRequest(), { accept: 'application/json' });
        expect(response.status).toBe(406);
        await errorOf(response);
    });

    test('requires Content-Type application/json (415)', async () => {
        const { post } = await setup();
        const response = await post(JSON.stringify(initializeRequest()), { 'content-type': 'text/plain' });
        expect(response.status).toBe(415);
        await errorOf(response);
    });

    test('rejects a body over the declared-length limit with 413', async () => {
        const { post, protocol } = await setup({ maxBodyBytes: 1024 });
        const response = await post(request(1, 'initialize', { pad: 'x'.repeat(2000) }));
        expect(response.status).toBe(413);
        expect((await errorOf(response)).message).toMatch(/1024/);
        expect(protocol.messages).toHaveLength(0);
    });

    test('rejects a chunked body that grows over the limit with 413', async () => {
        const { server, protocol } = await setup({ maxBodyBytes: 1024 });
        const status = await new Promise<number>((resolve, reject) => {
            const req = httpRequest(server.url, { method: 'POST', headers: POST_HEADERS }, res => {
                res.resume();
                resolve(res.statusCode!);
            });
            req.on('error', reject);
            req.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"');
            req.write('x'.repeat(4096));
            req.end('"}}');
        });
        expect(status).toBe(413);
        expect(protocol.messages).toHaveLength(0);
    });

    test('accepts notifications and responses with 202 and no body', async () => {
        const { post, session, protocol } = await initialized({}, '2025-03-26');
        const response = await post(
            [
                { jsonrpc: '2.0', method: 'notifications/initialized' },
                { jsonrpc: '2.0', id: 'c1', result: {} }
            ],
            session
        );
        expect(response.status).toBe(202);
        expect(await response.text()).toBe('');
        expect(protocol.messages.slice(1).map(m => m.message)).toEqual([
            { jsonrpc: '2.0', method: 'notifications/initialized' },
            { jsonrpc: '2.0', id: 'c1', result: {} }
        ]);
    });

    test('sends server-to-client requests and notifications on the request stream before its response', async () => {
        const { post, session } = await initialized();
        const response = await post(request(7, 'ask'), session);
        const events = await new SseReader(response.body).rest();
        expect(events.map(e => JSON.parse(e.data) as JSONRPCMessage)).toEqual([
            { jsonrpc: '2.0', id: 's-7', method: 'ping' },
            { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } },
            { jsonrpc: '2.0', id: 7, result: { echo: 'ask', params: {} } }
        ]);
    });

    test('answers a batch of requests on one stream that ends after the last response', async () => {
        const { post, session, protocol } = await initialized({}, '2025-03-26');
        const response = await post([request(1, 'hold'), request(2)], session);
        const reader = new SseReader(response.body);
        expect(await reader.nextMessage()).toMatchObject({ id: 2 });
        await protocol.release(1);
        expect(await reader.nextMessage()).toMatchObject({ id: 1 });
        expect(await reader.next()).toBeUndefined();
    });

    test('rejects a response for a request it is not waiting on', async () => {
        const { transport } = await initialized();
        await expect(transport.send({ jsonrpc: '2.0', id: 99, result: {} })).rejects.toMatchObject({
            code: 'NO_STREAM_FOR_REQUEST'
        });
    });

    test('delivers unrelated messages on the standalone GET stream and refuses a second one with 409', async () => {
        const { transport, get } = await initialized();
        const stream = await get();
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toBe('text/event-stream');
        const second = await get();
        expect(second.status).toBe(409);
        await errorOf(second);
        await transport.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        const reader = new SseReader(stream.body);
        expect(await reader.nextMessage()).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        await reader.cancel();
    });

    test('drops unrelated messages while no GET stream is open, and allows a new GET after a disconnect', async () => {
        const { transport, get } = await initialized();
        await transport.send({ jsonrpc: '2.0', method: 'notifications/dropped' });
        const first = await get();
        await new SseReader(first.body).cancel();
        await expect
            .poll(async () => {
                const again = await get();
                if (again.status === 200) await again.body?.cancel();
                return again.status;
            })
            .toBe(200);
    });

    test('DELETE ends the session: 200, onsessionclosed, onclose, then 404', async () => {
        const ended: string[] = [];
        const { post, session, server, sessionId, closed } = await initialized({
            onsessionclosed: id => void ended.push(id)
        });
        const response = await fetch(server.url, { method: 'DELETE', headers: session });
        expect(response.status).toBe(200);
        expect(ended).toEqual([sessionId]);
        expect(closed).toEqual(['closed']);
        expect((await post(request(3), session)).status).toBe(404);
    });

    test('answers other methods with 405 and an Allow header', async () => {
        const { server } = await setup();
        const response = await fetch(server.url, { method: 'PUT', body: '{}' });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, POST, DELETE');
    });

    test('passes req.auth to handlers as authInfo', async () => {
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        const protocol = echo(transport);
        await transport.start();
        const authInfo = { token: 't', clientId: 'c', scopes: ['mcp'] };
        const server = await listen((req, res) => {
            Object.assign(req, { auth: authInfo });
            void transport.handleRequest(req, res);
        });
        cleanups.push(async () => {
            await transport.close();
            await server.close();
        });
        const response = await fetch(server.url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify(request(1))
        });
        await response.text();
        expect(protocol.messages[0]!.extra?.authInfo).toEqual(authInfo);
    });

    test('uses a pre-parsed body instead of reading the request', async () => {
        const transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        echo(transport);
        await transport.start();
        const server = await listen((req, res) => {
            req.resume();
            void transport.handleRequest(req, res, request(4, 'parsed'));
        });
        cleanups.push(async () => {
            await transport.close();
            await server.close();
        });
        const response = await fetch(server.url, { method: 'POST', headers: POST_HEADERS, body: 'ignored' });
        expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 4, result: { echo: 'parsed', params: {} } });
    });
});

describe('JSON response mode', () => {
    test('answers a request with one JSON body', async () => {
        const { post, session } = await initialized({ enableJsonResponse: true });
        const response = await post(request(3, 'echo', { a: 1 }), session);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 3, result: { echo: 'echo', params: { a: 1 } } });
    });

    test('answers a batch with an array of responses (2025-03-26)', async () => {
        const { post, session } = await initialized({ enableJsonResponse: true }, '2025-03-26');
        const response = await post([request(1), request(2)], session);
        const body = (await response.json()) as Array<{ id: number }>;
        expect(body.map(r => r.id).sort()).toEqual([1, 2]);
    });
});

describe('stateless mode', () => {
    test('issues no session id and answers GET and DELETE with 405', async () => {
        const { post, server } = await setup({ sessionIdGenerator: undefined });
        const init = await post(initializeRequest());
        expect(init.status).toBe(200);
        expect(init.headers.get('mcp-session-id')).toBeNull();
        await init.text();
        const call = await post(request(2));
        expect(await new SseReader(call.body).nextMessage()).toMatchObject({ id: 2 });
        for (const method of ['GET', 'DELETE']) {
            const response = await fetch(server.url, { method, headers: { accept: 'text/event-stream' } });
            expect(response.status).toBe(405);
            expect(response.headers.get('allow')).toBe('POST');
            await errorOf(response);
        }
    });
});

describe('resumability with an event store', () => {
    test('opens each stream with a priming event carrying an id, empty data and the retry interval', async () => {
        const { post } = await setup({ eventStore: new InMemoryEventStore(), retryInterval: 250 });
        const response = await post(initializeRequest());
        const events = await new SseReader(response.body).rest();
        expect(events[0]).toMatchObject({ data: '', retry: '250' });
        expect(events[0]!.id).toBeTruthy();
        expect(events[1]!.id).toBeTruthy();
        expect(events[1]!.id).not.toBe(events[0]!.id);
    });

    test('sends no priming event to clients older than 2025-11-25', async () => {
        const { post } = await setup({ eventStore: new InMemoryEventStore() });
        const response = await post(initializeRequest(0, '2025-06-18'));
        const events = await new SseReader(response.body).rest();
        expect(events).toHaveLength(1);
        expect(events[0]!.data).not.toBe('');
    });

    test('primes streams by the revision the server negotiated, not a later request header naming an older one', async () => {
        const { transport, post, session } = await initialized({ eventStore: new InMemoryEventStore() });
        const olderHeader = { ...session, 'mcp-protocol-version': '2025-03-26' };
        const before = await new SseReader((await post(request(2), olderHeader)).body).rest();
        expect(before.map(event => event.data === '')).toEqual([false]);
        transport.setProtocolVersion('2025-11-25');
        const after = await new SseReader((await post(request(3), olderHeader)).body).rest();
        expect(after.map(event => event.data === '')).toEqual([true, false]);
        expect(JSON.parse(after[1]!.data)).toMatchObject({ id: 3 });
    });

    test('replays missed standalone events exactly once after GET with Last-Event-ID', async () => {
        const { transport, get } = await initialized({ eventStore: new InMemoryEventStore() });
        const first = await get();
        const reader = new SseReader(first.body);
        const priming = await reader.next();
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 1 } });
        const one = await reader.next();
        expect(JSON.parse(one!.data)).toMatchObject({ params: { n: 1 } });
        await reader.cancel();
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 2 } });
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 3 } });

        const resumed = await get({ 'last-event-id': one!.id! });
        expect(resumed.status).toBe(200);
        const again = new SseReader(resumed.body);
        expect(await again.nextMessage()).toMatchObject({ params: { n: 2 } });
        expect(await again.nextMessage()).toMatchObject({ params: { n: 3 } });
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 4 } });
        expect(await again.nextMessage()).toMatchObject({ params: { n: 4 } });
        expect(priming!.data).toBe('');
        await transport.close();
        expect(await again.rest()).toEqual([]);
    });

    test('a second resume of the same stream replaces the first connection', async () => {
        const { post, session, protocol, get } = await initialized({ eventStore: new InMemoryEventStore() });
        const response = await post(request(12, 'close-stream'), session);
        const [priming] = await new SseReader(response.body).rest();
        const first = await get({ 'last-event-id': priming!.id! });
        const second = await get({ 'last-event-id': priming!.id! });
        expect(second.status).toBe(200);
        expect(await new SseReader(first.body).rest()).toEqual([]);
        await protocol.release(12);
        const rest = await new SseReader(second.body).rest();
        expect(rest).toHaveLength(2);
        expect(JSON.parse(rest[1]!.data)).toMatchObject({ id: 12 });
    });

    test('refuses to resume from an unknown event id, or another session stream, with 400', async () => {
        const store = new InMemoryEventStore();
        const other = await initialized({ eventStore: store });
        const otherResponse = await other.post(request(1), other.session);
        const otherEvents = await new SseReader(otherResponse.body).rest();
        const { get } = await initialized({ eventStore: store });
        expect((await get({ 'last-event-id': 'nope' })).status).toBe(400);
        expect((await get({ 'last-event-id': otherEvents[0]!.id! })).status).toBe(400);
    });

    test('closeSSEStream ends the POST stream early; GET with Last-Event-ID delivers the rest once', async () => {
        const { post, session, protocol, get } = await initialized({
            eventStore: new InMemoryEventStore(),
            retryInterval: 10
        });
        const response = await post(request(9, 'close-stream'), session);
        const events = await new SseReader(response.body).rest();
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ data: '', retry: '10' });
        await protocol.release(9);

        const resumed = await get({ 'last-event-id': events[0]!.id! });
        expect(resumed.status).toBe(200);
        const rest = await new SseReader(resumed.body).rest();
        expect(rest.map(e => JSON.parse(e.data) as JSONRPCMessage)).toEqual([
            { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'while away' } },
            { jsonrpc: '2.0', id: 9, result: { echo: 'close-stream', params: {} } }
        ]);
    });

    test('a client that reconnects before the response arrives gets it live on the resumed stream', async () => {
        const { post, session, protocol, get } = await initialized({ eventStore: new InMemoryEventStore() });
        const response = await post(request(11, 'close-stream'), session);
        const [priming] = await new SseReader(response.body).rest();
        const resumed = await get({ 'last-event-id': priming!.id! });
        expect(resumed.status).toBe(200);
        await protocol.release(11);
        const rest = await new SseReader(resumed.body).rest();
        expect(rest.map(e => (JSON.parse(e.data) as { method?: string; id?: number }).method ?? 'response')).toEqual([
            'notifications/message',
            'response'
        ]);
    });
});
