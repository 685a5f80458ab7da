/**
 * JWT access tokens (RFC 9068) of the hand-written authorization server: ES256 signing, the public JWK Set,
 * local verification and revocation.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';

/** Claims this server puts in every access token. */
export interface AccessTokenClaims extends JWTPayload {
    iss: string;
    aud: string;
    sub: string;
    client_id: string;
    scope: string;
    iat: number;
    exp: number;
    jti: string;
}

/** What an access token is issued for. */
export interface AccessTokenSubject {
    resource: string;
    subject: string;
    clientId: string;
    scope: string;
}

/** Signs, verifies and revokes the access tokens of one server instance. */
export class AccessTokenSigner {
    readonly #issuer: string;
    readonly #privateKey: CryptoKey;
    readonly #publicKey: CryptoKey;
    readonly #publicJwk: JWK;
    /** Bumped by {@link AccessTokenSigner.revokeAll}; every `jti` starts with the generation it was issued in. */
    #generation = 0;

    private constructor(issuer: string, privateKey: CryptoKey, publicKey: CryptoKey, publicJwk: JWK) {
        this.#issuer = issuer;
        this.#privateKey = privateKey;
        this.#publicKey = publicKey;
        this.#publicJwk = publicJwk;
    }

    /** Generates a fresh ES256 key pair for `issuer`. */
    static async create(issuer: string): Promise<AccessTokenSigner> {
        const { privateKey, publicKey } = await generateKeyPair('ES256');
        const jwk = { ...(await exportJWK(publicKey)), kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' };
        return new AccessTokenSigner(issuer, privateKey, publicKey, jwk);
    }

    /** The public JWK Set (RFC 7517 §5). */
    jwks(): { keys: JWK[] } {
        return { keys: [this.#publicJwk] };
    }

    /**
     * Issues a JWT access token valid for at least `ttlSeconds` (its `exp` is rounded up to a whole second, so a
     * verifier with whole-second clocks sees it expire within `ttlSeconds + 1`).
     */
    async issue(subject: AccessTokenSubject, ttlSeconds: number): Promise<string> {
        const now = Date.now() / 1000;
        return new SignJWT({ client_id: subject.clientId, scope: subject.scope })
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: this.#publicJwk.kid ?? '' })
            .setIssuer(this.#issuer)
            .setAudience(subject.resource)
            .setSubject(subject.subject)
            .setIssuedAt(Math.floor(now))
            .setExpirationTime(Math.ceil(now + ttlSeconds))
            .setJti(`${this.#generation}.${randomBytes(16).toString('base64url')}`)
            .sign(this.#privateKey);
    }

    /** Makes every access token issued so far fail {@link AccessTokenSigner.verify} (and introspection). */
    revokeAll(): void {
        this.#generation++;
    }

    /**
     * Verifies signature, `iss`, `exp` and `typ` (RFC 9068 §4), and that the token was not revoked.
     *
     * @returns the claims, or `undefined` for any token that is not active.
     */
    async verify(token: string): Promise<AccessTokenClaims | undefined> {
        try {
            const { payload } = await jwtVerify(token, this.#publicKey, {
                issuer: this.#issuer,
                typ: 'at+jwt',
                algorithms: ['ES256']
            });
            const claims = payload as AccessTokenClaims;
            return claims.jti.startsWith(`${this.#generation}.`) ? claims : undefined;
        } catch {
            return undefined;
        }
    }
}
