/**
 * Tools and prompts declared with any Standard Schema that converts to JSON Schema — valibot (through
 * `toStandardJsonSchema`), arktype, zod 4 classic, `fromJsonSchema` — between our `Client` and `McpServer`, in
 * memory and over Streamable HTTP: `tools/list` shows each library's JSON Schema, valid calls reach the handler
 * with the parsed (transformed) values, invalid arguments come back as the usual `isError` tool result, output
 * schemas are checked on both sides, and both validator entries work as `jsonSchemaValidator`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as v from 'valibot';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { type } from 'arktype';
import * as z from 'zod';
import { Client, ErrorCode, InMemoryTransport, McpError } from '@modelcontextprotocol/client';
import type { CallToolResult, ClientOptions, Tool } from '@modelcontextprotocol/client';
import { CfWorkerJsonSchemaValidator as ClientCfWorkerValidator } from '@modelcontextprotocol/client/validators/cf-worker';
import { McpServer, fromJsonSchema } from '@modelcontextprotocol/server';
import type { ServerOptions } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
import { SERVE_MODES, connectClient, serveMcp, useCleanup } from './helpers.js';

const defer = useCleanup();

const valibotTrip = toStandardJsonSchema(
    v.object({
        city: v.pipe(
            v.string(),
            v.minLength(1),
            v.transform(city => city.toUpperCase())
        ),
        days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1)
    })
);
const arktypeContact = type({ email: 'string.email', 'count?': 'number.integer >= 0' }).pipe(contact => ({
    ...contact,
    domain: contact.email.slice(contact.email.indexOf('@') + 1)
}));
const zodSum = z.object({ terms: z.array(z.string().transform(Number)).min(1) });
const valibotForecast = toStandardJsonSchema(v.object({ summary: v.string(), high: v.number() }));
const arktypeGreeting = type({ name: 'string > 0', 'tone?': "'warm' | 'dry'" });
const jsonRange = fromJsonSchema<{ from: number; to: number }>(
    { type: 'object', properties: { from: { type: 'integer' }, to: { type: 'integer' } }, required: ['from', 'to'] },
    new CfWorkerJsonSchemaValidator()
);

function text(value: string): CallToolResult {
    return { content: [{ type: 'text', text: value }] };
}

function buildServer(options?: ServerOptions): McpServer {
    const server = new McpServer({ name: 'standard-schema', version: '1.0.0' }, options);
    server.registerTool('trip', { description: 'valibot', inputSchema: valibotTrip }, ({ city, days }) => {
        expectTypeOf(city).toEqualTypeOf<string>();
        expectTypeOf(days).toEqualTypeOf<number>();
        return text(`${city} for ${days}`);
    });
    server.registerTool('contact', { description: 'arktype', inputSchema: arktypeContact }, contact => {
        expectTypeOf(contact.domain).toEqualTypeOf<string>();
        return text(`${contact.email} at ${contact.domain} x${contact.count ?? 0}`);
    });
    server.registerTool('sum', { description: 'zod', inputSchema: zodSum }, ({ terms }) => {
        expectTypeOf(terms).toEqualTypeOf<number[]>();
        return text(String(terms.reduce((total, term) => total + term, 0)));
    });
    server.registerTool('range', { inputSchema: jsonRange }, ({ from, to }) => text(String(to - from)));
    server.registerTool(
        'forecast',
        { inputSchema: valibotTrip, outputSchema: valibotForecast },
        ({ city }): CallToolResult => {
            const structuredContent =
                city === 'NOWHERE' ? { summary: 'none' } : { summary: `sun in ${city}`, high: 21 };
            return { ...text(JSON.stringify(structuredContent)), structuredContent };
        }
    );
    server.registerPrompt('greet', { description: 'arktype prompt', argsSchema: arktypeGreeting }, ({ name, tone }) => {
        expectTypeOf(name).toEqualTypeOf<string>();
        return { messages: [{ role: 'user', content: { type: 'text', text: `${tone ?? 'plain'} hello ${name}` } }] };
    });
    return server;
}

interface Connection {
    readonly client: Client;
}

type Connect = (serverOptions?: ServerOptions, clientOptions?: ClientOptions) => Promise<Connection>;

const CONNECTIONS: ReadonlyArray<readonly [string, Connect]> = [
    [
        'in memory',
        async (serverOptions, clientOptions) => {
            const server = buildServer(serverOptions);
            const client = new Client({ name: 'standard-schema-client', version: '1.0.0' }, clientOptions);
            const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
            await server.connect(serverTransport);
            await client.connect(clientTransport);
            defer(() => server.close());
            defer(() => client.close());
            return { client };
        }
    ],
    ...SERVE_MODES.filter(mode => mode.name === 'stateful+SSE' || mode.name === 'stateless+JSON').map(
        mode =>
            [
                `over HTTP (${mode.name})`,
                async (serverOptions?: ServerOptions, clientOptions?: ClientOptions) => {
                    const served = await serveMcp(() => buildServer(serverOptions), { mode });
                    defer(() => served.close());
                    const connected = await connectClient(
                        served.url,
                        defer,
                        clientOptions ? { client: clientOptions } : {}
                    );
                    return { client: connected.client };
                }
            ] as const
    )
];

function byName(tools: Tool[], name: string): Tool {
    const tool = tools.find(candidate => candidate.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    return tool;
}

function errorText(result: unknown): string {
    const { isError, content } = result as CallToolResult;
    expect(isError).toBe(true);
    const [first] = content;
    return first?.type === 'text' ? first.text : '';
}

describe.each(CONNECTIONS)('Standard Schema tools and prompts %s', (_name, connect) => {
    it('lists the JSON Schema each library produces (draft 2020-12, input view)', async () => {
        const { client } = await connect();
        const { tools } = await client.listTools();
        expect(byName(tools, 'trip').inputSchema).toMatchObject({
            type: 'object',
            properties: { city: { type: 'string', minLength: 1 }, days: { type: 'integer', minimum: 1, default: 1 } },
            required: ['city']
        });
        expect(byName(tools, 'contact').inputSchema).toMatchObject({
            type: 'object',
            properties: { email: { type: 'string', format: 'email' }, count: { type: 'integer', minimum: 0 } },
            required: ['email']
        });
        expect(byName(tools, 'sum').inputSchema).toMatchObject({
            type: 'object',
            properties: { terms: { type: 'array', items: { type: 'string' }, minItems: 1 } }
        });
        expect(byName(tools, 'range').inputSchema).toEqual({
            type: 'object',
            properties: { from: { type: 'integer' }, to: { type: 'integer' } },
            required: ['from', 'to']
        });
        expect(byName(tools, 'forecast').outputSchema).toMatchObject({
            type: 'object',
            properties: { summary: { type: 'string' }, high: { type: 'number' } },
            required: ['summary', 'high']
        });
        for (const tool of tools)
            expect(String(tool.inputSchema.$schema ?? 'https://json-schema.org/draft/2020-12/schema')).toContain(
                '2020-12'
            );
    });

    it('calls the handlers with the parsed, transformed values', async () => {
        const { client } = await connect();
        expect(await client.callTool({ name: 'trip', arguments: { city: 'paris' } })).toEqual(text('PARIS for 1'));
        expect(await client.callTool({ name: 'contact', arguments: { email: 'ada@example.com', count: 2 } })).toEqual(
            text('ada@example.com at example.com x2')
        );
        expect(await client.callTool({ name: 'sum', arguments: { terms: ['1', '2.5'] } })).toEqual(text('3.5'));
        expect(await client.callTool({ name: 'range', arguments: { from: 2, to: 7 } })).toEqual(text('5'));
    });

    it('answers invalid arguments with the usual error result', async () => {
        const { client } = await connect();
        const trip = errorText(await client.callTool({ name: 'trip', arguments: { city: '', days: 1.5 } }));
        expect(trip).toMatch(/^Input validation error: Invalid arguments for tool trip: city: .+/);
        expect(trip).toContain('days: ');
        const contact = errorText(await client.callTool({ name: 'contact', arguments: { email: 'nope' } }));
        expect(contact).toMatch(/^Input validation error: Invalid arguments for tool contact: email: .*email/);
        const sum = errorText(await client.callTool({ name: 'sum', arguments: { terms: [] } }));
        expect(sum).toMatch(/^Input validation error: Invalid arguments for tool sum: terms: /);
        const range = errorText(await client.callTool({ name: 'range', arguments: { from: 1 } }));
        expect(range).toMatch(/^Input validation error: Invalid arguments for tool range: \(root\): .*"to"/);
    });

    it('checks structured results against the output schema', async () => {
        const { client } = await connect();
        await client.listTools();
        const result = await client.callTool({ name: 'forecast', arguments: { city: 'oslo' } });
        expect(result.structuredContent).toEqual({ summary: 'sun in OSLO', high: 21 });
        await expect(client.callTool({ name: 'forecast', arguments: { city: 'nowhere' } })).rejects.toThrow(
            /Output validation error: Invalid structured content for tool forecast/
        );
    });

    it('lists prompt arguments from the JSON Schema and validates them', async () => {
        const { client } = await connect();
        const { prompts } = await client.listPrompts();
        expect(prompts.find(prompt => prompt.name === 'greet')?.arguments).toEqual([
            { name: 'name', required: true },
            { name: 'tone', required: false }
        ]);
        const got = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada', tone: 'warm' } });
        expect(got.messages[0]?.content).toEqual({ type: 'text', text: 'warm hello Ada' });
        const refused = await client
            .getPrompt({ name: 'greet', arguments: { name: 'Ada', tone: 'loud' } })
            .catch(e => e);
        expect(refused).toBeInstanceOf(McpError);
        expect(refused).toMatchObject({
            code: ErrorCode.InvalidParams,
            message: expect.stringContaining('Invalid arguments for prompt greet: tone: ')
        });
    });

    it('works with the cf-worker validators on both sides', async () => {
        const { client } = await connect(
            { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
            { jsonSchemaValidator: new ClientCfWorkerValidator() }
        );
        await client.listTools();
        expect((await client.callTool({ name: 'forecast', arguments: { city: 'rome' } })).structuredContent).toEqual({
            summary: 'sun in ROME',
            high: 21
        });
        await expect(client.callTool({ name: 'forecast', arguments: { city: 'nowhere' } })).rejects.toThrow(/high/);
    });
});

describe('the ajv validator entry as the server option', () => {
    it('is accepted by McpServer', async () => {
        const server = buildServer({ jsonSchemaValidator: new AjvJsonSchemaValidator() });
        expect(server.server.jsonSchemaValidator).toBeInstanceOf(AjvJsonSchemaValidator);
    });
});
