/**
 * The official SDK's discovery functions: protected resource metadata alone, the authorization server of an MCP
 * server with its metadata (`discoverOAuthServerInfo`), the RFC 8707 resource to request, and the parameters of a
 * `WWW-Authenticate` challenge. They compose this package's discovery (`discovery.ts`) and challenge parser
 * (`wwwAuthenticate.ts`).
 *
 * @module
 */
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/core';
import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/core';

import { discoverAuthorizationServerMetadata, discoverProtectedResourceMetadata } from './discovery.js';
import { DiscoveryError, ResourceMismatchError } from './errors.js';
import type { FetchLike } from './http.js';
import type { OAuthClientProvider, OAuthServerInfo } from './provider.js';
import { bearerChallenge, parseWWWAuthenticate } from './wwwAuthenticate.js';

/**
 * Discovers the protected resource metadata of an MCP server (RFC 9728 §3): the `resourceMetadataUrl` of a challenge
 * first when given, then the path-aware and root well-known URLs. The document's `resource` must cover the server
 * URL (RFC 9728 §3.3).
 *
 * @throws {DiscoveryError} when no candidate URL serves the metadata (all 404), or one fails.
 * @throws {ResourceMismatchError} when the metadata is for another resource.
 */
export async function discoverOAuthProtectedResourceMetadata(
    serverUrl: string | URL,
    opts: { protocolVersion?: string | undefined; resourceMetadataUrl?: string | URL | undefined } = {},
    fetchFn?: FetchLike
): Promise<OAuthProtectedResourceMetadata> {
    const found = await discoverProtectedResourceMetadata(serverUrl, {
        fetch: fetchFn,
        protocolVersion: opts.protocolVersion,
        resourceMetadataUrl: opts.resourceMetadataUrl
    });
    if (found === undefined) {
        throw new DiscoveryError(`${String(serverUrl)} publishes no OAuth protected resource metadata`, {
            url: String(serverUrl),
            status: 404
        });
    }
    return found.metadata;
}

/**
 * Finds the authorization server of an MCP server and its metadata, e.g. to refresh or revoke tokens outside
 * `auth()`: the first authorization server its protected resource metadata names (RFC 9728), or, when it publishes
 * none, its origin (the 2025-03-26 convention); then that server's metadata (RFC 8414, OpenID Connect Discovery),
 * whose `issuer` must match (unless `skipIssuerMetadataValidation`, which is security-weakening).
 *
 * @returns the authorization server URL, its metadata (`undefined` when it publishes none), and the protected
 * resource metadata (`undefined` when the MCP server publishes none).
 * @throws {ResourceMismatchError} / {@link IssuerMismatchError} when a document is for another resource or issuer.
 */
export async function discoverOAuthServerInfo(
    serverUrl: string | URL,
    opts: {
        resourceMetadataUrl?: URL | undefined;
        fetchFn?: FetchLike | undefined;
        skipIssuerMetadataValidation?: boolean | undefined;
    } = {}
): Promise<OAuthServerInfo> {
    const request = { fetch: opts.fetchFn };
    const found = await discoverProtectedResourceMetadata(serverUrl, {
        ...request,
        resourceMetadataUrl: opts.resourceMetadataUrl
    });
    const named = found?.metadata.authorization_servers?.[0];
    const authorizationServerUrl = named ?? resourceUrlFromServerUrl(serverUrl).origin;
    const check = opts.skipIssuerMetadataValidation === true ? 'none' : named === undefined ? 'same-origin' : 'exact';
    const authorizationServerMetadata = await discoverAuthorizationServerMetadata(
        authorizationServerUrl,
        request,
        check
    );
    return { authorizationServerUrl, authorizationServerMetadata, resourceMetadata: found?.metadata };
}

/**
 * The RFC 8707 resource indicator to request tokens for: the provider's `validateResourceURL` result when it has
 * one; else the protected resource metadata's `resource`, which must cover the server URL (RFC 9728 §3.3); else
 * `undefined` when there is no metadata. (`auth()` itself sends the server URL then, as MCP 2025-11-25 asks.)
 *
 * @throws {ResourceMismatchError} when the metadata's `resource` does not cover the server URL.
 */
export async function selectResourceURL(
    serverUrl: string | URL,
    provider: OAuthClientProvider,
    resourceMetadata?: OAuthProtectedResourceMetadata
): Promise<URL | undefined> {
    const serverResource = resourceUrlFromServerUrl(serverUrl);
    if (provider.validateResourceURL !== undefined) {
        return provider.validateResourceURL(serverResource, resourceMetadata?.resource);
    }
    if (resourceMetadata === undefined) return undefined;
    if (!checkResourceAllowed(serverResource, resourceMetadata.resource)) {
        throw new ResourceMismatchError(serverResource.href, resourceMetadata.resource);
    }
    return new URL(resourceMetadata.resource);
}

/**
 * The parameters of the `Bearer` challenge of a response's `WWW-Authenticate` header (RFC 6750 §3, RFC 9728 §5.1),
 * or of its `DPoP` challenge when it has no Bearer one (RFC 9449 §7.1): `resource_metadata` (as a URL, when it is an
 * absolute http(s) URL), `scope`, `error` and `error_description`. Empty when there is no such challenge.
 */
export function extractWWWAuthenticateParams(res: Response): {
    resourceMetadataUrl?: URL;
    scope?: string;
    error?: string;
    errorDescription?: string;
} {
    const challenges = parseWWWAuthenticate(res.headers);
    const challenge = bearerChallenge(challenges) ?? bearerChallenge(challenges, 'dpop');
    if (challenge === undefined) return {};
    const params: { resourceMetadataUrl?: URL; scope?: string; error?: string; errorDescription?: string } = {};
    if (challenge.resourceMetadata !== undefined) params.resourceMetadataUrl = challenge.resourceMetadata;
    if (challenge.scope !== undefined) params.scope = challenge.scope;
    if (challenge.error !== undefined) params.error = challenge.error;
    if (challenge.errorDescription !== undefined) params.errorDescription = challenge.errorDescription;
    return params;
}

/**
 * The `resource_metadata` URL of a response's `WWW-Authenticate` challenge (RFC 9728 §5.1), if any.
 *
 * @deprecated Use {@link extractWWWAuthenticateParams}.
 */
export function extractResourceMetadataUrl(res: Response): URL | undefined {
    return extractWWWAuthenticateParams(res).resourceMetadataUrl;
}
