/**
 * Serving a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Fastify with servers
 * made on demand: sessions keyed by `Mcp-Session-Id` in the server's `SessionPool` (bounded overall and per principal,
 * idle sessions expire), or a fresh server per request (stateless). Each session is served by the Node transport of
 * `@modelcontextprotocol/node` on `request.raw` / `reply.raw`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectableServer, SessionPoolOptions } from '@modelcontextprotocol/server';
import { SessionPool } from '@modelcontextprotocol/server';
import { routeSessionRequest } from '@modelcontextprotocol/server/adapter';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { NodeMcpRequest, StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';
import { sendReply } from './reply.js';

export type { ConnectableServer };

/**
 * Serve the endpoint with servers made on demand. Stateful only, the limits of the session pool
 * ({@link SessionPoolOptions}): beyond `maxSessions` (default `DEFAULT_MAX_SESSIONS`, 10 000) or
 * `maxSessionsPerPrincipal` (default 100, counted by the `principalKey` of `request.raw.auth`, which
 * `requireBearerAuth` sets; unauthenticated sessions count only against `maxSessions`), a POST that would open a
 * session (one without `Mcp-Session-Id`) gets `503 Service Unavailable` with a JSON-RPC error body and `Retry-After`;
 * a session with no HTTP request in progress (an open GET stream is one) for `sessionIdleTimeoutMs` (default 30
 * minutes) is closed and forgotten, and its client gets `404`. Each limit is an integer >= 1 or `Infinity`.
 */
export interface McpRouteFactory extends SessionPoolOptions {
    /** Makes the server of a new session (stateful) or of one request (stateless). */
    createServer: () => ConnectableServer | Promise<ConnectableServer>;
    /** A fresh server and transport per request, no sessions. Default `false`: sessions keyed by `Mcp-Session-Id`. */
    stateless?: boolean | undefined;
    /** Options of each transport. `sessionIdGenerator` defaults to `crypto.randomUUID` (stateful only). */
    transportOptions?: Partial<StreamableHTTPServerTransportOptions> | undefined;
}

/**
 * A Fastify route handler for the MCP endpoint (`app.all('/mcp', handler)`, or the `handler` of `app.route`); it takes
 * over the reply (`reply.hijack()`) to serve a request. `close()` closes every session it opened.
 */
export type McpRouteHandler = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & {
    close(): Promise<void>;
    /** Open sessions (stateful mode). */
    readonly sessionCount: number;
};

/** One open session of a stateful route. */
interface Session {
    readonly server: ConnectableServer;
    readonly transport: NodeStreamableHTTPServerTransport;
    close(): Promise<void>;
}

type AsyncHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

function withControls(handle: AsyncHandler, close: () => Promise<void>, count: () => number): McpRouteHandler {
    const handler = ((request: FastifyRequest, reply: FastifyReply) => handle(request, reply)) as McpRouteHandler;
    Object.defineProperty(handler, 'close', { value: close });
    Object.defineProperty(handler, 'sessionCount', { get: count });
    return handler;
}

function statelessRoute(factory: McpRouteFactory): McpRouteHandler {
    const open = new Set<ConnectableServer>();
    return withControls(
        async (request, reply) => {
            const transport = new NodeStreamableHTTPServerTransport({
                ...factory.transportOptions,
                sessionIdGenerator: undefined
            });
            const server = await factory.createServer();
            await server.connect(transport);
            open.add(server);
            reply.hijack();
            reply.raw.once('close', () => {
                open.delete(server);
                server.close().catch(() => {});
            });
            await transport.handleRequest(request.raw, reply.raw, request.body);
        },
        async () => {
            const servers = [...open];
            open.clear();
            await Promise.allSettled(servers.map(server => server.close()));
        },
        () => 0
    );
}

function statefulRoute(factory: McpRouteFactory): McpRouteHandler {
    const pool = new SessionPool<Session>(factory);
    const options = factory.transportOptions ?? {};

    return withControls(
        async (request, reply) => {
            const route = routeSessionRequest(
                pool,
                request.method,
                request.raw.headersDistinct['mcp-session-id'] ?? [],
                (request.raw as NodeMcpRequest).auth
            );
            if (route.kind === 'refused') return sendReply(request, reply, route.reply);
            if (route.kind === 'session') {
                const { id, session } = route;
                reply.hijack();
                reply.raw.once('close', () => pool.release(id, session));
                return session.transport.handleRequest(request.raw, reply.raw, request.body);
            }
            const { reservation } = route;
            let registered = false;
            try {
                const server = await factory.createServer();
                const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
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
                reply.hijack();
                await transport.handleRequest(request.raw, reply.raw, request.body);
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
    return factory.stateless ? statelessRoute(factory) : statefulRoute(factory);
}
