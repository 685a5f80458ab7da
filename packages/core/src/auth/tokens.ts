/**
 * Token endpoint responses: the successful access token response (RFC 6749 §5.1) and the error response (§5.2),
 * whose shape is shared by every OAuth endpoint that returns JSON errors.
 *
 * @module
 */
import * as z from 'zod/mini';

/**
 * A successful access token response (RFC 6749 §5.1). `scope` is optional on the wire; when it is absent, the
 * granted scope equals the requested scope (§5.1, §3.3), which a client must record as such rather than as empty.
 * Unknown members are kept.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export const OAuthTokensSchema = z.looseObject({
    access_token: z.string().check(z.minLength(1)),
    /** `Bearer` (RFC 6750) or `DPoP` (RFC 9449); compare case-insensitively (RFC 6749 §7.1). */
    token_type: z.string(),
    /** Lifetime in seconds. */
    expires_in: z.optional(z.number().check(z.nonnegative())),
    refresh_token: z.optional(z.string()),
    /** Space-separated scope tokens actually granted (RFC 6749 §3.3). */
    scope: z.optional(z.string()),
    /** OpenID Connect ID token. */
    id_token: z.optional(z.string())
});

/** A successful access token response (RFC 6749 §5.1). */
export type OAuthTokens = z.infer<typeof OAuthTokensSchema>;

/**
 * An OAuth error response (RFC 6749 §5.2): `error` (e.g. `invalid_grant`, `invalid_client`, `invalid_scope`),
 * optional `error_description` and `error_uri`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const OAuthErrorResponseSchema = z.looseObject({
    error: z.string(),
    error_description: z.optional(z.string()),
    error_uri: z.optional(z.string())
});

/** An OAuth error response (RFC 6749 §5.2). */
export type OAuthErrorResponse = z.infer<typeof OAuthErrorResponseSchema>;
