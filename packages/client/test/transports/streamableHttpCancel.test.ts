/**
 * When the client cancels a request (it sends `notifications/cancelled`, MCP 2025-11-25, Basic › Utilities ›
 * Cancellation), the Streamable HTTP transport stops waiting for that request's answer: it aborts its POST or
 * resumption GET, and stops following its SSE stream (no `StreamInterruptedError`, no reconnection).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import { until } from '../fixtures/until.js';

/** What the loopback server saw of one HTTP request. */
interface Seen {
    method: string;
    /** The JSON-RPC method of a POST. */
    rpc: string | undefined;
    /** The connection went away before or after the answer ended. */
    closed: boolean;
}

/**
 * A loopback server: a POSTed notification gets 202; a POSTed request is handled by its method
 * (`hang`: never answered; `sse`: an SSE stream that stays open, with a resumable event id when
 * `params.id` is set; `break`: a resumable SSE stream that breaks at once); a GET is never answered.
 * A cancellation ends the SSE streams of the request it names, as a server that honours it does.
 */
async function startServer() {
    const seen: Seen[] = [];
    const streams = new Map<RequestId, ServerResponse>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let text = '';
        req.on('data', (chunk: Buffer) => (text += chunk.toString()));
        req.on('end', () => {
            const message = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
            const entry: Seen = { method: req.method ?? '', rpc: message?.method as string | undefined, closed: false };
            seen.push(entry);
            res.on('close', () => (entry.closed = true));
            if (req.method !== 'POST') return; // GET: never answered
            const params = (message?.params ?? {}) as Record<string, unknown>;
            if (message?.id === undefined) {
                if (message?.method === 'notifications/cancelled') streams.get(params.requestId as RequestId)?.end();
                return void res.writeHead(202).end();
            }
            if (message.method === 'hang') return;
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.flushHeaders();
            streams.set(message.id as RequestId, res);
            if (message.method === 'break') return void res.end('id: e1\nretry: 5\ndata: \n\n');
            res.write(params.id === undefined ? ': open\n\n' : `id: ${String(params.id)}\ndata: \n\n`);
        });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
    const close = () =>
        new Promise<void>(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        });
    return { url, seen, close };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup() {
    const server = await startServer();
    const transport = new StreamableHTTPClientTransport(server.url, {
        reconnectionOptions: { initialReconnectionDelay: 5, maxReconnectionDelay: 20, maxRetries: 2 }
    });
    const errors: Error[] = [];
    transport.onerror = error => errors.push(error);
    cleanups.push(server.close, () => transport.close());
    await transport.start();
    const find = (method: string, rpc?: string) => server.seen.find(s => s.method === method && s.rpc === rpc);
    return { server, transport, errors, find };
}

const request = (id: RequestId, method: string, params: Record<string, unknown> = {}): JSONRPCMessage => ({
    jsonrpc: '2.0',
    id,
    method,
    params
});
const cancelled = (requestId: RequestId): JSONRPCMessage => ({
    jsonrpc: '2.0',
    method: 'notifications/cancelled',
    params: { requestId, reason: 'stop' }
});

/** Lets the transport react to what already happened (a stream end, a reconnection timer). */
const settle = () => new Promise(resolve => setTimeout(resolve, 50));

describe('StreamableHTTPClientTransport: cancellation', () => {
    it('aborts the POST of a cancelled request still waiting for its answer; its send resolves quietly', async () => {
        const { transport, errors, find } = await setup();
        const sending = transport.send(request(1, 'hang'));
        await until(() => find('POST', 'hang') !== undefined, 'the POST');
        await transport.send(cancelled(1));
        await expect(sending).resolves.toBeUndefined();
        await until(() => find('POST', 'hang')!.closed, 'the POST connection to close');
        expect(errors).toEqual([]);
    });

    it('stops following the SSE stream of a cancelled request: no StreamInterruptedError', async () => {
        const { transport, errors, find } = await setup();
        await transport.send(request(1, 'sse'));
        await transport.send(cancelled(1));
        await until(() => find('POST', 'sse')!.closed, 'the SSE connection to close');
        await settle();
        expect(errors).toEqual([]);
    });

    it('does not resume the SSE stream of a cancelled request', async () => {
        const { transport, errors, find, server } = await setup();
        await transport.send(request(1, 'sse', { id: 'e1' }));
        await transport.send(cancelled(1));
        await until(() => find('POST', 'sse')!.closed, 'the SSE connection to close');
        await settle();
        expect(server.seen.filter(s => s.method === 'GET')).toEqual([]);
        expect(errors).toEqual([]);
    });

    it('aborts a resumption GET of a cancelled request', async () => {
        const { transport, errors, find } = await setup();
        await transport.send(request(1, 'break'));
        await until(() => find('GET') !== undefined, 'the resumption GET');
        await transport.send(cancelled(1));
        await until(() => find('GET')!.closed, 'the GET connection to close');
        await settle();
        expect(errors).toEqual([]);
    });

    it('keeps following the streams of other requests', async () => {
        const { transport, errors, server } = await setup();
        await transport.send(request(1, 'sse'));
        await transport.send(request(2, 'sse'));
        await transport.send(cancelled(2));
        const posts = () => server.seen.filter(s => s.rpc === 'sse');
        await until(() => posts()[1]!.closed, 'the cancelled stream to close');
        await settle();
        expect(posts()[0]!.closed).toBe(false);
        expect(errors).toEqual([]);
    });
});
