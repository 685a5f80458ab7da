/**
 * OAuth 2.0 Dynamic Client Registration (RFC 7591): client metadata (§2), the registration response (§3.2.1) and
 * registration errors (§3.2.2).
 *
 * @module
 */
import * as z from 'zod/mini';

import { AnyUrlSchema, HttpUrlSchema } from './urls.js';

/**
 * Client metadata (RFC 7591 §2, with OpenID Connect Dynamic Client Registration's `application_type`). Sent in a
 * registration request, and served as the body of a Client ID Metadata Document. Unknown members are kept.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export const OAuthClientMetadataSchema = z.looseObject({
    /** Redirection URIs (RFC 6749 §3.1.2); any scheme, since native apps may use private-use schemes. */
    redirect_uris: z.optional(z.array(AnyUrlSchema)),
    /** `none`, `client_secret_post`, `client_secret_basic`, `private_key_jwt`, … (RFC 7591 §2). */
    token_endpoint_auth_method: z.optional(z.string()),
    grant_types: z.optional(z.array(z.string())),
    response_types: z.optional(z.array(z.string())),
    client_name: z.optional(z.string()),
    client_uri: z.optional(z.string()),
    logo_uri: z.optional(z.string()),
    /** Space-separated scope values the client may request (RFC 6749 §3.3). */
    scope: z.optional(z.string()),
    contacts: z.optional(z.array(z.string())),
    tos_uri: z.optional(z.string()),
    policy_uri: z.optional(z.string()),
    jwks_uri: z.optional(HttpUrlSchema),
    /** The client's JSON Web Key Set by value; opaque here. */
    jwks: z.optional(z.unknown()),
    software_id: z.optional(z.string()),
    software_version: z.optional(z.string()),
    software_statement: z.optional(z.string()),
    /** OpenID Connect Dynamic Client Registration §2: `web` or `native`. */
    application_type: z.optional(z.string()),
    /** The JWS algorithm for `private_key_jwt` client assertions. */
    token_endpoint_auth_signing_alg: z.optional(z.string())
});

/** Client metadata (RFC 7591 §2). */
export type OAuthClientMetadata = z.infer<typeof OAuthClientMetadataSchema>;

/**
 * Client information (RFC 7591 §3.2.1): the credentials the authorization server issued. `client_secret` is absent
 * for public clients.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export const OAuthClientInformationSchema = z.looseObject({
    client_id: z.string().check(z.minLength(1)),
    client_secret: z.optional(z.string()),
    /** Seconds since the epoch. */
    client_id_issued_at: z.optional(z.number()),
    /** Seconds since the epoch, `0` for never. */
    client_secret_expires_at: z.optional(z.number()),
    /** RFC 7592 client configuration access token. */
    registration_access_token: z.optional(z.string()),
    /** RFC 7592 client configuration endpoint. */
    registration_client_uri: z.optional(z.string())
});

/** Client information (RFC 7591 §3.2.1). */
export type OAuthClientInformation = z.infer<typeof OAuthClientInformationSchema>;

/**
 * A full registration response (RFC 7591 §3.2.1): the client information plus every registered metadata value,
 * which the server may have changed from what was requested.
 */
export const OAuthClientInformationFullSchema = z.extend(OAuthClientMetadataSchema, OAuthClientInformationSchema.shape);

/** A full registration response (RFC 7591 §3.2.1). */
export type OAuthClientInformationFull = z.infer<typeof OAuthClientInformationFullSchema>;

/**
 * Client information a client holds: the credentials alone (RFC 7591 §3.2.1), or the full registration response
 * with the registered metadata (e.g. the `token_endpoint_auth_method`).
 */
export type OAuthClientInformationMixed = OAuthClientInformation | OAuthClientInformationFull;

/**
 * {@link OAuthClientInformationMixed} as an MCP client persists it. `issuer` names the authorization server that
 * issued the `client_id` (client identifiers are unique to their authorization server, RFC 6749 §2.2), so the
 * credentials are never presented to another one. It is not part of the RFC 7591 response.
 */
export type StoredOAuthClientInformation = OAuthClientInformationMixed & {
    /** The issuer identifier of the authorization server the client is registered with. */
    issuer?: string | undefined;
};

/**
 * A registration error response (RFC 7591 §3.2.2), e.g. `invalid_redirect_uri`, `invalid_client_metadata`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
export const OAuthClientRegistrationErrorSchema = z.looseObject({
    error: z.string(),
    error_description: z.optional(z.string())
});

/** A registration error response (RFC 7591 §3.2.2). */
export type OAuthClientRegistrationError = z.infer<typeof OAuthClientRegistrationErrorSchema>;
