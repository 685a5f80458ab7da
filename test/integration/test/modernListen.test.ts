/**
 * `subscriptions/listen` and cancellation-by-closing over real HTTP (protocol revision 2026-07-28): the stream opens
 * with the acknowledgement of what the server honours, carries only the changes it asked for — published by another
 * request's server through the shared event bus — tags each with its subscription id, and ends (the listener gone)
 * when the client closes it; a request whose response stream the client closes has its handler aborted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
    CLIENT_CAPABILITIES_META_KEY,
    InMemoryServerEventBus,
    McpServer,
    PROTOCOL_VERSION_META_KEY,
    SUBSCRIPTION_ID_META_KEY
} from '@modelcontextprotocol/server';
import { deferred, serveMcp, useCleanup } from './helpers.js';

const META = { [PROTOCOL_VERSION_META_KEY]: '2026-07-28', [CLIENT_CAPABILITIES_META_KEY]: {} };

function headersFor(method: string, name?: string): Record<string, string> {
    return {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        ...(name === undefined ? {} : { 'mcp-name': name })
    };
}

/** Reads SSE `data:` messages from a response body as they arrive. */
function messagesOf(response: Response): AsyncGenerator<Record<string, unknown>> {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    return (async function* () {
        let buffered = '';
        for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffered += value;
            let end = buffered.indexOf('\n\n');
            while (end >= 0) {
                const event = buffered.slice(0, end);
                buffered = buffered.slice(end + 2);
                const data = event
                    .split('\n')
                    .filter(line => line.startsWith('data: '))
                    .map(line => line.slice(6))
                    .join('\n');
                if (data !== '') yield JSON.parse(data) as Record<string, unknown>;
                end = buffered.indexOf('\n\n');
            }
        }
    })();
}

describe.each([
    { name: 'stateful endpoint', stateless: false },
    { name: 'stateless endpoint', stateless: true }
])('subscriptions/listen on a $name', mode => {
    const cleanup = useCleanup();

    it('acknowledges first, forwards only the asked-for changes with the subscription id, and ends on close', async () => {
        const bus = new InMemoryServerEventBus();
        const build = (): McpServer => {
            const server = new McpServer({ name: 'listen-test', version: '1.0.0' }, { eventBus: bus });
            server.registerTool('change_tools', { description: 'Announces a tool change' }, async () => {
                await server.server.sendToolListChanged();
                await server.server.sendPromptListChanged();
                return { content: [{ type: 'text', text: 'changed' }] };
            });
            server.registerPrompt('p', { description: 'A prompt' }, () => ({ messages: [] }));
            return server;
        };
        const served = await serveMcp(build, { mode: { stateless: mode.stateless, json: false } });
        cleanup(() => served.close());

        const controller = new AbortController();
        const listen = await fetch(served.url, {
            method: 'POST',
            headers: headersFor('subscriptions/listen'),
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 'sub-1',
                method: 'subscriptions/listen',
                params: { _meta: META, notifications: { toolsListChanged: true, resourcesListChanged: true } }
            }),
            signal: controller.signal
        });
        expect(listen.status).toBe(200);
        expect(listen.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const stream = messagesOf(listen);
        const ack = (await stream.next()).value!;
        expect(ack).toEqual({
            jsonrpc: '2.0',
            method: 'notifications/subscriptions/acknowledged',
            // resources are not served with listChanged here, so only the tools part is honoured
            params: { _meta: { [SUBSCRIPTION_ID_META_KEY]: 'sub-1' }, notifications: { toolsListChanged: true } }
        });
        expect(bus.listenerCount).toBe(1);

        const trigger = await fetch(served.url, {
            method: 'POST',
            headers: headersFor('tools/call', 'change_tools'),
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 7,
                method: 'tools/call',
                params: { name: 'change_tools', _meta: META }
            })
        });
        expect(((await trigger.json()) as { result: { content: unknown } }).result.content).toEqual([
            { type: 'text', text: 'changed' }
        ]);
        const change = (await stream.next()).value!;
        expect(change).toEqual({
            jsonrpc: '2.0',
            method: 'notifications/tools/list_changed',
            params: { _meta: { [SUBSCRIPTION_ID_META_KEY]: 'sub-1' } }
        });

        // The prompt change was not asked for; closing the stream ends the subscription on the server.
        controller.abort();
        await expect.poll(() => bus.listenerCount, { timeout: 5000 }).toBe(0);
    });
});

describe('cancellation by closing the response stream (2026-07-28)', () => {
    const cleanup = useCleanup();

    it('aborts the handler of a request whose SSE response the client closed; the server stays up', async () => {
        const started = deferred();
        const cancelled = deferred();
        const server = new McpServer({ name: 'cancel-test', version: '1.0.0' }, { capabilities: { logging: {} } });
        server.registerTool('slow', { description: 'Waits until cancelled' }, async ctx => {
            await ctx.mcpReq.log('info', 'started');
            started.resolve();
            await new Promise<void>(resolve => ctx.mcpReq.signal.addEventListener('abort', () => resolve()));
            cancelled.resolve();
            return { content: [{ type: 'text', text: 'too late' }] };
        });
        server.registerTool('quick', { description: 'Answers at once' }, () => ({
            content: [{ type: 'text', text: 'ok' }]
        }));
        // One long-lived transport and server for every request: the server outlives the cancelled request.
        const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
        await server.connect(transport);
        const http = createServer((req, res) => void transport.handleRequest(req, res));
        await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
        cleanup(async () => {
            await server.close();
            http.closeAllConnections();
            await new Promise<void>(resolve => http.close(() => resolve()));
        });
        const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
        const controller = new AbortController();
        const meta = { ...META, 'io.modelcontextprotocol/logLevel': 'info' };
        const response = await fetch(url, {
            method: 'POST',
            headers: headersFor('tools/call', 'slow'),
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 1,
                method: 'tools/call',
                params: { name: 'slow', _meta: meta }
            }),
            signal: controller.signal
        });
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        await started.promise;
        controller.abort();
        await cancelled.promise;
        const after = await fetch(url, {
            method: 'POST',
            headers: headersFor('tools/call', 'quick'),
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 2,
                method: 'tools/call',
                params: { name: 'quick', _meta: META }
            })
        });
        expect(((await after.json()) as { result: { content: unknown } }).result.content).toEqual([
            { type: 'text', text: 'ok' }
        ]);
    });
});

describe('Client.listen over real HTTP (2026-07-28)', () => {
    const cleanup = useCleanup();

    it('resolves on the acknowledgement, delivers changes to the notification handlers, and closes locally', async () => {
        const bus = new InMemoryServerEventBus();
        const servers: McpServer[] = [];
        const served = await serveMcp(
            () => {
                const server = new McpServer({ name: 'listen-client-test', version: '1.0.0' }, { eventBus: bus });
                server.registerTool('noop', { description: 'Does nothing' }, () => ({ content: [] }));
                servers.push(server);
                return server;
            },
            { mode: { stateless: false, json: false } }
        );
        cleanup(() => served.close());
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        cleanup(() => client.close());
        await client.connect(new StreamableHTTPClientTransport(served.url));
        const changed = deferred<string>();
        client.setNotificationHandler('notifications/tools/list_changed', () => changed.resolve('tools'));
        const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true });
        expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
        bus.publish({ kind: 'tools_list_changed' });
        await expect(changed.promise).resolves.toBe('tools');
        await subscription.close();
        await expect(subscription.closed).resolves.toBe('local');
        await expect.poll(() => bus.listenerCount, { timeout: 5000 }).toBe(0);
    });

    it('refuses listen on a legacy connection with a typed error', async () => {
        const served = await serveMcp(() => new McpServer({ name: 'legacy', version: '1' }), {
            mode: { stateless: false, json: false }
        });
        cleanup(() => served.close());
        const client = new Client({ name: 'c', version: '1' });
        cleanup(() => client.close());
        await client.connect(new StreamableHTTPClientTransport(served.url));
        await expect(client.listen({ toolsListChanged: true })).rejects.toMatchObject({
            code: 'METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION'
        });
    });
});
