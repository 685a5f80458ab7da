/**
 * The hand-wiring API of the official v2 server for 2026-07-28, over real HTTP: `classifyInboundRequest` decides
 * eras the way the transports do, `isLegacyRequest` + `legacyStatelessFallback` keep 2025 clients served beside a
 * modern-only `createMcpHandler`, a `PerRequestHTTPServerTransport` serves one decoded message, and the handler's
 * `notify` reaches `subscriptions/listen` streams.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
    classifyInboundRequest,
    createMcpHandler,
    isLegacyRequest,
    legacyStatelessFallback,
    McpServer,
    PerRequestHTTPServerTransport
} from '@modelcontextprotocol/server';
import { deferred } from './helpers.js';

const META = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {}
};

function build(): McpServer {
    const server = new McpServer({ name: 'entry', version: '1.0.0' });
    server.registerTool('hello', { description: 'Says hello' }, () => ({ content: [{ type: 'text', text: 'hi' }] }));
    return server;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (closers.length > 0) await closers.pop()!();
});

async function listenOn(handler: (request: Request) => Promise<Response>): Promise<URL> {
    const http = createServer(toNodeHandler({ fetch: handler }));
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    closers.push(
        () =>
            new Promise<void>(resolve => {
                http.closeAllConnections();
                http.close(() => resolve());
            })
    );
    return new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
}

describe('classifyInboundRequest', () => {
    it.each([
        ['a GET', { httpMethod: 'GET' }, 'legacy:http-method'],
        [
            'initialize',
            { httpMethod: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} } },
            'legacy:initialize'
        ],
        ['a batch', { httpMethod: 'POST', body: [{ jsonrpc: '2.0', id: 1, method: 'ping' }] }, 'legacy:batch'],
        [
            'a modern request with its headers',
            {
                httpMethod: 'POST',
                protocolVersionHeader: '2026-07-28',
                mcpMethodHeader: 'tools/list',
                body: { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: META } }
            },
            'modern:request'
        ],
        [
            'a modern request without MCP-Protocol-Version',
            { httpMethod: 'POST', body: { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: META } } },
            'reject:standard-header-validation:400:-32020'
        ],
        ['a modern GET', { httpMethod: 'GET', protocolVersionHeader: '2026-07-28' }, 'reject:http-method:405:-32601'],
        ['not JSON-RPC', { httpMethod: 'POST', body: { hello: 'world' } }, 'reject:jsonrpc-shape:400:-32600']
    ])('%s', (_label, request, expected) => {
        const outcome = classifyInboundRequest(request);
        const summary =
            outcome.kind === 'legacy'
                ? `legacy:${outcome.reason}`
                : outcome.kind === 'modern'
                  ? `modern:${outcome.messageKind}`
                  : `reject:${outcome.rung}:${outcome.httpStatus}:${outcome.code}`;
        expect(summary).toBe(expected);
    });
});

describe('a modern-only handler with a legacy fallback routed by isLegacyRequest', () => {
    it('serves a 2025 client and a 2026 client on one endpoint', async () => {
        const modern = createMcpHandler(build, { legacy: 'reject' });
        const legacy = legacyStatelessFallback(build);
        closers.push(() => modern.close());
        const url = await listenOn(async request =>
            (await isLegacyRequest(request)) ? legacy(request) : modern.fetch(request)
        );
        const old = new Client({ name: 'old', version: '1' });
        await old.connect(new StreamableHTTPClientTransport(url));
        expect(old.getProtocolEra()).toBe('legacy');
        expect((await old.callTool({ name: 'hello' })).content).toEqual([{ type: 'text', text: 'hi' }]);
        await old.close();
        const next = new Client({ name: 'new', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await next.connect(new StreamableHTTPClientTransport(url));
        expect(next.getProtocolEra()).toBe('modern');
        expect((await next.callTool({ name: 'hello' })).content).toEqual([{ type: 'text', text: 'hi' }]);
        await next.close();
        // Without the fallback, the modern-only handler refuses 2025 traffic with the versions it speaks.
        const refused = await modern.fetch(
            new Request(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })
            })
        );
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(-32022);
    });
});

describe('PerRequestHTTPServerTransport', () => {
    it('serves one classified message: JSON by default, SSE when something comes first', async () => {
        const server = new McpServer({ name: 'per-request', version: '1' }, { capabilities: { logging: {} } });
        server.registerTool('loud', { description: 'Logs first' }, async ctx => {
            await ctx.mcpReq.log('info', 'working');
            return { content: [{ type: 'text', text: 'done' }] };
        });
        const message = {
            jsonrpc: '2.0' as const,
            id: 9,
            method: 'tools/call',
            params: { name: 'loud', _meta: { ...META, 'io.modelcontextprotocol/logLevel': 'info' } }
        };
        const transport = new PerRequestHTTPServerTransport({
            classification: { era: 'modern', revision: '2026-07-28' }
        });
        await server.connect(transport);
        const response = await transport.handleMessage(message);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const text = await response.text();
        expect(text).toContain('"method":"notifications/message"');
        expect(text).toContain('"text":"done"');
        await server.close();

        const quiet = new McpServer({ name: 'per-request', version: '1' });
        quiet.registerTool('quiet', { description: 'Answers' }, () => ({ content: [{ type: 'text', text: 'ok' }] }));
        const json = new PerRequestHTTPServerTransport({ classification: { era: 'modern' } });
        await quiet.connect(json);
        const answer = await json.handleMessage({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name: 'quiet', _meta: META }
        });
        expect(answer.headers.get('content-type')).toBe('application/json');
        expect(((await answer.json()) as { result: { content: unknown } }).result.content).toEqual([
            { type: 'text', text: 'ok' }
        ]);
        expect(() => json.handleMessage({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).toThrow(/one message/);
        await quiet.close();
    });
});

describe('createMcpHandler notify', () => {
    it('reaches the subscriptions/listen streams of the servers it made', async () => {
        const handler = createMcpHandler(build);
        closers.push(() => handler.close());
        const url = await listenOn(request => handler.fetch(request));
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        closers.push(() => client.close());
        await client.connect(new StreamableHTTPClientTransport(url));
        const changed = deferred();
        client.setNotificationHandler('notifications/tools/list_changed', () => changed.resolve());
        const subscription = await client.listen({ toolsListChanged: true });
        handler.notify.toolsChanged();
        await changed.promise;
        await subscription.close();
        expect(await subscription.closed).toBe('local');
    });
});
