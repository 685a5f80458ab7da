import { describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import {
    InMemoryEventStore,
    ServerTransportError,
    WebStandardStreamableHTTPServerTransport
} from '@modelcontextprotocol/server';
import type { EventStore, WebStandardStreamableHTTPServerTransportOptions } from '@modelcontextprotocol/server';
import { POST_HEADERS, SseReader, echo, initializeRequest, request } from './fixtures.js';

const URL_ = 'http://localhost:3000/mcp';

async function transportWith(options: Partial<WebStandardStreamableHTTPServerTransportOptions> = {}) {
    const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        ...options
    });
    const protocol = echo(transport);
    await transport.start();
    return { transport, protocol };
}

function post(body: unknown, headers: Record<string, string> = {}): Request {
    return new Request(URL_, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body: JSON.stringify(body) });
}

describe('WebStandardStreamableHTTPServerTransport.handleRequest', () => {
    test('answers an initialize Request with an SSE Response carrying the session id', async () => {
        const { transport } = await transportWith();
        const response = await transport.handleRequest(post(initializeRequest(1)));
        expect(response.status).toBe(200);
        expect(response.headers.get('mcp-session-id')).toBe(transport.sessionId);
        expect(await new SseReader(response.body).nextMessage()).toMatchObject({
            id: 1,
            result: { echo: 'initialize' }
        });
    });

    test('calls onsessioninitialized with the new id before delivering initialize', async () => {
        const order: string[] = [];
        const transport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => 'session-1',
            onsessioninitialized: async id => void order.push(`init:${id}`)
        });
        transport.onmessage = message => void order.push(`message:${'method' in message ? message.method : ''}`);
        await transport.start();
        await transport.handleRequest(post(initializeRequest()));
        expect(order).toEqual(['init:session-1', 'message:initialize']);
    });

    test('rejects a Host outside allowedHosts with 403 and a JSON-RPC error body', async () => {
        const { transport, protocol } = await transportWith({
            enableDnsRebindingProtection: true,
            allowedHosts: ['localhost', '127.0.0.1']
        });
        const response = await transport.handleRequest(post(initializeRequest(), { host: 'evil.example:3000' }));
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(protocol.messages).toHaveLength(0);
    });

    test('accepts allowed hosts on any port, including IPv6 literals', async () => {
        for (const host of ['localhost:3000', 'LOCALHOST', '[::1]:8080', '[0:0:0:0:0:0:0:1]']) {
            const { transport } = await transportWith({
                enableDnsRebindingProtection: true,
                allowedHosts: ['localhost', '::1']
            });
            const response = await transport.handleRequest(post(initializeRequest(), { host }));
            expect(response.status, host).toBe(200);
        }
    });

    test('rejects an Origin outside allowedOrigins with 403, and lets requests without Origin through', async () => {
        const { transport } = await transportWith({
            enableDnsRebindingProtection: true,
            allowedOrigins: ['http://localhost:3000']
        });
        const bad = await transport.handleRequest(post(initializeRequest(), { origin: 'http://evil.example' }));
        expect(bad.status).toBe(403);
        expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Origin/);
        const good = await transport.handleRequest(post(initializeRequest(), { origin: 'http://LOCALHOST:3000' }));
        expect(good.status).toBe(200);
        const again = await transportWith({
            enableDnsRebindingProtection: true,
            allowedOrigins: ['http://localhost:3000']
        });
        expect((await again.transport.handleRequest(post(initializeRequest()))).status).toBe(200);
    });

    test('checks nothing about Host when protection is off', async () => {
        const { transport } = await transportWith({ allowedHosts: ['localhost'] });
        const response = await transport.handleRequest(post(initializeRequest(), { host: 'evil.example' }));
        expect(response.status).toBe(200);
    });

    test('rejects a batch that mixes initialize with other messages', async () => {
        const { transport } = await transportWith();
        const response = await transport.handleRequest(post([initializeRequest(), request(2)]));
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: -32600 } });
    });

    test('rejects an empty batch with 400 InvalidRequest', async () => {
        const { transport } = await transportWith({ sessionIdGenerator: undefined });
        const response = await transport.handleRequest(post([]));
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: -32600 } });
    });

    test('answers a body that is not UTF-8 with ParseError', async () => {
        const { transport } = await transportWith({ sessionIdGenerator: undefined });
        const response = await transport.handleRequest(
            new Request(URL_, { method: 'POST', headers: POST_HEADERS, body: new Uint8Array([0x7b, 0xff, 0x7d]) })
        );
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: -32700 } });
    });

    test('answers a body nesting deeper than MAX_JSON_DEPTH with ParseError, dispatching nothing', async () => {
        const { transport, protocol } = await transportWith({ sessionIdGenerator: undefined });
        const deep = '['.repeat(100_000) + ']'.repeat(100_000);
        const body = `{"jsonrpc":"2.0","id":1,"method":"echo","params":{"x":${deep}}}`;
        const response = await transport.handleRequest(
            new Request(URL_, { method: 'POST', headers: POST_HEADERS, body })
        );
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: -32700 } });
        expect(protocol.messages).toEqual([]);
    });

    test('closes open streams on close() and fires onclose once', async () => {
        const { transport } = await transportWith();
        const init = await transport.handleRequest(post(initializeRequest()));
        await init.text();
        const session = { 'mcp-session-id': transport.sessionId! };
        const pending = await transport.handleRequest(post(request(5, 'hold'), session));
        let closes = 0;
        transport.onclose = () => void closes++;
        await transport.close();
        await transport.close();
        expect(closes).toBe(1);
        expect(await new SseReader(pending.body).rest()).toEqual([]);
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(ServerTransportError);
    });

    test('fills unanswered requests with ConnectionClosed errors when closed in JSON mode', async () => {
        const { transport, protocol } = await transportWith({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        const pending = transport.handleRequest(post(request(5, 'hold')));
        await expect.poll(() => protocol.messages.length).toBe(1);
        await transport.close();
        expect(await (await pending).json()).toEqual({
            jsonrpc: '2.0',
            id: 5,
            error: { code: -32000, message: 'Connection closed' }
        });
    });

    test('ends every open POST on close(), also two that reused one request id', async () => {
        for (const enableJsonResponse of [true, false]) {
            const { transport, protocol } = await transportWith({ sessionIdGenerator: undefined, enableJsonResponse });
            const first = transport.handleRequest(post(request(1, 'hold')));
            await expect.poll(() => protocol.messages.length).toBe(1);
            const second = transport.handleRequest(post(request(1, 'hold')));
            await expect.poll(() => protocol.messages.length).toBe(2);
            await transport.close();
            for (const pending of [first, second]) {
                const response = await pending;
                const body = await response.text();
                if (enableJsonResponse) {
                    expect(JSON.parse(body)).toEqual({
                        jsonrpc: '2.0',
                        id: 1,
                        error: { code: -32000, message: 'Connection closed' }
                    });
                } else {
                    expect(response.status).toBe(200);
                }
            }
        }
    });

    test('answers a POST that races close() instead of hanging', async () => {
        const { transport, protocol } = await transportWith({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        const pending = transport.handleRequest(post(request(6, 'hold')));
        await transport.close();
        expect((await pending).status).toBe(404);
        expect(protocol.messages).toHaveLength(0);
    });

    test('sends related notifications to the standalone stream in JSON mode', async () => {
        const { transport } = await transportWith({ enableJsonResponse: true });
        const init = await transport.handleRequest(post(initializeRequest()));
        await init.text();
        const session = { 'mcp-session-id': transport.sessionId! };
        const get = await transport.handleRequest(
            new Request(URL_, { headers: { accept: 'text/event-stream', ...session } })
        );
        const response = await transport.handleRequest(post(request(3, 'ask'), session));
        expect(await response.json()).toMatchObject({ id: 3 });
        const reader = new SseReader(get.body);
        expect(await reader.nextMessage()).toEqual({ jsonrpc: '2.0', id: 's-3', method: 'ping' });
        expect(await reader.nextMessage()).toMatchObject({ method: 'notifications/message' });
        await transport.close();
    });

    test('holds live events during a replay and sends each event exactly once', async () => {
        // A store whose replay sees events stored while it runs, so the transport must de-duplicate.
        const events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
        let duringReplay: (() => Promise<void>) | undefined;
        const store: EventStore = {
            storeEvent: async (streamId, message) => {
                const id = `e${events.length}`;
                events.push({ id, streamId, message });
                return id;
            },
            getStreamIdForEventId: async eventId => events.find(e => e.id === eventId)?.streamId,
            replayEventsAfter: async (lastEventId, { send }) => {
                const start = events.findIndex(e => e.id === lastEventId);
                const streamId = events[start]!.streamId;
                for (let i = start + 1; i < events.length; i++) {
                    const event = events[i]!;
                    if (event.streamId !== streamId) continue;
                    await send(event.id, event.message);
                    const hook = duringReplay;
                    duringReplay = undefined;
                    await hook?.();
                }
                return streamId;
            }
        };
        const { transport } = await transportWith({ eventStore: store });
        await (await transport.handleRequest(post(initializeRequest()))).text();
        const headers = {
            accept: 'text/event-stream',
            'mcp-session-id': transport.sessionId!,
            'mcp-protocol-version': '2025-11-25'
        };
        const first = await transport.handleRequest(new Request(URL_, { headers }));
        const reader = new SseReader(first.body);
        const priming = await reader.next();
        await reader.cancel();
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 1 } });
        duringReplay = () => transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 2 } });

        const resumed = await transport.handleRequest(
            new Request(URL_, { headers: { ...headers, 'last-event-id': priming!.id! } })
        );
        await transport.send({ jsonrpc: '2.0', method: 'n', params: { n: 3 } });
        await transport.close();
        const received = (await new SseReader(resumed.body).rest()).map(
            e => (JSON.parse(e.data) as { params: { n: number } }).params.n
        );
        expect(received).toEqual([1, 2, 3]);
    });

    test('offers closeSSEStream only on streams the client can resume', async () => {
        const offered = async (options: Partial<WebStandardStreamableHTTPServerTransportOptions>, version: string) => {
            const { transport, protocol } = await transportWith(options);
            await (await transport.handleRequest(post(initializeRequest()))).text();
            const headers = { 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': version };
            await (await transport.handleRequest(post(request(1), headers))).text();
            await transport.close();
            return typeof protocol.messages[1]!.extra?.closeSSEStream;
        };
        expect(await offered({ eventStore: new InMemoryEventStore() }, '2025-11-25')).toBe('function');
        expect(await offered({ eventStore: new InMemoryEventStore() }, '2025-06-18')).toBe('undefined');
        expect(await offered({}, '2025-11-25')).toBe('undefined');
    });

    test('reports a throwing onsessioninitialized through onerror and answers 500', async () => {
        const transport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => 's',
            onsessioninitialized: () => {
                throw new Error('boom');
            }
        });
        const errors: Error[] = [];
        transport.onerror = error => void errors.push(error);
        await transport.start();
        const response = await transport.handleRequest(post(initializeRequest()));
        expect(response.status).toBe(500);
        expect(await response.json()).toMatchObject({ error: { code: -32603 } });
        expect(errors.map(e => e.message)).toEqual(['boom']);
    });

    test('rejects contradictory or out-of-range options at construction', () => {
        const cases: Array<Partial<WebStandardStreamableHTTPServerTransportOptions>> = [
            { enableDnsRebindingProtection: true },
            { enableDnsRebindingProtection: true, allowedHosts: ['bad host/'] },
            { maxBodyBytes: 0 },
            { retryInterval: -1 }
        ];
        for (const options of cases) {
            expect(
                () => new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, ...options })
            ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
        }
    });

    test('refuses to start twice', async () => {
        const { transport } = await transportWith();
        await expect(transport.start()).rejects.toMatchObject({ code: 'ALREADY_STARTED' });
    });
});
