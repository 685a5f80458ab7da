/**
 * Code written for the official v2 SDK runs unchanged: handlers read `ctx.mcpReq` (`id`, `method`, `signal`,
 * `log`, `notify`, `send`, `elicitInput`, `requestSampling`) and `ctx.http` (`authInfo`, `req`); clients call
 * `callTool(params, { onprogress, timeout })` and `request({ method })` without a schema. Over Streamable HTTP
 * (every serving mode) and in memory.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, ErrorCode, InMemoryTransport, McpError } from '@modelcontextprotocol/client';
import type { LoggingMessageNotificationParams, Progress } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '@modelcontextprotocol/server';
import { SERVE_MODES, connectClient, serveMcp, useCleanup } from './helpers.js';

interface Seen {
    id?: unknown;
    method?: string;
    aborted?: boolean;
    url?: string | undefined;
    header?: string | null;
}

/** A server whose tools use only the v2 context. */
function v2Server(seen: Seen): McpServer {
    const server = new McpServer({ name: 'v2-style', version: '1.0.0' }, { capabilities: { logging: {} } });
    server.registerTool('inspect', { inputSchema: { text: z.string() } }, async ({ text }, ctx: ServerContext) => {
        seen.id = ctx.mcpReq.id;
        seen.method = ctx.mcpReq.method;
        seen.aborted = ctx.mcpReq.signal.aborted;
        seen.url = ctx.http?.req?.url;
        seen.header = ctx.http?.req?.headers.get('x-demo') ?? null;
        await ctx.mcpReq.log('info', { said: text }, 'inspect');
        const token = ctx.mcpReq._meta?.progressToken;
        if (token !== undefined) {
            await ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken: token, progress: 1, total: 2 }
            });
        }
        if (text === 'no-roots') return { content: [{ type: 'text', text }] };
        const roots = await ctx.mcpReq.send({ method: 'roots/list' });
        return { content: [{ type: 'text', text: `${text}:${roots.roots.length}` }] };
    });
    server.registerTool('ask', { inputSchema: {} }, async (_args, ctx: ServerContext) => {
        const answer = await ctx.mcpReq.elicitInput({
            mode: 'form',
            message: 'Name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } } }
        });
        const sampled = await ctx.mcpReq.requestSampling({
            messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
            maxTokens: 10
        });
        const name = answer.action === 'accept' ? String(answer.content?.name) : 'nobody';
        const content = Array.isArray(sampled.content) ? sampled.content[0] : sampled.content;
        const text = content?.type === 'text' ? content.text : '';
        return { content: [{ type: 'text', text: `${name} ${text}` }] };
    });
    return server;
}

/** A client that answers roots, elicitation and sampling, and records log messages. */
function v2Client(logs: LoggingMessageNotificationParams[]): Client {
    const client = new Client(
        { name: 'v2-client', version: '1.0.0' },
        { capabilities: { roots: {}, elicitation: { form: {} }, sampling: {} } }
    );
    client.setRequestHandler('roots/list', () => ({ roots: [{ uri: 'file:///a', name: 'a' }] }));
    client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
    client.setRequestHandler('sampling/createMessage', () => ({
        role: 'assistant',
        content: { type: 'text', text: 'hello' },
        model: 'test'
    }));
    client.setNotificationHandler('notifications/message', notification => void logs.push(notification.params));
    return client;
}

async function exercise(
    client: Client,
    seen: Seen,
    logs: LoggingMessageNotificationParams[],
    serverRequests = true,
    notifications = true
): Promise<void> {
    const progress: Progress[] = [];
    const text = serverRequests ? 'hey' : 'no-roots';
    const result = await client.callTool(
        { name: 'inspect', arguments: { text } },
        { onprogress: p => void progress.push(p), timeout: 5000 }
    );
    expect(result.content).toEqual([{ type: 'text', text: serverRequests ? 'hey:1' : 'no-roots' }]);
    expect(seen).toMatchObject({ method: 'tools/call', aborted: false });
    expect(seen.id).toEqual(expect.anything());
    if (notifications) {
        expect(progress).toEqual([{ progress: 1, total: 2 }]);
        expect(logs).toEqual([{ level: 'info', data: { said: text }, logger: 'inspect' }]);
    }

    if (serverRequests) {
        const asked = await client.callTool({ name: 'ask', arguments: {} });
        expect(asked.content).toEqual([{ type: 'text', text: 'Ada hello' }]);
    }

    // request({ method }) without a schema: the result is checked against the method's own schema.
    const listed = await client.request({ method: 'tools/list' });
    expect(listed.tools.map(tool => tool.name).sort()).toEqual(['ask', 'inspect']);

    const unknown = await client.callTool({ name: 'missing', arguments: {} }).then(
        result => result,
        (error: unknown) => error
    );
    // An unknown tool is a JSON-RPC error (invalid params) or a tool error result, never a hang.
    if (unknown instanceof McpError) expect(unknown.code).toBe(ErrorCode.InvalidParams);
    else expect(unknown).toMatchObject({ isError: true });
}

describe('code written the v2 way', () => {
    const defer = useCleanup();

    it('in memory', async () => {
        const seen: Seen = {};
        const logs: LoggingMessageNotificationParams[] = [];
        const server = v2Server(seen);
        const client = v2Client(logs);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        await client.connect(clientSide);
        defer(() => client.close());
        defer(() => server.close());
        await exercise(client, seen, logs);
        expect(seen.url).toBeUndefined(); // no HTTP: no ctx.http
    });

    describe.each(SERVE_MODES)('over Streamable HTTP, $name', mode => {
        it('gets ctx.mcpReq and ctx.http, and the client calls settle', async () => {
            const seen: Seen = {};
            const logs: LoggingMessageNotificationParams[] = [];
            const served = await serveMcp(() => v2Server(seen), { mode });
            defer(() => served.close());
            const { client } = await connectClient(served.url, defer, {
                transport: { requestInit: { headers: { 'x-demo': 'yes' } } },
                setup: c => {
                    c.registerCapabilities({ roots: {}, elicitation: { form: {} }, sampling: {} });
                    c.setRequestHandler('roots/list', () => ({ roots: [{ uri: 'file:///a', name: 'a' }] }));
                    c.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
                    c.setRequestHandler('sampling/createMessage', () => ({
                        role: 'assistant',
                        content: { type: 'text', text: 'hello' },
                        model: 'test'
                    }));
                    c.setNotificationHandler('notifications/message', n => void logs.push(n.params));
                }
            });
            // Requests from server to client need a session: a stateless server cannot receive their answers; and a
            // stateless JSON answer has nowhere to carry notifications.
            await exercise(client, seen, logs, !mode.stateless, !(mode.stateless && mode.json));
            expect(seen.url).toBe(served.url.href);
            expect(seen.header).toBe('yes');
        });
    });
});
