/**
 * `createMcpHandler` and `serveStdio`, the official v2 entry points: our `Client` over Streamable HTTP whose
 * `fetch` is the handler's own (web-standard, no socket), and a server served on a given transport.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import type { McpRequestContext } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { useCleanup } from './helpers.js';

function build(seen: McpRequestContext[]) {
    return (ctx: McpRequestContext) => {
        seen.push(ctx);
        const server = new McpServer({ name: 'handler', version: '1.0.0' });
        server.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
            content: [{ type: 'text', text: String(a + b) }]
        }));
        return server;
    };
}

describe('createMcpHandler', () => {
    const defer = useCleanup();

    it.each([false, true])('serves a client with a fresh server per request (JSON responses: %s)', async json => {
        const seen: McpRequestContext[] = [];
        const handler = createMcpHandler(build(seen), { enableJsonResponse: json });
        defer(() => handler.close());
        const client = new Client({ name: 'c', version: '1' });
        const { fetch } = handler; // detached: still bound
        await client.connect(
            new StreamableHTTPClientTransport(new URL('http://127.0.0.1/mcp'), {
                fetch: (input, init) => fetch(new Request(input, init))
            })
        );
        defer(() => client.close());
        const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
        expect(result.content).toEqual([{ type: 'text', text: '5' }]);
        expect(seen.length).toBeGreaterThanOrEqual(3); // initialize, initialized, tools/call, …
        expect(seen.every(ctx => ctx.era === 'legacy' && ctx.requestInfo instanceof Request)).toBe(true);
    });

    it('answers GET with 405 (stateless), refuses a hostile Origin with 403, and a body over the limit with 413', async () => {
        const handler = createMcpHandler(build([]), { maxRequestBodySize: 64 });
        defer(() => handler.close());
        expect((await handler.fetch(new Request('http://127.0.0.1/mcp'))).status).toBe(405);
        const post = (headers: Record<string, string>, body: string) =>
            handler.fetch(
                new Request('http://127.0.0.1/mcp', {
                    method: 'POST',
                    headers: {
                        'content-type': 'application/json',
                        accept: 'application/json, text/event-stream',
                        ...headers
                    },
                    body
                })
            );
        expect((await post({ origin: 'http://evil.example' }, '{}')).status).toBe(403);
        expect(
            (
                await post(
                    {},
                    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(100) } })
                )
            ).status
        ).toBe(413);
    });
});

describe('serveStdio', () => {
    it('connects the factory server to the transport and closes it', async () => {
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const handle = serveStdio(build([]), { transport: serverSide });
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(clientSide);
        expect((await client.listTools()).tools.map(tool => tool.name)).toEqual(['add']);
        await handle.close();
        await client.close();
    });
});
