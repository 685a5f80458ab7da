/**
 * Mounting a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Express:
 * one transport, sessions keyed by `Mcp-Session-Id` in the server's `SessionPool` (bounded overall and per
 * principal, idle sessions expire), or a fresh server per request (stateless).
 *
 * @module
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ConnectableServer } from '@modelcontextprotocol/server';
import { StreamableHTTPServerTransport, createNodeMcpRoute } from '@modelcontextprotocol/node';
import type { McpRouteFactory } from '@modelcontextprotocol/node';

export type { ConnectableServer, McpRouteFactory };

/** An Express handler for the MCP endpoint; `close()` closes every session it opened. */
export type McpRouteHandler = RequestHandler & {
    close(): Promise<void>;
    /** Open sessions (stateful factory mode). */
    readonly sessionCount: number;
};

type AsyncHandler = (req: Request, res: Response) => Promise<void>;

function withControls(handle: AsyncHandler, close: () => Promise<void>, count: () => number): McpRouteHandler {
    const handler = ((req: Request, res: Response) => handle(req, res)) as unknown as McpRouteHandler;
    Object.defineProperty(handler, 'close', { value: close });
    Object.defineProperty(handler, 'sessionCount', { get: count });
    return handler;
}

/**
 * Builds the Express handler of an MCP endpoint from either a transport the caller already connected, or a
 * {@link McpRouteFactory}. With a factory, stateful mode keeps one server per session in the server's
 * `SessionPool`, keyed by `Mcp-Session-Id` (unknown id, or another principal's session → 404; removed when the
 * session closes), bounded by {@link McpRouteFactory.maxSessions} and
 * {@link McpRouteFactory.maxSessionsPerPrincipal} (503 with `Retry-After` beyond) and emptied of sessions idle for
 * {@link McpRouteFactory.sessionIdleTimeoutMs}; stateless mode serves each request with a fresh server and
 * transport, closed when the response ends.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when `maxSessions`, `sessionIdleTimeoutMs` or
 * `maxSessionsPerPrincipal` is not an integer >= 1 or `Infinity`.
 */
export function mcpRoute(target: StreamableHTTPServerTransport | McpRouteFactory): McpRouteHandler {
    if (target instanceof StreamableHTTPServerTransport) {
        return withControls(
            (req, res) => target.handleRequest(req, res, req.body),
            () => target.close(),
            () => (target.sessionId === undefined ? 0 : 1)
        );
    }
    const route = createNodeMcpRoute(target);
    return withControls(
        (req, res) => route.handle(req, res, req.body),
        () => route.close(),
        () => route.sessionCount
    );
}

/** Mounts {@link mcpRoute} for POST, GET and DELETE on `path`. */
export function mountMcp(
    router: Router,
    path: string,
    target: StreamableHTTPServerTransport | McpRouteFactory
): McpRouteHandler {
    const handler = mcpRoute(target);
    router.post(path, handler);
    router.get(path, handler);
    router.delete(path, handler);
    return handler;
}
