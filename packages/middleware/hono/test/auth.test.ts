/**
 * `requireBearerAuth` and the metadata middlewares on a real `127.0.0.1` server: challenges (401 / 403 with
 * `WWW-Authenticate`), RFC 9728 metadata, the policy and the transport acting on one decoded message, and our
 * `Client` completing a session with a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { OAuthMetadata } from '@modelcontextprotocol/server';
import {
    AuthConfigError,
    WebStandardStreamableHTTPServerTransport,
    protectedResourceMetadataUrl
} from '@modelcontextprotocol/server';
import { createMcpHonoApp } from '../src/app.js';
import { mcpAuthMetadataRouter, protectedResourceMetadataRouter, requireBearerAuth } from '../src/auth.js';
import type { Listening, SeenAuth } from './fixtures.js';
import {
    POST_HEADERS,
    buildServer,
    challengeParams,
    listen,
    recordDispatched,
    recordingPolicy,
    verifier
} from './fixtures.js';

const judged: unknown[] = [];
const seen: SeenAuth = [];
let server: Listening;
let transport: WebStandardStreamableHTTPServerTransport;
let dispatched: unknown[];
let metadataUrl: string;

beforeAll(async () => {
    transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
    await buildServer(seen).connect(transport);
    dispatched = recordDispatched(transport);
    // The app needs its own URL (the protected resource), known once listening; no request has come yet.
    const app = createMcpHonoApp();
    server = await listen(app);
    metadataUrl = protectedResourceMetadataUrl(server.url).href;
    app.use(
        protectedResourceMetadataRouter({
            resourceServerUrl: server.url,
            authorizationServers: ['https://as.example'],
            scopesSupported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
            resourceName: 'Test MCP'
        })
    );
    app.use('/mcp', requireBearerAuth({ verifier, policy: recordingPolicy(judged), resourceMetadataUrl: metadataUrl }));
    app.all('/mcp', c =>
        transport.handleRequest(c.req.raw, { authInfo: c.get('auth'), parsedBody: c.get('parsedBody') })
    );
});
afterAll(async () => {
    await transport.close();
    await server.close();
});

const post = (body: unknown, token?: string) =>
    fetch(server.url, {
        method: 'POST',
        headers: { ...POST_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body)
    });

describe('Hono bearer auth and metadata', () => {
    it('answers 401 with a WWW-Authenticate challenge naming the scope and the metadata URL', async () => {
        const response = await post({ jsonrpc: '2.0', id: 1, method: 'ping' });
        expect(response.status).toBe(401);
        expect(challengeParams(response.headers.get('www-authenticate'))).toEqual({
            scope: 'init',
            resource_metadata: metadataUrl
        });
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
        const stream = await fetch(server.url, { headers: { accept: 'text/event-stream' } });
        expect(stream.status).toBe(401);
        expect(challengeParams(stream.headers.get('www-authenticate')).resource_metadata).toBe(metadataUrl);
        await stream.text();
    });

    it('serves protected resource metadata on the path-aware and the root well-known URL', async () => {
        expect(metadataUrl).toBe(`${server.base}/.well-known/oauth-protected-resource/mcp`);
        for (const url of [metadataUrl, `${server.base}/.well-known/oauth-protected-resource`]) {
            const response = await fetch(url);
            expect(response.status).toBe(200);
            expect(response.headers.get('access-control-allow-origin')).toBe('*');
            expect(await response.json()).toEqual({
                resource: server.url.href,
                authorization_servers: ['https://as.example'],
                bearer_methods_supported: ['header'],
                scopes_supported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
                resource_name: 'Test MCP'
            });
        }
        expect((await fetch(metadataUrl, { method: 'OPTIONS' })).status).toBe(204);
    });

    it('refuses a token whose scopes do not allow the operation with 403 insufficient_scope', async () => {
        const response = await post(
            { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add' } },
            'initToken'
        );
        expect(response.status).toBe(403);
        expect(challengeParams(response.headers.get('www-authenticate'))).toMatchObject({
            error: 'insufficient_scope',
            scope: 'mcp:tools:write',
            resource_metadata: metadataUrl
        });
        expect(dispatched).not.toContainEqual(expect.objectContaining({ method: 'tools/call' }));
    });

    it('answers 401 invalid_token for an unknown token', async () => {
        const response = await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, 'forged');
        expect(response.status).toBe(401);
        expect(challengeParams(response.headers.get('www-authenticate')).error).toBe('invalid_token');
    });

    it('serves our Client with a sufficient token; the policy judged the very messages dispatched', async () => {
        judged.length = 0;
        const before = dispatched.length;
        const client = new Client({ name: 'c', version: '1' });
        await client.connect(
            new StreamableHTTPClientTransport(server.url, {
                requestInit: { headers: { authorization: 'Bearer fullToken' } }
            })
        );
        expect((await client.listTools()).tools.map(tool => tool.name)).toEqual(['add']);
        const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '3' }]);
        expect(seen.at(-1)).toMatchObject({ clientId: 'client-1', token: 'fullToken' });
        const posted = dispatched.slice(before);
        expect(posted.length).toBeGreaterThanOrEqual(4);
        for (const message of posted) expect(judged).toContain(message);
        await client.close();
    });
});

describe('mcpAuthMetadataRouter', () => {
    const oauthMetadata = {
        issuer: 'https://as.example',
        authorization_endpoint: 'https://as.example/authorize',
        token_endpoint: 'https://as.example/token',
        response_types_supported: ['code']
    } as OAuthMetadata;

    it('serves the authorization server and protected resource metadata from AuthMetadataOptions', async () => {
        const app = createMcpHonoApp();
        const resourceServerUrl = new URL('https://mcp.example/mcp');
        app.use(mcpAuthMetadataRouter({ oauthMetadata, resourceServerUrl }));
        app.get('/other', c => c.text('other'));
        const local = await listen(app);
        try {
            const as = await fetch(`${local.base}/.well-known/oauth-authorization-server`);
            expect(await as.json()).toMatchObject({ issuer: 'https://as.example' });
            const prm = await fetch(`${local.base}/.well-known/oauth-protected-resource/mcp`);
            expect(await prm.json()).toMatchObject({
                resource: 'https://mcp.example/mcp',
                authorization_servers: ['https://as.example']
            });
            expect(await (await fetch(`${local.base}/other`)).text()).toBe('other');
        } finally {
            await local.close();
        }
    });

    it('rejects invalid configuration at construction', () => {
        expect(() => requireBearerAuth({ verifier, requiredScopes: ['a"b'] })).toThrow(AuthConfigError);
        expect(() =>
            mcpAuthMetadataRouter({
                resourceServerUrl: 'http://rs.example/mcp',
                authorizationServers: ['https://as.example']
            })
        ).toThrow(AuthConfigError);
    });
});
