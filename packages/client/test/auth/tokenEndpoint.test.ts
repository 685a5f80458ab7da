import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAuthErrorCode } from '@modelcontextprotocol/core';

import {
    InsecureEndpointError,
    InvalidClientError,
    InvalidGrantError,
    InvalidResponseError,
    InvalidTargetError,
    OAuthTokenError,
    RequestFailedError,
    ScopeRejectedError
} from '../../src/client/auth/errors.js';
import type { FetchLike } from '../../src/client/auth/http.js';
import {
    exchangeAuthorizationCode,
    processTokenResponse,
    refreshAccessToken,
    requestClientCredentialsToken,
    requestToken
} from '../../src/client/auth/tokenEndpoint.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
beforeEach(async () => {
    server = await startServer();
});
afterEach(async () => {
    await server.close();
});

const respond = (status: number, body: unknown, headers?: Record<string, string>) =>
    server.handle((_req, res) => send(res, status, body, headers));
const lastForm = () => new URLSearchParams(server.requests.at(-1)?.body);
const common = () => ({
    tokenEndpoint: `${server.origin}/token`,
    client: { clientId: 'client-1' },
    clientAuthMethod: 'none' as const,
    resource: 'https://mcp.example/mcp'
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    throw new Error('expected a rejection');
}

describe('authorization_code grant', () => {
    it('sends code, code_verifier, redirect_uri and resource', async () => {
        respond(200, { access_token: 'at', token_type: 'Bearer', scope: 'init' });
        await exchangeAuthorizationCode({
            ...common(),
            code: 'the-code',
            codeVerifier: 'the-verifier',
            redirectUri: 'http://127.0.0.1:3000/cb',
            requestedScope: 'init'
        });
        const request = server.requests[0]!;
        expect(request.method).toBe('POST');
        expect(request.headers.accept).toBe('application/json');
        expect(Object.fromEntries(lastForm())).toEqual({
            grant_type: 'authorization_code',
            code: 'the-code',
            code_verifier: 'the-verifier',
            redirect_uri: 'http://127.0.0.1:3000/cb',
            resource: 'https://mcp.example/mcp',
            client_id: 'client-1'
        });
    });

    it('records granted = requested when the response omits scope (RFC 6749 §5.1)', async () => {
        respond(200, { access_token: 'at', token_type: 'Bearer' });
        const result = await exchangeAuthorizationCode({
            ...common(),
            code: 'c',
            codeVerifier: 'v',
            redirectUri: 'http://127.0.0.1/cb',
            requestedScope: 'init mcp:tools:read'
        });
        expect(result.scopeSource).toBe('requested');
        expect(result.grantedScope.toArray()).toEqual(['init', 'mcp:tools:read']);
        expect(result.tokens.scope).toBeUndefined();
    });

    it("records the response's scope when the server grants less", async () => {
        respond(200, { access_token: 'at', token_type: 'Bearer', scope: 'init' });
        const result = await exchangeAuthorizationCode({
            ...common(),
            code: 'c',
            codeVerifier: 'v',
            redirectUri: 'http://127.0.0.1/cb',
            requestedScope: 'init mcp:tools:read'
        });
        expect(result.scopeSource).toBe('response');
        expect(result.grantedScope.toArray()).toEqual(['init']);
    });

    it('computes expiresAt from expires_in, tolerating a numeric string', async () => {
        const now = Date.UTC(2025, 0, 1);
        respond(200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
        const a = await requestToken('authorization_code', { code: 'c' }, common());
        expect(a.expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 3599);
        respond(200, { access_token: 'at', token_type: 'Bearer', expires_in: '60' });
        const response = await fetch(`${server.origin}/token`);
        const b = await processTokenResponse(response, { now });
        expect(b.expiresAt).toBe(now / 1000 + 60);
        expect(b.tokens.expires_in).toBe(60);
        respond(200, { access_token: 'at', token_type: 'Bearer' });
        expect((await requestToken('authorization_code', { code: 'c' }, common())).expiresAt).toBeUndefined();
    });
});

describe('refresh_token grant', () => {
    it('sends refresh_token, the accumulated scope and resource', async () => {
        respond(200, { access_token: 'at2', token_type: 'Bearer', refresh_token: 'rt2' });
        const result = await refreshAccessToken({ ...common(), refreshToken: 'rt1', scope: 'init mcp:tools:read' });
        expect(Object.fromEntries(lastForm())).toMatchObject({
            grant_type: 'refresh_token',
            refresh_token: 'rt1',
            scope: 'init mcp:tools:read',
            resource: 'https://mcp.example/mcp'
        });
        expect(result.grantedScope.toString()).toBe('init mcp:tools:read');
        expect(result.tokens.refresh_token).toBe('rt2');
    });

    it('omits scope when not given and then records the previous scope as granted', async () => {
        respond(200, { access_token: 'at2', token_type: 'Bearer' });
        const result = await refreshAccessToken({ ...common(), refreshToken: 'rt1', previousScope: 'init' });
        expect(lastForm().has('scope')).toBe(false);
        expect(result.grantedScope.toString()).toBe('init');
        expect(result.scopeSource).toBe('requested');
    });

    it('keeps the refresh token when the server does not rotate it', async () => {
        respond(200, { access_token: 'at2', token_type: 'Bearer' });
        const result = await refreshAccessToken({ ...common(), refreshToken: 'rt1' });
        expect(result.tokens.refresh_token).toBe('rt1');
    });
});

describe('client_credentials and extension grants', () => {
    it('client_credentials sends scope and resource', async () => {
        respond(200, { access_token: 'at', token_type: 'Bearer' });
        const result = await requestClientCredentialsToken({ ...common(), scope: ['init', 'mcp:tools:read'] });
        expect(Object.fromEntries(lastForm())).toMatchObject({
            grant_type: 'client_credentials',
            scope: 'init mcp:tools:read',
            resource: 'https://mcp.example/mcp'
        });
        expect(result.grantedScope.toString()).toBe('init mcp:tools:read');
    });

    it('client_credentials without scope sends none and records none', async () => {
        respond(200, { access_token: 'at', token_type: 'Bearer' });
        const result = await requestClientCredentialsToken({ ...common(), resource: undefined });
        expect(Object.fromEntries(lastForm())).toEqual({ grant_type: 'client_credentials', client_id: 'client-1' });
        expect(result.grantedScope.size).toBe(0);
    });

    it('sends an RFC 8693 token exchange with the given parameters, leaving undefined ones out', async () => {
        respond(200, {
            access_token: 'x',
            token_type: 'N_A',
            issued_token_type: 'urn:ietf:params:oauth:token-type:access_token'
        });
        const result = await requestToken(
            'urn:ietf:params:oauth:grant-type:token-exchange',
            {
                subject_token: 'st',
                subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
                actor_token: undefined
            },
            common()
        );
        expect(lastForm().get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
        expect(lastForm().has('actor_token')).toBe(false);
        expect(result.tokens.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token');
    });

    it('sends extra headers', async () => {
        respond(200, { access_token: 'x', token_type: 'Bearer' });
        await requestToken('client_credentials', {}, { ...common(), headers: { 'X-Trace': 't1' } });
        expect(server.requests[0]?.headers['x-trace']).toBe('t1');
    });
});

describe('token endpoint errors', () => {
    it.each([
        ['invalid_grant', 400, InvalidGrantError, OAuthErrorCode.InvalidGrant],
        ['invalid_client', 401, InvalidClientError, OAuthErrorCode.InvalidClient],
        ['invalid_scope', 400, ScopeRejectedError, OAuthErrorCode.InvalidScope],
        ['invalid_target', 400, InvalidTargetError, OAuthErrorCode.InvalidTarget],
        ['server_error', 500, OAuthTokenError, OAuthErrorCode.ServerError],
        ['constructor', 400, OAuthTokenError, 'constructor']
    ] as const)(
        'maps %s (HTTP %i) to its class, with the OAuth error code as code',
        async (error, status, ErrorClass, code) => {
            respond(status, { error, error_description: 'why', error_uri: 'https://as/e' });
            const caught = await rejection(requestToken('authorization_code', { code: 'c' }, common()));
            expect(caught).toBeInstanceOf(ErrorClass);
            expect(caught).toBeInstanceOf(OAuthTokenError);
            expect(caught).toMatchObject({ code, error, errorDescription: 'why', errorUri: 'https://as/e', status });
            expect((caught as OAuthTokenError).response?.status).toBe(status);
            expect(Object.keys(caught as object)).not.toContain('response');
            expect(JSON.stringify(caught)).not.toContain('Response');
        }
    );

    it('reports an error status without an OAuth error body as RequestFailedError', async () => {
        respond(502, '<html>bad gateway</html>');
        const caught = await rejection(requestToken('authorization_code', { code: 'c' }, common()));
        expect(caught).toBeInstanceOf(RequestFailedError);
        expect(caught).toMatchObject({ code: 'REQUEST_FAILED', status: 502 });
    });

    it('reports a success body that is not JSON, or not a token response, as InvalidResponseError', async () => {
        respond(200, 'access_token=at&token_type=bearer');
        expect(await rejection(requestToken('authorization_code', { code: 'c' }, common()))).toBeInstanceOf(
            InvalidResponseError
        );
        respond(200, { token_type: 'Bearer' });
        const missing = await rejection(requestToken('authorization_code', { code: 'c' }, common()));
        expect(missing).toBeInstanceOf(InvalidResponseError);
        expect((missing as Error).message).toContain('access_token');
        respond(200, { access_token: 'at', token_type: 'Bearer', scope: 'bad"scope' });
        expect(await rejection(requestToken('authorization_code', { code: 'c' }, common()))).toBeInstanceOf(
            InvalidResponseError
        );
    });

    it('does not follow a redirect from the token endpoint', async () => {
        server.handle((req, res) =>
            req.path === '/token'
                ? send(res, 307, '', { Location: '/elsewhere' })
                : send(res, 200, { access_token: 'x', token_type: 'Bearer' })
        );
        const caught = await rejection(requestToken('authorization_code', { code: 'c' }, common()));
        expect(caught).toMatchObject({ code: 'REQUEST_FAILED', status: 307 });
        expect(server.requests.map(r => r.path)).toEqual(['/token']);
    });

    it('refuses an insecure token endpoint without sending anything', async () => {
        const noFetch: FetchLike = () => Promise.reject(new Error('must not be called'));
        const caught = await rejection(
            requestToken(
                'authorization_code',
                { code: 'c' },
                { ...common(), tokenEndpoint: 'http://as.example/token', fetch: noFetch }
            )
        );
        expect(caught).toBeInstanceOf(InsecureEndpointError);
    });
});
