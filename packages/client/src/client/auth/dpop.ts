/**
 * DPoP (RFC 9449, SEP-1932): sender-constrained access tokens. The client holds a key pair, signs a fresh proof JWT
 * for every token request and every request that presents the token (`htm`, `htu`, `iat`, a unique `jti`, and for
 * the resource server `ath`, the token's hash), and answers a `use_dpop_nonce` challenge by signing again with the
 * server's nonce. A stolen DPoP-bound token is useless without the private key, which is non-extractable by default.
 *
 * WebCrypto only (browsers, workers, Node): ES256/384/512, RS256/384/512, PS256/384/512 and EdDSA (Ed25519).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449
 * @module
 */
import { InvalidAuthOptionsError } from './errors.js';
import type { JwsAlgorithmParams } from './jws.js';
import { jwsAlgorithmParams, signCompactJws } from './jws.js';
import type { Middleware } from './middleware.js';
import { base64url } from './pkce.js';
import type { OAuthClientProvider } from './provider.js';
import { parseWWWAuthenticate } from './wwwAuthenticate.js';

/** The asymmetric JWS algorithms a DPoP proof can be signed with (RFC 9449 §11.6: never symmetric, never `none`). */
export const DPOP_SUPPORTED_ALGS = [
    'ES256',
    'ES384',
    'ES512',
    'RS256',
    'RS384',
    'RS512',
    'PS256',
    'PS384',
    'PS512',
    'EdDSA'
] as const;

/** A DPoP signing algorithm. */
export type DpopAlg = (typeof DPOP_SUPPORTED_ALGS)[number];

/** A DPoP key pair: the private key signs proofs, the public JWK is embedded in them. */
export interface DpopKeyPair {
    /** Signs proofs (non-extractable unless asked). */
    privateKey: CryptoKey;
    publicKey: CryptoKey;
    /** The public key as a JWK with its required members only (embedded in each proof's `jwk` header). */
    publicJwk: JsonWebKey;
    /** RFC 7638 SHA-256 thumbprint: what the authorization server binds as the token's `cnf.jkt`. */
    thumbprint: string;
    alg: DpopAlg;
}

/** Options of {@link generateDpopKeyPair}. */
export interface GenerateDpopKeyPairOptions {
    /** Default `ES256`. */
    alg?: DpopAlg;
    /** Let the private key be exported (to persist it yourself). Default `false` (RFC 9449 §11). */
    extractable?: boolean;
}

/** What one proof is for (RFC 9449 §4.2). */
export interface DpopProofRequest {
    /** The request's HTTP method (`htm`). */
    htm: string;
    /** The request's URL (`htu`; query and fragment are left out). */
    htu: string | URL;
    /** The access token the request presents (adds `ath`). */
    accessToken?: string;
    /** The server's nonce; default: the one remembered for `htu`'s origin. */
    nonce?: string;
}

const encoder = new TextEncoder();

/** Key generation parameters of a DPoP algorithm (RSA keys are 2048-bit, exponent 65537). */
function keyGenParams(alg: DpopAlg): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
    const { key } = jwsParams(alg);
    return key.name.startsWith('RS') ? { ...key, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } : key;
}

function jwsParams(alg: DpopAlg): JwsAlgorithmParams {
    return jwsAlgorithmParams(alg) as JwsAlgorithmParams;
}

/** The members RFC 7638 hashes, in its order, and the members a proof's `jwk` needs. */
function requiredMembers(jwk: JsonWebKey): JsonWebKey {
    const names =
        jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : ['crv', 'kty', 'x'];
    const members: Record<string, unknown> = {};
    for (const name of names) members[name] = (jwk as Record<string, unknown>)[name];
    return members as JsonWebKey;
}

/** The RFC 7638 JWK SHA-256 thumbprint of a public key. */
async function thumbprintOf(jwk: JsonWebKey): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(requiredMembers(jwk))));
    return base64url(new Uint8Array(digest));
}

/**
 * Generates a DPoP key pair (non-extractable private key by default).
 *
 * @throws {@link InvalidAuthOptionsError} for an algorithm outside {@link DPOP_SUPPORTED_ALGS}.
 */
export async function generateDpopKeyPair(options: GenerateDpopKeyPairOptions = {}): Promise<DpopKeyPair> {
    const alg = options.alg ?? 'ES256';
    if (!(DPOP_SUPPORTED_ALGS as readonly string[]).includes(alg)) {
        throw new InvalidAuthOptionsError(`Unsupported DPoP algorithm ${String(alg)}`);
    }
    const pair = (await crypto.subtle.generateKey(keyGenParams(alg), options.extractable ?? false, [
        'sign',
        'verify'
    ])) as CryptoKeyPair;
    const publicJwk = requiredMembers(await crypto.subtle.exportKey('jwk', pair.publicKey));
    return {
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        publicJwk,
        thumbprint: await thumbprintOf(publicJwk),
        alg
    };
}

/** The `ath` claim: base64url SHA-256 of the access token (RFC 9449 §4.1). */
export async function dpopAccessTokenHash(accessToken: string): Promise<string> {
    return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(accessToken))));
}

function originOf(url: string | URL): string {
    return new URL(url).origin;
}

/**
 * A DPoP signing identity and the nonces servers gave it, per origin (the authorization server's and the resource
 * server's are kept apart). Keep one for the life of a client registration: the tokens are bound to its key.
 */
export class DpopSession {
    private readonly _nonces = new Map<string, string>();

    private constructor(private readonly _keyPair: DpopKeyPair) {}

    /** A session with a new key pair (`alg`, default ES256), or with `keyPair`. */
    static async create(options: { alg?: DpopAlg; keyPair?: DpopKeyPair } = {}): Promise<DpopSession> {
        return new DpopSession(options.keyPair ?? (await generateDpopKeyPair({ alg: options.alg ?? 'ES256' })));
    }

    /** The key's RFC 7638 thumbprint (the bound token's `cnf.jkt`). */
    get thumbprint(): string {
        return this._keyPair.thumbprint;
    }

    get alg(): DpopAlg {
        return this._keyPair.alg;
    }

    /** The public JWK every proof carries. */
    get publicJwk(): JsonWebKey {
        return this._keyPair.publicJwk;
    }

    /** The latest nonce the server at `url`'s origin gave, if any. */
    nonceFor(url: string | URL): string | undefined {
        return this._nonces.get(originOf(url));
    }

    /** Remembers the nonce of the server at `url`'s origin (the newest wins). */
    rememberNonce(url: string | URL, nonce: string): void {
        this._nonces.set(originOf(url), nonce);
    }

    /** Remembers a response's `DPoP-Nonce`, when it has one (any response may carry one, RFC 9449 §8.2). */
    observeNonce(response: Response, url: string | URL): void {
        const nonce = response.headers.get('dpop-nonce');
        if (nonce !== null && nonce !== '' && nonce.length <= 1024) this.rememberNonce(url, nonce);
    }

    /** Signs a fresh proof (a new `jti` each time: a proof is presented once, RFC 9449 §4.3). */
    async buildProof(request: DpopProofRequest): Promise<string> {
        const target = new URL(request.htu);
        const header = { typ: 'dpop+jwt', alg: this._keyPair.alg, jwk: this._keyPair.publicJwk };
        const payload: Record<string, unknown> = {
            jti: crypto.randomUUID(),
            htm: request.htm.toUpperCase(),
            htu: `${target.origin}${target.pathname}`,
            iat: Math.floor(Date.now() / 1000)
        };
        if (request.accessToken !== undefined) payload.ath = await dpopAccessTokenHash(request.accessToken);
        const nonce = request.nonce ?? this.nonceFor(target);
        if (nonce !== undefined) payload.nonce = nonce;
        return signCompactJws(header, payload, this._keyPair.privateKey, jwsParams(this._keyPair.alg));
    }
}

/** True for a resource server's `use_dpop_nonce` challenge: `401` with a `DPoP` challenge naming that error. */
export function isDpopNonceChallenge(response: Response): boolean {
    if (response.status !== 401) return false;
    return parseWWWAuthenticate(response.headers).some(
        challenge => challenge.scheme === 'dpop' && challenge.params.error === 'use_dpop_nonce'
    );
}

/** True for an authorization server's `use_dpop_nonce` token error (`400`, RFC 9449 §8): read from the body text. */
export function isTokenDpopNonceError(status: number, body: string): boolean {
    if (status !== 400) return false;
    try {
        return (JSON.parse(body) as { error?: unknown }).error === 'use_dpop_nonce';
    } catch {
        return false;
    }
}

/** Where {@link withDpop} takes the access token from (`undefined`: send the request as it is). */
export type DpopTokenSource = () => string | undefined | Promise<string | undefined>;

/** A {@link DpopSession}, or a function resolving to one (`undefined`: send the request as it is). */
export type DpopSessionSource = DpopSession | (() => DpopSession | undefined | Promise<DpopSession | undefined>);

/**
 * A fetch middleware presenting a DPoP-bound token: `Authorization: DPoP <token>` and a fresh proof per request,
 * retrying once, with a new proof, on a `use_dpop_nonce` challenge.
 */
export function withDpop(session: DpopSessionSource, getToken: DpopTokenSource): Middleware {
    return next => async (input, init) => {
        const dpop = typeof session === 'function' ? await session() : session;
        const token = await getToken();
        if (dpop === undefined || token === undefined) return next(input, init);
        const target = input instanceof Request ? input.url : input;
        for (let attempt = 0; ; attempt++) {
            const headers = new Headers(init?.headers);
            headers.set('authorization', `DPoP ${token}`);
            headers.set('dpop', await dpop.buildProof({ htm: init?.method ?? 'GET', htu: target, accessToken: token }));
            const response = await next(input, { ...init, headers });
            dpop.observeNonce(response, target);
            if (attempt > 0 || !isDpopNonceChallenge(response)) return response;
            await response.body?.cancel().catch(() => undefined);
        }
    };
}

/**
 * {@link withDpop} driven by an OAuth provider: its `dpop()` session and its stored token when that token is a
 * `token_type: DPoP` one (other requests pass through untouched).
 */
export function withDpopFromProvider(provider: OAuthClientProvider): Middleware {
    return withDpop(
        () => provider.dpop?.(),
        async () => {
            const tokens = await provider.tokens();
            return tokens?.token_type?.toLowerCase() === 'dpop' ? tokens.access_token : undefined;
        }
    );
}
