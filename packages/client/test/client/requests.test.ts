import type { Progress } from '@modelcontextprotocol/core';
import {
    CallToolResultSchema,
    CapabilityNotSupportedError,
    McpError,
    SdkError,
    NotConnectedError
} from '@modelcontextprotocol/core';
import * as z from 'zod/mini';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Client } from '../../src/client/index.js';
import type { Pair } from '../fixtures/fakeServer.js';
import { connectPair } from '../fixtures/fakeServer.js';
import { until } from '../fixtures/until.js';

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

describe('Client typed requests', () => {
    it('round-trips every typed helper', async () => {
        pair = await connectPair();
        const { client, server } = pair;

        await expect(client.ping()).resolves.toEqual({});
        await expect(
            client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: 'b' } })
        ).resolves.toEqual({ completion: { values: ['beta'], total: 1, hasMore: false } });

        await client.setLoggingLevel('warning');
        expect(server.logLevel).toBe('warning');

        await expect(client.listPrompts()).resolves.toEqual({ prompts: server.prompts });
        const prompt = await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } });
        expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Hello Ada' });

        await expect(client.listResources()).resolves.toEqual({ resources: server.resources });
        await expect(client.listResourceTemplates()).resolves.toEqual({
            resourceTemplates: server.resourceTemplates
        });
        await expect(client.readResource({ uri: 'file:///a.txt' })).resolves.toEqual({
            contents: [{ uri: 'file:///a.txt', text: 'contents of file:///a.txt' }]
        });
        await client.subscribeResource({ uri: 'file:///a.txt' });
        expect([...server.subscriptions]).toEqual(['file:///a.txt']);
        await client.unsubscribeResource({ uri: 'file:///a.txt' });
        expect([...server.subscriptions]).toEqual([]);

        await expect(client.listTools()).resolves.toEqual({ tools: server.tools });
        await expect(client.callTool({ name: 'plain', arguments: {} })).resolves.toEqual({
            content: [{ type: 'text', text: 'called plain' }]
        });

        expect(server.requests('ping')).toHaveLength(1);
        expect(server.requests('completion/complete')).toHaveLength(1);
    });

    it('sends list requests without params when none are given, and with the cursor when given', async () => {
        pair = await connectPair({ pageSize: 1 });
        const { client, server } = pair;
        await client.listResources();
        await client.listResources({ cursor: '1' });
        const [first, second] = server.requests('resources/list');
        expect(first).not.toHaveProperty('params');
        expect(second).toMatchObject({ params: { cursor: '1' } });
    });

    it('surfaces a server error response as McpError with its code', async () => {
        pair = await connectPair();
        const error = await pair.client.callTool({ name: 'nope' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).code).toBe(-32602);
        expect((error as McpError).message).toContain('Unknown tool nope');
    });

    it('parses callTool results with a custom result schema', async () => {
        pair = await connectPair();
        const schema = z.looseObject({
            content: z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))
        });
        const result = await pair.client.callTool({ name: 'plain' }, schema);
        expect(result.content[0]?.text).toBe('called plain');
        await expect(pair.client.callTool({ name: 'plain' }, CallToolResultSchema)).resolves.toHaveProperty('content');
    });

    it('rejects requests before connecting with NotConnectedError', async () => {
        const client = new Client({ name: 'c', version: '1' });
        await expect(client.ping()).rejects.toBeInstanceOf(NotConnectedError);
    });
});

describe('Client capability checks', () => {
    it('with enforceStrictCapabilities, fails fast for methods the server did not advertise and sends nothing', async () => {
        pair = await connectPair({ capabilities: { tools: {} } }, { enforceStrictCapabilities: true });
        const { client, server } = pair;
        const cases: [Promise<unknown>, string][] = [
            [client.listPrompts(), 'prompts'],
            [client.getPrompt({ name: 'greet' }), 'prompts'],
            [client.listResources(), 'resources'],
            [client.listResourceTemplates(), 'resources'],
            [client.readResource({ uri: 'file:///a' }), 'resources'],
            [client.subscribeResource({ uri: 'file:///a' }), 'resources.subscribe'],
            [client.unsubscribeResource({ uri: 'file:///a' }), 'resources'],
            [client.setLoggingLevel('info'), 'logging'],
            [
                client.complete({ ref: { type: 'ref/prompt', name: 'x' }, argument: { name: 'a', value: '' } }),
                'completions'
            ]
        ];
        for (const [promise, capability] of cases) {
            const error = await promise.catch((e: unknown) => e);
            expect(error).toBeInstanceOf(CapabilityNotSupportedError);
            expect((error as CapabilityNotSupportedError).capability).toBe(capability);
            expect((error as CapabilityNotSupportedError).code).toBe('CAPABILITY_NOT_SUPPORTED');
        }
        // Advertised capabilities and ping still work.
        await expect(client.listTools()).resolves.toHaveProperty('tools');
        await expect(client.ping()).resolves.toEqual({});
        expect(server.received.map(m => ('method' in m ? m.method : '')).sort()).toEqual(
            ['initialize', 'notifications/initialized', 'ping', 'tools/list'].sort()
        );
    });

    it('requires resources.subscribe for subscribing in strict mode', async () => {
        pair = await connectPair({ capabilities: { resources: {} } }, { enforceStrictCapabilities: true });
        await expect(pair.client.listResources()).resolves.toHaveProperty('resources');
        await expect(pair.client.subscribeResource({ uri: 'file:///a' })).rejects.toBeInstanceOf(
            CapabilityNotSupportedError
        );
    });

    it('without enforceStrictCapabilities, sends requests regardless of server capabilities', async () => {
        pair = await connectPair({ capabilities: {} });
        await expect(pair.client.listPrompts()).resolves.toHaveProperty('prompts');
        expect(pair.server.requests('prompts/list')).toHaveLength(1);
    });

    it('refuses handlers for server requests whose capability the client did not advertise', () => {
        const client = new Client({ name: 'c', version: '1' });
        for (const [method, capability] of [
            ['sampling/createMessage', 'sampling'],
            ['elicitation/create', 'elicitation'],
            ['roots/list', 'roots']
        ] as const) {
            const error = (() => {
                try {
                    client.setRequestHandler(method, () => {
                        throw new Error('unreachable');
                    });
                } catch (e) {
                    return e;
                }
            })();
            expect(error).toBeInstanceOf(CapabilityNotSupportedError);
            expect((error as CapabilityNotSupportedError).capability).toBe(capability);
        }
        client.registerCapabilities({ sampling: {}, elicitation: {}, roots: {} });
        expect(() => client.setRequestHandler('roots/list', () => ({ roots: [] }))).not.toThrow();
        expect(() =>
            client.setRequestHandler('sampling/createMessage', () => ({
                role: 'assistant',
                content: { type: 'text', text: 'x' },
                model: 'm'
            }))
        ).not.toThrow();
    });

    it('sendRootsListChanged needs roots.listChanged', async () => {
        pair = await connectPair(undefined, { capabilities: { roots: {} } });
        await expect(pair.client.sendRootsListChanged()).rejects.toBeInstanceOf(CapabilityNotSupportedError);
        await pair.client.close();

        pair = await connectPair(undefined, { capabilities: { roots: { listChanged: true } } });
        await pair.client.sendRootsListChanged();
        const server = pair.server;
        await until(() => server.notifications('notifications/roots/list_changed').length === 1, 'roots list_changed');
    });
});

describe('Client progress and cancellation', () => {
    it('delivers progress for callTool and cancels it through the signal', async () => {
        pair = await connectPair();
        const { client, server } = pair;
        const controller = new AbortController();
        const updates: Progress[] = [];
        const call = client.callTool({ name: 'slow' }, undefined, {
            signal: controller.signal,
            onprogress: progress => {
                updates.push(progress);
                controller.abort(new Error('user gave up'));
            }
        });
        await expect(call).rejects.toThrow('user gave up');
        expect(updates).toEqual([{ progress: 1, total: 10, message: 'started' }]);
        await until(() => server.cancelled.length === 1, 'server-side cancellation');
        expect(server.cancelled[0]).toContain('user gave up');
        const [request] = server.requests('tools/call');
        expect(request).toMatchObject({ params: { name: 'slow', _meta: { progressToken: expect.anything() } } });
        expect(server.notifications('notifications/cancelled')).toHaveLength(1);
    });

    it('times out callTool with SdkError(REQUEST_TIMEOUT) and cancels it on the server', async () => {
        pair = await connectPair();
        const { client, server } = pair;
        const error = await client.callTool({ name: 'slow' }, undefined, { timeout: 30 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SdkError);
        expect((error as SdkError).code).toBe('REQUEST_TIMEOUT');
        await until(() => server.cancelled.length === 1, 'server-side cancellation');
    });
});

describe('callTool typing', () => {
    it('types the result as CallToolResult when options come without a schema', () => {
        const _check = (client: Client) => client.callTool({ name: 't' }, undefined, { timeout: 5 });
        expectTypeOf<Awaited<ReturnType<typeof _check>>['isError']>().toEqualTypeOf<boolean | undefined>();
    });
});
