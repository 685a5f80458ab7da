/**
 * The official SDK's Cross-App Access functions (Enterprise-Managed Authorization, SEP-990): request a JWT
 * Authorization Grant (ID-JAG) from the enterprise identity provider with RFC 8693 token exchange, optionally after
 * discovering its token endpoint, and exchange the grant for an access token at the MCP server's authorization server
 * (RFC 7523 §2.1). Thin layers over `requestIdJag` and `exchangeIdJag`.
 *
 * @module
 */
import type { ClientAuthMethod } from './clientAuth.js';
import { exchangeIdJag, requestIdJag } from './crossAppAccess.js';
import { discoverAuthorizationServerMetadata } from './discovery.js';
import { DiscoveryError } from './errors.js';
import type { FetchLike } from './http.js';

/** Options of {@link requestJwtAuthorizationGrant}. */
export interface RequestJwtAuthGrantOptions {
    /** The identity provider's token endpoint. */
    tokenEndpoint: string | URL;
    /** The MCP server's authorization server (the token exchange `audience`). */
    audience: string | URL;
    /** The MCP server's resource identifier (RFC 8707 `resource`). */
    resource: string | URL;
    /** The user's OpenID Connect ID token from the identity provider (the `subject_token`). */
    idToken: string;
    /** The client's `client_id` at the identity provider. */
    clientId: string;
    /** Its secret there; omitted for a public client. */
    clientSecret?: string | undefined;
    /** The scope wanted at the MCP server (space-separated). */
    scope?: string | undefined;
    /** The `fetch` to use. */
    fetchFn?: FetchLike | undefined;
}

/** Options of {@link discoverAndRequestJwtAuthGrant}: the identity provider's issuer instead of its token endpoint. */
export interface DiscoverAndRequestJwtAuthGrantOptions extends Omit<RequestJwtAuthGrantOptions, 'tokenEndpoint'> {
    /** The identity provider's issuer; its token endpoint is found in its metadata (RFC 8414, OpenID Connect). */
    idpUrl: string | URL;
}

/** A JWT Authorization Grant the identity provider issued. */
export interface JwtAuthGrantResult {
    /** The grant (ID-JAG), a JWT to present to the MCP server's authorization server. */
    jwtAuthGrant: string;
    /** Its lifetime in seconds, when the identity provider said. */
    expiresIn?: number;
    /** The scope granted, when the identity provider said (it may differ from the one requested). */
    scope?: string;
}

/**
 * Exchanges the user's ID token for a JWT Authorization Grant at the identity provider (RFC 8693 §2.1, requested
 * token type ID-JAG). The client authenticates with `client_secret_post` when it has a secret, else sends only its
 * `client_id`.
 *
 * @throws {OAuthTokenError} when the identity provider refuses.
 * @throws {InvalidResponseError} when it issues something other than an ID-JAG.
 */
export async function requestJwtAuthorizationGrant(options: RequestJwtAuthGrantOptions): Promise<JwtAuthGrantResult> {
    const grant = await requestIdJag({
        tokenEndpoint: options.tokenEndpoint,
        subjectToken: options.idToken,
        audience: String(options.audience),
        resource: options.resource,
        scope: options.scope,
        client: { clientId: options.clientId, clientSecret: options.clientSecret },
        clientAuthMethod: options.clientSecret === undefined ? 'none' : 'client_secret_post',
        fetch: options.fetchFn
    });
    const result: JwtAuthGrantResult = { jwtAuthGrant: grant.assertion };
    if (grant.response.expires_in !== undefined) result.expiresIn = grant.response.expires_in;
    if (grant.response.scope !== undefined) result.scope = grant.response.scope;
    return result;
}

/**
 * {@link requestJwtAuthorizationGrant} after finding the identity provider's token endpoint in its metadata.
 *
 * @throws {DiscoveryError} when the identity provider publishes no metadata or no token endpoint.
 */
export async function discoverAndRequestJwtAuthGrant(
    options: DiscoverAndRequestJwtAuthGrantOptions
): Promise<JwtAuthGrantResult> {
    const { idpUrl, ...rest } = options;
    const metadata = await discoverAuthorizationServerMetadata(String(idpUrl), { fetch: options.fetchFn });
    if (metadata?.token_endpoint === undefined) {
        throw new DiscoveryError(`Identity provider ${String(idpUrl)} publishes no token endpoint`, {
            url: String(idpUrl)
        });
    }
    return requestJwtAuthorizationGrant({ ...rest, tokenEndpoint: metadata.token_endpoint });
}

/**
 * Exchanges a JWT Authorization Grant for an access token at the MCP server's authorization server (RFC 7523 §2.1
 * JWT bearer grant). The client authenticates with `authMethod`, default `client_secret_basic` (pass `'none'` for a
 * public client without a secret).
 *
 * @throws {OAuthTokenError} when the authorization server refuses.
 * @throws {UnsupportedClientAuthMethodError} when `authMethod` needs a secret and there is none.
 */
export async function exchangeJwtAuthGrant(options: {
    tokenEndpoint: string | URL;
    jwtAuthGrant: string;
    clientId: string;
    clientSecret?: string | undefined;
    authMethod?: ClientAuthMethod | undefined;
    fetchFn?: FetchLike | undefined;
}): Promise<{ access_token: string; token_type: string; expires_in?: number | undefined; scope?: string | undefined }> {
    const { tokens } = await exchangeIdJag({
        tokenEndpoint: options.tokenEndpoint,
        assertion: options.jwtAuthGrant,
        client: { clientId: options.clientId, clientSecret: options.clientSecret },
        clientAuthMethod: options.authMethod ?? 'client_secret_basic',
        fetch: options.fetchFn
    });
    return tokens;
}
