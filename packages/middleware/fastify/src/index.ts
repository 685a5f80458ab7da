/**
 * Fastify adapters for Model Context Protocol servers: an app factory with `Origin` / `Host` validation and JSON
 * bodies read through the server's one parse (replacing Fastify's JSON parser), the official v2 validation hooks,
 * bearer authentication with per-operation scope policies, and the RFC 9728 protected resource metadata plugin.
 * The endpoint itself is served by `NodeStreamableHTTPServerTransport` from `@modelcontextprotocol/node`, or by
 * `mcpRoute`, which keeps one per session in the server's `SessionPool`. All
 * decisions are made in `@modelcontextprotocol/server`; this package only translates between Fastify and it.
 *
 * @module
 */
export { createMcpFastifyApp } from './app.js';
export type { CreateMcpFastifyAppOptions } from './app.js';
export {
    hostHeaderValidation,
    localhostHostValidation,
    localhostOriginValidation,
    originValidation
} from './validation.js';
export { mcpAuthMetadataRouter, protectedResourceMetadataRouter, requireBearerAuth } from './auth.js';
export type { ProtectedResourceMetadataRouterOptions, RequireBearerAuthOptions } from './auth.js';
export { mcpRoute } from './route.js';
export type { ConnectableServer, McpRouteFactory, McpRouteHandler } from './route.js';
