import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { SSEClientTransportOptions } from '../../src/client/sse.js';
import { SSEClientTransport } from '../../src/client/sse.js';
import {
    InvalidMessageError,
    SSEEndpointError,
    SSEError,
    StreamInterruptedError,
    ClientTransportClosedError
} from '../../src/client/transportErrors.js';
import type { LegacySseFixture, LegacySseFixtureOptions } from '../fixtures/legacySseServer.js';
import { startLegacySseFixture } from '../fixtures/legacySseServer.js';
import { until } from '../fixtures/until.js';

let fixture: LegacySseFixture | undefined;
const transports: SSEClientTransport[] = [];

afterEach(async () => {
    await Promise.all(transports.splice(0).map(t => t.close()));
    await fixture?.close();
    fixture = undefined;
});

async function setup(serverOptions: LegacySseFixtureOptions = {}, clientOptions: SSEClientTransportOptions = {}) {
    const server = (fixture = await startLegacySseFixture(serverOptions));
    const transport = new SSEClientTransport(server.url, clientOptions);
    transports.push(transport);
    const messages: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    let closes = 0;
    transport.onmessage = message => messages.push(message);
    transport.onerror = error => errors.push(error);
    transport.onclose = () => closes++;
    return { server, transport, messages, errors, closes: () => closes };
}

describe('SSEClientTransport', () => {
    it('waits for the endpoint event, POSTs to it, and receives replies as message events', async () => {
        const { server, transport, messages } = await setup(
            {},
            { requestInit: { headers: { 'x-all': '1' } }, eventSourceInit: { headers: { 'x-get-only': '1' } } }
        );
        await transport.start();
        expect(transport.endpoint?.href).toBe(new URL('/messages?sessionId=abc', server.url).href);
        await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping', params: { x: 1 } });
        await until(() => messages.length === 1, 'the reply');
        expect(messages[0]).toEqual({ jsonrpc: '2.0', id: 1, result: { echo: { x: 1 } } });

        expect(server.getHeaders[0]).toMatchObject({ accept: 'text/event-stream', 'x-all': '1', 'x-get-only': '1' });
        const post = server.posts[0];
        expect(post?.url).toBe('/messages?sessionId=abc');
        expect(post?.headers).toMatchObject({ 'content-type': 'application/json', 'x-all': '1' });
        expect(post?.headers['x-get-only']).toBeUndefined();
    });

    it('accepts an absolute endpoint on the same origin', async () => {
        const { server, transport } = await setup({ endpoint: '{origin}/other/messages?sessionId=abs' });
        await transport.start();
        expect(transport.endpoint?.href).toBe(`${server.url.origin}/other/messages?sessionId=abs`);
    });

    it('rejects a cross-origin endpoint with SSEEndpointError and never POSTs to it', async () => {
        const { server, transport, closes } = await setup({ endpoint: 'http://evil.example/steal' });
        const error = await transport.start().catch(e => e);
        expect(error).toBeInstanceOf(SSEEndpointError);
        expect(error).toMatchObject({ code: 'SSE_ENDPOINT' });
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
            ClientTransportClosedError
        );
        expect(server.posts).toHaveLength(0);
        expect(closes()).toBe(0);
    });

    it('rejects an endpoint on the same host but another port', async () => {
        const { transport } = await setup({ endpoint: 'http://127.0.0.1:1/messages' });
        await expect(transport.start()).rejects.toBeInstanceOf(SSEEndpointError);
    });

    it('rejects start when the stream ends before any endpoint event', async () => {
        const { transport } = await setup({ endpoint: null });
        const error = await transport.start().catch(e => e);
        expect(error).toBeInstanceOf(SSEError);
        expect((error as Error).message).toMatch(/before the endpoint/);
    });

    it('rejects start with the status when the GET fails', async () => {
        const { transport } = await setup({ getStatus: 503 });
        await expect(transport.start()).rejects.toMatchObject({ code: 'SSE_ERROR', status: 503 });
    });

    it('rejects send with SSEError when the POST fails', async () => {
        const { transport } = await setup();
        await transport.start();
        await expect(transport.send({ jsonrpc: '2.0', id: 1, method: 'fail' })).rejects.toMatchObject({
            code: 'SSE_ERROR',
            status: 500
        });
    });

    it('reports an undecodable message event and keeps going', async () => {
        const { server, transport, messages, errors } = await setup();
        await transport.start();
        server.pushRaw('event: message\ndata: {"nope"\n\n');
        server.pushRaw(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/x' })}\n\n`);
        await until(() => messages.length === 1, 'the valid event');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(InvalidMessageError);
    });

    it('fails every owed request with StreamInterruptedError when the stream ends before their responses', async () => {
        const { server, transport, errors } = await setup();
        await transport.start();
        const failures: Error[] = [];
        const fail = (error: Error) => void failures.push(error);
        await transport.send({ jsonrpc: '2.0', id: 1, method: 'hold' }, { onrequesterror: fail });
        await transport.send({ jsonrpc: '2.0', id: 2, method: 'echo' }, { onrequesterror: fail });
        await until(() => server.posts.length === 2, 'both POSTs');
        await new Promise(resolve => setTimeout(resolve, 20)); // the answer to 2 arrives
        server.endStream();
        await until(() => failures.length === 1, 'the owed request to fail');
        expect(failures[0]).toBeInstanceOf(StreamInterruptedError);
        expect(errors).toHaveLength(0);
    });

    it('fails the owed requests with InvalidMessageError when the stream carries an undecodable event', async () => {
        const { server, transport, closes } = await setup();
        await transport.start();
        const failures: Error[] = [];
        await transport.send({ jsonrpc: '2.0', id: 7, method: 'hold' }, { onrequesterror: e => void failures.push(e) });
        server.pushRaw('event: message\ndata: {not json}\n\n');
        await until(() => failures.length === 1, 'the owed request to fail');
        expect(failures[0]).toBeInstanceOf(InvalidMessageError);
        await until(() => closes() === 1, 'the unusable stream to close the transport');
    });

    it('closes once when the server ends the stream', async () => {
        const { server, transport, closes } = await setup();
        await transport.start();
        server.endStream();
        await until(() => closes() === 1, 'onclose');
        await transport.close();
        expect(closes()).toBe(1);
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
            ClientTransportClosedError
        );
    });

    it('rejects send before start', async () => {
        const { transport } = await setup();
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
            ClientTransportClosedError
        );
    });
});
