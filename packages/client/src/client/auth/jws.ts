/**
 * Compact JWS signing (RFC 7515 §7.1) on WebCrypto alone, for the JWTs the client signs: `private_key_jwt` client
 * assertions (RFC 7523) and DPoP proofs (RFC 9449). Browsers, workers and Node share this path, so no JOSE library
 * is bundled into the client.
 *
 * Algorithms (RFC 7518 §3.1, RFC 8037): RS256/384/512, PS256/384/512, ES256/384/512, EdDSA (Ed25519) and, for
 * client assertions signed with a shared secret, HS256/384/512.
 *
 * @module
 */
import { base64url } from './pkce.js';

/** A private JWK: `kty` and the members of its key type (RFC 7517 §4, RFC 7518 §6). */
export interface PrivateJwk {
    /** Key type: `RSA`, `EC`, `OKP` or `oct`. */
    kty: string;
    /** The key's algorithm, when it names one. */
    alg?: string | undefined;
    /** Key id. */
    kid?: string | undefined;
    /** Every other member of the key. */
    [member: string]: unknown;
}

/** A Node `KeyObject`, seen structurally so that this module imports nothing Node-only. */
export interface KeyObjectLike {
    /** `private`, `public` or `secret`. */
    readonly type: string;
    /** Node's `KeyObject.export`. */
    export(options?: { format: 'jwk' }): unknown;
}

/** What a JWT can be signed with: a private `CryptoKey`, Node `KeyObject`, private JWK, PKCS#8 PEM or HMAC secret. */
export type JwsSigningKey = CryptoKey | KeyObjectLike | PrivateJwk | JsonWebKey | Uint8Array | string;

/** WebCrypto parameters of one JWS algorithm: how to import (or generate) its key, and how to sign with it. */
export interface JwsAlgorithmParams {
    /** Import / generate parameters. */
    key: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm;
    /** Sign parameters. */
    sign: Algorithm | EcdsaParams | RsaPssParams;
}

const HASH_BITS: Record<string, number> = { '256': 256, '384': 384, '512': 512 };

/** The WebCrypto parameters of a JWS `alg`, or `undefined` when it is not one this module signs with. */
export function jwsAlgorithmParams(alg: string): JwsAlgorithmParams | undefined {
    if (alg === 'EdDSA' || alg === 'Ed25519') return { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
    const bits = HASH_BITS[alg.slice(2)];
    if (alg.length !== 5 || bits === undefined) return undefined;
    const hash = `SHA-${bits}`;
    switch (alg.slice(0, 2)) {
        case 'ES': {
            const namedCurve = bits === 512 ? 'P-521' : `P-${bits}`;
            return { key: { name: 'ECDSA', namedCurve }, sign: { name: 'ECDSA', hash } };
        }
        case 'RS':
            return { key: { name: 'RSASSA-PKCS1-v1_5', hash }, sign: { name: 'RSASSA-PKCS1-v1_5' } };
        case 'PS':
            return { key: { name: 'RSA-PSS', hash }, sign: { name: 'RSA-PSS', saltLength: bits / 8 } };
        case 'HS':
            return { key: { name: 'HMAC', hash }, sign: { name: 'HMAC' } };
        default:
            return undefined;
    }
}

function isKeyObject(key: object): key is KeyObjectLike {
    return (
        typeof (key as { export?: unknown }).export === 'function' && typeof (key as KeyObjectLike).type === 'string'
    );
}

/** True for a JWK-shaped object (has a string `kty`). */
export function isPrivateJwk(key: unknown): key is PrivateJwk {
    return typeof key === 'object' && key !== null && typeof (key as { kty?: unknown }).kty === 'string';
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
    const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
    const binary = atob(body);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
}

/**
 * Imports a signing key for `alg` into WebCrypto (a `CryptoKey` is used as given).
 *
 * @throws whatever WebCrypto throws for a key that does not fit the algorithm (callers wrap it in their error).
 */
export async function importJwsSigningKey(
    key: JwsSigningKey,
    alg: string,
    params: JwsAlgorithmParams
): Promise<CryptoKey> {
    if (typeof key === 'string') return crypto.subtle.importKey('pkcs8', pemToDer(key), params.key, false, ['sign']);
    if (key instanceof Uint8Array)
        return crypto.subtle.importKey('raw', new Uint8Array(key), params.key, false, ['sign']);
    if (isPrivateJwk(key)) {
        const { alg: _alg, use: _use, key_ops: _ops, ext: _ext, ...members } = key;
        return crypto.subtle.importKey('jwk', members as JsonWebKey, params.key, false, ['sign']);
    }
    if (isKeyObject(key)) {
        if (key.type === 'secret') {
            const raw = key.export() as Uint8Array;
            return crypto.subtle.importKey('raw', new Uint8Array(raw), params.key, false, ['sign']);
        }
        return importJwsSigningKey(key.export({ format: 'jwk' }) as PrivateJwk, alg, params);
    }
    return key as CryptoKey;
}

const encoder = new TextEncoder();

/** Signs `header.payload` as a compact JWS with an imported key. */
export async function signCompactJws(
    header: Record<string, unknown>,
    payload: Record<string, unknown>,
    key: CryptoKey,
    params: JwsAlgorithmParams
): Promise<string> {
    const input = `${base64url(encoder.encode(JSON.stringify(header)))}.${base64url(encoder.encode(JSON.stringify(payload)))}`;
    const signature = await crypto.subtle.sign(params.sign, key, encoder.encode(input));
    return `${input}.${base64url(new Uint8Array(signature))}`;
}
