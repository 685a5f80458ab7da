/**
 * The resource-server helpers under the official v2 SDK's names and shapes, built on this package's own
 * (`metadata.ts`, `bearerAuth.ts`): `AuthMetadataOptions` (the authorization server's metadata plus this server's
 * URL), `buildOAuthProtectedResourceMetadata`, `getOAuthProtectedResourceMetadataUrl`, `oauthMetadataResponse`,
 * `verifyBearerToken`, `bearerAuthChallengeResponse` and the web-standard `requireBearerAuth` gate.
 *
 * @see RFC 9728 (protected resource metadata), RFC 8414 (authorization server metadata), RFC 6750 §3
 * @module
 */
import type { AuthInfo, OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/core';
import { authorizeRequest } from './bearerAuth.js';
import type { BearerAuthOptions } from './bearerAuth.js';
import { BearerTokenError, ServerError } from './errors.js';
import {
    PROTECTED_RESOURCE_METADATA_PATH,
    buildProtectedResourceMetadata,
    createProtectedResourceMetadataEndpoint,
    protectedResourceMetadataUrl
} from './metadata.js';
import type { TokenVerifier } from './tokenVerifier.js';

/** The official v2 name of {@link TokenVerifier}. */
export type OAuthTokenVerifier = TokenVerifier;

/** What the official v2 metadata helpers take: the authorization server's metadata and this server's URL. */
export interface AuthMetadataOptions {
    /** The authorization server's metadata (RFC 8414); its `issuer` goes into `authorization_servers`. */
    oauthMetadata: OAuthMetadata;
    /** This MCP server's URL: the protected resource (RFC 9728 `resource`). */
    resourceServerUrl: URL;
    /** Developer documentation (`resource_documentation`). */
    serviceDocumentationUrl?: URL;
    /** Scopes the resource uses (`scopes_supported`). */
    scopesSupported?: string[];
    /** Human-readable name (`resource_name`). */
    resourceName?: string;
    /** Allow an http issuer on a host other than loopback (testing only). */
    dangerouslyAllowInsecureIssuerUrl?: boolean;
}

/** Options of {@link verifyBearerToken} and the web-standard {@link requireBearerAuth}. */
export interface VerifyBearerTokenOptions extends Pick<BearerAuthOptions, 'verifier'> {
    /** Scopes every request needs; a token lacking any is refused with 403 `insufficient_scope`. */
    requiredScopes?: string[];
    /** The protected resource metadata URL advertised in challenges (RFC 9728 §5.1). */
    resourceMetadataUrl?: string;
    /** Accept only tokens the verifier reports for this resource (`AuthInfo.resource`, ignoring a trailing slash). */
    expectedResource?: URL;
}

/** The RFC 9728 metadata URL of a server URL, as a string (`/.well-known/oauth-protected-resource<path>`). */
export function getOAuthProtectedResourceMetadataUrl(serverUrl: URL): string {
    return protectedResourceMetadataUrl(serverUrl).href;
}

/** Builds this server's RFC 9728 protected resource metadata from {@link AuthMetadataOptions}. */
export function buildOAuthProtectedResourceMetadata(options: AuthMetadataOptions): OAuthProtectedResourceMetadata {
    return buildProtectedResourceMetadata({
        resource: options.resourceServerUrl,
        authorizationServers: [options.oauthMetadata.issuer],
        ...(options.scopesSupported ? { scopesSupported: options.scopesSupported } : {}),
        ...(options.resourceName ? { resourceName: options.resourceName } : {}),
        ...(options.serviceDocumentationUrl ? { resourceDocumentation: options.serviceDocumentationUrl } : {})
    }) as OAuthProtectedResourceMetadata;
}

/**
 * Answers the two discovery documents a resource server exposes, from a web-standard handler: the protected
 * resource metadata (path-aware and root well-known URLs) and the authorization server's metadata at
 * `/.well-known/oauth-authorization-server`; `undefined` for any other path.
 */
export function oauthMetadataResponse(request: Request, options: AuthMetadataOptions): Response | undefined {
    const path = new URL(request.url).pathname;
    if (path === '/.well-known/oauth-authorization-server') {
        if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders() });
        return Response.json(options.oauthMetadata, { headers: corsHeaders() });
    }
    if (!path.startsWith(PROTECTED_RESOURCE_METADATA_PATH)) return undefined;
    const endpoint = createProtectedResourceMetadataEndpoint({
        resource: options.resourceServerUrl,
        authorizationServers: [options.oauthMetadata.issuer],
        ...(options.scopesSupported ? { scopesSupported: options.scopesSupported } : {}),
        ...(options.resourceName ? { resourceName: options.resourceName } : {}),
        ...(options.serviceDocumentationUrl ? { resourceDocumentation: options.serviceDocumentationUrl } : {})
    });
    if (!endpoint.paths.includes(path)) return undefined;
    const answer = endpoint.respond(request.method);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

function corsHeaders(): Record<string, string> {
    return { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' };
}

/**
 * Verifies a raw `Authorization` value as a Bearer token and returns its {@link AuthInfo}: the token is checked by
 * the verifier, against `expectedResource` and `requiredScopes`. Throws a {@link BearerTokenError} (turn it into
 * the HTTP answer with {@link bearerAuthChallengeResponse}).
 */
export async function verifyBearerToken(
    authorizationHeader: string | null | undefined,
    options: VerifyBearerTokenOptions
): Promise<AuthInfo> {
    const result = await authorizeRequest({
        verifier: options.verifier,
        requiredScopes: options.requiredScopes,
        resourceMetadataUrl: options.resourceMetadataUrl,
        expectedResource: options.expectedResource,
        headers: new Headers(authorizationHeader ? { authorization: authorizationHeader } : {})
    });
    if (!result.ok) throw result.error;
    return result.authInfo;
}

/**
 * The HTTP answer to a failed {@link verifyBearerToken}: 401 / 403 with the Bearer challenge, 400 for a malformed
 * request, 500 for anything else.
 */
export function bearerAuthChallengeResponse(
    error: unknown,
    options: Pick<VerifyBearerTokenOptions, 'requiredScopes' | 'resourceMetadataUrl'> = {}
): Response {
    const typed = error instanceof BearerTokenError ? error : new ServerError('Authorization failed', { cause: error });
    const failure = typed.toFailure({
        scope: options.requiredScopes,
        resourceMetadataUrl: options.resourceMetadataUrl
    });
    return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failure.headers });
}

/**
 * A web-standard bearer gate: resolves to the verified {@link AuthInfo}, or to the ready challenge `Response`.
 * For per-operation scopes use `withBearerAuth` with a scope policy.
 */
export function requireBearerAuth(
    options: VerifyBearerTokenOptions
): (request: Request) => Promise<AuthInfo | Response> {
    return async request => {
        try {
            return await verifyBearerToken(request.headers.get('authorization'), options);
        } catch (error) {
            return bearerAuthChallengeResponse(error, options);
        }
    };
}
