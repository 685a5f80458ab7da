/**
 * Our server speaks protocol revision 2026-07-28 beside 2025-11-25 on the same endpoint, over real HTTP (Express
 * session route, stateful and stateless, SSE and JSON): a request whose `_meta` names the revision is served
 * statelessly — `server/discover`, results with `resultType`, `serverInfo` and cache hints, the error ladder with
 * its HTTP statuses and the request's own id — and multi-round tools ask for input with `input_required`, resuming
 * from integrity-checked `requestState`.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import {
    acceptedContent,
    CLIENT_CAPABILITIES_META_KEY,
    createRequestStateCodec,
    inputRequired,
    McpServer,
    MissingRequiredClientCapabilityError,
    PROTOCOL_VERSION_META_KEY,
    SERVER_INFO_META_KEY
} from '@modelcontextprotocol/server';
import type { ClientCapabilities } from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { SERVE_MODES, serveMcp, useCleanup } from './helpers.js';

const VERSION = '2026-07-28';
const META = { [PROTOCOL_VERSION_META_KEY]: VERSION, [CLIENT_CAPABILITIES_META_KEY]: {} };
const codec = createRequestStateCodec<{ round: number; name?: string }>({
    key: 'integration-test-key-0123456789abcdef'
});

function build(): McpServer {
    const server = new McpServer(
        { name: 'modern-test-server', version: '3.1.4' },
        {
            capabilities: { logging: {} },
            instructions: 'Use add for sums.',
            requestState: { verify: (state, ctx) => codec.verify(state, ctx) }
        }
    );
    server.registerTool(
        'add',
        { description: 'Adds', inputSchema: { a: z.number(), b: z.number() } },
        async ({ a, b }, ctx) => {
            await ctx.mcpReq.log('info', `adding ${a} and ${b}`);
            return { content: [{ type: 'text', text: String(a + b) }] };
        }
    );
    server.registerTool('needs_sampling', { description: 'Needs sampling' }, ctx => {
        const declared = ctx.mcpReq._meta?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
        if (!declared?.sampling)
            throw new MissingRequiredClientCapabilityError({ requiredCapabilities: { sampling: {} } });
        return { content: [{ type: 'text', text: 'sampled' }] };
    });
    server.registerTool('two_rounds', { description: 'Asks twice' }, async ctx => {
        const state = ctx.mcpReq.requestState<{ round: number; name?: string }>();
        const responses = ctx.mcpReq.inputResponses;
        const name = acceptedContent<{ name?: string }>(responses, 'name')?.name;
        const color = acceptedContent<{ color?: string }>(responses, 'color')?.color;
        if (state?.round === 2 && color !== undefined)
            return { content: [{ type: 'text', text: `${state.name}:${color}` }] };
        if (state?.round === 1 && name !== undefined) {
            return inputRequired({
                inputRequests: {
                    color: inputRequired.elicit({ message: 'Color?', requestedSchema: schemaOf('color') })
                },
                requestState: await codec.mint({ round: 2, name })
            });
        }
        return inputRequired({
            inputRequests: { name: inputRequired.elicit({ message: 'Name?', requestedSchema: schemaOf('name') }) },
            requestState: await codec.mint({ round: 1 })
        });
    });
    server.registerTool(
        'in_region',
        {
            description: 'Runs a query in a region (the region is mirrored to Mcp-Param-Region)',
            inputSchema: {
                type: 'object',
                properties: {
                    region: { type: 'string', 'x-mcp-header': 'Region' },
                    limit: { type: 'integer', 'x-mcp-header': 'Limit' },
                    query: { type: 'string' }
                },
                required: ['region', 'query']
            }
        },
        args => ({ content: [{ type: 'text', text: `${String(args.region)}:${String(args.query)}` }] })
    );
    server.registerResource('readme', 'test://readme', { mimeType: 'text/plain' }, uri => ({
        contents: [{ uri: uri.href, text: 'read me' }]
    }));
    return server;
}

function schemaOf(property: string) {
    return { type: 'object' as const, properties: { [property]: { type: 'string' as const } }, required: [property] };
}

/** A decoded wire message: tests read it as loosely as JSON is (checked field by field with `expect`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, asserted with expect
type Wire = Record<string, any>;

interface Answer {
    status: number;
    contentType: string | null;
    sessionId: string | null;
    messages: Wire[];
}

/** POSTs one modern message with the mirrored headers (overridable) and reads every message of the answer. */
async function post(url: URL, body: Wire, headers: Record<string, string | undefined> = {}): Promise<Answer> {
    const name = body.params?.name ?? body.params?.uri;
    const all: Record<string, string | undefined> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': VERSION,
        'mcp-method': body.method,
        ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
        ...headers
    };
    const sent = Object.fromEntries(
        Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)
    );
    const response = await fetch(url, {
        method: 'POST',
        headers: sent,
        body: JSON.stringify({ jsonrpc: '2.0', ...body })
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const messages = contentType?.startsWith('text/event-stream')
        ? text
              .split('\n')
              .filter(line => line.startsWith('data: ') && line.length > 6)
              .map(line => JSON.parse(line.slice(6)))
        : text === ''
          ? []
          : [JSON.parse(text)];
    return { status: response.status, contentType, sessionId: response.headers.get('mcp-session-id'), messages };
}

const last = (answer: Answer) => answer.messages.at(-1)!;

describe.each(SERVE_MODES)('modern (2026-07-28) requests to our server ($name)', mode => {
    const cleanup = useCleanup();
    async function serve(): Promise<URL> {
        const served = await serveMcp(build, { mode });
        cleanup(() => served.close());
        return served.url;
    }

    it('answers server/discover with versions, capabilities, identity and cache hints, without a session', async () => {
        const url = await serve();
        const answer = await post(url, { id: 'd-1', method: 'server/discover', params: { _meta: META } });
        expect(answer.status).toBe(200);
        expect(answer.sessionId).toBeNull();
        const { result } = last(answer);
        expect(result.supportedVersions).toEqual(expect.arrayContaining([VERSION, '2025-11-25']));
        expect(result.capabilities.tools).toBeDefined();
        expect(result.instructions).toBe('Use add for sums.');
        expect(result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
        expect(result._meta[SERVER_INFO_META_KEY]).toEqual({ name: 'modern-test-server', version: '3.1.4' });
    });

    it('calls a tool statelessly; logs only when the request asks for a level', async () => {
        const url = await serve();
        const quiet = await post(url, {
            id: 1,
            method: 'tools/call',
            params: { name: 'add', arguments: { a: 2, b: 3 }, _meta: META }
        });
        expect(quiet.messages.map(message => message.method)).not.toContain('notifications/message');
        expect(last(quiet).result).toMatchObject({ content: [{ type: 'text', text: '5' }], resultType: 'complete' });
        const meta = { ...META, 'io.modelcontextprotocol/logLevel': 'info' };
        const loud = await post(url, {
            id: 2,
            method: 'tools/call',
            params: { name: 'add', arguments: { a: 2, b: 3 }, _meta: meta }
        });
        if (!mode.json) {
            expect(loud.contentType).toMatch(/^text\/event-stream/);
            expect(loud.messages[0]).toMatchObject({ method: 'notifications/message', params: { level: 'info' } });
        }
        expect(last(loud)).toMatchObject({ id: 2, result: { content: [{ text: '5' }] } });
    });

    it('puts cache hints on lists and reads, and answers an unknown resource with -32602', async () => {
        const url = await serve();
        const list = await post(url, { id: 3, method: 'resources/list', params: { _meta: META } });
        expect(last(list).result).toMatchObject({ ttlMs: 0, cacheScope: 'private', resultType: 'complete' });
        const read = await post(url, {
            id: 4,
            method: 'resources/read',
            params: { uri: 'test://readme', _meta: META }
        });
        expect(last(read).result).toMatchObject({ contents: [{ text: 'read me' }], ttlMs: 0, cacheScope: 'private' });
        const missing = await post(url, {
            id: 5,
            method: 'resources/read',
            params: { uri: 'test://nope', _meta: META }
        });
        expect(last(missing)).toMatchObject({ id: 5, error: { code: -32602, data: { uri: 'test://nope' } } });
    });

    it.each([
        ['no _meta', { params: {} }, {}, 400, -32602],
        ['no clientCapabilities', { params: { _meta: { [PROTOCOL_VERSION_META_KEY]: VERSION } } }, {}, 400, -32602],
        [
            'no MCP-Protocol-Version header',
            { params: { _meta: META } },
            { 'mcp-protocol-version': undefined },
            400,
            -32020
        ],
        [
            'a header that contradicts _meta',
            { params: { _meta: { ...META, [PROTOCOL_VERSION_META_KEY]: '2099-01-01' } } },
            {},
            400,
            -32020
        ],
        [
            'an Mcp-Method that contradicts the body',
            { params: { _meta: META } },
            { 'mcp-method': 'tools/call' },
            400,
            -32020
        ]
    ])('refuses %s with %i / %i and the request id', async (_label, body, headers, status, code) => {
        const url = await serve();
        const answer = await post(url, { id: 77, method: 'tools/list', ...body }, headers);
        expect(answer.status).toBe(status);
        expect(answer.messages).toEqual([{ jsonrpc: '2.0', id: 77, error: expect.objectContaining({ code }) }]);
    });

    it('refuses an unsupported version with -32022 listing the supported ones', async () => {
        const url = await serve();
        const meta = { ...META, [PROTOCOL_VERSION_META_KEY]: '2099-01-01' };
        const answer = await post(
            url,
            { id: 8, method: 'tools/list', params: { _meta: meta } },
            { 'mcp-protocol-version': '2099-01-01' }
        );
        expect(answer.status).toBe(400);
        expect(last(answer).error).toMatchObject({ code: -32022, data: { requested: '2099-01-01' } });
        expect(last(answer).error.data.supported).toContain(VERSION);
    });

    it.each(['ping', 'initialize', 'logging/setLevel', 'resources/subscribe', 'no/such/method'])(
        'answers %s with 404 and -32601 (not a 2026-07-28 method)',
        async method => {
            const url = await serve();
            const answer = await post(url, { id: 9, method, params: { _meta: META } });
            expect(answer.status).toBe(404);
            expect(last(answer)).toMatchObject({ id: 9, error: { code: -32601 } });
        }
    );

    it('refuses an Mcp-Name that contradicts the tool name, even in Base64 form', async () => {
        const url = await serve();
        const params = { name: 'add', arguments: { a: 1, b: 1 }, _meta: META };
        const lying = await post(url, { id: 10, method: 'tools/call', params }, { 'mcp-name': 'needs_sampling' });
        expect(lying.status).toBe(400);
        expect(last(lying).error.code).toBe(-32020);
        const encoded = `=?base64?${Buffer.from('add').toString('base64')}?=`;
        const honest = await post(url, { id: 11, method: 'tools/call', params }, { 'mcp-name': encoded });
        expect(last(honest).result.content[0].text).toBe('2');
    });

    it('holds Mcp-Param-* headers to the x-mcp-header arguments of a tool call', async () => {
        const url = await serve();
        const params = { name: 'in_region', arguments: { region: 'eu-west 1', limit: 5, query: 'q' }, _meta: META };
        const missing = await post(url, { id: 40, method: 'tools/call', params });
        expect(missing.status).toBe(400);
        expect(last(missing)).toMatchObject({ id: 40, error: { code: -32020 } });
        const wrong = await post(
            url,
            { id: 41, method: 'tools/call', params },
            { 'mcp-param-region': 'us-east-1', 'mcp-param-limit': '5' }
        );
        expect(last(wrong).error.code).toBe(-32020);
        const right = await post(
            url,
            { id: 42, method: 'tools/call', params },
            { 'mcp-param-region': 'eu-west 1', 'mcp-param-limit': '5.0' }
        );
        expect(last(right).result.content[0].text).toBe('eu-west 1:q');
        const encoded = `=?base64?${Buffer.from('eu-west 1').toString('base64')}?=`;
        const base64 = await post(
            url,
            { id: 43, method: 'tools/call', params },
            { 'mcp-param-region': encoded, 'mcp-param-limit': '5' }
        );
        expect(last(base64).result.content[0].text).toBe('eu-west 1:q');
    });

    it('our client mirrors x-mcp-header arguments itself, Base64-encoding what is not plain ASCII', async () => {
        const url = await serve();
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(new StreamableHTTPClientTransport(url));
        try {
            await client.listTools();
            const result = await client.callTool({
                name: 'in_region',
                arguments: { region: ' région ', limit: 3, query: 'x' }
            });
            expect(result.content).toEqual([{ type: 'text', text: ' région :x' }]);
        } finally {
            await client.close();
        }
    });

    it('answers a missing client capability with 400 / -32021 naming it', async () => {
        const url = await serve();
        const answer = await post(url, {
            id: 12,
            method: 'tools/call',
            params: { name: 'needs_sampling', _meta: META }
        });
        expect(answer.status).toBe(400);
        expect(last(answer)).toMatchObject({
            id: 12,
            error: { code: -32021, data: { requiredCapabilities: { sampling: {} } } }
        });
    });

    it('runs a two-round tool through input_required and refuses tampered requestState', async () => {
        const url = await serve();
        const call = (id: number, extra: Record<string, unknown> = {}) =>
            post(url, { id, method: 'tools/call', params: { name: 'two_rounds', _meta: META, ...extra } });
        const first = last(await call(20)).result;
        expect(first).toMatchObject({
            resultType: 'input_required',
            inputRequests: { name: { method: 'elicitation/create' } }
        });
        const second = last(
            await call(21, {
                requestState: first.requestState,
                inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } }
            })
        ).result;
        expect(second).toMatchObject({ resultType: 'input_required', inputRequests: { color: {} } });
        expect(second.requestState).not.toBe(first.requestState);
        const done = last(
            await call(22, {
                requestState: second.requestState,
                inputResponses: { color: { action: 'accept', content: { color: 'teal' } } }
            })
        ).result;
        expect(done).toMatchObject({ resultType: 'complete', content: [{ text: 'Ada:teal' }] });
        const forged = `${second.requestState.slice(0, -2)}AA`;
        const tampered = last(
            await call(23, {
                requestState: forged,
                inputResponses: { color: { action: 'accept', content: { color: 'red' } } }
            })
        );
        expect(tampered).toMatchObject({ id: 23, error: { code: -32602 } });
        expect(tampered.error.message).toMatch(/requestState integrity check failed/);
    });

    it('still serves 2025-11-25 clients through initialize on the same endpoint', async () => {
        const url = await serve();
        const answer = await post(
            url,
            {
                id: 30,
                method: 'initialize',
                params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } }
            },
            { 'mcp-protocol-version': undefined, 'mcp-method': undefined }
        );
        expect(answer.status).toBe(200);
        expect(last(answer).result.protocolVersion).toBe('2025-11-25');
        expect(last(answer).result.resultType).toBeUndefined();
        if (!mode.stateless) expect(answer.sessionId).not.toBeNull();
    });
});
