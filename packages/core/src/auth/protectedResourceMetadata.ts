/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728 §2), the document an MCP server publishes at
 * `/.well-known/oauth-protected-resource{path}` to name its authorization servers.
 *
 * @module
 */
import * as z from 'zod/mini';

import { HttpUrlSchema } from './urls.js';

/**
 * Protected resource metadata (RFC 9728 §2). Only `resource` is required; unknown members are kept (the format is
 * extensible, RFC 9728 §2), so a document round-trips unchanged.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export const OAuthProtectedResourceMetadataSchema = z.looseObject({
    /** The protected resource's resource identifier (RFC 9728 §1.2); must match the URL the client used (§3.3). */
    resource: HttpUrlSchema,
    /** Issuer identifiers of the authorization servers that can issue tokens for this resource. */
    authorization_servers: z.optional(z.array(HttpUrlSchema)),
    /** The resource's JSON Web Key Set document. */
    jwks_uri: z.optional(HttpUrlSchema),
    /** Scope values (RFC 6749 §3.3) used in authorization requests for this resource. */
    scopes_supported: z.optional(z.array(z.string())),
    /** How a bearer token may be presented (RFC 6750): `header`, `body`, `query`. */
    bearer_methods_supported: z.optional(z.array(z.string())),
    /** JWS algorithms the resource uses to sign its responses. */
    resource_signing_alg_values_supported: z.optional(z.array(z.string())),
    /** Human-readable name of the resource. */
    resource_name: z.optional(z.string()),
    /** Developer documentation for the resource. */
    resource_documentation: z.optional(z.string()),
    /** Policy about how the resource uses data. */
    resource_policy_uri: z.optional(z.string()),
    /** Terms of service of the resource. */
    resource_tos_uri: z.optional(z.string()),
    /** Whether the resource supports mutual-TLS certificate-bound access tokens (RFC 8705). */
    tls_client_certificate_bound_access_tokens: z.optional(z.boolean()),
    /** Rich authorization request types supported (RFC 9396). */
    authorization_details_types_supported: z.optional(z.array(z.string())),
    /** JWS algorithms accepted for DPoP proofs (RFC 9449). */
    dpop_signing_alg_values_supported: z.optional(z.array(z.string())),
    /** Whether the resource always requires DPoP-bound access tokens (RFC 9449). */
    dpop_bound_access_tokens_required: z.optional(z.boolean()),
    /** A signed JWT carrying metadata values (RFC 9728 §2.2). */
    signed_metadata: z.optional(z.string())
});

/** Protected resource metadata (RFC 9728 §2). */
export type OAuthProtectedResourceMetadata = z.infer<typeof OAuthProtectedResourceMetadataSchema>;
