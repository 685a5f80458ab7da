/**
 * The official SDK's step-by-step OAuth functions against a real authorization server on loopback: starting an
 * authorization, exchanging the code, refreshing, requesting tokens through a provider, and reading error responses.
 */
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/core';
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
    InvalidGrantError,
    IssuerMismatchError,
    OAuthTokenError,
    PkceUnsupportedError
} from '../../src/client/auth/errors.js';
import {
    AuthorizationServerMismatchError,
    InsecureTokenEndpointError,
    OAuthClientFlowError
} from '../../src/client/auth/flowErrors.js';
import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import {
    exchangeAuthorization,
    fetchToken,
    prepareAuthorizationCodeRequest,
    refreshAuthorization,
    startAuthorization
} from '../../src/client/auth/oauthFlow.js';
import { computeCodeChallenge } from '../../src/client/auth/pkce.js';
import { assertSecureTokenEndpoint, parseErrorResponse } from '../../src/client/auth/tokenEndpoint.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
let metadata: AuthorizationServerMetadata;
beforeEach(async () => {
    server = await startServer((_req, res) =>
        send(res, 200, { access_token: 'at-1', token_type: 'Bearer', refresh_token: 'rt-2' })
    );
    metadata = {
        issuer: server.origin,
        authorization_endpoint: `${server.origin}/authorize`,
        token_endpoint: `${server.origin}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true
    };
});
afterEach(async () => {
    await server.close();
});

const form = (request: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('startAuthorization', () => {
    it('builds an authorization code request with a PKCE S256 challenge of the returned verifier', async () => {
        const { authorizationUrl, codeVerifier } = await startAuthorization(server.origin, {
            metadata,
            clientInformation: { client_id: 'client-1' },
            redirectUrl: 'http://127.0.0.1:9/callback',
            scope: 'read write',
            state: 'state-1',
            resource: new URL('https://mcp.example/mcp')
        });
        expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${server.origin}/authorize`);
        const query = Object.fromEntries(authorizationUrl.searchParams);
        expect(query).toEqual({
            response_type: 'code',
            client_id: 'client-1',
            redirect_uri: 'http://127.0.0.1:9/callback',
            code_challenge: await computeCodeChallenge(codeVerifier),
            code_challenge_method: 'S256',
            state: 'state-1',
            scope: 'read write',
            resource: 'https://mcp.example/mcp'
        });
    });

    it('sends no state when none is given, and uses /authorize on the server without metadata', async () => {
        const { authorizationUrl } = await startAuthorization(server.origin, {
            clientInformation: { client_id: 'c' },
            redirectUrl: 'http://127.0.0.1:9/callback'
        });
        expect(authorizationUrl.pathname).toBe('/authorize');
        expect(authorizationUrl.searchParams.has('state')).toBe(false);
    });

    it('refuses a server that does not advertise PKCE S256', async () => {
        const { code_challenge_methods_supported: _omitted, ...withoutPkce } = metadata;
        await expect(
            startAuthorization(server.origin, {
                metadata: withoutPkce,
                clientInformation: { client_id: 'c' },
                redirectUrl: 'http://127.0.0.1:9/callback'
            })
        ).rejects.toBeInstanceOf(PkceUnsupportedError);
    });
});

describe('exchangeAuthorization', () => {
    it('redeems the code with the verifier, authenticating with client_secret_basic by default', async () => {
        const tokens = await exchangeAuthorization(server.origin, {
            metadata,
            clientInformation: { client_id: 'client-1', client_secret: 's3cret' },
            authorizationCode: 'code-1',
            iss: server.origin,
            codeVerifier: 'verifier-1',
            redirectUri: 'http://127.0.0.1:9/callback',
            resource: 'https://mcp.example/mcp'
        });
        expect(tokens).toMatchObject({ access_token: 'at-1', token_type: 'Bearer' });
        expect(server.requests[0]?.path).toBe('/token');
        expect(server.requests[0]?.headers.authorization).toBe(basic('client-1', 's3cret'));
        expect(form(server.requests[0])).toEqual({
            grant_type: 'authorization_code',
            code: 'code-1',
            code_verifier: 'verifier-1',
            redirect_uri: 'http://127.0.0.1:9/callback',
            resource: 'https://mcp.example/mcp'
        });
    });

    it('lets addClientAuthentication authenticate the request instead', async () => {
        await exchangeAuthorization(server.origin, {
            metadata,
            clientInformation: { client_id: 'client-1', client_secret: 'unused' },
            authorizationCode: 'code-1',
            iss: server.origin,
            codeVerifier: 'v',
            redirectUri: 'http://127.0.0.1:9/callback',
            addClientAuthentication: (headers, params, url, seen) => {
                headers.set('X-Auth', String(url));
                params.set('client_assertion', `for ${seen?.issuer}`);
            }
        });
        expect(server.requests[0]?.headers['x-auth']).toBe(`${server.origin}/token`);
        expect(server.requests[0]?.headers.authorization).toBeUndefined();
        expect(form(server.requests[0]).client_assertion).toBe(`for ${server.origin}`);
    });

    it('checks the callback iss before the code leaves the client (RFC 9207)', async () => {
        const exchange = (iss: string | undefined) =>
            exchangeAuthorization(server.origin, {
                metadata,
                clientInformation: { client_id: 'c' },
                authorizationCode: 'code-1',
                iss,
                codeVerifier: 'v',
                redirectUri: 'http://127.0.0.1:9/callback'
            });
        await expect(exchange('https://attacker.example')).rejects.toMatchObject({
            name: 'IssuerMismatchError',
            kind: 'authorization_response',
            received: 'https://attacker.example'
        });
        // The server promised iss: a callback without it is refused too.
        await expect(exchange(undefined)).rejects.toBeInstanceOf(IssuerMismatchError);
        expect(server.requests).toHaveLength(0);
    });

    it('maps a token endpoint error to an OAuthError whose code is the OAuth error code', async () => {
        server.handle((_req, res) => send(res, 400, { error: 'invalid_grant', error_description: 'used' }));
        const failure = exchangeAuthorization(server.origin, {
            metadata,
            clientInformation: { client_id: 'c' },
            authorizationCode: 'code-1',
            iss: server.origin,
            codeVerifier: 'v',
            redirectUri: 'http://127.0.0.1:9/callback'
        });
        await expect(failure).rejects.toBeInstanceOf(InvalidGrantError);
        await expect(failure).rejects.toBeInstanceOf(OAuthError);
        await expect(failure).rejects.toMatchObject({ code: OAuthErrorCode.InvalidGrant });
    });

    it('refuses an insecure token endpoint before sending anything', async () => {
        const failure = exchangeAuthorization('http://as.example', {
            metadata: { ...metadata, issuer: 'http://as.example', token_endpoint: 'http://as.example/token' },
            clientInformation: { client_id: 'c', client_secret: 's' },
            authorizationCode: 'code-1',
            codeVerifier: 'v',
            redirectUri: 'http://127.0.0.1:9/callback',
            iss: 'http://as.example'
        });
        await expect(failure).rejects.toBeInstanceOf(InsecureTokenEndpointError);
        await expect(failure).rejects.toBeInstanceOf(OAuthClientFlowError);
        await expect(failure).rejects.toMatchObject({ tokenEndpoint: 'http://as.example/token' });
    });
});

describe('assertSecureTokenEndpoint', () => {
    it('accepts https and loopback http, and refuses anything else with InsecureTokenEndpointError', () => {
        expect(assertSecureTokenEndpoint('https://as.example/token').href).toBe('https://as.example/token');
        expect(assertSecureTokenEndpoint(new URL('http://127.0.0.1:8/token')).port).toBe('8');
        expect(() => assertSecureTokenEndpoint('http://as.example/token')).toThrow(InsecureTokenEndpointError);
        expect(() => assertSecureTokenEndpoint('ftp://as.example/token')).toThrow(InsecureTokenEndpointError);
    });
});

describe('refreshAuthorization', () => {
    it('keeps the refresh token when none is returned, and reports the sent scope when the response has none', async () => {
        server.handle((_req, res) => send(res, 200, { access_token: 'at-2', token_type: 'Bearer' }));
        const tokens = await refreshAuthorization(server.origin, {
            metadata,
            clientInformation: { client_id: 'c' },
            refreshToken: 'rt-1',
            scope: 'read'
        });
        expect(tokens).toMatchObject({ access_token: 'at-2', refresh_token: 'rt-1', scope: 'read' });
        expect(form(server.requests[0])).toEqual({
            grant_type: 'refresh_token',
            refresh_token: 'rt-1',
            scope: 'read',
            client_id: 'c'
        });
    });

    it('sends no scope when none (or an empty one) is given', async () => {
        await refreshAuthorization(server.origin, {
            clientInformation: { client_id: 'c' },
            refreshToken: 'rt-1',
            scope: ''
        });
        expect(form(server.requests[0])).not.toHaveProperty('scope');
        expect(server.requests[0]?.path).toBe('/token');
    });
});

describe('fetchToken', () => {
    class MachineProvider extends InMemoryOAuthClientProvider {
        constructor(info: { client_id: string; client_secret?: string; issuer?: string }) {
            super({ redirectUrl: 'http://127.0.0.1:9/callback', clientInformation: info });
        }
        prepareTokenRequest(scope?: string): URLSearchParams {
            return new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
        }
    }

    it('sends the grant the provider prepares, with its client authentication', async () => {
        const provider = new MachineProvider({ client_id: 'svc', client_secret: 'pw' });
        const tokens = await fetchToken(provider, server.origin, { metadata, scope: 'jobs:run' });
        expect(tokens.access_token).toBe('at-1');
        expect(form(server.requests[0])).toEqual({ grant_type: 'client_credentials', scope: 'jobs:run' });
        expect(server.requests[0]?.headers.authorization).toBe(basic('svc', 'pw'));
    });

    it('falls back to the authorization code grant with the provider verifier and redirect URL', async () => {
        const provider = new InMemoryOAuthClientProvider({
            redirectUrl: 'http://127.0.0.1:9/callback',
            clientInformation: { client_id: 'public' }
        });
        provider.saveCodeVerifier('verifier-9');
        await fetchToken(provider, server.origin, { metadata, authorizationCode: 'code-9', iss: server.origin });
        expect(form(server.requests[0])).toEqual({
            ...Object.fromEntries(
                prepareAuthorizationCodeRequest('code-9', 'verifier-9', 'http://127.0.0.1:9/callback')
            ),
            client_id: 'public'
        });
    });

    it('refuses client information bound to another authorization server, before any request', async () => {
        const provider = new MachineProvider({
            client_id: 'svc',
            client_secret: 'pw',
            issuer: 'https://other-as.example'
        });
        const failure = fetchToken(provider, server.origin, { metadata });
        await expect(failure).rejects.toBeInstanceOf(AuthorizationServerMismatchError);
        await expect(failure).rejects.toMatchObject({
            recordedIssuer: 'https://other-as.example',
            currentIssuer: server.origin
        });
        expect(server.requests).toHaveLength(0);
    });
});

describe('parseErrorResponse', () => {
    it('reads an OAuth error response (a Response or its text) into an OAuthError with its code and uri', async () => {
        const body = { error: 'invalid_client', error_description: 'unknown client', error_uri: 'https://as/doc' };
        const fromResponse = await parseErrorResponse(new Response(JSON.stringify(body), { status: 401 }));
        expect(fromResponse).toBeInstanceOf(OAuthError);
        expect(fromResponse).toMatchObject({
            code: OAuthErrorCode.InvalidClient,
            errorUri: 'https://as/doc',
            status: 401
        });
        expect(fromResponse.toResponseObject()).toMatchObject({ error: 'invalid_client', error_uri: 'https://as/doc' });
        const fromText = await parseErrorResponse(JSON.stringify({ error: 'slow_down' }));
        expect(fromText).toBeInstanceOf(OAuthTokenError);
        expect(fromText.code).toBe('slow_down');
    });

    it('reports anything else as server_error, with the status and the start of the body', async () => {
        const parsed = await parseErrorResponse(new Response('<html>gateway</html>', { status: 502 }));
        expect(parsed.code).toBe(OAuthErrorCode.ServerError);
        expect(parsed.message).toContain('HTTP 502');
        expect(parsed.message).toContain('<html>gateway</html>');
    });
});
