import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import {
    CrossAppAccessProvider,
    exchangeIdJag,
    ID_JAG_TOKEN_TYPE,
    ID_TOKEN_TYPE,
    JWT_BEARER_GRANT_TYPE,
    requestIdJag,
    TOKEN_EXCHANGE_GRANT_TYPE
} from '../../src/client/auth/crossAppAccess.js';
import {
    InvalidGrantError,
    InvalidResponseError,
    ResourceMismatchError,
    UnauthorizedError
} from '../../src/client/auth/errors.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { routes, send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
beforeEach(async () => {
    server = await startServer();
});
afterEach(async () => {
    await server.close();
});

const ID_JAG_RESPONSE = { access_token: 'id-jag-1', issued_token_type: ID_JAG_TOKEN_TYPE, token_type: 'N_A' };
const form = (request: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));
const requestsTo = (path: string) => server.requests.filter(request => request.path === path);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('requestIdJag (RFC 8693 token exchange at the IdP)', () => {
    const exchange = (overrides: Partial<Parameters<typeof requestIdJag>[0]> = {}) =>
        requestIdJag({
            tokenEndpoint: `${server.origin}/idp/token`,
            subjectToken: 'id-token-1',
            audience: 'https://as.example',
            resource: 'https://mcp.example/mcp',
            client: { clientId: 'idp-client' },
            ...overrides
        });

    it('asks for an ID-JAG for the audience and resource, and returns it', async () => {
        server.handle((_req, res) => send(res, 200, { ...ID_JAG_RESPONSE, expires_in: 300 }));
        const grant = await exchange({ scope: 'read write' });
        expect(grant.assertion).toBe('id-jag-1');
        expect(grant.expiresAt).toBeGreaterThan(Date.now() / 1000);
        expect(form(server.requests[0])).toEqual({
            grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
            requested_token_type: ID_JAG_TOKEN_TYPE,
            subject_token: 'id-token-1',
            subject_token_type: ID_TOKEN_TYPE,
            audience: 'https://as.example',
            resource: 'https://mcp.example/mcp',
            scope: 'read write',
            client_id: 'idp-client'
        });
        expect(server.requests[0]?.headers.authorization).toBeUndefined();
    });

    it('authenticates at the IdP with client_secret_basic when it has a secret', async () => {
        server.handle((_req, res) => send(res, 200, ID_JAG_RESPONSE));
        await exchange({ client: { clientId: 'idp-client', clientSecret: 's3cret' } });
        expect(server.requests[0]?.headers.authorization).toBe(basic('idp-client', 's3cret'));
        expect(form(server.requests[0]).client_secret).toBeUndefined();
    });

    it('rejects a response that issued something other than an ID-JAG', async () => {
        server.handle((_req, res) =>
            send(res, 200, { ...ID_JAG_RESPONSE, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' })
        );
        await expect(exchange()).rejects.toBeInstanceOf(InvalidResponseError);
    });

    it("surfaces the IdP's OAuth error as a typed error", async () => {
        server.handle((_req, res) => send(res, 400, { error: 'invalid_grant', error_description: 'expired ID token' }));
        await expect(exchange()).rejects.toBeInstanceOf(InvalidGrantError);
    });
});

describe('exchangeIdJag (RFC 7523 JWT bearer grant at the AS)', () => {
    it('presents the ID-JAG as the assertion, with client authentication and the resource', async () => {
        server.handle((_req, res) => send(res, 200, { access_token: 'at-1', token_type: 'Bearer', scope: 'read' }));
        const result = await exchangeIdJag({
            tokenEndpoint: `${server.origin}/token`,
            client: { clientId: 'mcp-client', clientSecret: 'secret' },
            clientAuthMethod: 'client_secret_basic',
            resource: 'https://mcp.example/mcp',
            assertion: 'id-jag-1',
            scope: 'read'
        });
        expect(result.tokens.access_token).toBe('at-1');
        expect(result.grantedScope.toString()).toBe('read');
        expect(form(server.requests[0])).toEqual({
            grant_type: JWT_BEARER_GRANT_TYPE,
            assertion: 'id-jag-1',
            scope: 'read',
            resource: 'https://mcp.example/mcp'
        });
        expect(server.requests[0]?.headers.authorization).toBe(basic('mcp-client', 'secret'));
    });
});

describe('CrossAppAccessProvider with auth()', () => {
    /** One loopback origin plays MCP server (its metadata), authorization server and IdP. */
    function serveEverything(prmResource?: string) {
        const origin = server.origin;
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: prmResource ?? `${origin}/mcp`, authorization_servers: [origin] }
                },
                '/.well-known/oauth-authorization-server': {
                    body: {
                        issuer: origin,
                        authorization_endpoint: `${origin}/authorize`,
                        token_endpoint: `${origin}/token`,
                        grant_types_supported: [JWT_BEARER_GRANT_TYPE],
                        token_endpoint_auth_methods_supported: ['client_secret_basic'],
                        response_types_supported: ['code']
                    }
                },
                '/idp/token': { body: ID_JAG_RESPONSE },
                '/token': { body: { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 } }
            })
        );
    }

    const newProvider = (idToken: string | (() => string)) =>
        new CrossAppAccessProvider({
            clientId: 'mcp-client',
            clientSecret: 'secret',
            idpTokenEndpoint: `${server.origin}/idp/token`,
            idpClientId: 'idp-client',
            idToken
        });

    it('gets an ID-JAG for the discovered AS and resource, then an access token with it', async () => {
        serveEverything();
        const provider = newProvider('id-token-1');
        expect(await auth(provider, { serverUrl: `${server.origin}/mcp` })).toBe('AUTHORIZED');
        expect(provider.tokens()?.access_token).toBe('at-1');

        const exchange = form(requestsTo('/idp/token')[0]);
        expect(exchange).toMatchObject({
            grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
            subject_token: 'id-token-1',
            audience: server.origin,
            resource: `${server.origin}/mcp`,
            client_id: 'idp-client'
        });
        const grant = requestsTo('/token')[0];
        expect(form(grant)).toEqual({
            grant_type: JWT_BEARER_GRANT_TYPE,
            assertion: 'id-jag-1',
            resource: `${server.origin}/mcp`
        });
        expect(grant?.headers.authorization).toBe(basic('mcp-client', 'secret'));
        expect(requestsTo('/authorize')).toHaveLength(0);
    });

    it('reads the ID token afresh for every authorization', async () => {
        serveEverything();
        const tokens = ['id-token-1', 'id-token-2'];
        const provider = newProvider(() => tokens.shift() ?? 'none');
        await auth(provider, { serverUrl: `${server.origin}/mcp` });
        await auth(provider, { serverUrl: `${server.origin}/mcp` });
        expect(requestsTo('/idp/token').map(request => form(request).subject_token)).toEqual([
            'id-token-1',
            'id-token-2'
        ]);
    });

    it('refuses metadata naming another resource before contacting the IdP', async () => {
        serveEverything('https://evil.example/mcp');
        const provider = newProvider('id-token-1');
        await expect(auth(provider, { serverUrl: `${server.origin}/mcp` })).rejects.toBeInstanceOf(
            ResourceMismatchError
        );
        expect(requestsTo('/idp/token')).toHaveLength(0);
        expect(requestsTo('/token')).toHaveLength(0);
    });

    it('cannot prepare a grant outside an authorization', async () => {
        const provider = newProvider('id-token-1');
        await expect(provider.prepareTokenRequest('read')).rejects.toBeInstanceOf(UnauthorizedError);
        expect(server.requests).toHaveLength(0);
    });
});
