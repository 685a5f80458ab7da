/**
 * PKCE (RFC 7636) and `state` generation, on WebCrypto only (`crypto.getRandomValues`, `crypto.subtle.digest`), so
 * the same code runs in browsers, Node and workers.
 *
 * @module
 */
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/core';

import { PkceUnsupportedError } from './errors.js';

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2). */
export interface Pkce {
    /** The secret sent with the token request: 43 base64url characters (256 bits of entropy). */
    codeVerifier: string;
    /** `BASE64URL(SHA256(ASCII(code_verifier)))`, sent with the authorization request. */
    codeChallenge: string;
    /** Always `S256`; `plain` is never used (RFC 7636 §4.2, OAuth 2.1 §4.1.1). */
    method: 'S256';
}

/** Encodes bytes as base64url without padding (RFC 4648 §5, RFC 7636 Appendix A). */
export function base64url(bytes: Uint8Array): string {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `count` random bytes, base64url-encoded. */
export function randomBase64url(count = 32): string {
    return base64url(crypto.getRandomValues(new Uint8Array(count)));
}

/** `BASE64URL(SHA256(text))`, the text UTF-8 encoded (ASCII for the values PKCE and DPoP hash). */
async function sha256Base64url(text: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return base64url(new Uint8Array(digest));
}

/** Computes the S256 code challenge for a verifier (RFC 7636 §4.2). */
export async function computeCodeChallenge(codeVerifier: string): Promise<string> {
    return sha256Base64url(codeVerifier);
}

/**
 * Generates a fresh PKCE pair (RFC 7636 §4.1): a verifier from 32 random bytes and its S256 challenge. Generate one
 * per authorization request and keep the verifier with that request's `state`.
 */
export async function generatePkce(): Promise<Pkce> {
    const codeVerifier = randomBase64url(32);
    return { codeVerifier, codeChallenge: await computeCodeChallenge(codeVerifier), method: 'S256' };
}

/** Generates an unguessable `state` value (RFC 6749 §10.12): 32 random bytes, base64url. */
export function generateState(): string {
    return randomBase64url(32);
}

/**
 * Requires the authorization server to advertise PKCE `S256` in `code_challenge_methods_supported` (MCP 2025-11-25
 * "Authorization Code Protection": when the member is absent the client must refuse to proceed).
 *
 * @throws {PkceUnsupportedError}
 */
export function assertPkceSupported(
    metadata: Pick<AuthorizationServerMetadata, 'issuer' | 'code_challenge_methods_supported'>
): void {
    if (!metadata.code_challenge_methods_supported?.includes('S256')) {
        throw new PkceUnsupportedError(`Authorization server ${metadata.issuer} does not advertise PKCE S256 support`);
    }
}

/**
 * The `ath` value of a DPoP proof presented with an access token (RFC 9449 §4.1): the base64url SHA-256 digest of the
 * token's ASCII octets.
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
    return sha256Base64url(accessToken);
}
