import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';
import { POST_HEADERS, SseReader, echo, listen, request } from '../../../server/test/transports/fixtures.js';
import type { TestServer } from '../../../server/test/transports/fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

async function serve(
    options: Partial<StreamableHTTPServerTransportOptions> = {},
    before?: (req: IncomingMessage) => Promise<void>
) {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, ...options });
    const protocol = echo(transport);
    await transport.start();
    const server: TestServer = await listen((req, res) => {
        void (async () => {
            await before?.(req);
            await transport.handleRequest(req, res);
        })();
    });
    cleanups.push(async () => {
        await transport.close();
        await server.close();
    });
    return { transport, protocol, server };
}

/** POSTs raw bytes with node:http and collects the raw response headers and body. */
function rawPost(
    url: URL | string,
    body: string | Buffer,
    headers: Record<string, string> = POST_HEADERS
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', headers }, res => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

describe('Node adapter replies', () => {
    test('answers a JSON-mode request with one Content-Length body, not a chunked one', async () => {
        const { server } = await serve({ enableJsonResponse: true });
        const response = await rawPost(server.url, JSON.stringify(request(1, 'echo', { x: 'é' })));
        expect(response.status).toBe(200);
        expect(response.headers['transfer-encoding']).toBeUndefined();
        expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
        expect(JSON.parse(response.body)).toEqual({
            jsonrpc: '2.0',
            id: 1,
            result: { echo: 'echo', params: { x: 'é' } }
        });
    });

    test('sends an SSE reply that completes at once as one body with a Content-Length', async () => {
        const { server } = await serve();
        const response = await rawPost(server.url, JSON.stringify(request(2)));
        expect(response.headers['content-type']).toBe('text/event-stream');
        expect(response.headers['transfer-encoding']).toBeUndefined();
        expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
        expect(response.body).toBe(
            `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 2, result: { echo: 'echo', params: {} } })}\n\n`
        );
    });

    test('sends the headers of an SSE reply still awaiting its response, then streams the response', async () => {
        const { server, protocol } = await serve();
        const response = await fetch(server.url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify(request(3, 'hold'))
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        const reader = new SseReader(response.body);
        await protocol.release(3);
        expect(await reader.nextMessage()).toMatchObject({ id: 3 });
        expect(await reader.next()).toBeUndefined();
    });

    test('handleRequest settles only once an SSE reply has ended', async () => {
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        const protocol = echo(transport);
        await transport.start();
        let settled = 0;
        const server = await listen((req, res) => {
            void transport.handleRequest(req, res).then(() => settled++);
        });
        cleanups.push(async () => {
            await transport.close();
            await server.close();
        });
        const response = await fetch(server.url, {
            method: 'POST',
            headers: POST_HEADERS,
            body: JSON.stringify(request(6, 'hold'))
        });
        expect(response.status).toBe(200);
        await new Promise(resolve => setTimeout(resolve, 20));
        expect(settled).toBe(0);
        await protocol.release(6);
        expect(await new SseReader(response.body).rest()).toHaveLength(1);
        await expect.poll(() => settled).toBe(1);
    });

    test('gives handlers the same requestInfo as the web-standard transport, repeated headers joined', async () => {
        const { server, protocol } = await serve({ enableJsonResponse: true });
        const headers = { ...POST_HEADERS, 'x-dup': ['a', 'b'] };
        await new Promise<void>((resolve, reject) => {
            const req = httpRequest(`${server.url}?q=1`, { method: 'POST', headers }, res => {
                expect(res.statusCode).toBe(200);
                res.resume();
                res.on('end', resolve);
            });
            req.on('error', reject);
            req.end(JSON.stringify(request(4)));
        });
        const nodeInfo = protocol.messages[0]!.extra!.requestInfo!;

        const web = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        const webProtocol = echo(web);
        await web.start();
        cleanups.push(() => web.close());
        const webHeaders = new Headers(POST_HEADERS);
        webHeaders.append('x-dup', 'a');
        webHeaders.append('x-dup', 'b');
        const url = new URL(`${server.url}?q=1`);
        webHeaders.set('host', url.host);
        webHeaders.set('content-length', String(JSON.stringify(request(4)).length));
        webHeaders.set('connection', 'keep-alive');
        await (
            await web.handleRequest(
                new Request(url, { method: 'POST', headers: webHeaders, body: JSON.stringify(request(4)) })
            )
        ).text();
        const webInfo = webProtocol.messages[0]!.extra!.requestInfo!;

        expect(nodeInfo.headers['x-dup']).toBe('a, b');
        expect({ ...nodeInfo.headers }).toEqual({ ...webInfo.headers });
        expect(nodeInfo.url?.href).toBe(webInfo.url?.href);
        expect(nodeInfo.url?.searchParams.get('q')).toBe('1');
    });

    test('answers a body that is not UTF-8 with 400 ParseError', async () => {
        const { server, protocol } = await serve();
        const response = await rawPost(server.url, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({ error: { code: -32700 } });
        expect(protocol.messages).toHaveLength(0);
    });

    test('answers 400 rather than waiting forever when the body was already consumed', async () => {
        const { server } = await serve({}, async req => {
            for await (const chunk of req) void chunk;
        });
        const response = await rawPost(server.url, JSON.stringify(request(5)));
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({
            error: { code: -32600, message: 'Invalid Request: the body was consumed before it was decoded' }
        });
    });
});
