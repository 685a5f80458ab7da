/**
 * A request the client cancels gets no response (MCP 2025-11-25, Basic › Utilities › Cancellation), so the
 * transport must finish the POST that carried it when the `notifications/cancelled` arrives — usually on
 * another POST — instead of holding it open until the session ends.
 */
import { describe, expect, test } from 'vitest';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/core';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { WebStandardStreamableHTTPServerTransportOptions } from '@modelcontextprotocol/server';
import { POST_HEADERS, SseReader, echo, initializeRequest, request } from './fixtures.js';

const URL_ = 'http://localhost:3000/mcp';

function post(body: unknown, headers: Record<string, string> = {}): Request {
    return new Request(URL_, { method: 'POST', headers: { ...POST_HEADERS, ...headers }, body: JSON.stringify(body) });
}

function cancelled(requestId: RequestId): JSONRPCMessage {
    return { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'user gave up' } };
}

/** A started transport behind the echo protocol, initialized when stateful; `send` POSTs with the session. */
async function ready(
    options: Partial<WebStandardStreamableHTTPServerTransportOptions>,
    protocolVersion = '2025-11-25'
) {
    const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        ...options
    });
    const protocol = echo(transport);
    await transport.start();
    const stateless = 'sessionIdGenerator' in options && options.sessionIdGenerator === undefined;
    let session: Record<string, string> = {};
    if (!stateless) {
        await (await transport.handleRequest(post(initializeRequest()))).text();
        session = { 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': protocolVersion };
    }
    const send = (body: unknown) => transport.handleRequest(post(body, session));
    /** Settles when the protocol received `count` messages (the POST's messages are delivered synchronously). */
    const received = (count: number) => expect.poll(() => protocol.messages.length).toBe(count);
    return { transport, protocol, session, send, received };
}

/** Resolves `undefined` if `promise` has not settled within a few event-loop turns. */
async function settled<T>(promise: Promise<T>): Promise<T | undefined> {
    return Promise.race([promise, new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), 50))]);
}

describe('cancellation in JSON response mode', () => {
    test('answers the POST of a cancelled request with 202 and no body once the cancellation arrives', async () => {
        const { send, received, protocol } = await ready({ sessionIdGenerator: undefined, enableJsonResponse: true });
        const pending = send(request(5, 'hold'));
        await received(1);
        expect(await settled(pending)).toBeUndefined();
        const cancel = await send(cancelled(5));
        expect(cancel.status).toBe(202);
        const response = await pending;
        expect(response.status).toBe(202);
        expect(await response.text()).toBe('');
        expect(protocol.messages.map(m => m.message)).toEqual([request(5, 'hold'), cancelled(5)]);
    });

    test('answers a batch with the responses that are left once one of its requests is cancelled', async () => {
        const { send, received, protocol } = await ready({ enableJsonResponse: true }, '2025-03-26');
        const pending = send([request(1, 'hold'), request(2, 'hold'), request(3, 'echo')]);
        await received(4); // initialize + the batch
        await send(cancelled(1));
        expect(await settled(pending)).toBeUndefined();
        await protocol.release(2);
        const response = await pending;
        expect(response.status).toBe(200);
        expect((await response.json()) as JSONRPCMessage[]).toEqual([
            { jsonrpc: '2.0', id: 3, result: { echo: 'echo', params: {} } },
            { jsonrpc: '2.0', id: 2, result: { echo: 'hold', params: {} } }
        ]);
    });

    test('answers 202 when every request of a batch is cancelled, even in the same POST', async () => {
        const { send } = await ready({ enableJsonResponse: true }, '2025-03-26');
        const response = await send([request(7, 'hold'), cancelled(7)]);
        expect(response.status).toBe(202);
        expect(response.headers.get('mcp-session-id')).toBeTruthy();
        expect(await response.text()).toBe('');
    });
});

describe('cancellation in SSE mode', () => {
    test('closes the SSE stream of a cancelled request without a response', async () => {
        const { send, received } = await ready({});
        const response = await send(request(5, 'hold'));
        await received(2);
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        await send(cancelled(5));
        expect(await new SseReader(response.body).rest()).toEqual([]);
    });

    test('keeps the stream open while another request of its batch is pending', async () => {
        const { send, received, protocol } = await ready({}, '2025-03-26');
        const response = await send([request(1, 'hold'), request(2, 'hold')]);
        await received(3);
        await send(cancelled(1));
        const reader = new SseReader(response.body);
        const next = reader.nextMessage();
        expect(await settled(next)).toBeUndefined();
        await protocol.release(2);
        expect(await next).toMatchObject({ id: 2, result: { echo: 'hold' } });
        expect(await reader.rest()).toEqual([]);
    });

    test('drops messages still sent for a cancelled request instead of moving them to the GET stream', async () => {
        const { transport, send, received, session } = await ready({});
        const get = await transport.handleRequest(
            new Request(URL_, { headers: { accept: 'text/event-stream', ...session } })
        );
        const response = await send(request(5, 'hold'));
        await received(2);
        await send(cancelled(5));
        await response.text();
        const late = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
        await transport.send(late as JSONRPCMessage, { relatedRequestId: 5 });
        await transport.send({ jsonrpc: '2.0', id: 5, result: {} });
        await transport.send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        expect(await new SseReader(get.body).nextMessage()).toEqual({
            jsonrpc: '2.0',
            method: 'notifications/tools/list_changed'
        });
        await transport.close();
    });

    test('ignores a cancellation of a request that was already answered or is unknown', async () => {
        const { send, received, protocol } = await ready({});
        const held = await send(request(2, 'hold'));
        const answered = await send(request(1, 'echo'));
        expect(await new SseReader(answered.body).nextMessage()).toMatchObject({ id: 1 });
        await received(3);
        expect((await send(cancelled(1))).status).toBe(202);
        expect((await send(cancelled('nope'))).status).toBe(202);
        await protocol.release(2);
        expect(await new SseReader(held.body).nextMessage()).toMatchObject({ id: 2 });
    });
});
