/**
 * Client authentication at the token endpoint (RFC 6749 §2.3): `client_secret_basic`, `client_secret_post`,
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9) and `none` (public clients, RFC 7591 §2), and the choice
 * between them from the client's registration and the server's `token_endpoint_auth_methods_supported`.
 *
 * @module
 */
import type { AuthorizationServerMetadata, OAuthClientInformation } from '@modelcontextprotocol/core';
import type { CryptoKey, JWK, KeyObject } from 'jose';

import { UnsupportedClientAuthMethodError } from './errors.js';
import { randomBase64url } from './pkce.js';

/** The token endpoint authentication methods this client implements. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

const METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** A private key for `private_key_jwt` client assertions (RFC 7523 §2.2). */
export interface ClientAssertionKey {
    /** The signing key (a private `CryptoKey`, Node `KeyObject`, or private JWK). */
    key: CryptoKey | KeyObject | JWK;
    /** The JWS algorithm, e.g. `ES256`; defaults to the JWK's `alg`. */
    algorithm?: string | undefined;
    /** The `kid` header; defaults to the JWK's `kid`. */
    keyId?: string | undefined;
    /**
     * The assertion's `aud`. Defaults to the token endpoint URL (RFC 7523 §3, OpenID Connect Core §9); pass the
     * issuer identifier for servers that require it.
     */
    audience?: string | undefined;
    /** Assertion lifetime in seconds; default 60. */
    lifetimeSeconds?: number | undefined;
}

/** What the client authenticates with. */
export interface ClientCredentials {
    /** The `client_id`. */
    clientId: string;
    /** The `client_secret`, for confidential clients using a shared secret. */
    clientSecret?: string | undefined;
    /** The key for `private_key_jwt`. */
    privateKey?: ClientAssertionKey | undefined;
}

/** The token request being authenticated; {@link applyClientAuthentication} adds to its headers and body. */
export interface TokenRequestParts {
    /** Request headers. */
    headers: Headers;
    /** The form body (`application/x-www-form-urlencoded`). */
    body: URLSearchParams;
    /** The token endpoint, used as the default client assertion audience. */
    tokenEndpoint: URL;
}

/** The client information credentials come from: RFC 7591 §3.2.1, possibly with the registered auth method. */
export type ClientInformationLike = OAuthClientInformation & { token_endpoint_auth_method?: string | undefined };

/**
 * Chooses the token endpoint authentication method (RFC 7591 §2, RFC 8414 §2):
 * 1. the method the client registered with (`token_endpoint_auth_method`), when present;
 * 2. else `private_key_jwt` when a key is available and the server supports it;
 * 3. else, with a secret, `client_secret_basic` or `client_secret_post`, whichever the server supports (the RFC 8414
 *    default list is `client_secret_basic`);
 * 4. else `none` (also when the server lists only `none`, even if registration returned a secret).
 *
 * @throws {UnsupportedClientAuthMethodError} when the registered method is unknown or its credentials are missing,
 * or a secret-holding client finds no secret method the server accepts.
 */
export function selectClientAuthMethod(input: {
    clientInformation: ClientInformationLike;
    metadata?: Pick<AuthorizationServerMetadata, 'token_endpoint_auth_methods_supported'> | undefined;
    hasPrivateKey?: boolean | undefined;
}): ClientAuthMethod {
    const { clientInformation: info, hasPrivateKey = false } = input;
    const hasSecret = info.client_secret !== undefined && info.client_secret !== '';
    const registered = info.token_endpoint_auth_method;
    if (registered !== undefined) {
        if (!isClientAuthMethod(registered)) {
            throw new UnsupportedClientAuthMethodError(`Unsupported token endpoint auth method ${registered}`);
        }
        requireMaterial(registered, hasSecret, hasPrivateKey);
        return registered;
    }
    const supported = input.metadata?.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (hasPrivateKey && supported.includes('private_key_jwt')) return 'private_key_jwt';
    if (!hasSecret) return 'none';
    if (supported.includes('client_secret_basic')) return 'client_secret_basic';
    if (supported.includes('client_secret_post')) return 'client_secret_post';
    // A server that accepts only public clients may still hand out a secret at registration: it is not needed.
    if (supported.includes('none')) return 'none';
    throw new UnsupportedClientAuthMethodError(
        `The authorization server supports none of client_secret_basic, client_secret_post (it lists ${supported.join(', ') || 'nothing'})`
    );
}

function isClientAuthMethod(method: string): method is ClientAuthMethod {
    return METHODS.includes(method);
}

function requireMaterial(method: ClientAuthMethod, hasSecret: boolean, hasPrivateKey: boolean): void {
    if ((method === 'client_secret_basic' || method === 'client_secret_post') && !hasSecret) {
        throw new UnsupportedClientAuthMethodError(`${method} requires a client secret`);
    }
    if (method === 'private_key_jwt' && !hasPrivateKey) {
        throw new UnsupportedClientAuthMethodError('private_key_jwt requires a private key');
    }
}

/**
 * `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 §2.3.1 requires for the client id and
 * secret before they are joined and base64-encoded.
 */
function formEncode(value: string): string {
    return new URLSearchParams([['', value]]).toString().slice(1);
}

/** The `Authorization` header value of `client_secret_basic` (RFC 6749 §2.3.1, RFC 7617). */
export function basicAuthorizationHeader(clientId: string, clientSecret: string): string {
    // After form encoding the string is ASCII, so btoa is safe.
    return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

/**
 * Signs a client assertion JWT (RFC 7523 §3): `iss` = `sub` = client id, `aud`, a random `jti`, `iat` and a short
 * `exp`.
 */
export async function createClientAssertion(
    clientId: string,
    key: ClientAssertionKey,
    audience: string
): Promise<string> {
    const jwk = isJwk(key.key) ? key.key : undefined;
    const alg = key.algorithm ?? jwk?.alg;
    if (alg === undefined) {
        throw new UnsupportedClientAuthMethodError(
            'private_key_jwt needs a signing algorithm (set algorithm or the JWK alg)'
        );
    }
    const kid = key.keyId ?? jwk?.kid;
    const { SignJWT } = await import('jose');
    return new SignJWT({})
        .setProtectedHeader(kid === undefined ? { alg, typ: 'JWT' } : { alg, kid, typ: 'JWT' })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setJti(randomBase64url(16))
        .setIssuedAt()
        .setExpirationTime(`${key.lifetimeSeconds ?? 60}s`)
        .sign(key.key);
}

function requireSecret(method: ClientAuthMethod, credentials: ClientCredentials): string {
    if (credentials.clientSecret === undefined || credentials.clientSecret === '') {
        throw new UnsupportedClientAuthMethodError(`${method} requires a client secret`);
    }
    return credentials.clientSecret;
}

function isJwk(key: ClientAssertionKey['key']): key is JWK {
    return typeof key === 'object' && key !== null && 'kty' in key && typeof key.kty === 'string';
}

/**
 * Adds client authentication to a token request (RFC 6749 §2.3): the `Authorization` header for
 * `client_secret_basic`; `client_id` (+ `client_secret`) in the body for `client_secret_post` and `none`; a
 * `client_assertion` for `private_key_jwt` (RFC 7523 §2.2).
 *
 * @throws {UnsupportedClientAuthMethodError} when the method's credentials are missing.
 */
export async function applyClientAuthentication(
    method: ClientAuthMethod,
    credentials: ClientCredentials,
    request: TokenRequestParts
): Promise<void> {
    const { headers, body } = request;
    switch (method) {
        case 'client_secret_basic':
            headers.set(
                'Authorization',
                basicAuthorizationHeader(credentials.clientId, requireSecret(method, credentials))
            );
            return;
        case 'client_secret_post':
            body.set('client_id', credentials.clientId);
            body.set('client_secret', requireSecret(method, credentials));
            return;
        case 'private_key_jwt': {
            const key = credentials.privateKey;
            if (key === undefined) throw new UnsupportedClientAuthMethodError('private_key_jwt requires a private key');
            const audience = key.audience ?? request.tokenEndpoint.href;
            body.set('client_id', credentials.clientId);
            body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
            body.set('client_assertion', await createClientAssertion(credentials.clientId, key, audience));
            return;
        }
        case 'none':
            body.set('client_id', credentials.clientId);
            return;
    }
}
