/**
 * `createNodeFetch`: the client transport's `fetch` seam over `node:http`, against real servers on 127.0.0.1 — an MCP
 * server (JSON and streamed SSE answers), and a raw server for aborts, redirects, headers and network failures.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { NodeFetchError, createNodeFetch, toNodeHandler } from '../src/index.js';

let mcpServer: Server;
let rawServer: Server;
let mcpUrl: URL;
let raw: string;
const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
const nodeFetch = createNodeFetch();

const handler = createMcpHandler(() => {
    const mcp = new McpServer({ name: 'node-fetch', version: '1.0.0' });
    mcp.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
        content: [{ type: 'text', text: String(a + b) }]
    }));
    mcp.registerTool('count', { inputSchema: { n: z.number() } }, async ({ n }, ctx) => {
        for (let i = 1; i <= n; i++) {
            await ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken: ctx.mcpReq._meta?.progressToken ?? 0, progress: i, total: n }
            });
        }
        return { content: [{ type: 'text', text: `counted ${n}` }] };
    });
    return mcp;
});

function rawRoute(req: IncomingMessage, res: ServerResponse, body: string): void {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    switch (req.url) {
        case '/redirect':
            res.writeHead(307, { location: '/final' }).end();
            return;
        case '/final':
            res.writeHead(200, { 'content-type': 'text/plain' }).end(`final ${req.method} ${body}`);
            return;
        case '/cookies':
            res.setHeader('set-cookie', ['a=1', 'b=2']);
            res.writeHead(200).end('ok');
            return;
        case '/empty':
            res.writeHead(204).end();
            return;
        case '/hang':
            return; // never answers
        case '/stall':
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write('data: first\n\n'); // then nothing
            return;
        default:
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
    }
}

beforeAll(async () => {
    const serve = toNodeHandler(handler);
    mcpServer = createServer((req, res) => void serve(req, res));
    rawServer = createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => rawRoute(req, res, body));
    });
    await new Promise<void>(resolve => mcpServer.listen(0, '127.0.0.1', resolve));
    await new Promise<void>(resolve => rawServer.listen(0, '127.0.0.1', resolve));
    mcpUrl = new URL(`http://127.0.0.1:${(mcpServer.address() as AddressInfo).port}/mcp`);
    raw = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
    nodeFetch.close();
    await handler.close();
    for (const server of [mcpServer, rawServer]) {
        server.closeAllConnections();
        await new Promise<void>(resolve => server.close(() => resolve()));
    }
});

describe('createNodeFetch', () => {
    it('carries our Client over real HTTP: tools/list, tools/call, and a streamed call with 50 progress events', async () => {
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(mcpUrl, { fetch: nodeFetch }));
        expect((await client.listTools()).tools.map(tool => tool.name).sort()).toEqual(['add', 'count']);
        const sum = await client.callTool({ name: 'add', arguments: { a: 40, b: 2 } });
        expect(sum.content).toEqual([{ type: 'text', text: '42' }]);
        const seen: number[] = [];
        const counted = await client.callTool(
            { name: 'count', arguments: { n: 50 } },
            { onprogress: progress => seen.push(progress.progress) }
        );
        expect(counted.content).toEqual([{ type: 'text', text: 'counted 50' }]);
        expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        await client.close();
    });

    it('answers 32 parallel tool calls, each with its own result', async () => {
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(mcpUrl, { fetch: nodeFetch }));
        const results = await Promise.all(
            Array.from({ length: 32 }, (_, i) => client.callTool({ name: 'add', arguments: { a: i, b: 1000 } }))
        );
        expect(results.map(result => result.content)).toEqual(
            Array.from({ length: 32 }, (_, i) => [{ type: 'text', text: String(i + 1000) }])
        );
        await client.close();
    });

    it('sends the body with its length and the caller headers, and gives the response url', async () => {
        const response = await nodeFetch(`${raw}/echo`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-custom': 'v' },
            body: '{"é":1}'
        });
        expect(await response.json()).toEqual({ echo: '{"é":1}' });
        expect(response.url).toBe(`${raw}/echo`);
        const request = received.at(-1)!;
        expect(request.headers['content-length']).toBe(String(Buffer.byteLength('{"é":1}')));
        expect(request.headers['x-custom']).toBe('v');
    });

    it('keeps repeated response headers and gives a 204 a null body', async () => {
        const cookies = await nodeFetch(`${raw}/cookies`);
        expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
        await cookies.text();
        const empty = await nodeFetch(`${raw}/empty`, { method: 'DELETE' });
        expect(empty.status).toBe(204);
        expect(empty.body).toBeNull();
    });

    it("returns a redirect as is under redirect: 'manual', and follows it as fetch does otherwise", async () => {
        const manual = await nodeFetch(`${raw}/redirect`, { method: 'POST', body: 'x', redirect: 'manual' });
        expect(manual.status).toBe(307);
        expect(manual.headers.get('location')).toBe('/final');
        const followed = await nodeFetch(`${raw}/redirect`, { method: 'POST', body: 'x' });
        expect(followed.status).toBe(200);
        expect(await followed.text()).toBe('final POST x');
    });

    it('rejects with the abort reason when aborted before the answer, within bounded time', async () => {
        const controller = new AbortController();
        const pending = nodeFetch(`${raw}/hang`, { signal: controller.signal });
        setTimeout(() => controller.abort(), 50);
        await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
        const already = AbortSignal.abort();
        await expect(nodeFetch(`${raw}/echo`, { signal: already })).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('errors the streamed body when aborted mid-stream', async () => {
        const controller = new AbortController();
        const response = await nodeFetch(`${raw}/stall`, { signal: controller.signal });
        const reader = response.body!.getReader();
        const first = await reader.read();
        expect(new TextDecoder().decode(first.value)).toBe('data: first\n\n');
        controller.abort();
        await expect(reader.read()).rejects.toBeDefined();
    });

    it('rejects a refused connection with NodeFetchError, a TypeError as fetch gives', async () => {
        const closed = createServer();
        await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise<void>(resolve => closed.close(() => resolve()));
        const failure = await nodeFetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(NodeFetchError);
        expect(failure).toBeInstanceOf(TypeError);
        expect((failure as NodeFetchError).code).toBe('NODE_FETCH_FAILED');
    });
});
