import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { approveAuthorization } from '../src/authServer/approve.js';
import { startOidcAuthServer } from '../src/authServer/oidcAuthServer.js';
import type { OidcAuthServer, OidcAuthServerOptions } from '../src/authServer/oidcAuthServer.js';
import {
    authorizationUrl,
    authorizeAndExchange,
    discover,
    pkce,
    register,
    tokenRequest
} from './fixtures/oauthSteps.js';

const RESOURCE = 'http://127.0.0.1:65000/mcp';
const ALL = 'init mcp:tools:read mcp:tools:write';

describe('oidc-provider authorization server', () => {
    let server: OidcAuthServer | undefined;
    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    async function start(options: Partial<OidcAuthServerOptions> = {}) {
        server = await startOidcAuthServer({ resourceUrl: RESOURCE, ...options });
        const metadata = await discover(server.issuer);
        const client = await register(metadata);
        return { server, metadata, client };
    }

    it('advertises RFC 8414 metadata with PKCE, registration and RFC 9207 iss', async () => {
        const { server, metadata } = await start();
        expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(metadata.issuer).toBe(server.issuer);
        expect(metadata.jwks_uri).toBe(server.jwksUrl);
        expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
        expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
        expect(metadata.scopes_supported).toEqual(expect.arrayContaining(ALL.split(' ')));
    });

    it('runs a full authorization-code flow to a JWT for the resource with the requested scope', async () => {
        const { server, metadata, client } = await start();
        const { callback, token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        expect(callback.searchParams.get('iss')).toBe(server.issuer);
        expect(token.status).toBe(200);
        expect(token.body.scope).toBe('init mcp:tools:read');
        expect(token.body.refresh_token).toEqual(expect.any(String));
        const { payload, protectedHeader } = await jwtVerify(
            String(token.body.access_token),
            createRemoteJWKSet(new URL(server.jwksUrl)),
            { issuer: server.issuer, audience: RESOURCE }
        );
        expect(protectedHeader.alg).toBe('ES256');
        expect(payload.scope).toBe('init mcp:tools:read');
        expect(payload.client_id).toBe(client.client_id);
    });

    it('records the requested and granted scope of each authorization and each token request', async () => {
        const { server, metadata, client } = await start();
        await authorizeAndExchange(metadata, client, 'init', RESOURCE);
        await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        expect(server.stats.authorizations.map(a => [a.requestedScope, a.grantedScope])).toEqual([
            ['init', 'init'],
            ['init mcp:tools:read', 'init mcp:tools:read']
        ]);
        expect(server.stats.tokenRequests).toEqual([
            { grantType: 'authorization_code' },
            { grantType: 'authorization_code' }
        ]);
    });

    it('grants less than asked with denyScopes and says so in the token response', async () => {
        const { server, metadata, client } = await start({ denyScopes: ['mcp:tools:write'] });
        const { token } = await authorizeAndExchange(metadata, client, ALL, RESOURCE);
        expect(token.body.scope).toBe('init mcp:tools:read');
        expect(decodeJwt(String(token.body.access_token)).scope).toBe('init mcp:tools:read');
        expect(server.stats.authorizations[0]).toMatchObject({
            requestedScope: ALL,
            grantedScope: 'init mcp:tools:read'
        });
    });

    it('refreshes with rotation, keeps the scope, and refuses a replayed refresh token', async () => {
        const { server, metadata, client } = await start();
        const { token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        const first = String(token.body.refresh_token);
        const refreshed = await tokenRequest(metadata, {
            grant_type: 'refresh_token',
            refresh_token: first,
            client_id: client.client_id
        });
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.scope).toBe('init mcp:tools:read');
        expect(decodeJwt(String(refreshed.body.access_token)).aud).toBe(RESOURCE);
        expect(refreshed.body.refresh_token).not.toBe(first);
        const replay = await tokenRequest(metadata, {
            grant_type: 'refresh_token',
            refresh_token: first,
            client_id: client.client_id
        });
        expect(replay.body.error).toBe('invalid_grant');
        expect(server.stats.tokenRequests.map(r => r.grantType)).toEqual([
            'authorization_code',
            'refresh_token',
            'refresh_token'
        ]);
    });

    it('cannot widen the scope on refresh', async () => {
        const { server, metadata, client } = await start();
        const { token } = await authorizeAndExchange(metadata, client, 'init', RESOURCE);
        const widened = await tokenRequest(metadata, {
            grant_type: 'refresh_token',
            refresh_token: String(token.body.refresh_token),
            client_id: client.client_id,
            scope: 'init mcp:tools:read'
        });
        expect(widened.status).toBe(400);
        expect(widened.body.error).toBe('invalid_scope');
        expect(server.stats.tokenRequests[1]).toEqual({ grantType: 'refresh_token', scope: 'init mcp:tools:read' });
    });

    it('issues no refresh token when refreshTokens is false and honours accessTokenTtl', async () => {
        const { metadata, client } = await start({ refreshTokens: false, accessTokenTtl: 120 });
        const { token } = await authorizeAndExchange(metadata, client, 'init', RESOURCE);
        expect(token.body.refresh_token).toBeUndefined();
        expect(token.body.expires_in).toBe(120);
    });

    it('refuses an unknown resource on the callback with invalid_target', async () => {
        const { server, metadata, client } = await start();
        const url = authorizationUrl(metadata, client, {
            ...pkce(),
            state: 's',
            scope: 'init',
            resource: 'http://127.0.0.1:1/other'
        });
        const callback = await approveAuthorization(url);
        expect(callback.searchParams.get('error')).toBe('invalid_target');
        expect(callback.searchParams.get('iss')).toBe(server.issuer);
        expect(server.stats.authorizations).toEqual([]);
    });

    it('answers a bad request with a JSON OAuth error instead of an HTML page', async () => {
        const { metadata } = await start();
        const response = await fetch(`${metadata.authorization_endpoint}?client_id=nope&response_type=code`);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/json/);
        expect(((await response.json()) as { error: string }).error).toMatch(/^invalid_/);
    });
});
