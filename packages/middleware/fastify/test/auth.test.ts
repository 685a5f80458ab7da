/**
 * `requireBearerAuth` and the metadata plugins on a real `127.0.0.1` server: challenges (401 / 403 with
 * `WWW-Authenticate`), RFC 9728 metadata, the policy and the transport acting on one decoded message (with our parser
 * and with Fastify's own), and our `Client` completing a session with a token.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { OAuthMetadata } from '@modelcontextprotocol/server';
import { AuthConfigError, protectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { createMcpFastifyApp } from '../src/app.js';
import { mcpAuthMetadataRouter, protectedResourceMetadataRouter, requireBearerAuth } from '../src/auth.js';
import type { SeenAuth } from './fixtures.js';
import {
    INIT,
    POST_HEADERS,
    buildServer,
    challengeParams,
    listen,
    recordDispatched,
    recordingPolicy,
    verifier
} from './fixtures.js';

/** The protected resource as its clients know it (the public URL may differ from the address bound). */
const RESOURCE = 'http://localhost:3000/mcp';
const METADATA_URL = protectedResourceMetadataUrl(RESOURCE).href;

/** A protected `/mcp` endpoint with one session on `app`; records what the policy judged and what was dispatched. */
async function protect(app: FastifyInstance) {
    const judged: unknown[] = [];
    const seen: SeenAuth = [];
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
    await buildServer(seen).connect(transport);
    const dispatched = recordDispatched(transport);
    await app.register(
        protectedResourceMetadataRouter({
            resourceServerUrl: RESOURCE,
            authorizationServers: ['https://as.example'],
            scopesSupported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
            resourceName: 'Test MCP'
        })
    );
    app.route({
        method: ['GET', 'POST', 'DELETE'],
        url: '/mcp',
        preHandler: requireBearerAuth({ verifier, policy: recordingPolicy(judged), resourceMetadataUrl: METADATA_URL }),
        handler: async (request, reply) => {
            reply.hijack();
            await transport.handleRequest(request.raw, reply.raw, request.body);
        }
    });
    const server = await listen(app);
    const close = async () => {
        await transport.close();
        await server.close();
    };
    return { server, judged, seen, dispatched, close };
}

describe('Fastify bearer auth and metadata (createMcpFastifyApp)', () => {
    let context: Awaited<ReturnType<typeof protect>>;
    beforeAll(async () => {
        context = await protect(createMcpFastifyApp());
    });
    afterAll(() => context.close());

    const post = (body: unknown, token?: string) =>
        fetch(context.server.url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(body)
        });

    it('answers 401 with a WWW-Authenticate challenge naming the scope and the metadata URL', async () => {
        const response = await post({ jsonrpc: '2.0', id: 1, method: 'ping' });
        expect(response.status).toBe(401);
        expect(challengeParams(response.headers.get('www-authenticate'))).toEqual({
            scope: 'init',
            resource_metadata: METADATA_URL
        });
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
        const stream = await fetch(context.server.url, { headers: { accept: 'text/event-stream' } });
        expect(stream.status).toBe(401);
        expect(challengeParams(stream.headers.get('www-authenticate')).resource_metadata).toBe(METADATA_URL);
        await stream.text();
    });

    it('serves protected resource metadata on the path-aware and the root well-known URL', async () => {
        const { base } = context.server;
        for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
            const response = await fetch(`${base}${path}`);
            expect(response.status).toBe(200);
            expect(response.headers.get('access-control-allow-origin')).toBe('*');
            expect(await response.json()).toEqual({
                resource: RESOURCE,
                authorization_servers: ['https://as.example'],
                bearer_methods_supported: ['header'],
                scopes_supported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
                resource_name: 'Test MCP'
            });
        }
        const preflight = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`, { method: 'OPTIONS' });
        expect(preflight.status).toBe(204);
        const post = await fetch(`${base}/.well-known/oauth-protected-resource`, { method: 'POST' });
        expect(post.status).toBe(405);
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
            resource_metadata: METADATA_URL
        });
        expect(context.dispatched).not.toContainEqual(expect.objectContaining({ method: 'tools/call' }));
    });

    it('answers 401 invalid_token for an unknown token, and 400 for a repeated Authorization header', async () => {
        const response = await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, 'forged');
        expect(response.status).toBe(401);
        expect(challengeParams(response.headers.get('www-authenticate')).error).toBe('invalid_token');
        const headers = new Headers(POST_HEADERS);
        headers.append('authorization', 'Bearer fullToken');
        headers.append('authorization', 'Bearer initToken');
        const repeated = await fetch(context.server.url, { method: 'POST', headers, body: JSON.stringify(INIT) });
        expect(repeated.status).toBe(400);
        await repeated.text();
    });

    it('serves our Client with a sufficient token; the policy judged the very messages dispatched', async () => {
        context.judged.length = 0;
        const before = context.dispatched.length;
        const client = new Client({ name: 'c', version: '1' });
        const transport = new StreamableHTTPClientTransport(context.server.url, {
            requestInit: { headers: { authorization: 'Bearer fullToken' } }
        });
        await client.connect(transport);
        expect((await client.listTools()).tools.map(tool => tool.name)).toEqual(['add']);
        const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '3' }]);
        expect(context.seen.at(-1)).toMatchObject({ clientId: 'client-1', token: 'fullToken' });
        const posted = context.dispatched.slice(before);
        expect(posted.length).toBeGreaterThanOrEqual(4);
        for (const message of posted) expect(context.judged).toContain(message);
        await client.close();
    });
});

describe('Fastify bearer auth in a plain Fastify app (Fastify parses the JSON)', () => {
    it('authorizes and dispatches the one value Fastify parsed', async () => {
        const context = await protect(Fastify());
        try {
            const denied = await fetch(context.server.url, {
                method: 'POST',
                headers: { ...POST_HEADERS, authorization: 'Bearer initToken' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
            });
            expect(denied.status).toBe(403);
            await denied.text();
            const allowed = await fetch(context.server.url, {
                method: 'POST',
                headers: { ...POST_HEADERS, authorization: 'Bearer initToken' },
                body: JSON.stringify(INIT)
            });
            expect(allowed.status).toBe(200);
            await allowed.text();
            expect(context.dispatched).toHaveLength(1);
            expect(context.judged).toContain(context.dispatched[0]);
        } finally {
            await context.close();
        }
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
        const app = createMcpFastifyApp();
        await app.register(
            mcpAuthMetadataRouter({ oauthMetadata, resourceServerUrl: new URL('https://mcp.example/mcp') })
        );
        const server = await listen(app);
        try {
            const as = await fetch(`${server.base}/.well-known/oauth-authorization-server`);
            expect(await as.json()).toMatchObject({ issuer: 'https://as.example' });
            const prm = await fetch(`${server.base}/.well-known/oauth-protected-resource/mcp`);
            expect(await prm.json()).toMatchObject({
                resource: 'https://mcp.example/mcp',
                authorization_servers: ['https://as.example']
            });
            expect((await fetch(`${server.base}/other`)).status).toBe(404);
        } finally {
            await server.close();
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
