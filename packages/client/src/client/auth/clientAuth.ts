/**
 * Client authentication at the token endpoint (RFC 6749 §2.3): `client_secret_basic`, `client_secret_post`,
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9) and `none` (public clients, RFC 7591 §2), and the choice
 * between them from the client's registration and the server's `token_endpoint_auth_methods_supported`.
 *
 * @module
 */
import type { AuthorizationServerMetadata, OAuthClientInformation } from '@modelcontextprotocol/core';

import { UnsupportedClientAuthMethodError } from './errors.js';
import type { JwsSigningKey } from './jws.js';
import { importJwsSigningKey, isPrivateJwk, jwsAlgorithmParams, signCompactJws } from './jws.js';
import { randomBase64url } from './pkce.js';
import type { AddClientAuthentication } from './provider.js';

/** The token endpoint authentication methods this client implements. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

const METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** A private key for `private_key_jwt` client assertions (RFC 7523 §2.2). */
export interface ClientAssertionKey {
    /**
     * The signing key: a private `CryptoKey`, Node `KeyObject`, private JWK, PKCS#8 PEM string, or (for the HMAC
     * algorithms) the shared secret's bytes.
     */
    key: JwsSigningKey;
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
    /** More claims for the assertion; they override the standard ones of the same name. */
    claims?: Record<string, unknown> | undefined;
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

/** What {@link selectClientAuthMethod} chooses from. */
export interface ClientAuthMethodInput {
    /** The client's registration (its `token_endpoint_auth_method`, when present, wins). */
    clientInformation: ClientInformationLike;
    /** The server's metadata: its `token_endpoint_auth_methods_supported`. */
    metadata?: Pick<AuthorizationServerMetadata, 'token_endpoint_auth_methods_supported'> | undefined;
    /** Whether a `private_key_jwt` key is available. */
    hasPrivateKey?: boolean | undefined;
}

/**
 * Chooses the token endpoint authentication method (RFC 7591 §2, RFC 8414 §2):
 * 1. the method the client registered with (`token_endpoint_auth_method`), when present;
 * 2. else `private_key_jwt` when a key is available and the server supports it;
 * 3. else, with a secret, `client_secret_basic` or `client_secret_post`, whichever the server supports (the RFC 8414
 *    default list is `client_secret_basic`);
 * 4. else `none` (also when the server lists only `none`, even if registration returned a secret).
 *
 * Takes the choice's inputs, or (the official SDK's form) the client information and the server's supported methods.
 *
 * @throws {UnsupportedClientAuthMethodError} when the registered method is unknown or its credentials are missing,
 * or a secret-holding client finds no secret method the server accepts.
 */
export function selectClientAuthMethod(
    clientInformation: ClientInformationLike,
    supportedMethods: string[]
): ClientAuthMethod;
export function selectClientAuthMethod(input: ClientAuthMethodInput): ClientAuthMethod;
export function selectClientAuthMethod(
    first: ClientAuthMethodInput | ClientInformationLike,
    supportedMethods?: string[]
): ClientAuthMethod {
    const input: ClientAuthMethodInput =
        supportedMethods === undefined
            ? (first as ClientAuthMethodInput)
            : {
                  clientInformation: first as ClientInformationLike,
                  // An empty list is an unknown one: the RFC 8414 default applies.
                  metadata:
                      supportedMethods.length === 0
                          ? undefined
                          : { token_endpoint_auth_methods_supported: supportedMethods }
              };
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

/** RFC 7523 §2.2 `client_assertion_type` of a JWT client assertion. */
export const JWT_CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Signs a client assertion JWT (RFC 7523 §3): `iss` = `sub` = client id (`issuer` overrides `iss`), `aud`, a random
 * `jti`, `iat` and a short `exp` (`key.lifetimeSeconds`, default 60), plus `key.claims`.
 *
 * @throws {UnsupportedClientAuthMethodError} when no signing algorithm is known.
 */
export async function createClientAssertion(
    clientId: string,
    key: ClientAssertionKey,
    audience: string,
    issuer: string = clientId
): Promise<string> {
    const jwk = isPrivateJwk(key.key) ? key.key : undefined;
    const alg = key.algorithm ?? jwk?.alg;
    if (alg === undefined) {
        throw new UnsupportedClientAuthMethodError(
            'private_key_jwt needs a signing algorithm (set algorithm or the JWK alg)'
        );
    }
    const params = jwsAlgorithmParams(alg);
    if (params === undefined) {
        throw new UnsupportedClientAuthMethodError(`private_key_jwt cannot sign with the algorithm ${alg}`);
    }
    let signingKey: CryptoKey;
    try {
        signingKey = await importJwsSigningKey(key.key, alg, params);
    } catch (error) {
        throw new UnsupportedClientAuthMethodError(`the private_key_jwt key does not fit the algorithm ${alg}`, {
            cause: error
        });
    }
    const kid = key.keyId ?? jwk?.kid;
    const now = Math.floor(Date.now() / 1000);
    const payload = {
        iss: issuer,
        sub: clientId,
        aud: audience,
        jti: randomBase64url(16),
        iat: now,
        exp: now + (key.lifetimeSeconds ?? 60),
        ...key.claims
    };
    const header = kid === undefined ? { alg, typ: 'JWT' } : { alg, kid, typ: 'JWT' };
    try {
        return await signCompactJws(header, payload, signingKey, params);
    } catch (error) {
        throw new UnsupportedClientAuthMethodError(`the private_key_jwt key cannot sign with ${alg}`, { cause: error });
    }
}

function requireSecret(method: ClientAuthMethod, credentials: ClientCredentials): string {
    if (credentials.clientSecret === undefined || credentials.clientSecret === '') {
        throw new UnsupportedClientAuthMethodError(`${method} requires a client secret`);
    }
    return credentials.clientSecret;
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
            body.set('client_assertion_type', JWT_CLIENT_ASSERTION_TYPE);
            body.set('client_assertion', await createClientAssertion(credentials.clientId, key, audience));
            return;
        }
        case 'none':
            body.set('client_id', credentials.clientId);
            return;
    }
}

/**
 * Returns an `addClientAuthentication` function (for an `OAuthClientProvider`) that authenticates token requests
 * with `private_key_jwt` (RFC 7523 §2.2): a fresh assertion signed with `privateKey` (a PKCS#8 PEM string, a private
 * JWK, or an HMAC secret's bytes) and `alg`, with `iss` = `issuer`, `sub` = `subject` (the client id), `aud` =
 * `audience`, else the authorization server's issuer, else the token endpoint URL, a lifetime of `lifetimeSeconds`
 * (default 300) and any extra `claims` (which override the standard ones).
 *
 * @example
 * ```ts
 * const provider = { ...myProvider, addClientAuthentication: createPrivateKeyJwtAuth({
 *     issuer: 'my-client', subject: 'my-client', privateKey: pkcs8Pem, alg: 'RS256'
 * }) };
 * ```
 */
export function createPrivateKeyJwtAuth(options: {
    issuer: string;
    subject: string;
    privateKey: string | Uint8Array | Record<string, unknown>;
    alg: string;
    audience?: string | URL | undefined;
    lifetimeSeconds?: number | undefined;
    claims?: Record<string, unknown> | undefined;
}): AddClientAuthentication {
    const key: ClientAssertionKey = {
        key: options.privateKey as ClientAssertionKey['key'],
        algorithm: options.alg,
        lifetimeSeconds: options.lifetimeSeconds ?? 300,
        claims: options.claims
    };
    return async (_headers, params, url, metadata) => {
        const audience = String(options.audience ?? metadata?.issuer ?? url);
        params.set('client_assertion_type', JWT_CLIENT_ASSERTION_TYPE);
        params.set('client_assertion', await createClientAssertion(options.subject, key, audience, options.issuer));
    };
}
