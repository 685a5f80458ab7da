import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { approveAuthorization } from '../src/authServer/approve.js';
import { startSimpleAuthServer } from '../src/authServer/simpleAuthServer.js';
import type { SimpleAuthServer, SimpleAuthServerOptions } from '../src/authServer/simpleAuthServer.js';
import type { Metadata, RegisteredClient } from './fixtures/oauthSteps.js';
import {
    REDIRECT_URI,
    authorizationUrl,
    authorizeAndExchange,
    discover,
    pkce,
    register,
    tokenRequest
} from './fixtures/oauthSteps.js';

const RESOURCE = 'http://127.0.0.1:65000/mcp';
const ALL = 'init mcp:tools:read mcp:tools:write';

describe('simple authorization server', () => {
    let server: SimpleAuthServer | undefined;
    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    async function start(options: Partial<SimpleAuthServerOptions> = {}) {
        server = await startSimpleAuthServer({ resourceUrl: RESOURCE, ...options });
        const metadata = await discover(server.issuer);
        const client = await register(metadata);
        return { server, metadata, client };
    }

    async function refresh(metadata: Metadata, client: RegisteredClient, refreshToken: unknown, scope?: string) {
        return tokenRequest(metadata, {
            grant_type: 'refresh_token',
            refresh_token: String(refreshToken),
            client_id: client.client_id,
            ...(scope === undefined ? {} : { scope })
        });
    }

    it('advertises RFC 8414 metadata', async () => {
        const { server, metadata } = await start();
        expect(metadata).toMatchObject({
            issuer: server.issuer,
            jwks_uri: server.jwksUrl,
            authorization_response_iss_parameter_supported: true,
            code_challenge_methods_supported: ['S256'],
            grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
            token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post']
        });
    });

    it('runs a full authorization-code flow to a JWT for the resource with the requested scope', async () => {
        const { server, metadata, client } = await start();
        const { callback, token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        expect(callback.searchParams.get('iss')).toBe(server.issuer);
        expect(token.status).toBe(200);
        expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'init mcp:tools:read', expires_in: 3600 });
        const { payload, protectedHeader } = await jwtVerify(
            String(token.body.access_token),
            createRemoteJWKSet(new URL(server.jwksUrl)),
            { issuer: server.issuer, audience: RESOURCE, typ: 'at+jwt' }
        );
        expect(protectedHeader.alg).toBe('ES256');
        expect(payload).toMatchObject({ scope: 'init mcp:tools:read', client_id: client.client_id });
        expect(server.stats.authorizations).toEqual([
            { requestedScope: 'init mcp:tools:read', grantedScope: 'init mcp:tools:read', at: expect.any(Number) }
        ]);
        expect(server.stats.tokenRequests).toEqual([{ grantType: 'authorization_code' }]);
    });

    it('omits scope from the token response with omitScopeInTokenResponse while granting what was asked', async () => {
        const { metadata, client } = await start({ omitScopeInTokenResponse: true });
        const { token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        expect(token.status).toBe(200);
        expect(token.body).not.toHaveProperty('scope');
        expect(decodeJwt(String(token.body.access_token)).scope).toBe('init mcp:tools:read');
        const refreshed = await refresh(metadata, client, token.body.refresh_token);
        expect(refreshed.body).not.toHaveProperty('scope');
        expect(decodeJwt(String(refreshed.body.access_token)).scope).toBe('init mcp:tools:read');
    });

    it('grants less than asked with denyScopes and then always returns scope', async () => {
        const { server, metadata, client } = await start({
            denyScopes: ['mcp:tools:write'],
            omitScopeInTokenResponse: true
        });
        const { token } = await authorizeAndExchange(metadata, client, ALL, RESOURCE);
        expect(token.body.scope).toBe('init mcp:tools:read');
        expect(decodeJwt(String(token.body.access_token)).scope).toBe('init mcp:tools:read');
        expect(server.stats.authorizations[0]).toMatchObject({
            requestedScope: ALL,
            grantedScope: 'init mcp:tools:read'
        });
    });

    it('refuses an authorization when nothing requested can be granted', async () => {
        const { server, metadata, client } = await start({ denyScopes: ['mcp:tools:write'] });
        const url = authorizationUrl(metadata, client, { ...pkce(), state: 'st', scope: 'mcp:tools:write' });
        const callback = await approveAuthorization(url);
        expect(callback.searchParams.get('error')).toBe('invalid_scope');
        expect(callback.searchParams.get('state')).toBe('st');
        expect(server.stats.authorizations[0]).toMatchObject({ requestedScope: 'mcp:tools:write', grantedScope: '' });
    });

    it('refreshes with rotation, keeps the scope, and a replay revokes the whole grant', async () => {
        const { server, metadata, client } = await start();
        const { token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        const refreshed = await refresh(metadata, client, token.body.refresh_token);
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.scope).toBe('init mcp:tools:read');
        expect(refreshed.body.refresh_token).not.toBe(token.body.refresh_token);
        expect((await refresh(metadata, client, token.body.refresh_token)).body.error).toBe('invalid_grant');
        expect((await refresh(metadata, client, refreshed.body.refresh_token)).body.error).toBe('invalid_grant');
        expect(server.stats.tokenRequests.map(r => r.grantType)).toEqual([
            'authorization_code',
            'refresh_token',
            'refresh_token',
            'refresh_token'
        ]);
    });

    it('narrows on refresh with a subset scope but refuses to widen', async () => {
        const { server, metadata, client } = await start();
        const { token } = await authorizeAndExchange(metadata, client, 'init mcp:tools:read', RESOURCE);
        const widened = await refresh(metadata, client, token.body.refresh_token, ALL);
        expect(widened.body.error).toBe('invalid_scope');
        const narrowed = await refresh(metadata, client, token.body.refresh_token, 'init');
        expect(narrowed.body.scope).toBe('init');
        const full = await refresh(metadata, client, narrowed.body.refresh_token);
        expect(full.body.scope).toBe('init mcp:tools:read');
        expect(server.stats.tokenRequests[1]).toEqual({ grantType: 'refresh_token', scope: ALL });
    });

    it('applies refreshScopeBehaviour require-scope and ignore-scope', async () => {
        const strict = await start({ refreshScopeBehaviour: 'require-scope' });
        const a = await authorizeAndExchange(strict.metadata, strict.client, 'init', RESOURCE);
        expect((await refresh(strict.metadata, strict.client, a.token.body.refresh_token)).body.error).toBe(
            'invalid_request'
        );
        expect((await refresh(strict.metadata, strict.client, a.token.body.refresh_token, 'init')).status).toBe(200);
        await strict.server.close();

        const lax = await start({ refreshScopeBehaviour: 'ignore-scope' });
        const b = await authorizeAndExchange(lax.metadata, lax.client, 'init mcp:tools:read', RESOURCE);
        const ignored = await refresh(lax.metadata, lax.client, b.token.body.refresh_token, 'init mcp:tools:write');
        expect(ignored.body.scope).toBe('init mcp:tools:read');
    });

    it('issues no refresh token when issueRefreshTokens is false', async () => {
        const { metadata, client } = await start({ issueRefreshTokens: false });
        const { token } = await authorizeAndExchange(metadata, client, 'init', RESOURCE);
        expect(token.status).toBe(200);
        expect(token.body.refresh_token).toBeUndefined();
    });

    it('serves client_credentials to a confidential client with Basic authentication only', async () => {
        const { metadata } = await start({ denyScopes: ['mcp:tools:write'] });
        const machine = await register(metadata, {
            grant_types: ['client_credentials'],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_basic'
        });
        const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`;
        const ok = await tokenRequest(
            metadata,
            { grant_type: 'client_credentials', scope: ALL },
            { authorization: basic }
        );
        expect(ok.status).toBe(200);
        expect(ok.body.scope).toBe('init mcp:tools:read');
        expect(ok.body.refresh_token).toBeUndefined();
        const wrong = `Basic ${Buffer.from(`${machine.client_id}:nope`).toString('base64')}`;
        const denied = await tokenRequest(metadata, { grant_type: 'client_credentials' }, { authorization: wrong });
        expect(denied.status).toBe(401);
        expect(denied.body.error).toBe('invalid_client');
    });

    it('enforces PKCE and single use of the authorization code', async () => {
        const { metadata, client } = await start();
        const { challenge } = pkce();
        const callback = await approveAuthorization(
            authorizationUrl(metadata, client, { challenge, state: 's', scope: 'init' })
        );
        const code = callback.searchParams.get('code') ?? '';
        const form = {
            grant_type: 'authorization_code',
            code,
            redirect_uri: REDIRECT_URI,
            client_id: client.client_id
        };
        const wrong = await tokenRequest(metadata, { ...form, code_verifier: pkce().verifier });
        expect(wrong.body.error).toBe('invalid_grant');
        const replay = await tokenRequest(metadata, { ...form, code_verifier: pkce().verifier });
        expect(replay.body.error).toBe('invalid_grant');

        const noChallenge = authorizationUrl(metadata, client, { challenge: '', state: 's' });
        noChallenge.searchParams.delete('code_challenge');
        expect((await approveAuthorization(noChallenge)).searchParams.get('error')).toBe('invalid_request');
    });

    it('refuses an unknown resource', async () => {
        const { metadata, client } = await start();
        const url = authorizationUrl(metadata, client, { ...pkce(), state: 's', resource: 'http://127.0.0.1:1/other' });
        expect((await approveAuthorization(url)).searchParams.get('error')).toBe('invalid_target');
    });

    it('issues 1-second tokens that verifiers see expire, and can revoke tokens for introspection', async () => {
        const { server, metadata, client } = await start({ accessTokenTtl: 1 });
        const { token } = await authorizeAndExchange(metadata, client, 'init', RESOURCE);
        const accessToken = String(token.body.access_token);
        const jwks = createRemoteJWKSet(new URL(server.jwksUrl));
        const { payload } = await jwtVerify(accessToken, jwks, { audience: RESOURCE });
        expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(2);
        const later = new Date((payload.exp! + 1) * 1000);
        await expect(jwtVerify(accessToken, jwks, { audience: RESOURCE, currentDate: later })).rejects.toThrow(/exp/);

        const introspect = async () =>
            (
                await fetch(`${server.issuer}/introspect`, {
                    method: 'POST',
                    body: new URLSearchParams({ token: accessToken })
                })
            ).json();
        expect(await introspect()).toMatchObject({ active: true, scope: 'init', aud: RESOURCE });
        server.revokeAccessTokens();
        expect(await introspect()).toEqual({ active: false });
        expect(await server.verifyAccessToken(accessToken)).toBeUndefined();
    });

    it('answers hostile input with OAuth error JSON and keeps serving', async () => {
        const { metadata } = await start();
        const post = (url: string, body: string, type = 'application/x-www-form-urlencoded') =>
            fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
        const cases: Array<[Promise<Response>, number, string]> = [
            [post(metadata.registration_endpoint, '{not json', 'application/json'), 400, 'invalid_client_metadata'],
            [
                post(metadata.registration_endpoint, '{"redirect_uris":["#x"]}', 'application/json'),
                400,
                'invalid_redirect_uri'
            ],
            [post(metadata.registration_endpoint, '[1]', 'application/json'), 400, 'invalid_client_metadata'],
            [post(metadata.token_endpoint, '{}', 'application/json'), 400, 'invalid_request'],
            [post(metadata.token_endpoint, 'grant_type=a&grant_type=b'), 400, 'invalid_request'],
            [post(metadata.token_endpoint, 'grant_type=password&client_id=x'), 401, 'invalid_client'],
            [post(metadata.token_endpoint, 'x='.padEnd(70_000, 'y')), 413, 'invalid_request'],
            [fetch(`${metadata.authorization_endpoint}?client_id=unknown`), 400, 'invalid_request'],
            [fetch(`${server!.issuer}/nowhere`), 404, 'not_found']
        ];
        for (const [pending, status, error] of cases) {
            const response = await pending;
            expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([status, error]);
        }
        expect((await discover(server!.issuer)).issuer).toBe(server!.issuer);
    });
});
