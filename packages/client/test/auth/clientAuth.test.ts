import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ClientAuthMethod, ClientCredentials } from '../../src/client/auth/clientAuth.js';
import { basicAuthorizationHeader, selectClientAuthMethod } from '../../src/client/auth/clientAuth.js';
import { UnsupportedClientAuthMethodError } from '../../src/client/auth/errors.js';
import { tokenRequest } from '../../src/client/auth/tokenEndpoint.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
beforeAll(async () => {
    server = await startServer((_req, res) => send(res, 200, { access_token: 'at', token_type: 'Bearer' }));
});
afterAll(async () => {
    await server.close();
});

/** Sends a client_credentials token request with the given authentication and returns what the server received. */
async function authenticate(method: ClientAuthMethod, client: ClientCredentials): Promise<RecordedRequest> {
    const before = server.requests.length;
    const response = await tokenRequest(
        'client_credentials',
        {},
        {
            tokenEndpoint: `${server.origin}/token`,
            client,
            clientAuthMethod: method
        }
    );
    await response.body?.cancel();
    expect(server.requests).toHaveLength(before + 1);
    return server.requests[before]!;
}

/** A Node key pair for a JWS algorithm. */
function keyPairFor(alg: string): { privateKey: KeyObject; publicKey: KeyObject } {
    if (alg.startsWith('ES')) return generateKeyPairSync('ec', { namedCurve: alg === 'ES512' ? 'P-521' : 'P-256' });
    if (alg === 'EdDSA') return generateKeyPairSync('ed25519');
    return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const formDecode = (value: string) => new URLSearchParams(`v=${value}`).get('v');

describe('selectClientAuthMethod', () => {
    const publicClient = { client_id: 'c' };
    const secretClient = { client_id: 'c', client_secret: 's' };

    it.each<[string, Parameters<typeof selectClientAuthMethod>[0], ClientAuthMethod]>([
        ['public client', { clientInformation: publicClient }, 'none'],
        ['secret, no server list (RFC 8414 default)', { clientInformation: secretClient }, 'client_secret_basic'],
        [
            'secret, server prefers post only',
            {
                clientInformation: secretClient,
                metadata: { token_endpoint_auth_methods_supported: ['client_secret_post'] }
            },
            'client_secret_post'
        ],
        [
            'secret, server supports both',
            {
                clientInformation: secretClient,
                metadata: { token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'] }
            },
            'client_secret_basic'
        ],
        [
            'registered method wins',
            {
                clientInformation: { ...secretClient, token_endpoint_auth_method: 'client_secret_post' },
                metadata: { token_endpoint_auth_methods_supported: ['client_secret_basic'] }
            },
            'client_secret_post'
        ],
        [
            'private key when supported',
            {
                clientInformation: secretClient,
                hasPrivateKey: true,
                metadata: { token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'] }
            },
            'private_key_jwt'
        ],
        [
            'private key not supported falls back to the secret',
            { clientInformation: secretClient, hasPrivateKey: true },
            'client_secret_basic'
        ],
        ['registered none', { clientInformation: { ...secretClient, token_endpoint_auth_method: 'none' } }, 'none']
    ])('%s', (_name, input, expected) => {
        expect(selectClientAuthMethod(input)).toBe(expected);
    });

    it('uses none when the server accepts only public clients, even if registration returned a secret', () => {
        expect(
            selectClientAuthMethod({
                clientInformation: { client_id: 'c', client_secret: 's' },
                metadata: { token_endpoint_auth_methods_supported: ['none'] }
            })
        ).toBe('none');
    });

    it.each<[string, Parameters<typeof selectClientAuthMethod>[0]]>([
        [
            'registered secret method without a secret',
            { clientInformation: { client_id: 'c', token_endpoint_auth_method: 'client_secret_basic' } }
        ],
        [
            'registered private_key_jwt without a key',
            { clientInformation: { client_id: 'c', token_endpoint_auth_method: 'private_key_jwt' } }
        ],
        [
            'unknown registered method',
            { clientInformation: { client_id: 'c', token_endpoint_auth_method: 'tls_client_auth' } }
        ],
        [
            'secret but server lists no secret method',
            {
                clientInformation: { client_id: 'c', client_secret: 's' },
                metadata: { token_endpoint_auth_methods_supported: ['tls_client_auth'] }
            }
        ]
    ])('throws UnsupportedClientAuthMethodError: %s', (_name, input) => {
        expect(() => selectClientAuthMethod(input)).toThrow(UnsupportedClientAuthMethodError);
    });
});

describe('client authentication at a real token endpoint', () => {
    it('client_secret_basic form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
        const clientId = 'my client:1é';
        const clientSecret = 'p@ss w%rd+/:';
        const request = await authenticate('client_secret_basic', { clientId, clientSecret });
        const header = request.headers.authorization ?? '';
        expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
        const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
        expect(decoded).toBe('my+client%3A1%C3%A9:p%40ss+w%25rd%2B%2F%3A');
        const [id, secret] = decoded.split(':');
        expect(formDecode(id!)).toBe(clientId);
        expect(formDecode(secret!)).toBe(clientSecret);
        const body = new URLSearchParams(request.body);
        expect(body.has('client_secret')).toBe(false);
        expect(body.has('client_id')).toBe(false);
        expect(basicAuthorizationHeader('a', 'b')).toBe(`Basic ${btoa('a:b')}`);
    });

    it('client_secret_post sends id and secret in the form body', async () => {
        const request = await authenticate('client_secret_post', { clientId: 'c 1', clientSecret: 's&=2' });
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
        const body = new URLSearchParams(request.body);
        expect(body.get('client_id')).toBe('c 1');
        expect(body.get('client_secret')).toBe('s&=2');
        expect(body.get('grant_type')).toBe('client_credentials');
    });

    it('none sends only client_id', async () => {
        const request = await authenticate('none', { clientId: 'public', clientSecret: 'ignored' });
        expect(request.headers.authorization).toBeUndefined();
        const body = new URLSearchParams(request.body);
        expect(body.get('client_id')).toBe('public');
        expect(body.has('client_secret')).toBe(false);
    });

    it('private_key_jwt sends an assertion the server verifies with the public key (RFC 7523)', async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES256');
        const request = await authenticate('private_key_jwt', {
            clientId: 'jwt-client',
            privateKey: { key: privateKey, algorithm: 'ES256', keyId: 'k1' }
        });
        const body = new URLSearchParams(request.body);
        expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        expect(body.get('client_id')).toBe('jwt-client');
        const { payload, protectedHeader } = await jwtVerify(body.get('client_assertion')!, publicKey, {
            issuer: 'jwt-client',
            subject: 'jwt-client',
            audience: `${server.origin}/token`,
            algorithms: ['ES256']
        });
        expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'k1' });
        expect(typeof payload.jti).toBe('string');
        expect(payload.exp! - payload.iat!).toBe(60);
        expect(request.headers.authorization).toBeUndefined();
    });

    it('private_key_jwt takes the algorithm and kid from a private JWK, and a custom audience', async () => {
        const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
        const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'jwk-1' };
        const request = await authenticate('private_key_jwt', {
            clientId: 'jwt-client',
            privateKey: { key: jwk, audience: 'https://as.example', lifetimeSeconds: 30 }
        });
        const assertion = new URLSearchParams(request.body).get('client_assertion')!;
        const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, { audience: 'https://as.example' });
        expect(protectedHeader.kid).toBe('jwk-1');
        expect(payload.exp! - payload.iat!).toBe(30);
    });

    it.each([
        ['RS256', 'pem'],
        ['PS384', 'jwk'],
        ['ES512', 'keyobject'],
        ['EdDSA', 'pem'],
        ['ES256', 'cryptokey']
    ] as const)(
        'private_key_jwt signs %s from a %s key with WebCrypto, verified by an independent JOSE library',
        async (alg, form) => {
            const pair = keyPairFor(alg);
            const key =
                form === 'pem'
                    ? (pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)
                    : form === 'jwk'
                      ? { ...pair.privateKey.export({ format: 'jwk' }), kty: 'RSA' }
                      : form === 'keyobject'
                        ? pair.privateKey
                        : await crypto.subtle.importKey(
                              'jwk',
                              pair.privateKey.export({ format: 'jwk' }),
                              { name: 'ECDSA', namedCurve: 'P-256' },
                              false,
                              ['sign']
                          );
            const request = await authenticate('private_key_jwt', {
                clientId: 'jwt-client',
                privateKey: { key, algorithm: alg }
            });
            const assertion = new URLSearchParams(request.body).get('client_assertion')!;
            const { protectedHeader } = await jwtVerify(assertion, pair.publicKey, {
                issuer: 'jwt-client',
                audience: `${server.origin}/token`,
                algorithms: [alg]
            });
            expect(protectedHeader.alg).toBe(alg);
        }
    );

    it('private_key_jwt signs HS256 with a shared secret', async () => {
        const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
        const request = await authenticate('private_key_jwt', {
            clientId: 'jwt-client',
            privateKey: { key: secret, algorithm: 'HS256' }
        });
        const assertion = new URLSearchParams(request.body).get('client_assertion')!;
        const { protectedHeader } = await jwtVerify(assertion, secret, { algorithms: ['HS256'] });
        expect(protectedHeader.alg).toBe('HS256');
    });

    it('refuses an unknown algorithm and a key that does not fit the algorithm with a typed error', async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const before = server.requests.length;
        for (const algorithm of ['XS256', 'none', 'RS256']) {
            await expect(
                authenticate('private_key_jwt', { clientId: 'c', privateKey: { key: privateKey, algorithm } })
            ).rejects.toBeInstanceOf(UnsupportedClientAuthMethodError);
        }
        expect(server.requests).toHaveLength(before);
    });

    it('two assertions never share a jti', async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const client = { clientId: 'c', privateKey: { key: privateKey, algorithm: 'ES256' } };
        const a = await authenticate('private_key_jwt', client);
        const b = await authenticate('private_key_jwt', client);
        const jti = (r: RecordedRequest) =>
            JSON.parse(
                Buffer.from(new URLSearchParams(r.body).get('client_assertion')!.split('.')[1]!, 'base64url').toString()
            ).jti;
        expect(jti(a)).not.toBe(jti(b));
    });

    it('refuses to send a request when the method lacks its credentials', async () => {
        const before = server.requests.length;
        for (const [method, client] of [
            ['client_secret_basic', { clientId: 'c' }],
            ['client_secret_post', { clientId: 'c', clientSecret: '' }],
            ['private_key_jwt', { clientId: 'c' }]
        ] as const) {
            await expect(
                tokenRequest(
                    'client_credentials',
                    {},
                    { tokenEndpoint: `${server.origin}/token`, client, clientAuthMethod: method }
                )
            ).rejects.toBeInstanceOf(UnsupportedClientAuthMethodError);
        }
        const { privateKey } = await generateKeyPair('ES256');
        await expect(
            tokenRequest(
                'client_credentials',
                {},
                {
                    tokenEndpoint: `${server.origin}/token`,
                    client: { clientId: 'c', privateKey: { key: privateKey } },
                    clientAuthMethod: 'private_key_jwt'
                }
            )
        ).rejects.toThrow(/algorithm/);
        expect(server.requests).toHaveLength(before);
    });
});
