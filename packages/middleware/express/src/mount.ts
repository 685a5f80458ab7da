/**
 * Mounting a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Express:
 * one transport, sessions keyed by `Mcp-Session-Id` in the server's `SessionPool` (bounded overall and per
 * principal, idle sessions expire), or a fresh server per request (stateless).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ConnectableServer, SessionPoolOptions } from '@modelcontextprotocol/server';
import { SessionPool } from '@modelcontextprotocol/server';
import { routeSessionRequest } from '@modelcontextprotocol/server/adapter';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { NodeMcpRequest, StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';

export type { ConnectableServer };

/**
 * Serve the endpoint with servers made on demand. Stateful only, the limits of the session pool
 * ({@link SessionPoolOptions}): beyond `maxSessions` (default `DEFAULT_MAX_SESSIONS`, 10 000) or
 * `maxSessionsPerPrincipal` (default 100, counted by the `principalKey` of `req.auth`; unauthenticated sessions count
 * only against `maxSessions`), a POST that would open a session (one without `Mcp-Session-Id`) gets
 * `503 Service Unavailable` with a JSON-RPC error body and `Retry-After`; a session with no HTTP request in progress
 * (an open GET stream is one) for `sessionIdleTimeoutMs` (default `DEFAULT_SESSION_IDLE_TIMEOUT_MS`, 30 minutes) is closed
 * and forgotten, and its client gets `404`. Each limit is an integer >= 1 or `Infinity`.
 */
export interface McpRouteFactory extends SessionPoolOptions {
    /** Makes the server of a new session (stateful) or of one request (stateless). */
    createServer: () => ConnectableServer | Promise<ConnectableServer>;
    /** A fresh server and transport per request, no sessions. Default `false`: sessions keyed by `Mcp-Session-Id`. */
    stateless?: boolean | undefined;
    /** Options of each transport. `sessionIdGenerator` defaults to `crypto.randomUUID` (stateful only). */
    transportOptions?: Partial<StreamableHTTPServerTransportOptions> | undefined;
}

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

function statelessRoute(factory: McpRouteFactory): McpRouteHandler {
    return withControls(
        async (req, res) => {
            const transport = new StreamableHTTPServerTransport({
                ...factory.transportOptions,
                sessionIdGenerator: undefined
            });
            const server = await factory.createServer();
            await server.connect(transport);
            res.once('close', () => {
                server.close().catch(() => {});
            });
            await transport.handleRequest(req, res, req.body);
        },
        async () => {},
        () => 0
    );
}

/** One open session of a stateful route. */
interface Session {
    readonly server: ConnectableServer;
    readonly transport: StreamableHTTPServerTransport;
    close(): Promise<void>;
}

function statefulRoute(factory: McpRouteFactory): McpRouteHandler {
    const pool = new SessionPool<Session>(factory);
    const options = factory.transportOptions ?? {};

    return withControls(
        async (req, res) => {
            const route = routeSessionRequest(
                pool,
                req.method,
                req.headersDistinct['mcp-session-id'] ?? [],
                (req as NodeMcpRequest).auth
            );
            if (route.kind === 'refused') {
                const { status, headers, body } = route.reply;
                res.status(status).set(headers).send(body);
                return;
            }
            if (route.kind === 'session') {
                const { id, session } = route;
                res.once('close', () => pool.release(id, session));
                return session.transport.handleRequest(req, res, req.body);
            }
            const { reservation } = route;
            let registered = false;
            try {
                const server = await factory.createServer();
                const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
                    ...options,
                    sessionIdGenerator: options.sessionIdGenerator ?? randomUUID,
                    onsessioninitialized: async id => {
                        reservation.register(id, session);
                        registered = true;
                        await options.onsessioninitialized?.(id);
                    }
                });
                const session: Session = { server, transport, close: () => server.close() };
                await server.connect(transport);
                const onclose = transport.onclose;
                transport.onclose = () => {
                    if (transport.sessionId !== undefined) pool.delete(transport.sessionId, session);
                    onclose?.();
                };
                await transport.handleRequest(req, res, req.body);
                if (!registered) await server.close();
            } finally {
                reservation.cancel();
            }
        },
        () => pool.close(),
        () => pool.size
    );
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
    return target.stateless ? statelessRoute(target) : statefulRoute(target);
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
