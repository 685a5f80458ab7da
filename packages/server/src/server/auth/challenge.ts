/**
 * `WWW-Authenticate: Bearer …` challenges a protected resource sends.
 *
 * @see RFC 6750 §3 (the Bearer challenge and its attributes), §3.1 (error codes; no error information when the
 *   request carried no credentials).
 * @see RFC 9728 §5.1 (the `resource_metadata` attribute).
 * @see RFC 9110 §11.6.1 (`auth-param = token BWS "=" BWS ( token / quoted-string )`).
 * @module
 */

/** The error codes RFC 6750 §3.1 defines for a Bearer challenge. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** The attributes of one Bearer challenge. Every value is optional; with none, the challenge is just `Bearer`. */
export interface BearerChallenge {
    /** `realm` (RFC 6750 §3). */
    realm?: string | undefined;
    /** `error` (RFC 6750 §3.1). Omit when the request carried no credentials at all. */
    error?: BearerErrorCode | undefined;
    /** `error_description`: human-readable, restricted to RFC 6750 §3's character set (others are dropped). */
    errorDescription?: string | undefined;
    /** `error_uri` (RFC 6750 §3). */
    errorUri?: string | URL | undefined;
    /** `scope`: exactly the scopes the operation at hand needs (RFC 6750 §3; MCP 2025-11-25 scope challenges). */
    scope?: readonly string[] | undefined;
    /** `resource_metadata`: the protected resource metadata URL (RFC 9728 §5.1). */
    resourceMetadata?: string | URL | undefined;
}

/** The longest `error_description` a challenge carries; longer text is cut. */
const MAX_DESCRIPTION_LENGTH = 256;

/** Characters RFC 6750 §3 allows in `error_description` and `error`: `%x20-21 / %x23-5B / %x5D-7E`. */
const NOT_DESCRIPTION_CHAR = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;
/** Characters RFC 6750 §3 allows in `error_uri` and `scope` values: `%x21 / %x23-5B / %x5D-7E` (plus SP in scope). */
const NOT_URI_CHAR = /[^\x21\x23-\x5B\x5D-\x7E]/g;
/** Anything a quoted-string cannot carry as-is (RFC 9110 §5.6.4 qdtext without obs-text). */
const NOT_QDTEXT = /[^\t\x20-\x7E]/g;

/**
 * Wraps `value` in an RFC 9110 §5.6.4 quoted-string: drops control and non-ASCII characters (so no header
 * injection is possible) and backslash-escapes `"` and `\`.
 */
export function quoteHeaderValue(value: string): string {
    return `"${value.replace(NOT_QDTEXT, '').replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Reduces free text to what RFC 6750 §3 allows in `error_description` (no `"`, `\`, control or non-ASCII
 * characters) and caps its length, so nothing taken from a token or a verifier's message reaches the header
 * unsanitized.
 */
export function sanitizeErrorDescription(text: string): string {
    const clean = text.replace(/\s+/g, ' ').replace(NOT_DESCRIPTION_CHAR, '').trim();
    return clean.length > MAX_DESCRIPTION_LENGTH ? clean.slice(0, MAX_DESCRIPTION_LENGTH) : clean;
}

/**
 * Formats one Bearer challenge for a `WWW-Authenticate` header, e.g.
 * `Bearer error="insufficient_scope", scope="mcp:tools:read", resource_metadata="https://…"`.
 *
 * Attributes appear in a fixed order (realm, error, error_description, error_uri, scope, resource_metadata),
 * each at most once (RFC 6750 §3). Scope tokens are expected to be valid RFC 6749 §3.3 tokens (policies validate
 * them at construction); any character outside that syntax is dropped here anyway.
 *
 * @see RFC 6750 §3, RFC 9728 §5.1
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
    const params: string[] = [];
    if (challenge.realm !== undefined) params.push(`realm=${quoteHeaderValue(challenge.realm)}`);
    if (challenge.error !== undefined) {
        params.push(`error=${quoteHeaderValue(sanitizeErrorDescription(challenge.error))}`);
    }
    if (challenge.errorDescription !== undefined) {
        const description = sanitizeErrorDescription(challenge.errorDescription);
        if (description !== '') params.push(`error_description=${quoteHeaderValue(description)}`);
    }
    if (challenge.errorUri !== undefined) {
        params.push(`error_uri=${quoteHeaderValue(String(challenge.errorUri).replace(NOT_URI_CHAR, ''))}`);
    }
    if (challenge.scope !== undefined && challenge.scope.length > 0) {
        const tokens = challenge.scope.map(s => s.replace(NOT_URI_CHAR, '')).filter(s => s !== '');
        if (tokens.length > 0) params.push(`scope=${quoteHeaderValue([...new Set(tokens)].join(' '))}`);
    }
    if (challenge.resourceMetadata !== undefined) {
        params.push(`resource_metadata=${quoteHeaderValue(String(challenge.resourceMetadata))}`);
    }
    return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}
