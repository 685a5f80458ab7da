/**
 * Cross-App Access the official way: the JWT Authorization Grant functions against an identity provider and an
 * authorization server on loopback, and `CrossAppAccessProvider` with an `assertion` callback driven by `auth()`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import type { CrossAppAccessContext } from '../../src/client/auth/crossAppAccess.js';
import {
    CrossAppAccessProvider,
    ID_JAG_TOKEN_TYPE,
    JWT_BEARER_GRANT_TYPE
} from '../../src/client/auth/crossAppAccess.js';
import {
    DiscoveryError,
    InvalidResponseError,
    UnsupportedClientAuthMethodError
} from '../../src/client/auth/errors.js';
import { AuthorizationServerMismatchError } from '../../src/client/auth/flowErrors.js';
import {
    discoverAndRequestJwtAuthGrant,
    exchangeJwtAuthGrant,
    requestJwtAuthorizationGrant
} from '../../src/client/auth/jwtAuthGrant.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { routes, send, startServer } from './loopbackServer.js';

let idp: LoopbackServer;
let as: LoopbackServer;
let rs: LoopbackServer;
beforeEach(async () => {
    [idp, as, rs] = await Promise.all([startServer(), startServer(), startServer()]);
});
afterEach(async () => {
    await Promise.all([idp.close(), as.close(), rs.close()]);
});

const form = (request: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('requestJwtAuthorizationGrant', () => {
    it('exchanges the ID token for an ID-JAG, authenticating with client_secret_post', async () => {
        idp.handle((_req, res) =>
            send(res, 200, {
                access_token: 'jag-1',
                issued_token_type: ID_JAG_TOKEN_TYPE,
                expires_in: 300,
                scope: 'chat'
            })
        );
        const result = await requestJwtAuthorizationGrant({
            tokenEndpoint: `${idp.origin}/token`,
            audience: 'https://as.example/',
            resource: 'https://mcp.example/mcp',
            idToken: 'id-token',
            clientId: 'idp-client',
            clientSecret: 'idp-secret',
            scope: 'chat history'
        });
        // token_type is informational for an ID-JAG (RFC 8693 §2.2.1): its absence is accepted.
        expect(result).toEqual({ jwtAuthGrant: 'jag-1', expiresIn: 300, scope: 'chat' });
        expect(idp.requests[0]?.headers.authorization).toBeUndefined();
        expect(form(idp.requests[0])).toEqual({
            grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
            requested_token_type: ID_JAG_TOKEN_TYPE,
            subject_token: 'id-token',
            subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
            audience: 'https://as.example/',
            resource: 'https://mcp.example/mcp',
            scope: 'chat history',
            client_id: 'idp-client',
            client_secret: 'idp-secret'
        });
    });

    it('sends only the client_id for a public client, and refuses a token that is not an ID-JAG', async () => {
        idp.handle((_req, res) => send(res, 200, { access_token: 'x', token_type: 'Bearer' }));
        const failure = requestJwtAuthorizationGrant({
            tokenEndpoint: `${idp.origin}/token`,
            audience: 'https://as.example',
            resource: 'https://mcp.example/mcp',
            idToken: 'id-token',
            clientId: 'public'
        });
        await expect(failure).rejects.toBeInstanceOf(InvalidResponseError);
        expect(form(idp.requests[0])).toMatchObject({ client_id: 'public' });
        expect(form(idp.requests[0])).not.toHaveProperty('client_secret');
    });
});

describe('discoverAndRequestJwtAuthGrant', () => {
    it('finds the token endpoint in the identity provider metadata first', async () => {
        idp.handle(
            routes({
                '/.well-known/oauth-authorization-server': {
                    body: { issuer: idp.origin, token_endpoint: `${idp.origin}/oauth2/token` }
                },
                '/oauth2/token': {
                    body: { access_token: 'jag-2', issued_token_type: ID_JAG_TOKEN_TYPE, token_type: 'N_A' }
                }
            })
        );
        const result = await discoverAndRequestJwtAuthGrant({
            idpUrl: idp.origin,
            audience: 'https://as.example',
            resource: 'https://mcp.example/mcp',
            idToken: 'id-token',
            clientId: 'c'
        });
        expect(result.jwtAuthGrant).toBe('jag-2');
        expect(idp.requests.map(request => request.path)).toEqual([
            '/.well-known/oauth-authorization-server',
            '/oauth2/token'
        ]);
    });

    it('throws DiscoveryError when the identity provider publishes no metadata', async () => {
        await expect(
            discoverAndRequestJwtAuthGrant({
                idpUrl: idp.origin,
                audience: 'a',
                resource: 'https://mcp.example/mcp',
                idToken: 'i',
                clientId: 'c'
            })
        ).rejects.toBeInstanceOf(DiscoveryError);
    });
});

describe('exchangeJwtAuthGrant', () => {
    it('presents the grant with the JWT bearer grant, client_secret_basic by default', async () => {
        as.handle((_req, res) => send(res, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 }));
        const tokens = await exchangeJwtAuthGrant({
            tokenEndpoint: `${as.origin}/token`,
            jwtAuthGrant: 'jag-1',
            clientId: 'mcp-client',
            clientSecret: 'mcp-secret'
        });
        expect(tokens).toMatchObject({ access_token: 'at', token_type: 'Bearer', expires_in: 60 });
        expect(as.requests[0]?.headers.authorization).toBe(basic('mcp-client', 'mcp-secret'));
        expect(form(as.requests[0])).toEqual({ grant_type: JWT_BEARER_GRANT_TYPE, assertion: 'jag-1' });
    });

    it('uses client_secret_post or none when asked, and needs a secret for the default', async () => {
        as.handle((_req, res) => send(res, 200, { access_token: 'at', token_type: 'Bearer' }));
        await exchangeJwtAuthGrant({
            tokenEndpoint: `${as.origin}/token`,
            jwtAuthGrant: 'j',
            clientId: 'c',
            clientSecret: 's',
            authMethod: 'client_secret_post'
        });
        await exchangeJwtAuthGrant({
            tokenEndpoint: `${as.origin}/token`,
            jwtAuthGrant: 'j',
            clientId: 'c',
            authMethod: 'none'
        });
        expect(form(as.requests[0])).toMatchObject({ client_id: 'c', client_secret: 's' });
        expect(form(as.requests[1])).toMatchObject({ client_id: 'c' });
        expect(form(as.requests[1])).not.toHaveProperty('client_secret');
        await expect(
            exchangeJwtAuthGrant({ tokenEndpoint: `${as.origin}/token`, jwtAuthGrant: 'j', clientId: 'c' })
        ).rejects.toBeInstanceOf(UnsupportedClientAuthMethodError);
    });
});

describe('CrossAppAccessProvider with an assertion callback', () => {
    beforeEach(() => {
        rs.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: `${rs.origin}/mcp`, authorization_servers: [as.origin] }
                }
            })
        );
        as.handle(
            routes({
                '/.well-known/oauth-authorization-server': {
                    body: { issuer: as.origin, token_endpoint: `${as.origin}/token` }
                },
                '/token': { body: { access_token: 'mcp-at', token_type: 'Bearer' } }
            })
        );
    });

    it('asks the callback for a grant for this authorization server and resource, then presents it', async () => {
        const contexts: CrossAppAccessContext[] = [];
        const provider = new CrossAppAccessProvider({
            assertion: context => {
                contexts.push(context);
                return 'jag-from-callback';
            },
            clientId: 'mcp-client',
            clientSecret: 'mcp-secret',
            clientName: 'Chat',
            scope: 'chat.read'
        });
        expect(await auth(provider, { serverUrl: `${rs.origin}/mcp` })).toBe('AUTHORIZED');
        expect(contexts).toEqual([
            {
                authorizationServerUrl: as.origin,
                resourceUrl: `${rs.origin}/mcp`,
                scope: 'chat.read',
                fetchFn: expect.any(Function)
            }
        ]);
        const tokenRequest = as.requests.find(request => request.path === '/token');
        expect(form(tokenRequest)).toEqual({
            grant_type: JWT_BEARER_GRANT_TYPE,
            assertion: 'jag-from-callback',
            scope: 'chat.read',
            resource: `${rs.origin}/mcp`
        });
        expect(tokenRequest?.headers.authorization).toBe(basic('mcp-client', 'mcp-secret'));
        expect(provider.tokens()?.access_token).toBe('mcp-at');
        expect(provider.clientMetadata.client_name).toBe('Chat');
        expect(provider.authorizationServerUrl()).toBe(as.origin);
        expect(provider.resourceUrl()).toBe(`${rs.origin}/mcp`);
    });

    it('with expectedIssuer, does not ask for a grant for another authorization server', async () => {
        let called = false;
        const provider = new CrossAppAccessProvider({
            assertion: () => {
                called = true;
                return 'jag';
            },
            clientId: 'mcp-client',
            clientSecret: 'mcp-secret',
            expectedIssuer: 'https://the-right-as.example'
        });
        await expect(auth(provider, { serverUrl: `${rs.origin}/mcp` })).rejects.toBeInstanceOf(
            AuthorizationServerMismatchError
        );
        expect(called).toBe(false);
        expect(as.requests.some(request => request.path === '/token')).toBe(false);
    });
});
