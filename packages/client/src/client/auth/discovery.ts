/**
 * Metadata discovery: OAuth 2.0 Protected Resource Metadata (RFC 9728 §3) for the MCP server, then Authorization
 * Server Metadata (RFC 8414 §3) or OpenID Connect Discovery for its authorization server, in the order the MCP
 * 2025-11-25 authorization spec prescribes, with the 2025-03-26 fallbacks for servers that publish neither.
 *
 * Each step is a pair: `xRequest()` returns the `Response`, `processXResponse()` validates it into typed data. The
 * `discoverX()` functions walk the candidate URLs: a 404 moves to the next candidate; a redirect (never followed) or
 * any other failure stops with a typed error. Every request is bounded: at most three candidates per document.
 *
 * @module
 */
import type { AuthorizationServerMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/core';
import {
    checkResourceAllowed,
    OAuthProtectedResourceMetadataSchema,
    OpenIdProviderDiscoveryMetadataSchema,
    resourceUrlFromServerUrl
} from '@modelcontextprotocol/core';

import { DiscoveryError, IssuerMismatchError, ResourceMismatchError, RequestFailedError } from './errors.js';
import type { FetchLike, RequestOptions } from './http.js';
import { assertSecureEndpoint, discardBody, readJson, send } from './http.js';
import { parseWithSchema } from './validate.js';

/** Options of every discovery request. */
export interface DiscoveryRequestOptions extends RequestOptions {
    /** Sent as the `MCP-Protocol-Version` header (MCP 2025-06-18+ "Protocol Version Header"). */
    protocolVersion?: string | undefined;
}

const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';
const OAUTH_WELL_KNOWN = '/.well-known/oauth-authorization-server';
const OPENID_WELL_KNOWN = '/.well-known/openid-configuration';

/**
 * The canonical URI of an MCP server (MCP 2025-11-25 "Canonical Server URI", RFC 8707 §2): the server URL without
 * its fragment. The same as core's `resourceUrlFromServerUrl`, under this SDK's name.
 */
export function canonicalResourceUrl(serverUrl: string | URL): URL {
    return resourceUrlFromServerUrl(serverUrl);
}

// Whether protected resource metadata's `resource` covers the server URL (RFC 9728 §3.3) is core's
// `checkResourceAllowed`, re-exported for this package's modules.
export { checkResourceAllowed };

/**
 * The URLs to try for protected resource metadata, in order (MCP 2025-11-25 "Protected Resource Metadata Discovery
 * Requirements"; RFC 9728 §3.1): the challenge's `resource_metadata` URL when given, then the path-aware well-known
 * URL, then the root well-known URL. Duplicates are dropped.
 */
export function protectedResourceMetadataUrls(serverUrl: string | URL, resourceMetadataUrl?: string | URL): URL[] {
    const server = canonicalResourceUrl(serverUrl);
    const candidates: URL[] = [];
    if (resourceMetadataUrl !== undefined) candidates.push(new URL(resourceMetadataUrl));
    const path = server.pathname === '/' ? '' : server.pathname;
    if (path !== '' || server.search !== '') {
        candidates.push(new URL(`${PROTECTED_RESOURCE_WELL_KNOWN}${path}${server.search}`, server.origin));
    }
    candidates.push(new URL(PROTECTED_RESOURCE_WELL_KNOWN, server.origin));
    return dedupe(candidates);
}

/**
 * The URLs to try for authorization server metadata, in order (MCP 2025-11-25 "Authorization Server Metadata
 * Discovery"; RFC 8414 §3.1; OpenID Connect Discovery §4.1). For an issuer with a path component `/p`:
 * `/.well-known/oauth-authorization-server/p`, `/.well-known/openid-configuration/p`, `/p/.well-known/openid-configuration`.
 * Without a path: `/.well-known/oauth-authorization-server`, `/.well-known/openid-configuration`.
 */
export function authorizationServerMetadataUrls(issuer: string | URL): URL[] {
    const url = new URL(issuer);
    const path = url.pathname === '/' ? '' : url.pathname;
    if (path === '') {
        return [new URL(OAUTH_WELL_KNOWN, url.origin), new URL(OPENID_WELL_KNOWN, url.origin)];
    }
    return dedupe([
        new URL(`${OAUTH_WELL_KNOWN}${path}`, url.origin),
        new URL(`${OPENID_WELL_KNOWN}${path}`, url.origin),
        new URL(`${path.replace(/\/+$/, '')}${OPENID_WELL_KNOWN}`, url.origin)
    ]);
}

/**
 * The official v2 shape of {@link authorizationServerMetadataUrls}: the same URLs in the same order, each with the
 * kind of document expected there (`oauth`: RFC 8414, `oidc`: OpenID Connect Discovery).
 */
export function buildDiscoveryUrls(authorizationServerUrl: string | URL): { url: URL; type: 'oauth' | 'oidc' }[] {
    return authorizationServerMetadataUrls(authorizationServerUrl).map(url => ({
        url,
        type: url.pathname.includes(OPENID_WELL_KNOWN) ? 'oidc' : 'oauth'
    }));
}

function dedupe(urls: URL[]): URL[] {
    const seen = new Set<string>();
    return urls.filter(url => (seen.has(url.href) ? false : (seen.add(url.href), true)));
}

/**
 * GETs a metadata document without following redirects (`redirect: 'manual'`), sending `Accept: application/json`
 * and `MCP-Protocol-Version` when given. When the request fails at the network level with that header (a browser's
 * CORS preflight may reject it), it is retried once without it.
 *
 * @throws {InsecureEndpointError} for a URL that is not https (loopback excepted).
 * @throws {RequestFailedError} when no response arrives.
 */
export async function metadataRequest(url: string | URL, options: DiscoveryRequestOptions = {}): Promise<Response> {
    const target = assertSecureEndpoint(url, 'metadata URL');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.protocolVersion === undefined)
        return send(target, { method: 'GET', headers, redirect: 'manual' }, options);
    try {
        return await send(
            target,
            {
                method: 'GET',
                headers: { ...headers, 'MCP-Protocol-Version': options.protocolVersion },
                redirect: 'manual'
            },
            options
        );
    } catch (error) {
        if (!(error instanceof RequestFailedError) || options.signal?.aborted) throw error;
        return send(target, { method: 'GET', headers, redirect: 'manual' }, options);
    }
}

/** Whether a response is a redirect that `redirect: 'manual'` left unfollowed (browsers give an opaque one). */
function isRedirect(response: Response): boolean {
    return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

/** Turns a non-200 metadata response into a {@link DiscoveryError}. */
async function rejectStatus(response: Response, url: string, what: string): Promise<never> {
    await discardBody(response);
    if (isRedirect(response)) {
        const location = response.headers.get('location');
        throw new DiscoveryError(
            `${what} at ${url} answered with a redirect${location ? ` to ${location}` : ''}, which is not followed`,
            { url, status: response.status, response }
        );
    }
    throw new DiscoveryError(`${what} at ${url} answered HTTP ${response.status}`, {
        url,
        status: response.status,
        response
    });
}

/**
 * Validates a protected resource metadata response (RFC 9728 §3.2) and checks that its `resource` matches the MCP
 * server the client used (RFC 9728 §3.3, see {@link checkResourceAllowed}).
 *
 * @throws {DiscoveryError} for a non-200 status (including a redirect).
 * @throws {InvalidResponseError} for a body that is not JSON or not valid metadata.
 * @throws {ResourceMismatchError} when `resource` does not match `serverUrl`; no authorization request may follow.
 */
export async function processProtectedResourceMetadataResponse(
    serverUrl: string | URL,
    response: Response
): Promise<OAuthProtectedResourceMetadata> {
    const url = response.url || String(serverUrl);
    if (response.status !== 200) return rejectStatus(response, url, 'Protected resource metadata');
    const metadata = parseWithSchema(
        OAuthProtectedResourceMetadataSchema,
        await readJson(response),
        response,
        'protected resource metadata'
    );
    const expected = canonicalResourceUrl(serverUrl).href;
    if (!checkResourceAllowed(expected, metadata.resource)) {
        throw new ResourceMismatchError(expected, metadata.resource, { response });
    }
    return metadata;
}

/** Found protected resource metadata and where it was found. */
export interface ProtectedResourceMetadataResult {
    /** The validated document. */
    metadata: OAuthProtectedResourceMetadata;
    /** The URL it was served from. */
    url: URL;
}

/**
 * Discovers the protected resource metadata of an MCP server (RFC 9728 §3; MCP 2025-11-25): tries
 * {@link protectedResourceMetadataUrls} in order, moving on only on 404. Resolves `undefined` when every candidate
 * is 404 (a 2025-03-26 server; see {@link discoverOAuth}).
 *
 * @throws {ResourceMismatchError} when the document is for another resource.
 * @throws {DiscoveryError} / {@link InvalidResponseError} / {@link RequestFailedError} / {@link InsecureEndpointError}.
 */
export async function discoverProtectedResourceMetadata(
    serverUrl: string | URL,
    options: DiscoveryRequestOptions & { resourceMetadataUrl?: string | URL | undefined } = {}
): Promise<ProtectedResourceMetadataResult | undefined> {
    assertSecureEndpoint(serverUrl, 'MCP server URL');
    for (const candidate of protectedResourceMetadataUrls(serverUrl, options.resourceMetadataUrl)) {
        const response = await metadataRequest(candidate, options);
        if (response.status === 404) {
            await discardBody(response);
            continue;
        }
        return { metadata: await processProtectedResourceMetadataResponse(serverUrl, response), url: candidate };
    }
    return undefined;
}

/**
 * Whether a metadata document's `issuer` is the issuer identifier the client used (RFC 8414 §3.3). The comparison
 * is exact, except that a host-only issuer may differ by its terminating `/` (`https://as` and `https://as/` are the
 * same URL).
 */
export function issuerMatches(expected: string, actual: string): boolean {
    return expected === actual || stripRootSlash(expected) === stripRootSlash(actual);
}

/**
 * How strictly a metadata document's `issuer` must match: `exact` (RFC 8414 §3.3) when the client started from an
 * issuer identifier; `same-origin` for the 2025-03-26 fallback, where it started from the MCP server's origin;
 * `none` skips the check (security-weakening: only for a known misconfigured server, see
 * `AuthOptions.skipIssuerMetadataValidation`).
 */
export type IssuerCheck = 'exact' | 'same-origin' | 'none';

function sameOrigin(expected: string, actual: string): boolean {
    try {
        return new URL(expected).origin === new URL(actual).origin;
    } catch {
        return false;
    }
}

function stripRootSlash(issuer: string): string {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/$/i.test(issuer) ? issuer.slice(0, -1) : issuer;
}

/**
 * Validates an authorization server metadata response (RFC 8414 §3.2, OpenID Connect Discovery §4.2) and checks that
 * its `issuer` equals the issuer identifier the metadata URL was built from (RFC 8414 §3.3).
 *
 * @throws {DiscoveryError} for a non-200 status (including a redirect).
 * @throws {InvalidResponseError} for a body that is not JSON or not valid metadata.
 * @throws {IssuerMismatchError} when `issuer` differs.
 */
export async function processAuthorizationServerMetadataResponse(
    issuer: string,
    response: Response,
    issuerCheck: IssuerCheck = 'exact'
): Promise<AuthorizationServerMetadata> {
    const url = response.url || issuer;
    if (response.status !== 200) return rejectStatus(response, url, 'Authorization server metadata');
    const metadata = parseWithSchema(
        OpenIdProviderDiscoveryMetadataSchema,
        await readJson(response),
        response,
        'authorization server metadata'
    );
    const matches =
        issuerCheck === 'none' ||
        (issuerCheck === 'same-origin' ? sameOrigin(issuer, metadata.issuer) : issuerMatches(issuer, metadata.issuer));
    if (!matches) {
        throw new IssuerMismatchError(issuer, metadata.issuer, { response });
    }
    return metadata;
}

/** Options of {@link discoverAuthorizationServerMetadata}, including the official SDK's names. */
export interface AuthorizationServerMetadataDiscoveryOptions extends DiscoveryRequestOptions {
    /** The `fetch` to use (official SDK name; `fetch` wins when both are given). */
    fetchFn?: FetchLike | undefined;
    /**
     * Skips the check that the document's `issuer` is `issuer` (RFC 8414 §3.3). Security-weakening: only for a known
     * misconfigured server.
     */
    skipIssuerValidation?: boolean | undefined;
}

/**
 * Discovers authorization server metadata for an issuer: tries {@link authorizationServerMetadataUrls} in order,
 * moving on only on 404. Resolves `undefined` when every candidate is 404.
 *
 * @throws {IssuerMismatchError} when a document names another issuer.
 * @throws {DiscoveryError} / {@link InvalidResponseError} / {@link RequestFailedError} / {@link InsecureEndpointError}.
 */
export async function discoverAuthorizationServerMetadata(
    issuer: string | URL,
    options: AuthorizationServerMetadataDiscoveryOptions = {},
    issuerCheck: IssuerCheck = 'exact'
): Promise<AuthorizationServerMetadata | undefined> {
    const identifier = String(issuer);
    const request = { ...options, fetch: options.fetch ?? options.fetchFn };
    const check = options.skipIssuerValidation === true ? 'none' : issuerCheck;
    assertSecureEndpoint(identifier, 'authorization server issuer');
    for (const candidate of authorizationServerMetadataUrls(identifier)) {
        const response = await metadataRequest(candidate, request);
        if (response.status === 404) {
            await discardBody(response);
            continue;
        }
        return processAuthorizationServerMetadataResponse(identifier, response, check);
    }
    return undefined;
}

/**
 * The endpoints a 2025-03-26 MCP client assumes when the authorization server (the MCP server's origin) publishes
 * no metadata: `/authorize`, `/token` and `/register` on that origin, PKCE S256, `none` or secret-based client auth.
 */
export function defaultAuthorizationServerMetadata(issuer: string | URL): AuthorizationServerMetadata {
    const origin = new URL(issuer).origin;
    return {
        issuer: origin,
        authorization_endpoint: new URL('/authorize', origin).href,
        token_endpoint: new URL('/token', origin).href,
        registration_endpoint: new URL('/register', origin).href,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none']
    };
}

/** Everything discovery learned about how to authorize against an MCP server. */
export interface OAuthDiscovery {
    /** The protected resource metadata, `undefined` for a 2025-03-26 server that publishes none. */
    resourceMetadata: OAuthProtectedResourceMetadata | undefined;
    /** Where the protected resource metadata was found. */
    resourceMetadataUrl: URL | undefined;
    /**
     * The RFC 8707 `resource` to send in authorization and token requests: the metadata's `resource`, already
     * checked against the server URL. `undefined` for a 2025-03-26 server without protected resource metadata.
     */
    resource: URL | undefined;
    /** The issuer identifier of the chosen authorization server. */
    authorizationServer: string;
    /** Its metadata: discovered, or the 2025-03-26 defaults. */
    authorizationServerMetadata: AuthorizationServerMetadata;
    /**
     * How it was found: `metadata` (RFC 9728 then RFC 8414/OIDC), `legacy-metadata` (no RFC 9728 document; the server's
     * origin published RFC 8414 metadata), `legacy-defaults` (nothing published; default endpoints on the origin).
     */
    source: 'metadata' | 'legacy-metadata' | 'legacy-defaults';
}

/** Options of {@link discoverOAuth}. */
export interface DiscoverOAuthOptions extends DiscoveryRequestOptions {
    /** The `resource_metadata` URL of the latest challenge (RFC 9728 §5.1), tried first. */
    resourceMetadataUrl?: string | URL | undefined;
    /**
     * Picks one of the metadata's `authorization_servers` (RFC 9728 §7.6 leaves the choice to the client); defaults to
     * the first.
     */
    selectAuthorizationServer?: ((issuers: readonly string[]) => string) | undefined;
    /**
     * Skips the check that the authorization server metadata's `issuer` is the one it was discovered for (RFC 8414
     * §3.3). Security-weakening: only for a known misconfigured server.
     */
    skipIssuerValidation?: boolean | undefined;
}

/**
 * Runs the whole discovery for an MCP server (MCP 2025-11-25 "Authorization Server Discovery"): protected resource
 * metadata, then the chosen authorization server's metadata. Without protected resource metadata it falls back to
 * 2025-03-26 behaviour: the authorization server is the MCP server's origin, with default endpoints when that origin
 * publishes no metadata either.
 *
 * @throws {DiscoveryError} when the resource names no authorization server, or its server publishes no metadata.
 * @throws {ResourceMismatchError} / {@link IssuerMismatchError} / {@link InsecureEndpointError} before any
 * authorization request can be made.
 */
export async function discoverOAuth(
    serverUrl: string | URL,
    options: DiscoverOAuthOptions = {}
): Promise<OAuthDiscovery> {
    const found = await discoverProtectedResourceMetadata(serverUrl, options);
    if (found === undefined) {
        const origin = canonicalResourceUrl(serverUrl).origin;
        // 2025-03-26: the client derived the authorization server from the MCP server's origin rather than from an
        // issuer identifier, so the document's issuer need only share that origin.
        const check = options.skipIssuerValidation === true ? 'none' : 'same-origin';
        const metadata = await discoverAuthorizationServerMetadata(origin, options, check);
        return {
            resourceMetadata: undefined,
            resourceMetadataUrl: undefined,
            resource: undefined,
            authorizationServer: origin,
            authorizationServerMetadata: metadata ?? defaultAuthorizationServerMetadata(origin),
            source: metadata === undefined ? 'legacy-defaults' : 'legacy-metadata'
        };
    }
    const issuers = found.metadata.authorization_servers ?? [];
    if (issuers.length === 0) {
        throw new DiscoveryError(`Protected resource metadata at ${found.url.href} names no authorization server`, {
            url: found.url.href
        });
    }
    const issuer = options.selectAuthorizationServer?.(issuers) ?? issuers[0]!;
    const metadata = await discoverAuthorizationServerMetadata(
        issuer,
        options,
        options.skipIssuerValidation === true ? 'none' : 'exact'
    );
    if (metadata === undefined) {
        throw new DiscoveryError(`Authorization server ${issuer} publishes no metadata`, { url: issuer });
    }
    return {
        resourceMetadata: found.metadata,
        resourceMetadataUrl: found.url,
        resource: new URL(found.metadata.resource),
        authorizationServer: issuer,
        authorizationServerMetadata: metadata,
        source: 'metadata'
    };
}

/**
 * The official v2 (deprecated there) helper: the RFC 8414 metadata of an authorization server — `issuer`, or
 * `authorizationServerUrl` when given — or `undefined` when it publishes none. Prefer {@link discoverOAuth}, which
 * starts from the MCP server and checks the resource and the issuer along the way.
 *
 * @throws the errors of {@link discoverAuthorizationServerMetadata}.
 */
export function discoverOAuthMetadata(
    issuer: string | URL,
    options?: { authorizationServerUrl?: string | URL; protocolVersion?: string },
    fetchFn?: FetchLike
): Promise<AuthorizationServerMetadata | undefined> {
    return discoverAuthorizationServerMetadata(
        options?.authorizationServerUrl ?? issuer,
        fetchFn ? { fetch: fetchFn } : {}
    );
}
