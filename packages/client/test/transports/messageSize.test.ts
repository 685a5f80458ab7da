/**
 * A hostile server cannot make the HTTP client transports buffer without bound: a JSON body or one SSE event
 * over `maxMessageBytes` fails with `MessageTooLargeError` (code `MESSAGE_TOO_LARGE`) and the exchange is
 * aborted.
 */
import { InvalidTransportOptionsError } from '../../src/client/transportErrors.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SSEClientTransport } from '../../src/client/sse.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import { DEFAULT_MAX_MESSAGE_BYTES, MessageTooLargeError } from '../../src/client/transportErrors.js';
import { until } from '../fixtures/until.js';

const LIMIT = 1024;

/** A message of exactly `bytes` bytes of JSON. */
function responseOfSize(bytes: number): string {
    const empty = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { pad: '' } });
    return JSON.stringify({ jsonrpc: '2.0', id: 1, result: { pad: 'x'.repeat(bytes - empty.length) } });
}

/**
 * Writes `chunk` every few milliseconds until the client goes away, and records that it did: the body of a
 * hostile server that never ends.
 */
function flood(res: ServerResponse, chunk: string, gone: () => void): void {
    const timer = setInterval(() => res.write(chunk), 2);
    res.on('close', () => {
        clearInterval(timer);
        gone();
    });
}

type Handler = (req: IncomingMessage, res: ServerResponse, server: { disconnected: number }) => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

/** A loopback server whose every request is answered by `handler`. */
async function serve(handler: Handler) {
    const state = { disconnected: 0, gets: 0 };
    const server = createServer((req, res) => {
        if (req.method === 'GET') state.gets++;
        req.resume();
        req.on('end', () => handler(req, res, state));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
        () =>
            new Promise<void>(resolve => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    );
    return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`), state };
}

async function streamable(url: URL) {
    const transport = new StreamableHTTPClientTransport(url, {
        maxMessageBytes: LIMIT,
        reconnectionOptions: { initialReconnectionDelay: 5, maxReconnectionDelay: 20, maxRetries: 2 }
    });
    const errors: Error[] = [];
    const messages: JSONRPCMessage[] = [];
    transport.onerror = error => errors.push(error);
    transport.onmessage = message => messages.push(message);
    cleanups.push(() => transport.close());
    return { transport, errors, messages };
}

const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };

function startSse(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
}

describe('StreamableHTTPClientTransport: maxMessageBytes', () => {
    it('accepts a JSON body of exactly the limit', async () => {
        const { url } = await serve((_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' }).end(responseOfSize(LIMIT));
        });
        const { transport, messages } = await streamable(url);
        await transport.send(ping);
        expect(messages).toHaveLength(1);
    });

    it('rejects a JSON body whose Content-Length is over the limit, before reading it', async () => {
        const { url } = await serve((_req, res) => {
            res.writeHead(200, { 'content-type': 'application/json' }).end(responseOfSize(LIMIT + 1));
        });
        const { transport, errors, messages } = await streamable(url);
        const error = await transport.send(ping).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MessageTooLargeError);
        expect(error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', limit: LIMIT });
        expect(errors).toEqual([error]);
        expect(messages).toEqual([]);
    });

    it('rejects a chunked JSON body that never ends once it passes the limit, and drops the connection', async () => {
        const { url, state } = await serve((_req, res, server) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"jsonrpc":"2.0","id":1,"result":{"pad":"');
            flood(res, 'x'.repeat(256), () => server.disconnected++);
        });
        const { transport } = await streamable(url);
        await expect(transport.send(ping)).rejects.toBeInstanceOf(MessageTooLargeError);
        await until(() => state.disconnected === 1, 'the client to drop the connection');
    });

    it.each([
        ['one data line that never ends', 'data: ', 'x'.repeat(256)],
        ['data lines without the blank line that ends the event', '', 'data: xxxxxxxxxxxxxxxxxxxxxx\n'],
        ['an id line that never ends', 'id: ', 'x'.repeat(256)]
    ])('reports an SSE event with %s, drops the stream and does not resume it', async (_name, start, chunk) => {
        const { url, state } = await serve((_req, res, server) => {
            startSse(res);
            res.write(`id: resumable-1\ndata: \n\n${start}`);
            flood(res, chunk, () => server.disconnected++);
        });
        const { transport, errors } = await streamable(url);
        await transport.send(ping);
        await until(() => errors.length === 1, 'the error');
        expect(errors[0]).toBeInstanceOf(MessageTooLargeError);
        await until(() => state.disconnected === 1, 'the client to drop the connection');
        await new Promise(resolve => setTimeout(resolve, 50));
        expect(state.gets).toBe(0);
        expect(errors).toHaveLength(1);
    });

    it('reports an SSE event over the limit that arrives whole, and accepts one of exactly the limit', async () => {
        const { url } = await serve((_req, res) => {
            startSse(res);
            res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'big', params: { pad: '' } })}\n\n`);
            res.end(`data: ${'x'.repeat(LIMIT + 1)}\n\n`);
        });
        const { transport, errors, messages } = await streamable(url);
        await transport.send(ping);
        await until(() => errors.length === 1, 'the error');
        expect(errors[0]).toBeInstanceOf(MessageTooLargeError);
        expect(messages).toHaveLength(1);

        const exact = await serve((_req, res) => {
            startSse(res);
            res.end(`data: ${responseOfSize(LIMIT)}\n\n`);
        });
        const second = await streamable(exact.url);
        await second.transport.send(ping);
        await until(() => second.messages.length === 1, 'the response');
        expect(second.errors).toEqual([]);
    });

    it('defaults to 4 MiB and validates the option at construction', () => {
        expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(4 * 1024 * 1024);
        const url = new URL('http://127.0.0.1:1/mcp');
        for (const bad of [0, -1, 1.5, NaN]) {
            expect(() => new StreamableHTTPClientTransport(url, { maxMessageBytes: bad })).toThrow(
                InvalidTransportOptionsError
            );
            expect(() => new SSEClientTransport(url, { maxMessageBytes: bad })).toThrow(InvalidTransportOptionsError);
        }
    });
});

describe('SSEClientTransport: maxMessageBytes', () => {
    it('rejects start() when an event before the endpoint grows over the limit', async () => {
        const { url, state } = await serve((_req, res, server) => {
            startSse(res);
            res.write('event: endpoint\ndata: ');
            flood(res, 'x'.repeat(256), () => server.disconnected++);
        });
        const transport = new SSEClientTransport(url, { maxMessageBytes: LIMIT });
        cleanups.push(() => transport.close());
        await expect(transport.start()).rejects.toBeInstanceOf(MessageTooLargeError);
        await until(() => state.disconnected === 1, 'the client to drop the connection');
    });

    it('reports an event over the limit after the endpoint and closes', async () => {
        const { url, state } = await serve((_req, res, server) => {
            startSse(res);
            res.write('event: endpoint\ndata: /messages\n\ndata: ');
            flood(res, 'x'.repeat(256), () => server.disconnected++);
        });
        const transport = new SSEClientTransport(url, { maxMessageBytes: LIMIT });
        cleanups.push(() => transport.close());
        const errors: Error[] = [];
        let closes = 0;
        transport.onerror = error => errors.push(error);
        transport.onclose = () => closes++;
        await transport.start();
        await until(() => closes === 1, 'the transport to close');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(MessageTooLargeError);
        await until(() => state.disconnected === 1, 'the client to drop the connection');
    });
});
