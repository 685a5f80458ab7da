/**
 * The seed workload (issue #1582) end to end: a real client, the per-operation-scope MCP server, and a real
 * authorization server, over loopback HTTP. Every challenge site must accumulate scope: exactly three
 * authorizations, however many operations follow.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { Client, SSEClientTransport, StreamableHTTPClientTransport, withOAuth } from '@modelcontextprotocol/client';
import { createNodeFetch } from '@modelcontextprotocol/node';

import { startPerOperationServer } from '../src/perOperationServer.js';
import type { PerOperationServer } from '../src/perOperationServer.js';
import {
    newClient,
    requestedScopes,
    SEED_AUTHORIZATIONS,
    seedWorkload,
    TestProvider
} from './fixtures/progressiveClient.js';

let server: PerOperationServer | undefined;
let client: Client | undefined;

afterEach(async () => {
    await client?.close().catch(() => {});
    await server?.close();
    client = undefined;
    server = undefined;
});

describe('progressive authorization: the seed workload takes exactly 3 authorizations', () => {
    it('with StreamableHTTPClientTransport and oidc-provider', async () => {
        server = await startPerOperationServer();
        client = newClient();
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() }));
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.map(c => `${c.status} ${c.method} ${c.scope}`)).toEqual([
            '401 initialize init',
            '403 tools/list mcp:tools:read',
            '403 tools/call mcp:tools:write'
        ]);
    });

    it('with createNodeFetch as the transport fetch (MCP and OAuth requests over node:http)', async () => {
        server = await startPerOperationServer();
        client = newClient();
        const fetch = createNodeFetch();
        try {
            await client.connect(
                new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider(), fetch })
            );
            await seedWorkload(client);
            expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
            expect(server.challenges.map(c => `${c.status} ${c.method} ${c.scope}`)).toEqual([
                '401 initialize init',
                '403 tools/list mcp:tools:read',
                '403 tools/call mcp:tools:write'
            ]);
        } finally {
            await client.close();
            fetch.close();
        }
    });

    it('over protocol revision 2026-07-28 (stateless requests, server/discover first)', async () => {
        server = await startPerOperationServer();
        client = new Client(
            { name: 'progressive-test', version: '1.0.0' },
            { versionNegotiation: { mode: { pin: '2026-07-28' } } }
        );
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() }));
        expect(client.getProtocolEra()).toBe('modern');
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.map(c => `${c.status} ${c.method} ${c.scope}`)).toEqual([
            '401 server/discover init',
            '403 tools/list mcp:tools:read',
            '403 tools/call mcp:tools:write'
        ]);
    });

    it('when each tool challenges for its scope itself (v2 scopeChallenge: requireScopes)', async () => {
        server = await startPerOperationServer({ toolScopes: 'scopeChallenge' });
        client = newClient();
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() }));
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.map(c => `${c.status} ${c.method} ${c.scope} ${c.error}`)).toEqual([
            '401 initialize init undefined',
            '403 tools/list mcp:tools:read insufficient_scope',
            '403 tools/call mcp:tools:write insufficient_scope'
        ]);
    });

    it('with the legacy SSEClientTransport', async () => {
        server = await startPerOperationServer();
        client = newClient();
        await client.connect(new SSEClientTransport(server.sseUrl, { authProvider: new TestProvider() }));
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.map(c => `${c.status} ${c.httpMethod} ${c.scope}`)).toEqual([
            '401 GET init',
            '403 POST mcp:tools:read',
            '403 POST mcp:tools:write'
        ]);
    });

    it('with withOAuth around the fetch of a transport that knows nothing of OAuth', async () => {
        server = await startPerOperationServer();
        client = newClient();
        const authedFetch = withOAuth(new TestProvider(), server.url)(fetch);
        await client.connect(new StreamableHTTPClientTransport(server.url, { fetch: authedFetch }));
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
    });

    it('when the token response omits scope (granted = requested)', async () => {
        server = await startPerOperationServer({
            authServer: 'simple',
            simpleOptions: { omitScopeInTokenResponse: true }
        });
        client = newClient();
        const provider = new TestProvider();
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.authServer.stats.authorizations.map(a => a.requestedScope)).toEqual(SEED_AUTHORIZATIONS);
        expect(provider.scopes?.granted).toBe('init mcp:tools:read mcp:tools:write');
    });

    it('when the 403 arrives on the standalone GET stream', async () => {
        server = await startPerOperationServer({ getStreamScope: 'mcp:tools:read' });
        client = newClient();
        const errors: Error[] = [];
        const transport = new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() });
        transport.onerror = error => errors.push(error);
        await client.connect(transport);
        await seedWorkload(client);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.some(c => c.status === 403 && c.httpMethod === 'GET')).toBe(true);
        expect(errors).toEqual([]);
    });
});

describe('progressive authorization: refresh keeps the accumulated scope', () => {
    it('refreshes an access token that expired mid-workload instead of re-authorizing', async () => {
        server = await startPerOperationServer({ authServer: 'simple', simpleOptions: { accessTokenTtl: 1 } });
        client = newClient();
        const provider = new TestProvider();
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
        await seedWorkload(client, () => new Promise(resolve => setTimeout(resolve, 1100)));
        const stats = server.authServer.stats;
        expect(requestedScopes(stats)).toEqual(SEED_AUTHORIZATIONS);
        const refreshes = stats.tokenRequests.filter(request => request.grantType === 'refresh_token');
        expect(refreshes.length).toBeGreaterThan(0);
        expect(refreshes[0]?.scope).toBe('init mcp:tools:read mcp:tools:write');
        expect(provider.scopes?.granted).toBe('init mcp:tools:read mcp:tools:write');
    });

    it('refreshes on 401 invalid_token when the client did not know the expiry', async () => {
        // The simple AS rounds exp up to a whole second: a 1 s token may live almost 2 s.
        server = await startPerOperationServer({ authServer: 'simple', simpleOptions: { accessTokenTtl: 1 } });
        client = newClient();
        const provider = new TestProvider();
        const save = provider.saveTokens.bind(provider);
        provider.saveTokens = tokens => save({ ...tokens, expires_at: undefined });
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
        await seedWorkload(client, () => new Promise(resolve => setTimeout(resolve, 2100)));
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(server.challenges.some(c => c.status === 401 && c.error === 'invalid_token')).toBe(true);
        const refreshes = server.authServer.stats.tokenRequests.filter(r => r.grantType === 'refresh_token');
        expect(refreshes.map(r => r.scope)).toContain('init mcp:tools:read mcp:tools:write');
    });
});
