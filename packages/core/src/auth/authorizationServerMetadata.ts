/**
 * Authorization server metadata: OAuth 2.0 (RFC 8414 §2) and the OpenID Connect Discovery 1.0 provider metadata
 * fields a client may meet when it falls back to `/.well-known/openid-configuration`.
 *
 * @module
 */
import * as z from 'zod/mini';

import { HttpUrlSchema } from './urls.js';

const strings = () => z.optional(z.array(z.string()));

/**
 * OAuth 2.0 authorization server metadata (RFC 8414 §2), plus RFC 9207 (`iss` in authorization responses), RFC 9728
 * §4 (`protected_resources`) and OAuth Client ID Metadata Documents (`client_id_metadata_document_supported`).
 *
 * Only `issuer` is required here. RFC 8414 also requires `authorization_endpoint`, `token_endpoint` (when the grants
 * that use them are supported) and `response_types_supported`; the code that needs an endpoint checks for it, so a
 * machine-to-machine server without an authorization endpoint still parses. Unknown members are kept.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export const OAuthMetadataSchema = z.looseObject({
    /** The issuer identifier; must equal the identifier the metadata URL was built from (RFC 8414 §3.3). */
    issuer: HttpUrlSchema,
    authorization_endpoint: z.optional(HttpUrlSchema),
    token_endpoint: z.optional(HttpUrlSchema),
    jwks_uri: z.optional(HttpUrlSchema),
    /** RFC 7591 dynamic client registration endpoint. */
    registration_endpoint: z.optional(HttpUrlSchema),
    scopes_supported: strings(),
    response_types_supported: strings(),
    response_modes_supported: strings(),
    grant_types_supported: strings(),
    token_endpoint_auth_methods_supported: strings(),
    token_endpoint_auth_signing_alg_values_supported: strings(),
    service_documentation: z.optional(z.string()),
    ui_locales_supported: strings(),
    op_policy_uri: z.optional(z.string()),
    op_tos_uri: z.optional(z.string()),
    /** RFC 7009 token revocation endpoint. */
    revocation_endpoint: z.optional(HttpUrlSchema),
    revocation_endpoint_auth_methods_supported: strings(),
    revocation_endpoint_auth_signing_alg_values_supported: strings(),
    /** RFC 7662 token introspection endpoint. */
    introspection_endpoint: z.optional(HttpUrlSchema),
    introspection_endpoint_auth_methods_supported: strings(),
    introspection_endpoint_auth_signing_alg_values_supported: strings(),
    /** PKCE methods (RFC 7636); MCP clients must refuse to proceed when absent. */
    code_challenge_methods_supported: strings(),
    /** RFC 9207: the authorization response carries `iss`, which the client must then require and check. */
    authorization_response_iss_parameter_supported: z.optional(z.boolean()),
    /** OAuth Client ID Metadata Documents: an https URL may serve as `client_id` without registration. */
    client_id_metadata_document_supported: z.optional(z.boolean()),
    /** RFC 9728 §4: resources this server issues tokens for. */
    protected_resources: strings(),
    /** RFC 9126 pushed authorization request endpoint. */
    pushed_authorization_request_endpoint: z.optional(HttpUrlSchema),
    require_pushed_authorization_requests: z.optional(z.boolean()),
    /** RFC 9449 DPoP algorithms. */
    dpop_signing_alg_values_supported: strings()
});

/** OAuth 2.0 authorization server metadata (RFC 8414 §2). */
export type OAuthMetadata = z.infer<typeof OAuthMetadataSchema>;

/**
 * OpenID Connect Discovery 1.0 §3 provider metadata: {@link OAuthMetadataSchema} plus the OpenID-specific members.
 * As with the OAuth schema, only `issuer` is required so that a client can use any document it discovers.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const OpenIdProviderDiscoveryMetadataSchema = z.extend(OAuthMetadataSchema, {
    userinfo_endpoint: z.optional(HttpUrlSchema),
    end_session_endpoint: z.optional(HttpUrlSchema),
    acr_values_supported: strings(),
    subject_types_supported: strings(),
    id_token_signing_alg_values_supported: strings(),
    id_token_encryption_alg_values_supported: strings(),
    id_token_encryption_enc_values_supported: strings(),
    userinfo_signing_alg_values_supported: strings(),
    request_object_signing_alg_values_supported: strings(),
    display_values_supported: strings(),
    claim_types_supported: strings(),
    claims_supported: strings(),
    claims_locales_supported: strings(),
    claims_parameter_supported: z.optional(z.boolean()),
    request_parameter_supported: z.optional(z.boolean()),
    request_uri_parameter_supported: z.optional(z.boolean()),
    require_request_uri_registration: z.optional(z.boolean())
});

/** OpenID Connect Discovery 1.0 provider metadata. */
export type OpenIdProviderDiscoveryMetadata = z.infer<typeof OpenIdProviderDiscoveryMetadataSchema>;

/**
 * OpenID Connect Discovery 1.0 §3 provider metadata with the members that specification makes REQUIRED present:
 * `issuer`, `authorization_endpoint`, `token_endpoint`, `jwks_uri`, `response_types_supported`,
 * `subject_types_supported` and `id_token_signing_alg_values_supported`. Use it to check a document claims to be a
 * complete OpenID provider configuration; discovery itself parses with the lenient
 * {@link OpenIdProviderDiscoveryMetadataSchema}.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export const OpenIdProviderMetadataSchema = z.extend(OpenIdProviderDiscoveryMetadataSchema, {
    authorization_endpoint: HttpUrlSchema,
    token_endpoint: HttpUrlSchema,
    jwks_uri: HttpUrlSchema,
    response_types_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string())
});

/** OpenID Connect Discovery 1.0 provider metadata with every REQUIRED member (§3). */
export type OpenIdProviderMetadata = z.infer<typeof OpenIdProviderMetadataSchema>;

/**
 * Any authorization server metadata document a client discovered, from either well-known family (RFC 8414 §3 or
 * OpenID Connect Discovery §4). Parse with {@link OpenIdProviderDiscoveryMetadataSchema}, which accepts both.
 */
export type AuthorizationServerMetadata = OpenIdProviderDiscoveryMetadata;
