/**
 * Express adapters for Model Context Protocol servers: an app factory with `Origin` / `Host` validation and JSON
 * bodies read through the server's one parse, a helper to mount a Streamable HTTP transport, bearer
 * authentication with per-operation scope policies, and the RFC 9728 protected resource metadata router. All
 * decisions are made in `@modelcontextprotocol/server`; this package only translates between Express and it.
 *
 * @module
 */
export { createMcpExpressApp, sendJsonRpcError } from './app.js';
export type { CreateMcpExpressAppOptions } from './app.js';
export { mcpRoute, mountMcp } from './mount.js';
export type { ConnectableServer, McpRouteFactory, McpRouteHandler } from './mount.js';
export { mcpAuthMetadataRouter, protectedResourceMetadataRouter, requireBearerAuth } from './auth.js';
export type {
    BearerAuthMiddlewareOptions,
    ProtectedResourceMetadataRouterOptions,
    RequireBearerAuthOptions
} from './auth.js';
export {
    hostHeaderValidation,
    localhostHostValidation,
    localhostOriginValidation,
    originValidation
} from './validation.js';
export {
    DEFAULT_MAX_SESSIONS,
    DEFAULT_SESSION_IDLE_TIMEOUT_MS,
    getOAuthProtectedResourceMetadataUrl
} from '@modelcontextprotocol/server';
export type { AuthMetadataOptions, OAuthTokenVerifier } from '@modelcontextprotocol/server';
