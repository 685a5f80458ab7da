/**
 * Progressive authorization at the edges, end to end over loopback: an authorization server that refuses a scope,
 * concurrent step-ups, the redirect flow, `onInsufficientScope: 'throw'`, and hostile resource servers.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import type { Client } from '@modelcontextprotocol/client';
import {
    ClientCredentialsProvider,
    InsufficientScopeError,
    StreamableHTTPClientTransport,
    UnauthorizedError
} from '@modelcontextprotocol/client';

import { approveAuthorization, startSimpleAuthServer } from '../src/authServer/index.js';
import type { SimpleAuthServer } from '../src/authServer/index.js';
import { startPerOperationServer } from '../src/perOperationServer.js';
import type { PerOperationServer } from '../src/perOperationServer.js';
import { newClient, requestedScopes, seedWorkload, TestProvider } from './fixtures/progressiveClient.js';

let server: PerOperationServer | undefined;
const clients: Client[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map(client => client.close()));
    await Promise.allSettled(cleanups.splice(0).map(cleanup => cleanup()));
    await server?.close();
    server = undefined;
});

function track(client: Client): Client {
    clients.push(client);
    return client;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ http: Server; url: URL }> {
    const http = createServer(handler);
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(
        () =>
            new Promise<void>(resolve => {
                http.close(() => resolve());
                http.closeAllConnections();
            })
    );
    return { http, url: new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`) };
}

describe('an authorization server that never grants mcp:tools:write', () => {
    it('rejects tools/call with InsufficientScopeError after one authorization, and never asks again', async () => {
        server = await startPerOperationServer({ oidcOptions: { denyScopes: ['mcp:tools:write'] } });
        const client = track(newClient());
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() }));
        await client.listTools();
        const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InsufficientScopeError);
        expect((error as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
        const stats = server.authServer.stats;
        expect(requestedScopes(stats)).toEqual(['init', 'init mcp:tools:read', 'init mcp:tools:read mcp:tools:write']);

        await expect(client.callTool({ name: 'echo', arguments: { text: 'y' } })).rejects.toMatchObject({
            code: 'INSUFFICIENT_SCOPE',
            missingScopes: ['mcp:tools:write']
        });
        expect(stats.authorizations).toHaveLength(3);
        expect((await client.listTools()).tools).toHaveLength(2);
        await client.ping();
        expect(stats.authorizations).toHaveLength(3);
    });
});

describe('the standalone GET stream', () => {
    it('reports a step-up that cannot succeed to onerror as InsufficientScopeError; requests keep working', async () => {
        server = await startPerOperationServer({
            authServer: 'simple',
            simpleOptions: { denyScopes: ['mcp:tools:write'] },
            getStreamScope: 'mcp:tools:write'
        });
        const errors: Error[] = [];
        const transport = new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() });
        const client = track(newClient());
        transport.onerror = error => errors.push(error);
        await client.connect(transport);
        await expect.poll(() => errors.length).toBe(1);
        expect(errors[0]).toBeInstanceOf(InsufficientScopeError);
        expect((errors[0] as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
        expect((await client.listTools()).tools).toHaveLength(2);
        expect(server.authServer.stats.authorizations.map(a => a.requestedScope)).toEqual([
            'init',
            'init mcp:tools:write',
            'init mcp:tools:write mcp:tools:read'
        ]);
    });
});

describe('concurrent challenges', () => {
    it('tools/list and tools/call issued together after initialize share one step-up authorization', async () => {
        server = await startPerOperationServer();
        const client = track(newClient());
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: new TestProvider() }));
        const [tools, result] = await Promise.all([
            client.listTools(),
            client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })
        ]);
        expect(tools.tools).toHaveLength(2);
        expect(result.content).toEqual([{ type: 'text', text: '5' }]);
        expect(requestedScopes(server.authServer.stats)).toEqual(['init', 'init mcp:tools:read mcp:tools:write']);
    });
});

describe('the redirect flow (provider without completeAuthorization)', () => {
    it('rejects with UnauthorizedError, then finishAuth(callbackUrl) and a retry succeed, at every step-up', async () => {
        server = await startPerOperationServer();
        const provider = new TestProvider('redirect');
        const first = new StreamableHTTPClientTransport(server.url, { authProvider: provider });
        await expect(track(newClient()).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
        expect(provider.redirects).toHaveLength(1);
        await first.finishAuth(await approveAuthorization(provider.redirects[0]!));

        const transport = new StreamableHTTPClientTransport(server.url, { authProvider: provider });
        const client = track(newClient());
        await client.connect(transport);
        await expect(client.listTools()).rejects.toBeInstanceOf(UnauthorizedError);
        expect(provider.redirects).toHaveLength(2);
        await transport.finishAuth(await approveAuthorization(provider.redirects[1]!));
        expect((await client.listTools()).tools).toHaveLength(2);
        expect(requestedScopes(server.authServer.stats)).toEqual(['init', 'init mcp:tools:read']);
    });

    it('refuses a callback whose state was not sent', async () => {
        server = await startPerOperationServer({ authServer: 'simple' });
        const provider = new TestProvider('redirect');
        const transport = new StreamableHTTPClientTransport(server.url, { authProvider: provider });
        await expect(track(newClient()).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
        const callback = await approveAuthorization(provider.redirects[0]!);
        callback.searchParams.set('state', 'forged');
        await expect(transport.finishAuth(callback)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
        expect(server.authServer.stats.tokenRequests).toHaveLength(0);
    });
});

describe('a machine client (client_credentials)', () => {
    it('runs the seed workload with three token requests of accumulated scope', async () => {
        server = await startPerOperationServer({ authServer: 'simple' });
        const metadata = { grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' };
        const registered = await fetch(`${server.authServer.issuer}/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(metadata)
        });
        const { client_id, client_secret } = (await registered.json()) as { client_id: string; client_secret: string };
        const provider = new ClientCredentialsProvider({
            clientId: client_id,
            clientSecret: client_secret,
            tokenEndpointAuthMethod: 'client_secret_post'
        });
        const client = track(newClient());
        await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
        await seedWorkload(client);
        const grants = server.authServer.stats.tokenRequests;
        expect(grants.map(request => `${request.grantType} ${request.scope}`)).toEqual([
            'client_credentials init',
            'client_credentials init mcp:tools:read',
            'client_credentials init mcp:tools:read mcp:tools:write'
        ]);
        expect(server.authServer.stats.authorizations).toHaveLength(0);
    });
});

describe("onInsufficientScope: 'throw'", () => {
    it('rejects at the first 403 without stepping up', async () => {
        server = await startPerOperationServer({ authServer: 'simple' });
        const client = track(newClient());
        const transport = new StreamableHTTPClientTransport(server.url, {
            authProvider: new TestProvider(),
            onInsufficientScope: 'throw'
        });
        await client.connect(transport);
        await expect(client.listTools()).rejects.toMatchObject({
            code: 'INSUFFICIENT_SCOPE',
            missingScopes: ['mcp:tools:read']
        });
        await client.ping();
        expect(requestedScopes(server.authServer.stats)).toEqual(['init']);
    });
});

describe('hostile resource servers', () => {
    it('stops at protected resource metadata naming another resource, before any authorization request', async () => {
        server = await startPerOperationServer({ authServer: 'simple' });
        const real = server;
        const metadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', real.url);
        const { url } = await listen((_req, res) => {
            res.writeHead(401, { 'www-authenticate': `Bearer scope="init", resource_metadata="${metadataUrl.href}"` });
            res.end();
        });
        const client = track(newClient());
        const error = await client
            .connect(new StreamableHTTPClientTransport(url, { authProvider: new TestProvider() }))
            .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'RESOURCE_MISMATCH' });
        expect(real.authServer.stats).toEqual({ authorizations: [], tokenRequests: [] });
    });

    it('bounds a server that answers every request with 403 insufficient_scope for a granted scope', async () => {
        const holder: { authServer?: SimpleAuthServer } = {};
        let requests = 0;
        const { url } = await listen((req, res) => {
            if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
                res.writeHead(200, { 'content-type': 'application/json' });
                return void res.end(
                    JSON.stringify({ resource: url.href, authorization_servers: [holder.authServer!.issuer] })
                );
            }
            requests++;
            req.resume();
            res.writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="init"' });
            res.end();
        });
        const authServer = await startSimpleAuthServer({ resourceUrl: url.href });
        holder.authServer = authServer;
        cleanups.push(() => authServer.close());
        const provider = new TestProvider();
        const transport = new StreamableHTTPClientTransport(url, { authProvider: provider, maxAuthRetries: 2 });
        await expect(track(newClient()).connect(transport)).rejects.toBeInstanceOf(InsufficientScopeError);
        const afterFirst = authServer.stats.authorizations.length;
        expect(afterFirst).toBeGreaterThan(0);
        expect(afterFirst).toBeLessThanOrEqual(2);
        const again = new StreamableHTTPClientTransport(url, { authProvider: provider });
        await expect(track(newClient()).connect(again)).rejects.toBeInstanceOf(InsufficientScopeError);
        expect(authServer.stats.authorizations.length).toBe(afterFirst);
        expect(requests).toBeLessThanOrEqual(6);
    });
});
