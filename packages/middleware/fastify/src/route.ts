/**
 * Serving a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Fastify with servers
 * made on demand: sessions keyed by `Mcp-Session-Id` in the server's `SessionPool` (bounded overall and per principal,
 * idle sessions expire), or a fresh server per request (stateless). Each session is served by the Node transport of
 * `@modelcontextprotocol/node` on `request.raw` / `reply.raw`.
 *
 * @module
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectableServer } from '@modelcontextprotocol/server';
import { createNodeMcpRoute } from '@modelcontextprotocol/node';
import type { McpRouteFactory } from '@modelcontextprotocol/node';

export type { ConnectableServer, McpRouteFactory };

/**
 * A Fastify route handler for the MCP endpoint (`app.all('/mcp', handler)`, or the `handler` of `app.route`); it takes
 * over the reply (`reply.hijack()`) to serve a request. `close()` closes every session it opened.
 */
export type McpRouteHandler = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & {
    close(): Promise<void>;
    /** Open sessions (stateful mode). */
    readonly sessionCount: number;
};

/**
 * Builds the Fastify handler of an MCP endpoint from a {@link McpRouteFactory}. Stateful mode (the default) keeps one
 * server per session in the server's `SessionPool`, keyed by `Mcp-Session-Id`: more than one such header → 400, an
 * unknown id or another principal's session → 404, a GET or DELETE without one → 400, removed when the session closes;
 * bounded by {@link McpRouteFactory.maxSessions} and {@link McpRouteFactory.maxSessionsPerPrincipal} (503 with
 * `Retry-After` beyond) and emptied of sessions idle for {@link McpRouteFactory.sessionIdleTimeoutMs} (a request is in
 * progress until its response, an SSE stream included, is closed). Stateless mode serves each request with a fresh
 * server and transport, closed when the response ends. The transport is given `request.body` (decoded once by
 * `createMcpFastifyApp`) and the token `requireBearerAuth` left on `request.raw.auth`.
 *
 * @example
 * ```ts
 * const app = createMcpFastifyApp();
 * const mcp = mcpRoute({ createServer: () => buildServer(), maxSessionsPerPrincipal: 10 });
 * app.route({ method: ['GET', 'POST', 'DELETE'], url: '/mcp', preHandler: requireBearerAuth({ verifier }), handler: mcp });
 * app.addHook('onClose', () => mcp.close());
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when `maxSessions`, `sessionIdleTimeoutMs` or
 * `maxSessionsPerPrincipal` is not an integer >= 1 or `Infinity`.
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management
 */
export function mcpRoute(factory: McpRouteFactory): McpRouteHandler {
    const route = createNodeMcpRoute(factory);
    const handler = (async (request: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        await route.handle(request.raw, reply.raw, request.body);
    }) as McpRouteHandler;
    Object.defineProperty(handler, 'close', { value: () => route.close() });
    Object.defineProperty(handler, 'sessionCount', { get: () => route.sessionCount });
    return handler;
}
