/**
 * The `auth()` orchestrator, the machine-client providers and the `withOAuth` middleware, against the step-up
 * harness (a real resource and authorization server on loopback).
 */
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '../../src/client/auth/clientCredentials.js';
import { InsufficientScopeError } from '../../src/client/auth/errors.js';
import { JwtBearerProvider } from '../../src/client/auth/jwtBearerProvider.js';
import { applyMiddlewares, withOAuth } from '../../src/client/auth/middleware.js';
import { AuthSession } from '../../src/client/auth/authSession.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, post, REDIRECT_URI, startHarness } from './stepUpHarness.js';
import { send, startServer } from './loopbackServer.js';
import type { LoopbackServer } from './loopbackServer.js';

let harness: Harness | undefined;
const extra: LoopbackServer[] = [];

afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await Promise.all(extra.splice(0).map(server => server.close()));
});

describe('auth()', () => {
    it('redirects with PKCE S256, state, resource and scope, then exchanges the code', async () => {
        harness = await startHarness({ omitScope: true });
        const h = harness;
        const provider = new MemoryProvider('redirect');
        expect(await auth(provider, { serverUrl: h.mcpUrl, scope: 'init' })).toBe('REDIRECT');
        const url = provider.redirects[0]!;
        expect(url.searchParams.get('code_challenge_method')).toBe('S256');
        expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
        expect(url.searchParams.get('resource')).toBe(h.mcpUrl.href);
        expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
        const callback = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);

        const result = await auth(provider, {
            serverUrl: h.mcpUrl,
            callbackUrl: callback,
            expectedState: url.searchParams.get('state')!,
            scope: 'init'
        });
        expect(result).toBe('AUTHORIZED');
        expect(provider.stored).toMatchObject({ access_token: expect.any(String), scope: 'init' });
        const exchange = h.tokenRequests[0]!;
        expect(exchange.get('code_verifier')).toBe(provider.verifier);
        expect(exchange.get('resource')).toBe(h.mcpUrl.href);
    });

    it('rejects a callback with another issuer before exchanging the code', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('redirect');
        await auth(provider, { serverUrl: harness.mcpUrl });
        const callback = new URL(
            (await fetch(provider.redirects[0]!, { redirect: 'manual' })).headers.get('location')!
        );
        callback.searchParams.set('iss', 'http://127.0.0.1:1');
        await expect(auth(provider, { serverUrl: harness.mcpUrl, callbackUrl: callback })).rejects.toMatchObject({
            code: 'ISSUER_MISMATCH'
        });
        expect(harness.tokenRequests).toHaveLength(0);
    });

    it('uses a client ID metadata document URL instead of registering when the server supports it', async () => {
        harness = await startHarness({ cimd: true });
        const provider = new MemoryProvider('redirect');
        const cimd = 'https://client.example.com/oauth/metadata.json';
        Object.assign(provider, { clientMetadataUrl: cimd });
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        expect(provider.redirects[0]?.searchParams.get('client_id')).toBe(cimd);
        expect(harness.as.requests.some(request => request.path === '/register')).toBe(false);
    });
});

describe('machine clients', () => {
    it('ClientCredentialsProvider accumulates scope over client_credentials requests with client_secret_basic', async () => {
        harness = await startHarness();
        const h = harness;
        const provider = new ClientCredentialsProvider({ clientId: 'svc', clientSecret: 's3cret' });
        const session = new AuthSession({ provider, serverUrl: h.mcpUrl });
        for (const need of ['init', 'mcp:tools:read', 'mcp:tools:write', 'init']) {
            expect((await session.fetch(h.mcpUrl, post(need))).status).toBe(200);
        }
        expect(h.tokenRequests.map(form => form.get('scope'))).toEqual([
            'init',
            'init mcp:tools:read',
            'init mcp:tools:read mcp:tools:write'
        ]);
        const tokenRequest = h.as.requests.find(request => request.path === '/token');
        expect(tokenRequest?.headers.authorization).toBe(`Basic ${btoa('svc:s3cret')}`);
        expect(h.as.requests.some(request => request.path === '/register')).toBe(false);
    });

    it('JwtBearerProvider presents a fresh workload assertion per token request, without a client secret', async () => {
        harness = await startHarness();
        const h = harness;
        let issued = 0;
        const provider = new JwtBearerProvider({ clientId: 'workload', assertion: () => `workload-jwt-${++issued}` });
        const session = new AuthSession({ provider, serverUrl: h.mcpUrl });
        for (const need of ['init', 'mcp:tools:read']) {
            expect((await session.fetch(h.mcpUrl, post(need))).status).toBe(200);
        }
        expect(h.tokenRequests.map(form => [form.get('grant_type'), form.get('assertion'), form.get('scope')])).toEqual(
            [
                ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'workload-jwt-1', 'init'],
                ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'workload-jwt-2', 'init mcp:tools:read']
            ]
        );
        const tokenRequest = h.as.requests.find(request => request.path === '/token');
        expect(tokenRequest?.headers.authorization).toBeUndefined();
        expect(h.tokenRequests.every(form => !form.has('client_secret'))).toBe(true);
        expect(h.as.requests.some(request => request.path === '/register')).toBe(false);
    });

    it('ClientCredentialsProvider sends the secret in the body with client_secret_post, and stops at a denied scope', async () => {
        harness = await startHarness({ deny: ['mcp:tools:write'] });
        const h = harness;
        const provider = new ClientCredentialsProvider({
            clientId: 'svc',
            clientSecret: 's3cret',
            tokenEndpointAuthMethod: 'client_secret_post'
        });
        const session = new AuthSession({ provider, serverUrl: h.mcpUrl });
        await session.fetch(h.mcpUrl, post('init'));
        await expect(session.fetch(h.mcpUrl, post('mcp:tools:write'))).rejects.toBeInstanceOf(InsufficientScopeError);
        await expect(session.fetch(h.mcpUrl, post('mcp:tools:write'))).rejects.toBeInstanceOf(InsufficientScopeError);
        expect(h.tokenRequests).toHaveLength(2);
        expect(h.tokenRequests[0]?.get('client_secret')).toBe('s3cret');
    });

    it('PrivateKeyJwtProvider authenticates with an RFC 7523 assertion addressed to the issuer', async () => {
        harness = await startHarness();
        const h = harness;
        const { privateKey, publicKey } = await generateKeyPair('ES256');
        const provider = new PrivateKeyJwtProvider({
            clientId: 'svc-jwt',
            privateKey: { key: privateKey, algorithm: 'ES256' }
        });
        const session = new AuthSession({ provider, serverUrl: h.mcpUrl });
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        const form = h.tokenRequests[0]!;
        expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        const { payload } = await jwtVerify(form.get('client_assertion')!, publicKey, {
            audience: h.as.origin,
            issuer: 'svc-jwt',
            subject: 'svc-jwt'
        });
        expect(payload.jti).toBeTypeOf('string');
        expect((await exportJWK(publicKey)).kty).toBe('EC');
    });
});

describe('withOAuth', () => {
    it('steps up and resends a Request with its body; other origins pass through without a token', async () => {
        harness = await startHarness();
        const h = harness;
        const other = await startServer((_request, response) => send(response, 200, {}));
        extra.push(other);
        const seen: string[] = [];
        const logging = (next: typeof fetch) => (input: string | URL | Request, init?: RequestInit) => {
            seen.push(input instanceof Request ? input.url : String(input));
            return next(input, init);
        };
        const authed = applyMiddlewares(logging, withOAuth(new MemoryProvider(), h.mcpUrl))(fetch);
        const request = new Request(h.mcpUrl, post('mcp:tools:read'));
        expect((await authed(request)).status).toBe(200);
        expect(h.authorizations).toEqual(['mcp:tools:read']);
        const resent = h.rs.requests.filter(r => r.path === '/mcp');
        expect(resent.map(r => JSON.parse(r.body))).toEqual([{ need: 'mcp:tools:read' }, { need: 'mcp:tools:read' }]);
        await authed(new URL('/x', other.origin), post('init'));
        expect(other.requests[0]?.headers.authorization).toBeUndefined();
        expect(seen).toEqual([h.mcpUrl.href, `${other.origin}/x`]);
    });
});
