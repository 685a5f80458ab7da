import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamableHTTPClientTransportOptions } from '../../src/client/streamableHttp.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import {
    ConnectionError,
    InvalidMessageError,
    InvalidTransportOptionsError,
    ReconnectionExhaustedError,
    SessionExpiredError,
    StreamableHTTPError,
    StreamInterruptedError,
    ClientTransportClosedError,
    UnsupportedContentTypeError
} from '../../src/client/transportErrors.js';
import type { StreamableFixture, StreamableFixtureOptions } from '../fixtures/streamableHttpServer.js';
import { startStreamableFixture } from '../fixtures/streamableHttpServer.js';
import { until } from '../fixtures/until.js';

const FAST_RECONNECT = {
    initialReconnectionDelay: 5,
    maxReconnectionDelay: 20,
    reconnectionDelayGrowFactor: 1.5,
    maxRetries: 2
};

let fixture: StreamableFixture | undefined;
const transports: StreamableHTTPClientTransport[] = [];

afterEach(async () => {
    await Promise.all(transports.splice(0).map(t => t.close()));
    await fixture?.close();
    fixture = undefined;
});

async function setup(
    serverOptions: StreamableFixtureOptions = {},
    clientOptions: StreamableHTTPClientTransportOptions = {}
) {
    const server = (fixture = await startStreamableFixture(serverOptions));
    const transport = new StreamableHTTPClientTransport(server.url, {
        reconnectionOptions: FAST_RECONNECT,
        ...clientOptions
    });
    transports.push(transport);
    const messages: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    let closes = 0;
    transport.onmessage = message => messages.push(message);
    transport.onerror = error => errors.push(error);
    transport.onclose = () => closes++;
    await transport.start();
    return { server, transport, messages, errors, closes: () => closes };
}

const request = (id: number, method: string, params?: Record<string, unknown>): JSONRPCMessage =>
    params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };

const posts = (server: StreamableFixture) => server.requests.filter(r => r.method === 'POST');
const gets = (server: StreamableFixture) => server.requests.filter(r => r.method === 'GET');

async function initialize(transport: StreamableHTTPClientTransport) {
    await transport.send(request(0, 'initialize', { protocolVersion: '2025-11-25' }));
    await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

describe('StreamableHTTPClientTransport: sending', () => {
    it('POSTs JSON with the Accept pair and custom headers, and delivers a JSON response', async () => {
        const { server, transport, messages } = await setup(
            {},
            { requestInit: { headers: { 'x-custom': 'yes', accept: 'text/plain' } } }
        );
        await transport.send(request(1, 'json', { a: 1 }));
        expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { echo: { a: 1 } } }]);
        const [post] = posts(server);
        expect(post?.headers['content-type']).toBe('application/json');
        expect(post?.headers.accept).toBe('application/json, text/event-stream');
        expect(post?.headers['x-custom']).toBe('yes');
        expect(post?.body).toEqual(request(1, 'json', { a: 1 }));
    });

    it('delivers the message events of an SSE response in order and skips other event types', async () => {
        const { transport, messages } = await setup();
        await transport.send(request(2, 'sse'));
        await until(() => messages.length === 2, 'the SSE response');
        expect(messages).toEqual([
            { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
            { jsonrpc: '2.0', id: 2, result: { streamed: true } }
        ]);
    });

    it('delivers every message of a batch (array) JSON body', async () => {
        const { transport, messages } = await setup();
        await transport.send(request(3, 'batch'));
        expect(messages).toEqual([
            { jsonrpc: '2.0', method: 'notifications/message', params: { n: 1 } },
            { jsonrpc: '2.0', id: 3, result: { batched: true } }
        ]);
    });

    it('resolves on 202 for a notification and delivers nothing', async () => {
        const { server, transport, messages } = await setup();
        await transport.send({ jsonrpc: '2.0', method: 'notifications/something' });
        expect(messages).toEqual([]);
        expect(posts(server)).toHaveLength(1);
    });

    it('captures the session id from the initialize response and echoes it on later requests', async () => {
        const { server, transport } = await setup();
        expect(transport.sessionId).toBeUndefined();
        await transport.send(request(0, 'initialize'));
        expect(transport.sessionId).toBe('session-1');
        await transport.send(request(1, 'json'));
        expect(posts(server)[0]?.headers['mcp-session-id']).toBeUndefined();
        expect(posts(server)[1]?.headers['mcp-session-id']).toBe('session-1');
    });

    it('sends MCP-Protocol-Version once it is set', async () => {
        const { server, transport } = await setup();
        await transport.send(request(1, 'json'));
        transport.setProtocolVersion('2025-11-25');
        expect(transport.protocolVersion).toBe('2025-11-25');
        await transport.send(request(2, 'json'));
        expect(posts(server).map(p => p.headers['mcp-protocol-version'])).toEqual([undefined, '2025-11-25']);
    });

    it('sends every request through the injected fetch', async () => {
        const seen: string[] = [];
        const { transport } = await setup(
            { get: 'sse' },
            {
                fetch: (input, init) => {
                    seen.push(init?.method ?? 'GET');
                    return fetch(input, init);
                }
            }
        );
        await initialize(transport);
        await until(() => seen.length === 3, 'the standalone GET');
        await transport.terminateSession();
        expect(seen).toEqual(['POST', 'POST', 'GET', 'DELETE']);
    });
});

describe('StreamableHTTPClientTransport: standalone GET stream', () => {
    it('opens the GET stream after notifications/initialized and delivers server-initiated messages', async () => {
        const { server, transport, messages } = await setup({ get: 'sse' });
        await transport.send(request(0, 'initialize'));
        expect(gets(server)).toHaveLength(0);
        await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        await until(() => server.openStreams() === 1, 'the GET stream');
        const get = gets(server)[0];
        expect(get?.headers.accept).toBe('text/event-stream');
        expect(get?.headers['mcp-session-id']).toBe('session-1');
        server.pushStandalone({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        await until(() => messages.length === 2, 'the pushed notification');
        expect(messages[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    });

    it('tolerates 405 for the GET stream silently and does not retry it', async () => {
        const { server, transport, errors } = await setup({ get: '405' });
        await initialize(transport);
        await until(() => gets(server).length === 1, 'the GET attempt');
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(gets(server)).toHaveLength(1);
        expect(errors).toEqual([]);
    });
});

describe('StreamableHTTPClientTransport: resumability', () => {
    it('resumes a broken SSE response with Last-Event-ID and delivers every event exactly once', async () => {
        const { server, transport, messages, errors } = await setup();
        const tokens: string[] = [];
        await transport.send(request(7, 'resumable', { retry: 10 }), { onresumptiontoken: t => tokens.push(t) });
        await until(() => messages.length === 3, 'all events');
        expect(messages).toEqual([
            { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
            { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 2 } },
            { jsonrpc: '2.0', id: 7, result: { done: true } }
        ]);
        expect(gets(server).map(g => g.headers['last-event-id'])).toEqual(['s1_2']);
        expect(tokens).toEqual(['s1_0', 's1_1', 's1_2', 's1_3']);
        await new Promise(resolve => setTimeout(resolve, 40));
        expect(gets(server)).toHaveLength(1);
        expect(errors).toEqual([]);
    });

    it('keeps resuming across many drops while each connection brings new events', async () => {
        const { server, transport, messages, errors } = await setup();
        await transport.send(request(8, 'resumable', { notifications: 5, perConnection: 1, drop: 'end' }));
        await until(() => messages.length === 6, 'all events');
        expect(messages.map(m => ('params' in m ? m.params?.progress : 'response'))).toEqual([
            1,
            2,
            3,
            4,
            5,
            'response'
        ]);
        expect(gets(server)).toHaveLength(6);
        expect(errors).toEqual([]);
    });

    it('gives up after maxRetries reconnections that bring nothing', async () => {
        const { server, transport, errors } = await setup();
        await transport.send(request(9, 'resumable', { resumeFails: true, retry: 5 }));
        await until(() => errors.length === 1, 'the give-up error');
        expect(errors[0]).toBeInstanceOf(ReconnectionExhaustedError);
        expect((errors[0] as ReconnectionExhaustedError).attempts).toBe(2);
        expect(gets(server)).toHaveLength(2);
        await new Promise(resolve => setTimeout(resolve, 40));
        expect(gets(server)).toHaveLength(2);
    });

    it('reports StreamInterruptedError when a stream without event ids breaks before its response', async () => {
        const { server, transport, messages, errors } = await setup();
        await transport.send(request(10, 'unresumable'));
        await until(() => errors.length === 1, 'the interruption');
        expect(errors[0]).toBeInstanceOf(StreamInterruptedError);
        expect(messages).toHaveLength(1);
        expect(gets(server)).toHaveLength(0);
    });

    it('resumes via GET instead of POSTing when send is given a resumption token', async () => {
        const { server, transport, messages } = await setup();
        const first = new StreamableHTTPClientTransport(server.url, { reconnectionOptions: { maxRetries: 0 } });
        transports.push(first);
        const tokens: string[] = [];
        first.onerror = () => {};
        await first.send(request(11, 'resumable', { perConnection: 2 }), { onresumptiontoken: t => tokens.push(t) });
        await until(() => tokens.length === 2, 'the first tokens');
        await first.close();

        await transport.send(request(11, 'resumable'), { resumptionToken: tokens.at(-1)! });
        await until(() => messages.length === 2, 'the resumed events');
        expect(messages.at(-1)).toEqual({ jsonrpc: '2.0', id: 11, result: { done: true } });
        expect(posts(server)).toHaveLength(1);
        expect(gets(server).map(g => g.headers['last-event-id'])).toEqual(['s1_1']);
    });
});

describe('StreamableHTTPClientTransport: errors', () => {
    it('turns 404 for a request with a session id into SessionExpiredError and forgets the session', async () => {
        const { server, transport } = await setup();
        await transport.send(request(0, 'initialize'));
        server.expireSession();
        const error = await transport.send(request(1, 'json')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SessionExpiredError);
        expect(error).toMatchObject({ code: 'SESSION_EXPIRED', sessionId: 'session-1', status: 404 });
        expect(transport.sessionId).toBeUndefined();
    });

    it('rejects a 500 with StreamableHTTPError carrying the status and body, response non-enumerable', async () => {
        const { transport } = await setup();
        const error = await transport.send(request(1, 'status', { status: 500, body: 'kaput' })).catch(e => e);
        expect(error).toBeInstanceOf(StreamableHTTPError);
        expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 500, body: 'kaput' });
        expect((error as StreamableHTTPError).response?.status).toBe(500);
        expect(Object.keys(error as object)).not.toContain('response');
    });

    it('rejects invalid JSON with InvalidMessageError, reported to onerror too, without hanging', async () => {
        const { transport, errors, messages } = await setup();
        const error = await transport.send(request(1, 'badJson')).catch(e => e);
        expect(error).toBeInstanceOf(InvalidMessageError);
        expect(errors).toEqual([error]);
        expect(messages).toEqual([]);
        await transport.send(request(2, 'json'));
        expect(messages).toHaveLength(1);
    });

    it('rejects a JSON body that is not JSON-RPC with InvalidMessageError', async () => {
        const { transport, errors } = await setup();
        await expect(transport.send(request(1, 'badShape'))).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
        expect(errors).toHaveLength(1);
    });

    it('rejects an unsupported content type with UnsupportedContentTypeError', async () => {
        const { transport } = await setup();
        const error = await transport.send(request(1, 'badContentType')).catch(e => e);
        expect(error).toBeInstanceOf(UnsupportedContentTypeError);
        expect(error).toMatchObject({ contentType: 'text/html' });
    });

    it('fails the request at once when its SSE stream carries an undecodable event', async () => {
        const { transport, errors, messages } = await setup();
        const failure = new Promise<Error>(resolve => {
            void transport.send(request(1, 'badSseEvent'), { onrequesterror: resolve });
        });
        const error = await failure;
        expect(error).toBeInstanceOf(InvalidMessageError);
        expect(error.message).toMatch(/request 1 carried an undecodable event/);
        expect(messages).toHaveLength(0);
        expect(errors).toHaveLength(0);
    });

    it('rejects with ConnectionError when nothing listens', async () => {
        const server = await startStreamableFixture();
        const url = server.url;
        await server.close();
        const transport = new StreamableHTTPClientTransport(url);
        transports.push(transport);
        await expect(transport.send(request(1, 'json'))).rejects.toBeInstanceOf(ConnectionError);
    });

    it('validates reconnection options at construction', () => {
        const url = new URL('http://127.0.0.1:1/mcp');
        expect(() => new StreamableHTTPClientTransport(url, { reconnectionOptions: { maxRetries: -1 } })).toThrow(
            InvalidTransportOptionsError
        );
        expect(
            () => new StreamableHTTPClientTransport(url, { reconnectionOptions: { initialReconnectionDelay: NaN } })
        ).toThrow(InvalidTransportOptionsError);
    });
});

describe('StreamableHTTPClientTransport: session end and close', () => {
    it('terminateSession sends DELETE with the session id and forgets it', async () => {
        const { server, transport } = await setup();
        await transport.send(request(0, 'initialize'));
        await transport.terminateSession();
        const deletes = server.requests.filter(r => r.method === 'DELETE');
        expect(deletes).toHaveLength(1);
        expect(deletes[0]?.headers['mcp-session-id']).toBe('session-1');
        expect(transport.sessionId).toBeUndefined();
    });

    it('terminateSession tolerates 405 and keeps the session', async () => {
        const { transport } = await setup({ deleteStatus: 405 });
        await transport.send(request(0, 'initialize'));
        await expect(transport.terminateSession()).resolves.toBeUndefined();
        expect(transport.sessionId).toBe('session-1');
    });

    it('close aborts open streams and in-flight POSTs, and onclose fires once', async () => {
        const { server, transport, closes, errors } = await setup({ get: 'sse' });
        await initialize(transport);
        await transport.send(request(1, 'hang'));
        await until(() => server.openStreams() === 2, 'two open streams');
        const pending = transport.send(request(2, 'hangPost'));
        await until(() => posts(server).length === 4, 'the hanging POST');
        await transport.close();
        await transport.close();
        await expect(pending).rejects.toBeInstanceOf(ClientTransportClosedError);
        await until(() => server.openStreams() === 0, 'the streams to close');
        expect(closes()).toBe(1);
        expect(errors).toEqual([]);
        await expect(transport.send(request(3, 'json'))).rejects.toBeInstanceOf(ClientTransportClosedError);
    });
});
