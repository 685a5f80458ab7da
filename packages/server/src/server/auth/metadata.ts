/**
 * OAuth 2.0 Protected Resource Metadata: the document a client fetches to learn which authorization servers
 * protect this MCP server and which scopes it knows, and where that document lives.
 *
 * @see RFC 9728 §2 (metadata), §3 and §3.1 (the path-aware well-known URI), MCP 2025-11-25 "Authorization
 *   Server Discovery" (servers MUST implement RFC 9728).
 * @module
 */
import { AuthConfigError } from './errors.js';
import { toScopeList } from './scopePolicy.js';
import { toSecureUrl } from './url.js';

/** The well-known URI suffix registered by RFC 9728 §3. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/** An RFC 9728 §2 protected resource metadata document (the members this package produces). */
export interface ProtectedResourceMetadata {
    resource: string;
    authorization_servers?: string[];
    jwks_uri?: string;
    scopes_supported?: string[];
    bearer_methods_supported?: string[];
    resource_name?: string;
    resource_documentation?: string;
    resource_policy_uri?: string;
    resource_tos_uri?: string;
    [member: string]: unknown;
}

/** Options of {@link buildProtectedResourceMetadata}. */
export interface ProtectedResourceMetadataOptions {
    /** This MCP server's resource identifier (its URL): https (http only on loopback), no fragment. */
    resource: string | URL;
    /** Issuer identifiers of the authorization servers that issue tokens for it (RFC 9728 `authorization_servers`). */
    authorizationServers: readonly (string | URL)[];
    /** Scopes the resource uses (RFC 9728 `scopes_supported`); clients may request them all on first authorization. */
    scopesSupported?: readonly string[];
    /** Human-readable name (RFC 9728 `resource_name`). */
    resourceName?: string;
    /** Developer documentation URL (RFC 9728 `resource_documentation`). */
    resourceDocumentation?: string | URL;
    /** Policy URL (RFC 9728 `resource_policy_uri`). */
    resourcePolicyUri?: string | URL;
    /** Terms of service URL (RFC 9728 `resource_tos_uri`). */
    resourceTosUri?: string | URL;
    /** The resource's own JWKS URL (RFC 9728 `jwks_uri`), if it signs responses. */
    jwksUri?: string | URL;
}

function toResourceUrl(resource: string | URL): URL {
    const url = toSecureUrl(resource, 'protected resource metadata resource');
    if (url.hash !== '' || String(resource).includes('#')) {
        throw new AuthConfigError(`resource ${url.href} must not contain a fragment (RFC 9728 §1.2)`);
    }
    return url;
}

function absoluteUrl(value: string | URL, where: string): string {
    try {
        return new URL(value).href;
    } catch (cause) {
        throw new AuthConfigError(`${where}: ${JSON.stringify(String(value))} is not an absolute URL`, { cause });
    }
}

/**
 * Builds the metadata document, validating every member (URLs absolute and secure where RFC 9728 requires it,
 * scopes valid RFC 6749 §3.3 tokens). `bearer_methods_supported` is `["header"]`: this package reads tokens
 * from the `Authorization` header only, as MCP requires.
 *
 * @throws {@link AuthConfigError} for an invalid member.
 * @see RFC 9728 §2
 */
export function buildProtectedResourceMetadata(options: ProtectedResourceMetadataOptions): ProtectedResourceMetadata {
    const resource = toResourceUrl(options.resource);
    if (!Array.isArray(options.authorizationServers) || options.authorizationServers.length === 0) {
        throw new AuthConfigError('protected resource metadata: at least one authorization server is required');
    }
    const metadata: ProtectedResourceMetadata = {
        resource: resource.href,
        // An issuer identifier is compared as a string (RFC 8414 §3.3): checked, but kept exactly as given (no
        // trailing slash added to `https://as.example`).
        authorization_servers: options.authorizationServers.map(issuer => {
            const checked = toSecureUrl(issuer, 'protected resource metadata authorizationServers');
            return typeof issuer === 'string' ? issuer : checked.href;
        }),
        bearer_methods_supported: ['header']
    };
    if (options.scopesSupported !== undefined) {
        metadata.scopes_supported = [...toScopeList(options.scopesSupported, 'scopesSupported')];
    }
    if (options.jwksUri !== undefined) metadata.jwks_uri = toSecureUrl(options.jwksUri, 'jwksUri').href;
    if (options.resourceName !== undefined) metadata.resource_name = options.resourceName;
    if (options.resourceDocumentation !== undefined) {
        metadata.resource_documentation = absoluteUrl(options.resourceDocumentation, 'resourceDocumentation');
    }
    if (options.resourcePolicyUri !== undefined) {
        metadata.resource_policy_uri = absoluteUrl(options.resourcePolicyUri, 'resourcePolicyUri');
    }
    if (options.resourceTosUri !== undefined) {
        metadata.resource_tos_uri = absoluteUrl(options.resourceTosUri, 'resourceTosUri');
    }
    return metadata;
}

/**
 * The path-aware well-known URL of a resource's metadata: `/.well-known/oauth-protected-resource` inserted
 * between the host and the resource's path (and query). `https://api.example.com/mcp` →
 * `https://api.example.com/.well-known/oauth-protected-resource/mcp`; a resource at the root maps to the root
 * well-known URL.
 *
 * @see RFC 9728 §3.1
 */
export function protectedResourceMetadataUrl(resourceUrl: string | URL): URL {
    const resource = new URL(resourceUrl);
    const path = resource.pathname === '/' ? '' : resource.pathname;
    const url = new URL(`${PROTECTED_RESOURCE_METADATA_PATH}${path}`, resource.origin);
    url.search = resource.search;
    return url;
}

/**
 * The paths a resource server should serve its metadata on: the path-aware one (RFC 9728 §3.1) and the root
 * one (for clients that only try `/.well-known/oauth-protected-resource`); one path when they coincide.
 */
export function protectedResourceMetadataPaths(resourceUrl: string | URL): string[] {
    const pathAware = protectedResourceMetadataUrl(resourceUrl).pathname;
    return pathAware === PROTECTED_RESOURCE_METADATA_PATH ? [pathAware] : [pathAware, PROTECTED_RESOURCE_METADATA_PATH];
}

/** A runtime-neutral HTTP answer. */
export interface MetadataResponse {
    status: number;
    headers: Record<string, string>;
    /** `null` for answers without a body (HEAD, OPTIONS, 405). */
    body: string | null;
}

/** A metadata endpoint built once: the document, the paths it is served on, and how to answer a request. */
export interface ProtectedResourceMetadataEndpoint {
    /** The document. */
    readonly metadata: ProtectedResourceMetadata;
    /** Paths served: path-aware, then root (see {@link protectedResourceMetadataPaths}). */
    readonly paths: readonly string[];
    /** The path-aware metadata URL, to advertise as `resource_metadata` in challenges (RFC 9728 §5.1). */
    readonly url: URL;
    /** The answer to a request with this HTTP method on one of {@link paths}: GET/HEAD → 200, OPTIONS → 204, else 405. */
    respond(method: string): MetadataResponse;
    /** Web-standard handler: answers requests to {@link paths}, 404 for any other path. */
    handle(request: Request): Response;
}

const CORS_HEADERS = Object.freeze({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': '*'
});

/**
 * Builds a {@link ProtectedResourceMetadataEndpoint}. The document is validated and serialized once; answers
 * carry `Access-Control-Allow-Origin: *` so browser clients can discover the authorization server.
 *
 * @throws {@link AuthConfigError} for invalid options.
 * @see RFC 9728 §3.2 (the metadata response)
 */
export function createProtectedResourceMetadataEndpoint(
    options: ProtectedResourceMetadataOptions
): ProtectedResourceMetadataEndpoint {
    const metadata = buildProtectedResourceMetadata(options);
    const json = JSON.stringify(metadata);
    const paths = protectedResourceMetadataPaths(metadata.resource);
    const served = new Set(paths);
    function respond(method: string): MetadataResponse {
        const upper = method.toUpperCase();
        if (upper === 'GET' || upper === 'HEAD') {
            const headers = { ...CORS_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'max-age=3600' };
            return { status: 200, headers, body: upper === 'GET' ? json : null };
        }
        if (upper === 'OPTIONS') return { status: 204, headers: { ...CORS_HEADERS }, body: null };
        return { status: 405, headers: { ...CORS_HEADERS, Allow: 'GET, HEAD, OPTIONS' }, body: null };
    }
    return {
        metadata,
        paths,
        url: protectedResourceMetadataUrl(metadata.resource),
        respond,
        handle(request) {
            if (!served.has(new URL(request.url).pathname)) return new Response(null, { status: 404 });
            const answer = respond(request.method);
            return new Response(answer.body, { status: answer.status, headers: answer.headers });
        }
    };
}

/**
 * Web-standard handler for the metadata endpoint: `createProtectedResourceMetadataEndpoint(options).handle`.
 *
 * @see RFC 9728 §3
 */
export function protectedResourceMetadataHandler(
    options: ProtectedResourceMetadataOptions
): (request: Request) => Response {
    return createProtectedResourceMetadataEndpoint(options).handle;
}
