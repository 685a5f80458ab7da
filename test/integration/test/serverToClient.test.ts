/**
 * Our Client against our McpServer over loopback HTTP: what the server sends the client — progress, log
 * messages filtered by the level the client set, resource updates, list changes, and server → client requests
 * (sampling, elicitation, roots).
 *
 * Where each mode carries them: with SSE answers, messages about a request travel on that POST's stream; with
 * JSON answers (stateful), on the standalone GET stream. Stateless servers have no GET stream and forget
 * everything between requests, so they can send progress only on an SSE-answered POST and cannot send
 * requests to the client at all; the tests below say which mode they cover.
 */
import { describe, expect, test } from 'vitest';
import type { Client, Progress, Root, Tool } from '@modelcontextprotocol/client';
import type { ConnectedClient, ServedMcp } from './helpers.js';
import { collector, connectClient, deferred, firstText, SERVE_MODES, serveMcp, useCleanup } from './helpers.js';
import { buildEverythingServer } from '../fixtures/everythingServer.js';

const defer = useCleanup();

const CLIENT_CAPABILITIES = {
    sampling: {},
    elicitation: { form: { applyDefaults: true } },
    roots: { listChanged: true }
};

describe.each(SERVE_MODES)('$name: progress', mode => {
    test(
        mode.stateless && mode.json
            ? 'a tool call with onprogress still succeeds (stateless+JSON: no stream can carry progress)'
            : 'onprogress receives every progress notification of a tool call, before the result',
        async () => {
            const served = await serveMcp(buildEverythingServer, { mode });
            defer(() => served.close());
            const conn = await connectClient(served.url, defer);
            await conn.standaloneReady;
            const progress: Progress[] = [];
            const result = await conn.client.callTool(
                // Only a stateful server can ping the client to flush the GET stream.
                { name: 'progress', arguments: { steps: 3, flush: !mode.stateless } },
                undefined,
                { onprogress: p => progress.push(p) }
            );
            expect(firstText(result)).toBe('done after 3 steps');
            const expected =
                mode.stateless && mode.json
                    ? []
                    : [1, 2, 3].map(step => ({ progress: step, total: 3, message: `step ${step}` }));
            expect(progress).toEqual(expected);
            expect(conn.errors).toEqual([]);
        }
    );
});

describe.each(SERVE_MODES.filter(m => !m.stateless))('$name: server → client', mode => {
    let served: ServedMcp;
    let conn: ConnectedClient;
    let toolsChanged: ReturnType<typeof collector<Tool[]>>;

    async function connect(setup?: (client: Client) => void): Promise<void> {
        const changed = (toolsChanged = collector<Tool[]>(1));
        served = await serveMcp(buildEverythingServer, { mode });
        defer(() => served.close());
        conn = await connectClient(served.url, defer, {
            client: {
                capabilities: CLIENT_CAPABILITIES,
                listChanged: { tools: { onChanged: (_error, tools) => tools && changed.push(tools) } }
            },
            ...(setup ? { setup } : {})
        });
        await conn.standaloneReady;
    }

    test('logging/setLevel filters notifications/message by level', async () => {
        await connect();
        const received = collectLogs(conn.client);
        await conn.client.setLoggingLevel('warning');
        await conn.client.callTool({ name: 'log' });
        expect(await received.untilSentinel()).toEqual(['warning', 'error', 'sentinel']);

        const all = collectLogs(conn.client);
        await conn.client.setLoggingLevel('debug');
        await conn.client.callTool({ name: 'log' });
        expect(await all.untilSentinel()).toEqual(['debug', 'info', 'notice', 'warning', 'error', 'sentinel']);
    });

    test('resources/subscribe delivers notifications/resources/updated until unsubscribe', async () => {
        await connect();
        const updates = collector<string>(2);
        conn.client.setNotificationHandler('notifications/resources/updated', n => updates.push(n.params.uri));
        await conn.client.subscribeResource({ uri: 'config://app' });
        await conn.client.callTool({ name: 'touch', arguments: { uri: 'config://app' } });
        await conn.client.unsubscribeResource({ uri: 'config://app' });
        await conn.client.callTool({ name: 'touch', arguments: { uri: 'config://app' } }); // not subscribed: dropped
        await conn.client.subscribeResource({ uri: 'users://bob/profile' });
        await conn.client.callTool({ name: 'touch', arguments: { uri: 'users://bob/profile' } });
        // Both travel on the standalone stream in order: the second proves the dropped one was never sent.
        expect(await updates.done).toEqual(['config://app', 'users://bob/profile']);
    });

    test('sampling/createMessage reaches the client handler and its result the tool', async () => {
        const seen = deferred<unknown>();
        await connect(client =>
            client.setRequestHandler('sampling/createMessage', request => {
                seen.resolve(request.params);
                return { role: 'assistant', content: { type: 'text', text: 'sampled!' }, model: 'test-model' };
            })
        );
        const result = await conn.client.callTool({ name: 'sample', arguments: { prompt: 'Say hi' } });
        expect(firstText(result)).toBe('test-model: sampled!');
        expect(await seen.promise).toMatchObject({
            messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }],
            maxTokens: 64
        });
    });

    test('elicitation/create (form): the client fills in schema defaults before answering', async () => {
        await connect(client =>
            client.setRequestHandler('elicitation/create', request => {
                expect(request.params.message).toBe('Who are you?');
                return { action: 'accept', content: { name: 'Ada' } };
            })
        );
        const result = await conn.client.callTool({ name: 'elicit' });
        expect(JSON.parse(firstText(result))).toEqual({
            action: 'accept',
            content: { name: 'Ada', age: 42, newsletter: true }
        });
    });

    test('roots/list answers the tool, and notifications/roots/list_changed reaches the server', async () => {
        let roots: Root[] = [{ uri: 'file:///home/ada/project', name: 'project' }];
        await connect(client => client.setRequestHandler('roots/list', () => ({ roots })));
        const result = await conn.client.callTool({ name: 'roots' });
        expect(JSON.parse(firstText(result))).toEqual(roots);

        // The server re-lists roots when told they changed (a request not tied to any client request).
        const relisted = deferred<Root[]>();
        const server = served.servers[0]!.server;
        server.setNotificationHandler('notifications/roots/list_changed', async () => {
            relisted.resolve((await server.listRoots()).roots);
        });
        roots = [...roots, { uri: 'file:///tmp', name: 'tmp' }];
        await conn.client.sendRootsListChanged();
        expect(await relisted.promise).toEqual(roots);
    });

    test('notifications/tools/list_changed after a tool is registered at runtime refreshes the client list', async () => {
        await connect();
        expect((await conn.client.listTools()).tools.map(t => t.name)).not.toContain('added-1');
        const added = await conn.client.callTool({ name: 'add-tool' });
        expect(firstText(added)).toBe('added-1');
        const [tools] = await toolsChanged.done;
        expect(tools!.map(t => t.name)).toContain('added-1');
        expect(firstText(await conn.client.callTool({ name: 'added-1' }))).toBe('I am added-1');
    });

    test('no errors were reported on either side during a full round of server → client traffic', async () => {
        await connect(client => {
            client.setRequestHandler('sampling/createMessage', () => ({
                role: 'assistant',
                content: { type: 'text', text: 'ok' },
                model: 'm'
            }));
            client.setRequestHandler('roots/list', () => ({ roots: [] }));
        });
        await conn.client.callTool({ name: 'sample', arguments: { prompt: 'x' } });
        await conn.client.callTool({ name: 'roots' });
        await conn.client.callTool({ name: 'progress', arguments: { steps: 2, flush: true } });
        expect(conn.errors).toEqual([]);
        expect(served.errors).toEqual([]);
    });
});

describe.each(SERVE_MODES.filter(m => m.stateless))('$name: server → client', mode => {
    test('server → client requests are impossible: the sampling tool reports an error result', async () => {
        const served = await serveMcp(buildEverythingServer, { mode });
        defer(() => served.close());
        let called = false;
        const conn = await connectClient(served.url, defer, {
            client: { capabilities: CLIENT_CAPABILITIES },
            setup: client =>
                client.setRequestHandler('sampling/createMessage', () => {
                    called = true;
                    return { role: 'assistant', content: { type: 'text', text: 'never' }, model: 'm' };
                })
        });
        // Each request meets a fresh server that never saw this client's capabilities.
        const result = await conn.client.callTool({ name: 'sample', arguments: { prompt: 'x' } });
        expect(result.isError).toBe(true);
        expect(firstText(result)).toMatch(/sampling/);
        expect(called).toBe(false);
        // And no standalone stream: the GET was refused with 405.
        await conn.standaloneReady;
        expect(conn.exchanges.filter(e => e.method === 'GET').map(e => e.status)).toEqual([405]);
    });
});

/** Collects `notifications/message` data until the `emergency` sentinel arrives. */
function collectLogs(client: Client): { untilSentinel: () => Promise<unknown[]> } {
    const data: unknown[] = [];
    const done = deferred<unknown[]>();
    client.setNotificationHandler('notifications/message', n => {
        data.push(n.params.data);
        if (n.params.level === 'emergency') done.resolve(data);
    });
    return { untilSentinel: () => done.promise };
}
