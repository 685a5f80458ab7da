/**
 * A token verifier in the official server package's `OAuthTokenVerifier` shape, for JWT access tokens (RFC 9068)
 * signed with ES256 by the test authorization server. It checks the signature against the server's JWK Set
 * (RFC 7517), `iss`, `aud` (RFC 8707: this resource) and `exp`, and reports `scope` (RFC 9068 §2.2.3) as
 * `AuthInfo.scopes`.
 *
 * Written with `node:crypto` so the official server under test depends on neither SDK for verification (the
 * official packages ship no JWT verifier; `jose` is not a dependency of this test package).
 *
 * @module
 */
import { createPublicKey, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

import { OAuthError, OAuthErrorCode } from 'official-server';
import type { AuthInfo, OAuthTokenVerifier } from 'official-server';

/** Where and for whom the tokens are issued. */
export interface JwtAccessTokenVerifierOptions {
    /** The authorization server's issuer identifier (required `iss`). */
    issuer: string;
    /** Its JWK Set URL (`jwks_uri`). */
    jwksUrl: string;
    /** This resource server's identifier (required `aud`). */
    audience: URL;
}

interface JwtHeader {
    alg?: unknown;
    kid?: unknown;
}

interface AccessTokenClaims {
    iss?: unknown;
    aud?: unknown;
    exp?: unknown;
    scope?: unknown;
    client_id?: unknown;
}

function invalid(reason: string): OAuthError {
    return new OAuthError(OAuthErrorCode.InvalidToken, reason);
}

function decodeJson<T>(segment: string, what: string): T {
    try {
        return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as T;
    } catch {
        throw invalid(`the token's ${what} is not base64url JSON`);
    }
}

/** Creates the verifier; the key set is downloaded at the first verification and kept. */
export function createJwtAccessTokenVerifier(options: JwtAccessTokenVerifierOptions): OAuthTokenVerifier {
    let keys: Promise<Map<string, KeyObject>> | undefined;
    const loadKeys = async (): Promise<Map<string, KeyObject>> => {
        const response = await fetch(options.jwksUrl);
        if (!response.ok) throw new OAuthError(OAuthErrorCode.ServerError, `JWKS answered ${response.status}`);
        const { keys: jwks } = (await response.json()) as { keys: Array<JsonWebKey & { kid?: string }> };
        return new Map(jwks.map(jwk => [jwk.kid ?? '', createPublicKey({ key: jwk, format: 'jwk' })]));
    };

    return {
        async verifyAccessToken(token: string): Promise<AuthInfo> {
            const [headerPart, payloadPart, signaturePart, ...rest] = token.split('.');
            if (
                headerPart === undefined ||
                payloadPart === undefined ||
                signaturePart === undefined ||
                rest.length > 0
            ) {
                throw invalid('the token is not a JWS compact serialization');
            }
            const header = decodeJson<JwtHeader>(headerPart, 'header');
            if (header.alg !== 'ES256') throw invalid(`unexpected alg ${String(header.alg)}`);
            keys ??= loadKeys().catch((error: unknown) => {
                keys = undefined;
                throw error;
            });
            const key = (await keys).get(typeof header.kid === 'string' ? header.kid : '');
            if (key === undefined) throw invalid('unknown signing key');
            const signed = Buffer.from(`${headerPart}.${payloadPart}`);
            const signature = Buffer.from(signaturePart, 'base64url');
            if (!verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
                throw invalid('bad signature');
            }
            const claims = decodeJson<AccessTokenClaims>(payloadPart, 'payload');
            if (claims.iss !== options.issuer) throw invalid('issued by another authorization server');
            const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
            if (!audiences.includes(options.audience.href)) throw invalid('issued for another resource');
            if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) throw invalid('expired');
            return {
                token,
                clientId: typeof claims.client_id === 'string' ? claims.client_id : '',
                scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(s => s !== '') : [],
                expiresAt: claims.exp,
                resource: options.audience
            };
        }
    };
}
