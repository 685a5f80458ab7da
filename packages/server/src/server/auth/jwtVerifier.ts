/**
 * A {@link TokenVerifier} for JWT access tokens, checked against the authorization server's JSON Web Key Set.
 *
 * @see RFC 9068 (JWT profile for OAuth 2.0 access tokens), RFC 7519 §4.1 (registered claims), RFC 8707 (audience
 *   = resource), MCP 2025-11-25 "Token Handling" (tokens must have been issued for this server).
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';
import {
    createLocalJWKSet,
    createRemoteJWKSet,
    customFetch,
    errors,
    type JSONWebKeySet,
    type JWTPayload,
    type JWTVerifyGetKey,
    jwtVerify,
    type RemoteJWKSetOptions
} from 'jose';
import { AuthConfigError, InvalidTokenError, ServerError } from './errors.js';
import { dedupe, isScopeToken, parseScope } from './scopes.js';
import type { TokenVerifier } from './tokenVerifier.js';
import { toSecureUrl } from './url.js';

/** Asymmetric JWS algorithms accepted unless {@link JwtVerifierOptions.algorithms} says otherwise. */
export const DEFAULT_JWT_ALGORITHMS: readonly string[] = Object.freeze([
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'ES256',
    'ES384',
    'ES512',
    'EdDSA',
    'Ed25519'
]);

/** Options of {@link createJwtVerifier}. Exactly one of `jwksUrl` and `jwks` is required. */
export interface JwtVerifierOptions {
    /** Where the authorization server publishes its JWKS (`jwks_uri`, RFC 8414 §2). https, or http on loopback. */
    jwksUrl?: string | URL;
    /** A key set held locally (a JWKS document), or a jose key resolver such as one from `createRemoteJWKSet`. */
    jwks?: JSONWebKeySet | JWTVerifyGetKey;
    /** Required `iss` (RFC 7519 §4.1.1): the authorization server's issuer identifier. */
    issuer: string;
    /** Required `aud` (RFC 7519 §4.1.3): this server's resource identifier (RFC 8707). Strings are compared verbatim. */
    audience: string | URL;
    /** Accepted JWS algorithms. Default: {@link DEFAULT_JWT_ALGORITHMS}. */
    algorithms?: readonly string[];
    /** Allowed clock skew, in seconds, for `exp` / `nbf` / `iat`. Default 0. */
    clockTolerance?: number;
    /**
     * Claim holding the scopes: `scope` (space-delimited string, RFC 9068 §2.2.3) or `scp` (array). Either form is
     * accepted in either claim. Default: `scope`, falling back to `scp`.
     */
    scopeClaim?: 'scope' | 'scp';
    /** Required `typ` header, e.g. `at+jwt` (RFC 9068 §2.1). Default: not checked. */
    typ?: string;
    /** The fetch used to download the JWKS (with `jwksUrl`). Default: the global `fetch`. */
    fetch?: (url: string, init: RequestInit) => Promise<Response>;
    /** Timeout of one JWKS download, in milliseconds. Default 5000. */
    jwksTimeoutMs?: number;
}

/** jose error codes that mean "this token is not acceptable" (as opposed to "keys are unavailable"). */
const TOKEN_ERROR_CODES = new Set([
    'ERR_JWT_INVALID',
    'ERR_JWS_INVALID',
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    'ERR_JOSE_ALG_NOT_ALLOWED',
    'ERR_JOSE_NOT_SUPPORTED',
    'ERR_JWKS_NO_MATCHING_KEY',
    'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
]);

/** Maps a jose failure to this layer's errors, with fixed messages (claims from the token are never echoed). */
function mapJoseError(error: unknown): Error {
    if (error instanceof errors.JWTExpired) return new InvalidTokenError('The access token expired', { cause: error });
    if (error instanceof errors.JWTClaimValidationFailed) {
        const claim = /^[a-z_]{1,16}$/i.test(error.claim) ? error.claim : 'a';
        return new InvalidTokenError(`The access token's ${claim} claim is not acceptable`, { cause: error });
    }
    if (error instanceof errors.JOSEError && TOKEN_ERROR_CODES.has(error.code)) {
        return new InvalidTokenError('The access token is invalid', { cause: error });
    }
    return new ServerError('The authorization server signing keys are unavailable', { cause: error });
}

function readScopes(value: unknown): string[] | undefined {
    if (typeof value === 'string') return parseScope(value);
    if (Array.isArray(value)) return [...dedupe(value.filter(isScopeToken))];
    return undefined;
}

function scopesOf(payload: JWTPayload, claim: 'scope' | 'scp' | undefined): string[] {
    if (claim !== undefined) return readScopes(payload[claim]) ?? [];
    return readScopes(payload.scope) ?? readScopes(payload.scp) ?? [];
}

function clientIdOf(payload: JWTPayload): string | undefined {
    for (const claim of ['client_id', 'azp', 'sub'] as const) {
        const value = payload[claim];
        if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
}

function resolveKeys(options: JwtVerifierOptions): JWTVerifyGetKey {
    const { jwksUrl, jwks } = options;
    if ((jwksUrl === undefined) === (jwks === undefined)) {
        throw new AuthConfigError('createJwtVerifier: pass exactly one of jwksUrl and jwks');
    }
    if (jwksUrl !== undefined) {
        const remoteOptions: RemoteJWKSetOptions = { timeoutDuration: options.jwksTimeoutMs ?? 5000 };
        if (options.fetch !== undefined) remoteOptions[customFetch] = options.fetch;
        return createRemoteJWKSet(toSecureUrl(jwksUrl, 'createJwtVerifier jwksUrl'), remoteOptions);
    }
    if (typeof jwks === 'function') return jwks;
    if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) {
        throw new AuthConfigError(
            'createJwtVerifier: jwks must be a JWKS document ({ keys: [...] }) or a key resolver'
        );
    }
    return createLocalJWKSet(jwks) as JWTVerifyGetKey;
}

/**
 * Creates a verifier for JWT access tokens: checks the signature against the JWKS, `iss`, `aud` (must include
 * this resource), `exp` (required) and `nbf`, then maps the claims to {@link AuthInfo}: `clientId` from
 * `client_id`, else `azp`, else `sub`; `scopes` from `scope` / `scp`; `expiresAt` from `exp`; `resource` from
 * the audience; all claims in `extra.claims`.
 *
 * @throws {@link AuthConfigError} at construction for missing keys, an insecure `jwksUrl` or a missing issuer/audience.
 * @see RFC 9068 §4 (validating JWT access tokens)
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
    if (typeof options.issuer !== 'string' || options.issuer === '') {
        throw new AuthConfigError('createJwtVerifier: issuer is required');
    }
    const audience = options.audience instanceof URL ? options.audience.href : options.audience;
    if (typeof audience !== 'string' || audience === '') {
        throw new AuthConfigError('createJwtVerifier: audience (this resource server URL) is required');
    }
    const algorithms = [...(options.algorithms ?? DEFAULT_JWT_ALGORITHMS)];
    if (algorithms.length === 0 || algorithms.some(a => typeof a !== 'string' || a === '' || a === 'none')) {
        throw new AuthConfigError('createJwtVerifier: algorithms must be a non-empty list of JWS algorithms');
    }
    const keys = resolveKeys(options);
    let resource: URL | undefined;
    try {
        resource = new URL(audience);
    } catch {
        resource = undefined;
    }
    const verifyOptions = {
        issuer: options.issuer,
        audience,
        algorithms,
        requiredClaims: ['exp'],
        ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
        ...(options.typ === undefined ? {} : { typ: options.typ })
    };
    const scopeClaim = options.scopeClaim;

    return {
        async verifyAccessToken(token: string): Promise<AuthInfo> {
            let payload: JWTPayload;
            try {
                ({ payload } = await jwtVerify(token, keys, verifyOptions));
            } catch (error) {
                throw mapJoseError(error);
            }
            const clientId = clientIdOf(payload);
            if (clientId === undefined) throw new InvalidTokenError('The access token names no client');
            const info: AuthInfo = {
                token,
                clientId,
                scopes: scopesOf(payload, scopeClaim),
                extra: { claims: payload }
            };
            if (typeof payload.exp === 'number') info.expiresAt = payload.exp;
            if (resource !== undefined) info.resource = resource;
            return info;
        }
    };
}
