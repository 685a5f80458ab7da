/**
 * Hono adapters for MCP authorization. Thin: every decision (challenge, status, scopes, the decoded body) is made
 * by `@modelcontextprotocol/server`; this module only moves data in and out of Hono.
 *
 * @see RFC 6750 §3 (challenges), RFC 9728 §3 (protected resource metadata), RFC 8414 §3
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import type {
    AuthMetadataOptions,
    BearerAuthOptions,
    ProtectedResourceMetadataOptions
} from '@modelcontextprotocol/server';
import {
    buildOAuthProtectedResourceMetadata,
    createProtectedResourceMetadataEndpoint,
    oauthMetadataResponse,
    validateBearerAuthOptions
} from '@modelcontextprotocol/server';
import { WebRequestView, authorizeHttpRequest, toResponse } from '@modelcontextprotocol/server/adapter';

/** Options of {@link requireBearerAuth}: the same as the server's bearer authorization. */
export type RequireBearerAuthOptions = BearerAuthOptions;

/**
 * Hono middleware that authorizes each request with a bearer token, and sets `c.get('auth')` on success.
 *
 * With a per-operation policy, a POST's JSON-RPC body is decoded through the one parse the transport shares (the
 * value `createMcpHonoApp`'s parser decoded, or else the body read here, bounded), so the transport that serves the
 * same `c.req.raw` dispatches exactly the message the policy judged; a body that cannot be decoded is refused (415 /
 * 413 / 400), never judged as a request without a message. When the body was read here, `c.get('parsedBody')` is
 * set to it. Failures are answered with the status, `WWW-Authenticate` challenge and body the server decided
 * (401 / 403 / 400 / 413 / 415 / 500).
 *
 * @example
 * ```ts
 * app.use('/mcp', requireBearerAuth({ verifier, policy, resourceMetadataUrl }));
 * app.all('/mcp', c =>
 *     transport.handleRequest(c.req.raw, { authInfo: c.get('auth'), parsedBody: c.get('parsedBody') })
 * );
 * ```
 * @throws {@link AuthConfigError} at construction for a missing verifier or an invalid static scope.
 * @see RFC 6750 §3.1
 */
export function requireBearerAuth(options: RequireBearerAuthOptions): MiddlewareHandler {
    const checked = validateBearerAuthOptions(options);
    return async (c, next) => {
        const result = await authorizeHttpRequest(new WebRequestView(c.req.raw), checked);
        if (!result.ok) return toResponse(result);
        c.set('auth', result.authInfo);
        if (c.get('parsedBody') === undefined && result.parsedBody !== undefined) {
            c.set('parsedBody', result.parsedBody);
        }
        await next();
    };
}

/** Options of {@link protectedResourceMetadataRouter}. */
export interface ProtectedResourceMetadataRouterOptions extends Omit<ProtectedResourceMetadataOptions, 'resource'> {
    /** This MCP server's URL: the `resource` of the metadata; its path decides the path-aware well-known URL. */
    resourceServerUrl: string | URL;
}

/**
 * Hono middleware serving RFC 9728 protected resource metadata on both the path-aware well-known URL
 * (`/.well-known/oauth-protected-resource/<resource path>`) and the root one, with CORS; other paths go on to the
 * app. Use it at the application root: `app.use(protectedResourceMetadataRouter({ … }))`.
 *
 * @throws {@link AuthConfigError} at construction for invalid metadata.
 * @see RFC 9728 §3.1
 */
export function protectedResourceMetadataRouter(options: ProtectedResourceMetadataRouterOptions): MiddlewareHandler {
    const { resourceServerUrl, ...rest } = options;
    const endpoint = createProtectedResourceMetadataEndpoint({ ...rest, resource: resourceServerUrl });
    const paths = new Set(endpoint.paths);
    return async (c, next) => {
        if (!paths.has(c.req.path)) {
            await next();
            return;
        }
        const answer = endpoint.respond(c.req.method);
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
    };
}

/**
 * The metadata middleware under the name the official Express adapter uses. Takes either this package's options
 * (see {@link protectedResourceMetadataRouter}) or the official `AuthMetadataOptions` (`oauthMetadata` +
 * `resourceServerUrl`), with which it also serves the authorization server's metadata at
 * `/.well-known/oauth-authorization-server`.
 *
 * @throws {@link AuthConfigError} at construction for invalid metadata.
 * @see RFC 9728 §3.1, RFC 8414 §3
 */
export function mcpAuthMetadataRouter(
    options: ProtectedResourceMetadataRouterOptions | AuthMetadataOptions
): MiddlewareHandler {
    if (!('oauthMetadata' in options)) return protectedResourceMetadataRouter(options);
    buildOAuthProtectedResourceMetadata(options);
    return async (c, next) => {
        const answer = oauthMetadataResponse(c.req.raw, options);
        if (answer !== undefined) return answer;
        await next();
    };
}
