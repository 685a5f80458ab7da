/**
 * Hono adapters for Model Context Protocol servers: an app factory with `Origin` / `Host` validation and JSON bodies
 * read through the server's one parse, the official v2 validation middlewares, bearer authentication with
 * per-operation scope policies, and the RFC 9728 protected resource metadata middleware. Hono is web-standard, so
 * the endpoint itself is served by `WebStandardStreamableHTTPServerTransport` (or `createMcpHandler`) from
 * `@modelcontextprotocol/server`, or by `mcpRoute`, which keeps one per session in the server's `SessionPool`. All decisions are made there; this package only translates between Hono and it.
 *
 * @module
 */
export { createMcpHonoApp } from './app.js';
export type { CreateMcpHonoAppOptions } from './app.js';
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
