/**
 * `private_key_jwt` client authentication (RFC 7523 §2.2) the official way: `createPrivateKeyJwtAuth` with a PEM or
 * JWK key, `PrivateKeyJwtProvider` with the official options, `StaticPrivateKeyJwtProvider` with a pre-built
 * assertion, and `expectedIssuer` keeping the credentials at their authorization server. The authorization server on
 * loopback verifies every assertion with the public key.
 */
import type { CryptoKey, JWTPayload } from 'jose';
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import { createPrivateKeyJwtAuth } from '../../src/client/auth/clientAuth.js';
import { PrivateKeyJwtProvider, StaticPrivateKeyJwtProvider } from '../../src/client/auth/clientCredentials.js';
import { AuthorizationServerMismatchError } from '../../src/client/auth/flowErrors.js';
import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import { fetchToken } from '../../src/client/auth/oauthFlow.js';
import type { AddClientAuthentication } from '../../src/client/auth/provider.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { routes, send, startServer } from './loopbackServer.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let rs: LoopbackServer;
let as: LoopbackServer;
let publicKey: CryptoKey;
let pem: string;
/** The verified claims of each client assertion the token endpoint received. */
let verified: JWTPayload[];

beforeEach(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    publicKey = pair.publicKey;
    pem = await exportPKCS8(pair.privateKey);
    verified = [];
    [rs, as] = await Promise.all([startServer(), startServer()]);
    rs.handle(
        routes({
            '/.well-known/oauth-protected-resource/mcp': {
                body: { resource: `${rs.origin}/mcp`, authorization_servers: [as.origin] }
            }
        })
    );
    as.handle(async (request, response) => {
        if (request.path === '/.well-known/oauth-authorization-server') {
            return send(response, 200, {
                issuer: as.origin,
                token_endpoint: `${as.origin}/token`,
                token_endpoint_auth_methods_supported: ['private_key_jwt'],
                grant_types_supported: ['client_credentials']
            });
        }
        if (request.path !== '/token') return send(response, 404, { error: 'not_found' });
        const body = new URLSearchParams(request.body);
        if (body.get('client_assertion_type') !== ASSERTION_TYPE)
            return send(response, 401, { error: 'invalid_client' });
        const assertion = body.get('client_assertion') ?? '';
        if (assertion !== 'static.jwt.value') {
            try {
                verified.push((await jwtVerify(assertion, publicKey)).payload);
            } catch {
                return send(response, 401, { error: 'invalid_client' });
            }
        }
        return send(response, 200, { access_token: 'at', token_type: 'Bearer', scope: body.get('scope') ?? '' });
    });
});
afterEach(async () => {
    await Promise.all([rs.close(), as.close()]);
});

const tokenRequests = (): RecordedRequest[] => as.requests.filter(request => request.path === '/token');
const form = (request: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.body));

/** A machine provider authenticating with the given `addClientAuthentication`. */
function machineProvider(addClientAuthentication: AddClientAuthentication) {
    const provider = new InMemoryOAuthClientProvider({
        redirectUrl: 'http://127.0.0.1:9/callback',
        clientInformation: { client_id: 'svc' }
    });
    return Object.assign(provider, {
        addClientAuthentication,
        prepareTokenRequest: () => new URLSearchParams({ grant_type: 'client_credentials' })
    });
}

describe('createPrivateKeyJwtAuth', () => {
    it('signs a fresh assertion with a PEM key: iss, sub, aud = the server issuer, a 300 s lifetime, extra claims', async () => {
        const addAuth = createPrivateKeyJwtAuth({
            issuer: 'svc-issuer',
            subject: 'svc',
            privateKey: pem,
            alg: 'RS256',
            claims: { tenant: 't1', aud: 'overridden-audience' }
        });
        const metadata = { issuer: as.origin, token_endpoint: `${as.origin}/token` };
        await fetchToken(machineProvider(addAuth), as.origin, { metadata });
        await fetchToken(machineProvider(addAuth), as.origin, { metadata });
        expect(verified).toHaveLength(2);
        const [first, second] = verified;
        expect(first).toMatchObject({ iss: 'svc-issuer', sub: 'svc', aud: 'overridden-audience', tenant: 't1' });
        expect(first!.exp! - first!.iat!).toBe(300);
        expect(first!.jti).not.toBe(second!.jti);
        expect(form(tokenRequests()[0])).toMatchObject({ grant_type: 'client_credentials' });
    });

    it('signs with a private JWK, audience defaulting to the issuer, else the token endpoint', async () => {
        const pair = await generateKeyPair('ES256', { extractable: true });
        publicKey = pair.publicKey;
        const jwk = await exportJWK(pair.privateKey);
        const addAuth = createPrivateKeyJwtAuth({ issuer: 'svc', subject: 'svc', privateKey: jwk, alg: 'ES256' });
        await fetchToken(machineProvider(addAuth), as.origin, {
            metadata: { issuer: as.origin, token_endpoint: `${as.origin}/token` }
        });
        await fetchToken(machineProvider(addAuth), as.origin);
        expect(verified.map(claims => claims.aud)).toEqual([as.origin, `${as.origin}/token`]);
    });
});

describe('PrivateKeyJwtProvider with the official options', () => {
    it('authorizes through auth() with client_credentials and a signed assertion', async () => {
        const provider = new PrivateKeyJwtProvider({
            clientId: 'svc',
            privateKey: pem,
            algorithm: 'RS256',
            jwtLifetimeSeconds: 120,
            claims: { role: 'batch' },
            scope: 'jobs',
            expectedIssuer: as.origin
        });
        expect(await auth(provider, { serverUrl: `${rs.origin}/mcp` })).toBe('AUTHORIZED');
        expect(provider.tokens()?.access_token).toBe('at');
        expect(verified[0]).toMatchObject({ iss: 'svc', sub: 'svc', aud: as.origin, role: 'batch' });
        expect(verified[0]!.exp! - verified[0]!.iat!).toBe(120);
        expect(form(tokenRequests()[0])).toMatchObject({
            grant_type: 'client_credentials',
            scope: 'jobs',
            client_id: 'svc'
        });
    });
});

describe('StaticPrivateKeyJwtProvider', () => {
    it('presents the pre-built assertion with the client_credentials grant', async () => {
        const provider = new StaticPrivateKeyJwtProvider({
            clientId: 'svc',
            jwtBearerAssertion: 'static.jwt.value',
            clientName: 'batch',
            scope: 'jobs'
        });
        expect(provider.redirectUrl).toBeUndefined();
        expect(provider.clientMetadata).toMatchObject({
            client_name: 'batch',
            token_endpoint_auth_method: 'private_key_jwt'
        });
        expect(await auth(provider, { serverUrl: `${rs.origin}/mcp` })).toBe('AUTHORIZED');
        expect(form(tokenRequests()[0])).toEqual({
            grant_type: 'client_credentials',
            scope: 'jobs',
            resource: `${rs.origin}/mcp`,
            client_id: 'svc',
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: 'static.jwt.value'
        });
        expect(provider.tokens()).toMatchObject({ access_token: 'at', issuer: as.origin });
    });

    it('with expectedIssuer, never sends the assertion to another authorization server', async () => {
        const provider = new StaticPrivateKeyJwtProvider({
            clientId: 'svc',
            jwtBearerAssertion: 'static.jwt.value',
            expectedIssuer: 'https://the-right-as.example'
        });
        const failure = auth(provider, { serverUrl: `${rs.origin}/mcp` });
        await expect(failure).rejects.toBeInstanceOf(AuthorizationServerMismatchError);
        await expect(failure).rejects.toMatchObject({
            recordedIssuer: 'https://the-right-as.example',
            currentIssuer: as.origin
        });
        expect(tokenRequests()).toHaveLength(0);
    });
});
