/**
 * Our Client against our McpServer over loopback HTTP, in the four Streamable HTTP modes: every
 * client → server request type and its result. Stateless mode serves each request with a fresh server and
 * transport, so what needs a session (subscriptions that later notify, a kept log level) is tested only as far
 * as that mode allows, and the test names say so.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { ErrorCode, LATEST_PROTOCOL_VERSION, McpError, ToolOutputValidationError } from '@modelcontextprotocol/client';
import type { ConnectedClient, ServedMcp } from './helpers.js';
import { connectClient, firstText, SERVE_MODES, serveMcp, useCleanup } from './helpers.js';
import {
    AUDIO_BASE64,
    buildEverythingServer,
    INSTRUCTIONS,
    PNG_BASE64,
    SERVER_INFO,
    USER_IDS
} from '../fixtures/everythingServer.js';

const defer = useCleanup();

describe.each(SERVE_MODES)('$name: client → server requests', mode => {
    let served: ServedMcp;
    let conn: ConnectedClient;

    beforeEach(async () => {
        served = await serveMcp(buildEverythingServer, { mode });
        defer(() => served.close());
        conn = await connectClient(served.url, defer);
    });

    test('initialize negotiates the latest revision and reports server info, capabilities and instructions', async () => {
        const { client, transport, exchanges } = conn;
        expect(client.getNegotiatedProtocolVersion()).toBe(LATEST_PROTOCOL_VERSION);
        expect(client.getServerVersion()).toEqual(SERVER_INFO);
        expect(client.getInstructions()).toBe(INSTRUCTIONS);
        expect(client.getServerCapabilities()).toMatchObject({
            tools: { listChanged: true },
            resources: { subscribe: true, listChanged: true },
            prompts: { listChanged: true },
            completions: {},
            logging: {}
        });
        if (mode.stateless) expect(transport.sessionId).toBeUndefined();
        else expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        // Every message after initialize carries the negotiated revision.
        await client.ping();
        const posts = exchanges.filter(e => e.method === 'POST');
        expect(posts[0]!.headers.has('mcp-protocol-version')).toBe(false);
        for (const post of posts.slice(1))
            expect(post.headers.get('mcp-protocol-version')).toBe(LATEST_PROTOCOL_VERSION);
    });

    test('ping resolves with an empty result', async () => {
        await expect(conn.client.ping()).resolves.toEqual({});
    });

    test('tools/list lists every tool with its schemas', async () => {
        const { tools } = await conn.client.listTools();
        expect(tools.map(t => t.name)).toEqual([
            'echo',
            'media',
            'stats',
            'broken-output',
            'fail',
            'progress',
            'log',
            'add-tool',
            'touch',
            'sample',
            'elicit',
            'roots'
        ]);
        const stats = tools.find(t => t.name === 'stats')!;
        expect(stats.inputSchema).toMatchObject({ type: 'object', properties: { values: { type: 'array' } } });
        expect(stats.outputSchema).toMatchObject({ type: 'object', required: ['count', 'sum'] });
    });

    test('tools/call returns text, image, audio, resource_link and embedded resource content', async () => {
        const result = await conn.client.callTool({ name: 'media' });
        expect(result.content).toEqual([
            { type: 'text', text: 'hello' },
            { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
            { type: 'audio', data: AUDIO_BASE64, mimeType: 'audio/wav' },
            { type: 'resource_link', uri: 'config://app', name: 'config', mimeType: 'text/plain' },
            { type: 'resource', resource: { uri: 'config://inline', mimeType: 'text/plain', text: 'inline' } }
        ]);
        expect(result.isError).toBeUndefined();
    });

    test('tools/call passes validated arguments and returns structuredContent matching the outputSchema', async () => {
        await conn.client.listTools(); // the client remembers output schemas from the listing
        const result = await conn.client.callTool({ name: 'stats', arguments: { values: [1, 2, 3.5] } });
        expect(result.structuredContent).toEqual({ count: 3, sum: 6.5 });
        expect(JSON.parse(firstText(result))).toEqual({ count: 3, sum: 6.5 });
        await expect(conn.client.callTool({ name: 'echo', arguments: { text: 'hi' } })).resolves.toMatchObject({
            content: [{ type: 'text', text: 'hi' }]
        });
    });

    test('invalid arguments come back as an isError result, not a protocol error', async () => {
        const result = await conn.client.callTool({ name: 'stats', arguments: { values: 'nope' } });
        expect(result.isError).toBe(true);
        expect(firstText(result)).toMatch(/Input validation error/);
    });

    test('a throwing tool yields an isError result with its message', async () => {
        const result = await conn.client.callTool({ name: 'fail' });
        expect(result).toEqual({ content: [{ type: 'text', text: 'the tool broke' }], isError: true });
    });

    test('structuredContent breaking the outputSchema is rejected by the server with -32602', async () => {
        const error = await conn.client.callTool({ name: 'broken-output' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
        expect((error as McpError).message).toMatch(/Output validation error/);
    });

    test('an unknown tool is a JSON-RPC -32602 error', async () => {
        await expect(conn.client.callTool({ name: 'nope' })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
    });

    test('resources/list merges fixed resources with the template lister', async () => {
        const { resources } = await conn.client.listResources();
        expect(resources).toEqual([
            { uri: 'config://app', name: 'config', mimeType: 'text/plain', title: 'App config' },
            ...USER_IDS.map(id => ({
                uri: `users://${id}/profile`,
                name: `${id} profile`,
                mimeType: 'application/json'
            }))
        ]);
    });

    test('resources/templates/list lists the URI template', async () => {
        const { resourceTemplates } = await conn.client.listResourceTemplates();
        expect(resourceTemplates).toEqual([
            { uriTemplate: 'users://{id}/profile', name: 'user-profile', mimeType: 'application/json' }
        ]);
    });

    test('resources/read reads a fixed resource and a templated one, and -32002 for an unknown URI', async () => {
        await expect(conn.client.readResource({ uri: 'config://app' })).resolves.toEqual({
            contents: [{ uri: 'config://app', mimeType: 'text/plain', text: 'debug=false' }]
        });
        const profile = await conn.client.readResource({ uri: 'users://bob/profile' });
        expect(profile.contents).toEqual([
            { uri: 'users://bob/profile', mimeType: 'application/json', text: '{"id":"bob"}' }
        ]);
        await expect(conn.client.readResource({ uri: 'nothing://here' })).rejects.toMatchObject({
            code: ErrorCode.ResourceNotFound
        });
    });

    test('prompts/list lists prompts with their arguments', async () => {
        const { prompts } = await conn.client.listPrompts();
        expect(prompts).toEqual([
            {
                name: 'greet',
                title: 'Greeting',
                description: 'Greets someone in a language',
                arguments: [
                    { name: 'name', description: 'Who to greet', required: true },
                    { name: 'language', required: false }
                ]
            },
            { name: 'simple', description: 'No arguments' }
        ]);
    });

    test('prompts/get renders a prompt with arguments; a missing required argument is -32602', async () => {
        const greet = await conn.client.getPrompt({
            name: 'greet',
            arguments: { name: 'Ada', language: 'french' }
        });
        expect(greet.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Greet Ada in french' } }]);
        const simple = await conn.client.getPrompt({ name: 'simple' });
        expect(simple.messages).toEqual([{ role: 'assistant', content: { type: 'text', text: 'simple prompt' } }]);
        await expect(conn.client.getPrompt({ name: 'greet', arguments: {} })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams
        });
    });

    test('completion/complete completes a prompt argument and a template variable', async () => {
        const language = await conn.client.complete({
            ref: { type: 'ref/prompt', name: 'greet' },
            argument: { name: 'language', value: 'e' }
        });
        expect(language.completion).toEqual({ values: ['english', 'esperanto'], total: 2, hasMore: false });
        const user = await conn.client.complete({
            ref: { type: 'ref/resource', uri: 'users://{id}/profile' },
            argument: { name: 'id', value: 'al' }
        });
        expect(user.completion).toEqual({ values: ['alice', 'albert'], total: 2, hasMore: false });
    });

    test(`logging/setLevel is accepted${mode.stateless ? ' (stateless: the level is not kept across requests)' : ''}`, async () => {
        await expect(conn.client.setLoggingLevel('warning')).resolves.toEqual({});
        await expect(conn.client.setLoggingLevel('bogus' as 'info')).rejects.toMatchObject({
            code: ErrorCode.InvalidParams
        });
    });

    test(`resources/subscribe and unsubscribe are acknowledged${mode.stateless ? ' (stateless: nothing to notify later)' : ''}`, async () => {
        await expect(conn.client.subscribeResource({ uri: 'config://app' })).resolves.toEqual({});
        await expect(conn.client.unsubscribeResource({ uri: 'config://app' })).resolves.toEqual({});
    });

    test('the connection reported no errors on either side', async () => {
        await conn.client.callTool({ name: 'echo', arguments: { text: 'x' } });
        expect(conn.errors).toEqual([]);
        expect(served.errors).toEqual([]);
    });
});

describe.each(SERVE_MODES.filter(m => !m.stateless))('$name: client-side output validation', mode => {
    test('the client rejects structuredContent that breaks the outputSchema it listed', async () => {
        const served = await serveMcp(buildEverythingServer, { mode });
        defer(() => served.close());
        const { client } = await connectClient(served.url, defer);
        await client.listTools();
        // The server changes the tool after the client listed it: the server checks the new schema, the
        // client the one it saw.
        const server = served.servers[0]!;
        const tool = server.registerTool('count', { outputSchema: numberSchema('number') }, () => ({
            content: [],
            structuredContent: { count: 1 }
        }));
        await client.listTools();
        tool.update({
            outputSchema: numberSchema('string'),
            callback: () => ({ content: [], structuredContent: { count: 'one' } })
        });
        const error = await client.callTool({ name: 'count' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ToolOutputValidationError);
    });
});

function numberSchema(type: 'number' | 'string') {
    return { type: 'object' as const, properties: { count: { type } }, required: ['count'] };
}
