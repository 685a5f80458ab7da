import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { ErrorCode, UrlElicitationRequiredError } from '@modelcontextprotocol/core';
import type { CallToolResult, Tool } from '@modelcontextprotocol/core';
import { McpServer, RegistrationError } from '../../src/server/mcp.js';
import type { JsonSchemaObject } from '../../src/server/mcp.js';
import { connectClient, settle } from '../fixtures/testClient.js';

const info = { name: 'tools-server', version: '1.0.0' };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
});

async function start(server: McpServer) {
    const connected = await connectClient(server);
    open.push(connected.client, server);
    return connected;
}

function text(value: string): CallToolResult {
    return { content: [{ type: 'text', text: value }] };
}

async function listTools(server: McpServer): Promise<Tool[]> {
    const { client } = await start(server);
    return (await client.call('tools/list')).tools;
}

describe('tool schemas', () => {
    it('lists a classic zod object schema as JSON Schema and parses arguments with it', async () => {
        const server = new McpServer(info);
        server.registerTool(
            'greet',
            {
                description: 'Greets',
                inputSchema: z.object({ name: z.string().describe('who'), times: z.number().default(1) })
            },
            ({ name, times }) => {
                expectTypeOf(name).toEqualTypeOf<string>();
                expectTypeOf(times).toEqualTypeOf<number>();
                return text(`${name}x${times}`);
            }
        );
        const { client } = await start(server);
        const [tool] = (await client.call('tools/list')).tools;
        expect(tool).toMatchObject({
            name: 'greet',
            description: 'Greets',
            inputSchema: {
                type: 'object',
                properties: { name: { type: 'string', description: 'who' }, times: { type: 'number', default: 1 } },
                required: ['name']
            }
        });
        expect(await client.call('tools/call', { name: 'greet', arguments: { name: 'Ada' } })).toEqual(text('Adax1'));
    });

    it('accepts a zod mini object schema', async () => {
        const server = new McpServer(info);
        server.registerTool('len', { inputSchema: zm.object({ s: zm.string() }) }, ({ s }) => text(String(s.length)));
        const { client } = await start(server);
        expect((await client.call('tools/list')).tools[0]!.inputSchema).toMatchObject({
            type: 'object',
            properties: { s: { type: 'string' } },
            required: ['s']
        });
        expect(await client.call('tools/call', { name: 'len', arguments: { s: 'abcd' } })).toEqual(text('4'));
    });

    it('wraps a raw shape (classic and mini fields) in an object schema', async () => {
        const server = new McpServer(info);
        server.registerTool('add', { inputSchema: { a: z.number(), b: zm.optional(zm.number()) } }, ({ a, b }) => {
            expectTypeOf(a).toEqualTypeOf<number>();
            expectTypeOf(b).toEqualTypeOf<number | undefined>();
            return text(String(a + (b ?? 0)));
        });
        const { client } = await start(server);
        expect((await client.call('tools/list')).tools[0]!.inputSchema).toMatchObject({
            type: 'object',
            properties: { a: { type: 'number' }, b: { type: 'number' } },
            required: ['a']
        });
        expect(await client.call('tools/call', { name: 'add', arguments: { a: 2, b: 3 } })).toEqual(text('5'));
        expect(await client.call('tools/call', { name: 'add', arguments: { a: 2 } })).toEqual(text('2'));
    });

    it('lists a JSON Schema 2020-12 exactly as given and validates arguments against it', async () => {
        const inputSchema = {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object' as const,
            $defs: { point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false } },
            properties: { from: { $ref: '#/$defs/point' }, to: { $ref: '#/$defs/point' }, label: { type: 'string' } },
            required: ['from', 'to'],
            additionalProperties: false,
            'x-vendor': { kept: true }
        };
        const snapshot = structuredClone(inputSchema);
        const server = new McpServer(info);
        server.registerTool('distance', { inputSchema }, args => {
            expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>();
            const [x1, y1] = args.from as [number, number];
            const [x2, y2] = args.to as [number, number];
            return text(String(Math.hypot(x2 - x1, y2 - y1)));
        });
        const { client } = await start(server);
        expect((await client.call('tools/list')).tools[0]!.inputSchema).toEqual(snapshot);

        const ok = await client.call('tools/call', { name: 'distance', arguments: { from: [0, 0], to: [3, 4] } });
        expect(ok).toEqual(text('5'));
        for (const bad of [{ from: [0, 0] }, { from: [0, 0], to: [1, 2, 3] }, { from: [0, 0], to: [1, 2], extra: 1 }]) {
            const result = await client.call('tools/call', { name: 'distance', arguments: bad });
            expect(result.isError).toBe(true);
            expect((result.content[0] as { text: string }).text).toMatch(/Input validation error/);
        }
    });

    it('lists a tool without input schema with an empty object schema and calls it with extra only', async () => {
        const server = new McpServer(info);
        server.registerTool('now', { title: 'Now' }, extra => text(`request ${String(extra.requestId)}`));
        const { client } = await start(server);
        const [tool] = (await client.call('tools/list')).tools;
        expect(tool).toEqual({ name: 'now', title: 'Now', inputSchema: { type: 'object', properties: {} } });
        const result = await client.call('tools/call', { name: 'now' });
        expect((result.content[0] as { text: string }).text).toMatch(/^request \d+$/);
    });

    it('supports zod schemas with async refinements', async () => {
        const server = new McpServer(info);
        const inputSchema = z.object({ code: z.string().refine(async value => value === 'open-sesame') });
        server.registerTool('door', { inputSchema }, () => text('opened'));
        const { client } = await start(server);
        expect(await client.call('tools/call', { name: 'door', arguments: { code: 'open-sesame' } })).toEqual(
            text('opened')
        );
        const denied = await client.call('tools/call', { name: 'door', arguments: { code: 'nope' } });
        expect(denied.isError).toBe(true);
    });

    it('refuses schemas that do not describe an object', () => {
        const server = new McpServer(info);
        const invalid = [z.string(), { type: 'string' }, 'nope', { properties: {} }] as unknown as JsonSchemaObject[];
        for (const inputSchema of invalid) {
            expect(() => server.registerTool('bad', { inputSchema }, () => text(''))).toThrow(RegistrationError);
        }
        try {
            server.registerTool('bad', { inputSchema: z.string() as unknown as JsonSchemaObject }, () => text(''));
        } catch (error) {
            expect(error).toMatchObject({ code: 'INVALID_SCHEMA' });
        }
    });

    it('refuses a duplicate tool name', () => {
        const server = new McpServer(info);
        server.registerTool('a', {}, () => text(''));
        expect(() => server.registerTool('a', {}, () => text(''))).toThrow(
            expect.objectContaining({ code: 'ALREADY_REGISTERED' })
        );
    });

    it('advertises tools with listChanged', async () => {
        const server = new McpServer(info);
        server.registerTool('a', {}, () => text(''));
        const { initialize } = await start(server);
        expect(initialize?.capabilities.tools).toEqual({ listChanged: true });
    });

    it('lists annotations, icons, execution and _meta', async () => {
        const server = new McpServer(info);
        server.registerTool(
            'x',
            {
                annotations: { readOnlyHint: true },
                icons: [{ src: 'https://example.com/i.png' }],
                execution: { taskSupport: 'forbidden' },
                _meta: { owner: 'me' }
            },
            () => text('')
        );
        expect((await listTools(server))[0]).toMatchObject({
            annotations: { readOnlyHint: true },
            icons: [{ src: 'https://example.com/i.png' }],
            execution: { taskSupport: 'forbidden' },
            _meta: { owner: 'me' }
        });
    });
});

describe('tools/call errors', () => {
    it('reports invalid arguments as a tool error result', async () => {
        const server = new McpServer(info);
        server.registerTool('sq', { inputSchema: { n: z.number() } }, ({ n }) => text(String(n * n)));
        const { client } = await start(server);
        const result = await client.call('tools/call', { name: 'sq', arguments: { n: 'four' } });
        expect(result.isError).toBe(true);
        expect((result.content[0] as { text: string }).text).toMatch(
            /Invalid arguments for tool sq: n: expected number/
        );
    });

    it('answers an unknown tool with -32602', async () => {
        const server = new McpServer(info);
        server.registerTool('a', {}, () => text(''));
        const { client } = await start(server);
        await expect(client.call('tools/call', { name: 'b' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams,
            message: expect.stringContaining('Tool b not found')
        });
    });

    it('reports a handler failure as a tool error result', async () => {
        const server = new McpServer(info);
        server.registerTool('boom', {}, () => {
            throw new Error('kaput');
        });
        const { client } = await start(server);
        expect(await client.call('tools/call', { name: 'boom' })).toEqual({
            content: [{ type: 'text', text: 'kaput' }],
            isError: true
        });
    });

    it('lets a URL elicitation requirement through as a protocol error', async () => {
        const server = new McpServer(info);
        const elicitation = {
            mode: 'url' as const,
            elicitationId: 'e1',
            url: 'https://example.com/auth',
            message: 'Log in'
        };
        server.registerTool('needs-login', {}, () => {
            throw new UrlElicitationRequiredError([elicitation]);
        });
        const { client } = await start(server);
        const error = await client.call('tools/call', { name: 'needs-login' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UrlElicitationRequiredError);
        expect((error as UrlElicitationRequiredError).elicitations).toEqual([elicitation]);
    });
});

describe('output schemas', () => {
    const outputSchema = { sum: z.number() };

    it('lists the output schema and returns valid structured content', async () => {
        const server = new McpServer(info);
        server.registerTool('sum', { inputSchema: { a: z.number() }, outputSchema }, ({ a }) => ({
            content: [{ type: 'text', text: String(a) }],
            structuredContent: { sum: a }
        }));
        const { client } = await start(server);
        expect((await client.call('tools/list')).tools[0]!.outputSchema).toMatchObject({
            type: 'object',
            properties: { sum: { type: 'number' } },
            required: ['sum']
        });
        expect(await client.call('tools/call', { name: 'sum', arguments: { a: 2 } })).toMatchObject({
            structuredContent: { sum: 2 }
        });
    });

    it('fails with -32602 when structured content is missing or invalid', async () => {
        const server = new McpServer(info);
        server.registerTool('missing', { outputSchema }, () => text('no structure'));
        server.registerTool('wrong', { outputSchema }, () => ({ content: [], structuredContent: { sum: 'two' } }));
        server.registerTool('json', { outputSchema: { type: 'object', required: ['sum'] } }, () => ({
            content: [],
            structuredContent: { total: 2 }
        }));
        const { client } = await start(server);
        await expect(client.call('tools/call', { name: 'missing' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams,
            message: expect.stringContaining('no structured content')
        });
        for (const name of ['wrong', 'json']) {
            await expect(client.call('tools/call', { name })).rejects.toMatchObject({
                code: ErrorCode.InvalidParams,
                message: expect.stringContaining('Invalid structured content')
            });
        }
    });

    it('does not require structured content on error results', async () => {
        const server = new McpServer(info);
        server.registerTool('fails', { outputSchema }, () => ({ content: [], isError: true }));
        const { client } = await start(server);
        expect(await client.call('tools/call', { name: 'fails' })).toEqual({ content: [], isError: true });
    });
});

describe('changing tools', () => {
    it('disables, enables, updates and removes a tool, notifying the client', async () => {
        const server = new McpServer(info);
        const tool = server.registerTool('t', { description: 'one' }, () => text('v1'));
        const { client } = await start(server);

        tool.disable();
        expect(tool.enabled).toBe(false);
        await settle();
        expect((await client.call('tools/list')).tools).toEqual([]);
        await expect(client.call('tools/call', { name: 't' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams,
            message: expect.stringContaining('disabled')
        });

        tool.enable();
        tool.update({ description: 'two', callback: () => text('v2') });
        await settle();
        expect((await client.call('tools/list')).tools).toEqual([
            { name: 't', description: 'two', inputSchema: { type: 'object', properties: {} } }
        ]);
        expect(await client.call('tools/call', { name: 't' })).toEqual(text('v2'));

        tool.update({ name: 'renamed', inputSchema: { x: z.string() }, callback: ({ x }: { x: string }) => text(x) });
        expect(await client.call('tools/call', { name: 'renamed', arguments: { x: 'hi' } })).toEqual(text('hi'));
        await expect(client.call('tools/call', { name: 't' })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });

        tool.remove();
        expect((await client.call('tools/list')).tools).toEqual([]);
        await settle();
        // disable; enable+update (same tick); rename; remove → four coalesced notifications.
        expect(client.received('notifications/tools/list_changed')).toHaveLength(4);
    });

    it('coalesces several registrations in one tick into one list_changed notification', async () => {
        const server = new McpServer(info);
        server.registerTool('first', {}, () => text(''));
        const { client } = await start(server);
        server.registerTool('a', {}, () => text(''));
        server.registerTool('b', {}, () => text(''));
        server.registerTool('c', {}, () => text(''));
        await settle();
        expect(client.received('notifications/tools/list_changed')).toHaveLength(1);
        expect((await client.call('tools/list')).tools.map(t => t.name)).toEqual(['first', 'a', 'b', 'c']);
    });

    it('does not notify before a client is connected', async () => {
        const server = new McpServer(info);
        server.registerTool('a', {}, () => text('')).disable();
        const { client } = await start(server);
        await settle();
        expect(client.received('notifications/tools/list_changed')).toHaveLength(0);
    });

    it('keeps the tool unchanged when an update brings an invalid schema', async () => {
        const server = new McpServer(info);
        const tool = server.registerTool('t', { inputSchema: { a: z.string() } }, ({ a }) => text(a));
        expect(() => tool.update({ inputSchema: z.number() })).toThrow(RegistrationError);
        const { client } = await start(server);
        expect(await client.call('tools/call', { name: 't', arguments: { a: 'ok' } })).toEqual(text('ok'));
    });
});

describe('request context', () => {
    it('sends progress notifications related to the call', async () => {
        const server = new McpServer(info);
        server.registerTool('work', {}, async extra => {
            const progressToken = extra._meta?.progressToken;
            if (progressToken === undefined) return text('no token');
            for (let i = 1; i <= 3; i++) {
                await extra.sendNotification({
                    method: 'notifications/progress',
                    params: { progressToken, progress: i, total: 3, message: `step ${i}` }
                });
            }
            return text('done');
        });
        const { client } = await start(server);
        const updates: unknown[] = [];
        const result = await client.call('tools/call', { name: 'work' }, { onprogress: p => updates.push(p) });
        expect(result).toEqual(text('done'));
        expect(updates).toEqual([
            { progress: 1, total: 3, message: 'step 1' },
            { progress: 2, total: 3, message: 'step 2' },
            { progress: 3, total: 3, message: 'step 3' }
        ]);
    });

    it('aborts the handler signal when the client cancels', async () => {
        const server = new McpServer(info);
        let started!: () => void;
        const running = new Promise<void>(resolve => (started = resolve));
        let abortReason: unknown;
        server.registerTool('slow', {}, extra => {
            started();
            return new Promise(resolve => {
                extra.signal.addEventListener('abort', () => {
                    abortReason = extra.signal.reason;
                    resolve(text('aborted'));
                });
            });
        });
        const { client } = await start(server);
        const controller = new AbortController();
        const call = client.call('tools/call', { name: 'slow' }, { signal: controller.signal });
        await running;
        controller.abort(new Error('user cancelled'));
        await expect(call).rejects.toThrow('user cancelled');
        await settle();
        expect(abortReason).toBe('user cancelled');
    });

    it('lets a tool log through the server at the level the client set', async () => {
        const server = new McpServer(info, { capabilities: { logging: {} } });
        server.registerTool('chatty', {}, async extra => {
            await server.sendLoggingMessage({ level: 'debug', data: 'noise' }, extra.sessionId);
            await server.sendLoggingMessage({ level: 'error', data: 'signal' }, extra.sessionId);
            return text('ok');
        });
        const { client } = await start(server);
        await client.call('logging/setLevel', { level: 'info' });
        await client.call('tools/call', { name: 'chatty' });
        await settle();
        expect(client.received('notifications/message').map(n => n.params?.data)).toEqual(['signal']);
    });
});

describe('registration keeps its own copy', () => {
    // The server keeps copies of the caller's objects rather than the objects themselves: a per-request factory's
    // literals would otherwise stay reachable from every server it builds (which is also what made V8 pretenure
    // those literals and promote each per-request server to the old generation).
    it('lists the tool as registered when the caller later changes its config object', async () => {
        const server = new McpServer(info);
        const config = { title: 'Adder', description: 'Adds' };
        server.registerTool('add', config, () => text('3'));
        config.title = 'changed';
        config.description = 'changed';
        const [tool] = await listTools(server);
        expect(tool).toMatchObject({ name: 'add', title: 'Adder', description: 'Adds' });
    });

    it('answers initialize with the server info it was built with', async () => {
        const serverInfo = { name: 'copy-server', version: '1.0.0' };
        const server = new McpServer(serverInfo);
        serverInfo.version = '9.9.9';
        const { initialize } = await start(server);
        expect(initialize?.serverInfo).toMatchObject({ name: 'copy-server', version: '1.0.0' });
    });
});
