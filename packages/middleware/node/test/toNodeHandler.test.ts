/**
 * `toNodeHandler(createMcpHandler(factory))` on a real `node:http` server: our `Client` over real HTTP, the body
 * limit, and the Host / Origin helpers for plain `node:http`.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '../src/index.js';

let server: Server;
let url: URL;
const handler = createMcpHandler(() => {
    const mcp = new McpServer({ name: 'node-handler', version: '1.0.0' });
    mcp.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
        content: [{ type: 'text', text: String(a + b) }]
    }));
    return mcp;
});

beforeAll(async () => {
    const checkHost = localhostHostValidation();
    const checkOrigin = localhostOriginValidation();
    const serve = toNodeHandler(handler, { maxRequestBodySize: 1024 });
    server = createServer((req, res) => {
        if (!checkHost(req, res) || !checkOrigin(req, res)) return;
        void serve(req, res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
    await handler.close();
    await new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
    });
});

describe('toNodeHandler', () => {
    it('serves our Client over real HTTP', async () => {
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(url));
        const result = await client.callTool({ name: 'add', arguments: { a: 40, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '42' }]);
        await client.close();
    });

    it('refuses a body over maxRequestBodySize', async () => {
        const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(4096) } })
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        await response.body?.cancel();
    });

    it('the localhost Host and Origin checks answer 403 before the handler', async () => {
        const evil = await fetch(url, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' });
        expect(evil.status).toBe(403);
        expect(await evil.json()).toMatchObject({ error: { code: -32000 }, id: null });
    });
});
