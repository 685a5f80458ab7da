import { afterEach, describe, expect, test } from 'vitest';
import { McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { POST_HEADERS, listen } from '../../../server/test/transports/fixtures.js';
import type { TestServer } from '../../../server/test/transports/fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

/** A stateless server (a new `McpServer` per request, as documented) whose `probe` tool hands its context out. */
async function serve(onContext: (ctx: ServerContext) => unknown): Promise<TestServer> {
    const server = await listen(async (req, res) => {
        const mcp = new McpServer({ name: 'context-test', version: '1.0.0' });
        mcp.registerTool('probe', {}, ctx => ({
            content: [{ type: 'text', text: JSON.stringify(onContext(ctx) ?? null) }]
        }));
        const transport = new NodeStreamableHTTPServerTransport({ enableJsonResponse: true });
        await mcp.connect(transport);
        res.once('close', () => void mcp.close());
        await transport.handleRequest(req, res);
    });
    cleanups.push(() => server.close());
    return server;
}

async function callProbe(server: TestServer, id: number): Promise<unknown> {
    const response = await fetch(server.url, {
        method: 'POST',
        headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-11-25', 'x-probe': `call-${id}` },
        body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'probe', arguments: {} } })
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
    return JSON.parse(body.result.content[0]!.text);
}

describe('handler context', () => {
    test('keeps mcpReq, signal, http and requestInfo when the handler spreads it', async () => {
        const server = await serve(ctx => {
            const copy = { ...ctx };
            const info = { ...ctx.requestInfo! };
            const http = { ...copy.http! };
            return {
                method: copy.mcpReq.method,
                aborted: copy.signal.aborted,
                requestId: copy.requestId,
                probeHeader: info.headers['x-probe'],
                path: info.url?.pathname,
                httpKeys: Object.keys(http).sort(),
                reqHeader: http.req?.headers.get('x-probe')
            };
        });
        expect(await callProbe(server, 7)).toEqual({
            method: 'tools/call',
            aborted: false,
            requestId: 7,
            probeHeader: 'call-7',
            path: '/mcp',
            httpKeys: ['req'],
            reqHeader: 'call-7'
        });
    });

    test('lists its lazy views as own enumerable properties, without authInfo when there is no token', async () => {
        const server = await serve(ctx => ({
            keys: Object.keys(ctx)
                .filter(key => ['mcpReq', 'http', 'signal', 'requestInfo'].includes(key))
                .sort(),
            hasAuthInfo: 'authInfo' in ctx.http!,
            infoKeys: Object.keys(ctx.requestInfo!).sort()
        }));
        expect(await callProbe(server, 1)).toEqual({
            keys: ['http', 'mcpReq', 'requestInfo', 'signal'],
            hasAuthInfo: false,
            infoKeys: ['headers', 'url']
        });
    });

    test('is a plain object that also works through a Proxy or an object inheriting from it', async () => {
        const server = await serve(ctx => {
            const proxied = new Proxy(ctx, {});
            const inheriting = Object.create(ctx) as ServerContext;
            const enumerableSymbols = (target: object) =>
                Object.getOwnPropertySymbols(target).filter(
                    key => Object.getOwnPropertyDescriptor(target, key)?.enumerable
                );
            return {
                plain: [ctx, ctx.http, ctx.requestInfo].map(
                    target => Object.getPrototypeOf(target) === Object.prototype
                ),
                visibleSymbols: [ctx, ctx.http!, ctx.requestInfo!].map(target => enumerableSymbols(target).length),
                proxiedMethod: proxied.mcpReq.method,
                proxiedAborted: proxied.signal.aborted,
                proxiedHeader: new Proxy(ctx.requestInfo!, {}).headers['x-probe'],
                proxiedReq: new Proxy(ctx.http!, {}).req?.headers.get('x-probe'),
                inheritedMethod: inheriting.mcpReq.method,
                inheritedPath: inheriting.http?.req?.url
            };
        });
        const result = (await callProbe(server, 3)) as Record<string, unknown>;
        expect(result).toMatchObject({
            plain: [true, true, true],
            visibleSymbols: [0, 0, 0],
            proxiedMethod: 'tools/call',
            proxiedAborted: false,
            proxiedHeader: 'call-3',
            proxiedReq: 'call-3',
            inheritedMethod: 'tools/call'
        });
        expect(String(result.inheritedPath)).toMatch(/\/mcp$/);
    });

    test('shares its accessor functions across requests (one hidden class for every request context)', async () => {
        // Getters written in a per-request object literal give every context a hidden class of its own, which the
        // engine keeps in the old generation: each request's objects then outlive it until a full GC.
        const seen: ServerContext[] = [];
        const server = await serve(ctx => {
            seen.push(ctx);
            return null;
        });
        await callProbe(server, 1);
        await callProbe(server, 2);
        const [first, second] = seen as [ServerContext, ServerContext];
        const getter = (target: object, key: string) => Object.getOwnPropertyDescriptor(target, key)?.get;
        for (const key of ['mcpReq', 'http', 'signal']) {
            expect(getter(first, key), key).toBeTypeOf('function');
            expect(getter(first, key), key).toBe(getter(second, key));
        }
        for (const key of ['headers', 'url']) {
            expect(getter(first.requestInfo!, key), key).toBeTypeOf('function');
            expect(getter(first.requestInfo!, key), key).toBe(getter(second.requestInfo!, key));
        }
        expect(getter(first.http!, 'req')).toBeTypeOf('function');
        expect(getter(first.http!, 'req')).toBe(getter(second.http!, 'req'));
    });
});
