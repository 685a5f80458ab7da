/**
 * Low-level handler code written for the official v2 SDK runs unchanged over real HTTP: `setRequestHandler`
 * with a spec method types `ctx` as the server's context (`ctx.mcpReq.log`), the three-argument form validates
 * a custom method's params with any Standard Schema (zod, valibot) and hands the handler the parsed params, and
 * custom notifications work the same way. Plus the v2 message schemas and guards.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import {
    CallToolRequestSchema,
    Client,
    ClientRequestSchema,
    InMemoryTransport,
    INVALID_PARAMS,
    isCallToolResult,
    isInitializeRequest,
    isInitializedNotification,
    McpError,
    ProtocolError,
    SdkError,
    SdkErrorCode
} from '@modelcontextprotocol/client';
import type { CallToolRequest, LoggingMessageNotificationParams, RequestTypeMap } from '@modelcontextprotocol/client';
import { McpServer, readRequestBody, RegistrationError } from '@modelcontextprotocol/server';
import { SERVE_MODES, connectClient, deferred, serveMcp, useCleanup } from './helpers.js';

const SearchParams = z.object({ query: z.string().min(1), limit: z.number().int().default(3) });
const SearchResult = z.object({ hits: z.array(z.string()) });

function lowLevelServer(notes: string[]): McpServer {
    const mcp = new McpServer({ name: 'v2-low-level', version: '1.0.0' }, { capabilities: { logging: {}, tools: {} } });
    mcp.server.setRequestHandler('tools/list', () => ({
        tools: [{ name: 'echo', inputSchema: { type: 'object' } }]
    }));
    mcp.server.setRequestHandler('tools/call', async (request: CallToolRequest, ctx) => {
        await ctx.mcpReq.log('info', { tool: request.params.name });
        return { content: [{ type: 'text', text: `called ${request.params.name}` }] };
    });
    mcp.server.setRequestHandler('acme/search', { params: SearchParams, result: SearchResult }, async params => ({
        hits: Array.from({ length: params.limit }, (_, i) => `${params.query}#${i}`)
    }));
    mcp.server.setRequestHandler(
        'acme/tag',
        {
            params: v.object({
                tag: v.pipe(
                    v.string(),
                    v.transform(s => s.toUpperCase())
                )
            })
        },
        async params => ({ tag: params.tag })
    );
    mcp.server.setNotificationHandler('acme/note', { params: z.object({ text: z.string() }) }, params => {
        notes.push(params.text);
    });
    return mcp;
}

describe('low-level v2 handlers over Streamable HTTP', () => {
    const defer = useCleanup();

    it.each(SERVE_MODES.filter(mode => !mode.stateless))('$name', async mode => {
        const notes: string[] = [];
        const served = await serveMcp(() => lowLevelServer(notes), { mode });
        defer(() => served.close());
        const logs: LoggingMessageNotificationParams[] = [];
        const { client } = await connectClient(served.url, defer, {
            setup: c => c.setNotificationHandler('notifications/message', n => void logs.push(n.params))
        });
        await client.setLoggingLevel('debug');

        const called = await client.callTool({ name: 'echo', arguments: {} });
        expect(called.content).toEqual([{ type: 'text', text: 'called echo' }]);
        // In JSON-response mode a request's own notifications have no stream to travel on.
        expect(logs).toEqual(mode.json ? [] : [{ level: 'info', data: { tool: 'echo' } }]);

        // Defaults and transforms of the schema reach the handler.
        const search = await client.request({ method: 'acme/search', params: { query: 'mcp' } }, SearchResult);
        expect(search).toEqual({ hits: ['mcp#0', 'mcp#1', 'mcp#2'] });
        const tagged = await client.request(
            { method: 'acme/tag', params: { tag: 'abc' } },
            z.object({ tag: z.string() })
        );
        expect(tagged).toEqual({ tag: 'ABC' });

        // Invalid params are answered with -32602 and the handler does not run.
        const refused = await client
            .request({ method: 'acme/search', params: { query: '' } }, SearchResult)
            .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ProtocolError);
        expect(refused).toBeInstanceOf(McpError);
        expect((refused as ProtocolError).code).toBe(INVALID_PARAMS);
        expect((refused as ProtocolError).message).toMatch(/acme\/search/);
        const missing = await client.request({ method: 'acme/tag' }, SearchResult).catch((error: unknown) => error);
        expect((missing as ProtocolError).code).toBe(INVALID_PARAMS);

        // A custom notification with valid params reaches its handler; an invalid one does not.
        const seen = deferred();
        const before = notes.length;
        await client.notification({ method: 'acme/note', params: { text: 42 } as never });
        await client.notification({ method: 'acme/note', params: { text: 'hello' } });
        const poll = setInterval(() => notes.length > before && seen.resolve(), 5);
        await seen.promise;
        clearInterval(poll);
        expect(notes).toEqual(['hello']);
    });
});

describe('the v2 message schemas and guards', () => {
    it('parse whole requests and tell the method apart', () => {
        const request: RequestTypeMap['tools/call'] = {
            method: 'tools/call',
            params: { name: 'x', arguments: { a: 1 } }
        };
        expect(CallToolRequestSchema.parse(request)).toEqual(request);
        expect(CallToolRequestSchema.safeParse({ method: 'tools/call', params: {} }).success).toBe(false);
        expect(ClientRequestSchema.parse({ method: 'tools/list' })).toEqual({ method: 'tools/list' });
        expect(ClientRequestSchema.safeParse({ method: 'sampling/createMessage', params: {} }).success).toBe(false);
    });

    it('recognise initialize, initialized and tool results', () => {
        const init = {
            method: 'initialize',
            params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } }
        };
        expect(isInitializeRequest(init)).toBe(true);
        expect(isInitializeRequest({ method: 'initialize', params: {} })).toBe(false);
        expect(isInitializedNotification({ method: 'notifications/initialized' })).toBe(true);
        expect(isInitializedNotification({ method: 'notifications/cancelled' })).toBe(false);
        expect(isCallToolResult({ content: [{ type: 'text', text: 'ok' }] })).toBe(true);
        expect(isCallToolResult({ content: 'nope' })).toBe(false);
    });
});

describe('McpServerOptions.maxToolInputElements and readRequestBody', () => {
    it('refuses tool arguments with more elements than the limit before validating them', async () => {
        const server = new McpServer({ name: 'bounded', version: '1.0.0' }, { maxToolInputElements: 10 });
        let calls = 0;
        server.registerTool('sum', { inputSchema: { values: z.array(z.number()) } }, ({ values }) => {
            calls++;
            return { content: [{ type: 'text', text: String(values.reduce((a, b) => a + b, 0)) }] };
        });
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(clientSide);
        const ok = await client.callTool({ name: 'sum', arguments: { values: [1, 2, 3] } });
        expect(ok.content).toEqual([{ type: 'text', text: '6' }]);
        const refused = await client
            .callTool({ name: 'sum', arguments: { values: Array.from({ length: 50 }, () => 1) } })
            .catch((error: unknown) => error);
        expect((refused as ProtocolError).code).toBe(INVALID_PARAMS);
        const nested = await client
            .callTool({ name: 'sum', arguments: { values: [[[[[[[[[[[1]]]]]]]]]]] } })
            .catch((error: unknown) => error);
        expect((nested as ProtocolError).code).toBe(INVALID_PARAMS);
        expect(calls).toBe(1);
        await client.close();
        expect(() => new McpServer({ name: 'x', version: '1' }, { maxToolInputElements: 0 })).toThrow(
            RegistrationError
        );
    });

    it('readRequestBody reads within the limit and refuses beyond it without reading on', async () => {
        const small = await readRequestBody(new Request('http://x/', { method: 'POST', body: 'hello' }), 10);
        expect(small).toEqual({ tooLarge: false, text: 'hello' });
        const declared = await readRequestBody(
            new Request('http://x/', { method: 'POST', body: 'x'.repeat(20), headers: { 'content-length': '20' } }),
            10
        );
        expect(declared).toEqual({ tooLarge: true });
        let pulled = 0;
        const endless = new ReadableStream<Uint8Array>({
            pull(controller) {
                pulled++;
                controller.enqueue(new Uint8Array(1024));
            }
        });
        const streamed = await readRequestBody(
            new Request('http://x/', { method: 'POST', body: endless, duplex: 'half' } as RequestInit),
            4096
        );
        expect(streamed).toEqual({ tooLarge: true });
        expect(pulled).toBeLessThan(10);
    });
});

describe('the three-argument handler form checks its schema at registration', () => {
    it('refuses something that is not a Standard Schema with SdkError INVALID_HANDLER_SCHEMA', () => {
        const server = new McpServer({ name: 's', version: '1' });
        const register = (schemas: unknown) =>
            server.server.setRequestHandler('acme/x', schemas as { params: typeof SearchParams }, () => ({}));
        expect(() => register({})).toThrow(SdkError);
        expect(() => register({ params: { type: 'object' } })).toThrow(
            expect.objectContaining({ code: SdkErrorCode.InvalidHandlerSchema })
        );
        expect(() =>
            server.server.setNotificationHandler('acme/n', { params: 42 as unknown as typeof SearchParams }, () => {})
        ).toThrow(SdkError);
    });

    it('refuses the v1 form setRequestHandler(RequestSchema, handler) instead of registering a handler nothing reaches', () => {
        const server = new McpServer({ name: 's', version: '1' });
        expect(() =>
            server.server.setRequestHandler(CallToolRequestSchema as unknown as 'tools/call', () => ({ content: [] }))
        ).toThrow(/by method name/);
    });
});
