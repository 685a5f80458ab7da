/**
 * The official SDK v2 client (`@modelcontextprotocol/client` 2.4.0) against our server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from 'official-client';
import { ADD_TOOL } from './fixtures.js';
import { Cleanup, recordingFetch } from './helpers.js';
import { describeOfficialClientAgainstOurServer } from './officialClientScenario.js';
import { serveOurs } from './servers/ours.js';

describeOfficialClientAgainstOurServer({
    label: '@modelcontextprotocol/client 2.4.0',
    connect: async (url, fetch) => {
        const client = new Client({ name: 'official-client-v2', version: '2.4.0' });
        const transport = new StreamableHTTPClientTransport(url, { fetch });
        const errors: Error[] = [];
        client.onerror = error => errors.push(error);
        await client.connect(transport);
        return {
            errors,
            negotiatedVersion: () => client.getNegotiatedProtocolVersion(),
            serverName: () => client.getServerVersion()?.name,
            serverCapabilities: () => client.getServerCapabilities(),
            sessionId: () => transport.sessionId,
            ping: () => client.ping(),
            listTools: async () => (await client.listTools()).tools,
            callTool: (name, args, onprogress) =>
                client.callTool({ name, arguments: args }, onprogress === undefined ? undefined : { onprogress }),
            readResource: async uri => (await client.readResource({ uri })).contents,
            getPrompt: async (name, args) => (await client.getPrompt({ name, arguments: args })).messages,
            onToolListChanged: handler => client.setNotificationHandler('notifications/tools/list_changed', handler),
            terminateSession: () => transport.terminateSession(),
            close: () => client.close()
        };
    }
});

describe('@modelcontextprotocol/client 2.4.0 client (versionNegotiation: auto) → our McpServer', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    it.each([
        { name: 'stateful', stateless: false },
        { name: 'stateless', stateless: true }
    ])(
        '$name: negotiates protocol revision 2026-07-28 through server/discover and calls statelessly',
        async ({ stateless }) => {
            const host = await serveOurs({ stateless, json: false });
            cleanup.add(() => host.close());
            const { fetch, exchanges } = recordingFetch();
            const client = new Client(
                { name: 'official-client-v2', version: '2.4.0' },
                { versionNegotiation: { mode: 'auto' } }
            );
            cleanup.add(() => client.close());
            await client.connect(new StreamableHTTPClientTransport(host.url, { fetch }));
            const result = await client.callTool({ name: ADD_TOOL, arguments: { a: 20, b: 22 } });
            expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
            expect(result.structuredContent).toEqual({ sum: 42 });
            expect(result._meta?.['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'mcp-stepup-server' });
            const [probe, call] = exchanges;
            expect(probe).toMatchObject({ method: 'POST', rpcMethod: 'server/discover', status: 200 });
            expect(call).toMatchObject({ method: 'POST', rpcMethod: 'tools/call', status: 200 });
            expect(call?.requestHeaders).toMatchObject({ 'mcp-protocol-version': '2026-07-28', 'mcp-name': ADD_TOOL });
            // Stateless: no initialize, even against the stateful endpoint.
            expect(exchanges.map(exchange => exchange.rpcMethod)).not.toContain('initialize');
            expect(host.errors).toEqual([]);
        }
    );
});
