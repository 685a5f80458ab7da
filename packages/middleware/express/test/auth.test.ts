import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthInfo } from '@modelcontextprotocol/server';
import {
    AuthConfigError,
    createScopePolicy,
    InvalidTokenError,
    protectedResourceMetadataUrl,
    type TokenVerifier
} from '@modelcontextprotocol/server';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpAuthMetadataRouter, protectedResourceMetadataRouter, requireBearerAuth } from '../src/auth.js';

/** Tokens by value; token validation itself is tested in the server package. */
const tokens: Record<string, string[]> = {
    initToken: ['init'],
    fullToken: ['init', 'mcp:tools:read', 'mcp:tools:write']
};
const verifier: TokenVerifier = {
    async verifyAccessToken(token) {
        const scopes = tokens[token];
        if (!scopes) throw new InvalidTokenError('The access token is invalid');
        return { token, clientId: 'client-1', scopes };
    }
};

const policy = createScopePolicy({
    methods: { initialize: 'init', ping: 'init', 'tools/list': 'mcp:tools:read', 'tools/call': 'mcp:tools:write' },
    notifications: 'init'
});

/** Pulls `name="value"` out of a single Bearer challenge (test-only, independent of the implementation). */
function challengeParams(header: string | null): Record<string, string> {
    expect(header).toMatch(/^Bearer /);
    const params: Record<string, string> = {};
    for (const m of (header ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) params[m[1] as string] = m[2] as string;
    return params;
}

describe('Express bearer auth and metadata router', () => {
    let server: Server;
    let base: string;
    let resourceUrl: string;
    let metadataUrl: string;

    beforeAll(async () => {
        const app = express();
        server = app.listen(0, '127.0.0.1');
        await new Promise<void>(resolve => server.once('listening', () => resolve()));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        resourceUrl = `${base}/mcp`;
        metadataUrl = protectedResourceMetadataUrl(resourceUrl).href;

        app.use(
            protectedResourceMetadataRouter({
                resourceServerUrl: resourceUrl,
                authorizationServers: ['https://as.example'],
                scopesSupported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
                resourceName: 'Test MCP'
            })
        );
        app.post(
            '/mcp',
            express.json(),
            requireBearerAuth({ verifier, policy, resourceMetadataUrl: metadataUrl }),
            (req, res) => {
                const auth: AuthInfo | undefined = req.auth;
                res.json({
                    jsonrpc: '2.0',
                    id: req.body.id,
                    result: { clientId: auth?.clientId, scopes: auth?.scopes }
                });
            }
        );
        app.get('/static', requireBearerAuth({ verifier, requiredScopes: ['mcp:tools:read'] }), (_req, res) => {
            res.send('ok');
        });
    });

    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

    const call = (method: string, token?: string, params?: object) =>
        fetch(`${base}/mcp`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) })
        });

    it('answers 401 with resource_metadata and the scope of the operation when no token is sent', async () => {
        const response = await call('initialize', undefined, {});
        expect(response.status).toBe(401);
        const params = challengeParams(response.headers.get('www-authenticate'));
        expect(params).toEqual({ scope: 'init', resource_metadata: metadataUrl });
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
    });

    it('answers 401 invalid_token for an unknown token', async () => {
        const response = await call('ping', 'forged');
        expect(response.status).toBe(401);
        expect(challengeParams(response.headers.get('www-authenticate'))).toMatchObject({
            error: 'invalid_token',
            scope: 'init',
            resource_metadata: metadataUrl
        });
    });

    it('answers 400 invalid_request for a malformed Authorization header', async () => {
        const response = await fetch(`${base}/mcp`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer a b' },
            body: '{"jsonrpc":"2.0","id":1,"method":"ping"}'
        });
        expect(response.status).toBe(400);
        expect(challengeParams(response.headers.get('www-authenticate')).error).toBe('invalid_request');
    });

    it('answers 403 insufficient_scope for tools/call with an init-only token, naming only mcp:tools:write', async () => {
        const response = await call('tools/call', 'initToken', { name: 'echo' });
        expect(response.status).toBe(403);
        expect(challengeParams(response.headers.get('www-authenticate'))).toEqual({
            error: 'insufficient_scope',
            error_description: 'The access token lacks the required scope: mcp:tools:write',
            scope: 'mcp:tools:write',
            resource_metadata: metadataUrl
        });
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('lets the request through with the right token and exposes req.auth', async () => {
        const response = await call('tools/call', 'fullToken', { name: 'echo' });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({
            jsonrpc: '2.0',
            id: 1,
            result: { clientId: 'client-1', scopes: ['init', 'mcp:tools:read', 'mcp:tools:write'] }
        });
        expect((await call('initialize', 'initToken', {})).status).toBe(200);
    });

    it('checks static requiredScopes without a policy or a body', async () => {
        const denied = await fetch(`${base}/static`, { headers: { authorization: 'Bearer initToken' } });
        expect(denied.status).toBe(403);
        expect(challengeParams(denied.headers.get('www-authenticate')).scope).toBe('mcp:tools:read');
        expect(challengeParams(denied.headers.get('www-authenticate'))).not.toHaveProperty('resource_metadata');
        const allowed = await fetch(`${base}/static`, { headers: { authorization: 'Bearer fullToken' } });
        expect(await allowed.text()).toBe('ok');
    });

    it('serves protected resource metadata on the path-aware and the root well-known URL', async () => {
        expect(metadataUrl).toBe(`${base}/.well-known/oauth-protected-resource/mcp`);
        for (const url of [metadataUrl, `${base}/.well-known/oauth-protected-resource`]) {
            const response = await fetch(url);
            expect(response.status).toBe(200);
            expect(response.headers.get('access-control-allow-origin')).toBe('*');
            expect(await response.json()).toEqual({
                resource: resourceUrl,
                authorization_servers: ['https://as.example'],
                bearer_methods_supported: ['header'],
                scopes_supported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
                resource_name: 'Test MCP'
            });
        }
    });

    it('answers a CORS preflight on the metadata URL and leaves other paths to the app', async () => {
        const preflight = await fetch(metadataUrl, { method: 'OPTIONS' });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
        expect((await fetch(`${base}/.well-known/oauth-protected-resource/other`)).status).toBe(404);
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
