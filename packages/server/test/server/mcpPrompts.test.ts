import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { ErrorCode } from '@modelcontextprotocol/core';
import type { GetPromptResult } from '@modelcontextprotocol/core';
import { completable, McpServer, ResourceTemplate } from '../../src/server/mcp.js';
import { connectClient, settle } from '../fixtures/testClient.js';

const info = { name: 'prompts-server', version: '1.0.0' };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
});

async function start(server: McpServer) {
    const connected = await connectClient(server);
    open.push(connected.client, server);
    return connected;
}

function say(text: string): GetPromptResult {
    return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

const LANGUAGES = ['python', 'perl', 'php', 'typescript'];

describe('prompts', () => {
    it('lists arguments derived from the schema and renders with validated args', async () => {
        const server = new McpServer(info);
        server.registerPrompt(
            'review',
            {
                title: 'Code review',
                description: 'Review code',
                argsSchema: { code: z.string().describe('The code'), style: z.string().optional() }
            },
            ({ code, style }) => {
                expectTypeOf(code).toEqualTypeOf<string>();
                expectTypeOf(style).toEqualTypeOf<string | undefined>();
                return say(`review ${code} in ${style ?? 'any'} style`);
            }
        );
        const { client, initialize } = await start(server);
        expect(initialize?.capabilities.prompts).toEqual({ listChanged: true });
        expect(await client.call('prompts/list')).toEqual({
            prompts: [
                {
                    name: 'review',
                    title: 'Code review',
                    description: 'Review code',
                    arguments: [
                        { name: 'code', description: 'The code', required: true },
                        { name: 'style', required: false }
                    ]
                }
            ]
        });
        expect(await client.call('prompts/get', { name: 'review', arguments: { code: 'x()' } })).toEqual(
            say('review x() in any style')
        );
    });

    it('rejects missing or invalid arguments with -32602', async () => {
        const server = new McpServer(info);
        server.registerPrompt('p', { argsSchema: { n: zm.string().check(zm.regex(/^\d+$/)) } }, ({ n }) => say(n));
        const { client } = await start(server);
        for (const args of [{}, { n: 'abc' }]) {
            await expect(client.call('prompts/get', { name: 'p', arguments: args })).rejects.toMatchObject({
                code: ErrorCode.InvalidParams,
                message: expect.stringContaining('Invalid arguments for prompt p')
            });
        }
        expect(await client.call('prompts/get', { name: 'p', arguments: { n: '12' } })).toEqual(say('12'));
    });

    it('renders a prompt without arguments and rejects unknown or disabled prompts', async () => {
        const server = new McpServer(info);
        const prompt = server.registerPrompt('hello', {}, extra => say(`hello ${typeof extra.requestId}`));
        const { client } = await start(server);
        expect(await client.call('prompts/get', { name: 'hello' })).toEqual(say('hello number'));
        await expect(client.call('prompts/get', { name: 'nope' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams
        });
        prompt.disable();
        expect((await client.call('prompts/list')).prompts).toEqual([]);
        await expect(client.call('prompts/get', { name: 'hello' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams,
            message: expect.stringContaining('disabled')
        });
        prompt.update({ enabled: true, description: 'Says hello' });
        expect((await client.call('prompts/list')).prompts).toEqual([{ name: 'hello', description: 'Says hello' }]);
        prompt.remove();
        expect((await client.call('prompts/list')).prompts).toEqual([]);
        await settle();
        expect(client.received('notifications/prompts/list_changed')).toHaveLength(3);
    });
});

describe('completion', () => {
    it('completes a prompt argument wrapped in completable, with the context', async () => {
        const server = new McpServer(info);
        const seen: unknown[] = [];
        server.registerPrompt(
            'snippet',
            {
                argsSchema: {
                    language: completable(z.string().describe('Language'), (value, context) => {
                        seen.push(context);
                        return LANGUAGES.filter(l => l.startsWith(value));
                    }),
                    topic: z.string()
                }
            },
            ({ language, topic }) => say(`${language}: ${topic}`)
        );
        const { client, initialize } = await start(server);
        expect(initialize?.capabilities.completions).toEqual({});
        const result = await client.call('completion/complete', {
            ref: { type: 'ref/prompt', name: 'snippet' },
            argument: { name: 'language', value: 'p' },
            context: { arguments: { topic: 'loops' } }
        });
        expect(result.completion).toEqual({ values: ['python', 'perl', 'php'], total: 3, hasMore: false });
        expect(seen).toEqual([{ arguments: { topic: 'loops' } }]);

        // Parsing and listing are unaffected by the wrapper.
        const [prompt] = (await client.call('prompts/list')).prompts;
        expect(prompt!.arguments![0]).toEqual({ name: 'language', description: 'Language', required: true });
        expect(
            await client.call('prompts/get', { name: 'snippet', arguments: { language: 'php', topic: 't' } })
        ).toEqual(say('php: t'));

        // An argument without completer, and an unknown prompt.
        expect(
            (
                await client.call('completion/complete', {
                    ref: { type: 'ref/prompt', name: 'snippet' },
                    argument: { name: 'topic', value: '' }
                })
            ).completion
        ).toEqual({ values: [], hasMore: false });
        await expect(
            client.call('completion/complete', {
                ref: { type: 'ref/prompt', name: 'missing' },
                argument: { name: 'x', value: '' }
            })
        ).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
    });

    it('does not change the schema passed to completable', () => {
        const base = z.string();
        const wrapped = completable(base, () => ['a']);
        expect(wrapped).not.toBe(base);
        expect(wrapped.parse('x')).toBe('x');
    });

    it('completes resource template variables and caps the values at 100', async () => {
        const server = new McpServer(info);
        const ids = Array.from({ length: 150 }, (_, i) => `id-${i}`);
        server.registerResource(
            'item',
            new ResourceTemplate('items://{id}', {
                list: undefined,
                complete: { id: value => ids.filter(id => id.startsWith(value)) }
            }),
            {},
            uri => ({ contents: [{ uri: uri.href, text: '' }] })
        );
        const { client, initialize } = await start(server);
        expect(initialize?.capabilities.completions).toEqual({});
        const many = await client.call('completion/complete', {
            ref: { type: 'ref/resource', uri: 'items://{id}' },
            argument: { name: 'id', value: 'id-' }
        });
        expect(many.completion.values).toHaveLength(100);
        expect(many.completion).toMatchObject({ total: 150, hasMore: true });
        const few = await client.call('completion/complete', {
            ref: { type: 'ref/resource', uri: 'items://{id}' },
            argument: { name: 'id', value: 'id-14' }
        });
        expect(few.completion).toEqual({
            values: ['id-14', ...Array.from({ length: 10 }, (_, i) => `id-14${i}`)],
            total: 11,
            hasMore: false
        });
        await expect(
            client.call('completion/complete', {
                ref: { type: 'ref/resource', uri: 'other://{x}' },
                argument: { name: 'x', value: '' }
            })
        ).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
    });

    it('does not advertise completions when nothing can be completed', async () => {
        const server = new McpServer(info);
        server.registerPrompt('p', { argsSchema: { a: z.string() } }, ({ a }) => say(a));
        const { initialize, client } = await start(server);
        expect(initialize?.capabilities.completions).toBeUndefined();
        await expect(
            client.call('completion/complete', {
                ref: { type: 'ref/prompt', name: 'p' },
                argument: { name: 'a', value: '' }
            })
        ).rejects.toMatchObject({ code: ErrorCode.MethodNotFound });
    });
});

describe('prompt registration keeps its own copy', () => {
    it('lists the prompt as registered when the caller later changes its config object', async () => {
        const server = new McpServer(info);
        const config = { title: 'Greeting', description: 'Says hello' };
        server.registerPrompt('greet', config, () => say('hello'));
        config.title = 'changed';
        const { client } = await start(server);
        const { prompts } = await client.call('prompts/list');
        expect(prompts).toEqual([
            expect.objectContaining({ name: 'greet', title: 'Greeting', description: 'Says hello' })
        ]);
    });
});
