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

/**
 * {@link OAuthTokens} as an MCP client persists them: the token response plus what the client SDK adds before
 * saving it. `issuer` names the authorization server that issued the tokens (they are never presented to another
 * one); `expires_at` is the expiry in seconds since the epoch, computed from `expires_in` so that it survives a
 * restart. Neither is part of the RFC 6749 §5.1 response.
 */
export type StoredOAuthTokens = OAuthTokens & {
    /** The issuer identifier of the authorization server that issued the tokens. */
    issuer?: string | undefined;
    /** When the access token expires, in seconds since the epoch. */
    expires_at?: number | undefined;
};

/**
 * A token revocation request (RFC 7009 §2.1): the token to revoke and, optionally, a hint of its type
 * (`access_token` or `refresh_token`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export const OAuthTokenRevocationRequestSchema = z.object({
    token: z.string().check(z.minLength(1)),
    token_type_hint: z.optional(z.string())
});

/** A token revocation request (RFC 7009 §2.1). */
export type OAuthTokenRevocationRequest = z.infer<typeof OAuthTokenRevocationRequestSchema>;

/** RFC 8693 token type URI of an Identity Assertion JWT Authorization Grant (ID-JAG). */
export const ID_JAG_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';

/**
 * A token exchange response (RFC 8693 §2.2.1) that issued an Identity Assertion JWT Authorization Grant (ID-JAG,
 * draft-ietf-oauth-identity-assertion-authz-grant): `issued_token_type` must be the ID-JAG type, and the grant is in
 * `access_token`. `token_type` is optional here: the issued token is not an access token, so the member is only
 * informational (RFC 8693 §2.2.1), and identity providers differ in what they send.
 */
export const IdJagTokenExchangeResponseSchema = z.object({
    issued_token_type: z.literal(ID_JAG_TOKEN_TYPE),
    access_token: z.string().check(z.minLength(1)),
    token_type: z.optional(z.string()),
    /** Lifetime of the grant in seconds. */
    expires_in: z.optional(z.number().check(z.nonnegative())),
    scope: z.optional(z.string())
});

/** A token exchange response that issued an ID-JAG (RFC 8693 §2.2.1). */
export type IdJagTokenExchangeResponse = z.infer<typeof IdJagTokenExchangeResponseSchema>;
