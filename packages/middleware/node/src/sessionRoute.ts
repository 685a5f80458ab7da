/**
 * Serving a Streamable HTTP endpoint on Node's `req` / `res` with servers made on demand (MCP 2025-11-25, Basic ›
 * Transports › Streamable HTTP › Session Management): sessions keyed by `Mcp-Session-Id` in the server's
 * `SessionPool` (bounded overall and per principal, idle sessions expire), or a fresh server per request
 * (stateless). The Express and Fastify adapters wrap this one route; the decisions are the server's
 * (`routeSessionRequest`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ConnectableServer, SessionForwardingOptions, SessionPoolOptions } from '@modelcontextprotocol/server';
import { FORWARDED_BY_HEADER, SessionPool } from '@modelcontextprotocol/server';
import { createSessionForwarder, routeSessionRequestAcrossInstances } from '@modelcontextprotocol/server/adapter';
import { createNodeForwarding } from './forwarding.js';
import { rawHeaderValues } from './rawHeaders.js';
import { NodeRequestView, NodeStreamableHTTPServerTransport, writeNodeReply } from './transport.js';
import type { NodeMcpRequest, StreamableHTTPServerTransportOptions } from './transport.js';

/**
 * Serve the endpoint with servers made on demand. Stateful only, the limits of the session pool
 * ({@link SessionPoolOptions}): beyond `maxSessions` (default 10 000) or `maxSessionsPerPrincipal` (default 100,
 * counted by the `principalKey` of `req.auth`; unauthenticated sessions count only against `maxSessions`), a POST
 * that would open a session (one without `Mcp-Session-Id`) gets `503 Service Unavailable` with a JSON-RPC error body
 * and `Retry-After`; a session with no HTTP request in progress (an open GET stream is one) for
 * `sessionIdleTimeoutMs` (default 30 minutes) is closed and forgotten, and its client gets `404`. Each limit is an
 * integer >= 1 or `Infinity`.
 *
 * Several instances behind a load balancer (opt-in, {@link SessionForwardingOptions}): with `sessionDirectory` and
 * `instance` set, each session opened here is claimed in the directory and released when it closes, and a request
 * for a session another live instance owns is forwarded to it as received (headers and body bytes; the owner does
 * every check) and its response streamed back; a session whose owner is dead or unknown gets `404`.
 */
export interface McpRouteFactory extends SessionPoolOptions, SessionForwardingOptions {
    /** Makes the server of a new session (stateful) or of one request (stateless). */
    createServer: () => ConnectableServer | Promise<ConnectableServer>;
    /** A fresh server and transport per request, no sessions. Default `false`: sessions keyed by `Mcp-Session-Id`. */
    stateless?: boolean | undefined;
    /** Options of each transport. `sessionIdGenerator` defaults to `crypto.randomUUID` (stateful only). */
    transportOptions?: Partial<StreamableHTTPServerTransportOptions> | undefined;
}

/** The MCP endpoint on Node's `req` / `res` (see {@link createNodeMcpRoute}). */
export interface NodeMcpRoute {
    /** Serves one HTTP request; `parsedBody` is the body a framework already decoded (through the one parse). */
    handle(req: NodeMcpRequest, res: ServerResponse, parsedBody?: unknown): Promise<void>;
    /** Closes every server the route opened. */
    close(): Promise<void>;
    /** Open sessions (stateful mode). */
    readonly sessionCount: number;
}

/** One open session. */
interface Session {
    readonly server: ConnectableServer;
    readonly transport: NodeStreamableHTTPServerTransport;
    close(): Promise<void>;
}

/**
 * Builds the route of an MCP endpoint from a {@link McpRouteFactory}. Stateful mode (the default) keeps one server per
 * session in the server's `SessionPool`: more than one `Mcp-Session-Id` → 400, an unknown id or another principal's
 * session → 404, a GET or DELETE without one → 400, removed when the session closes, bounded and idle-expired as the
 * factory says. Stateless mode serves each request with a fresh server and transport, closed when the response ends.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when a pool limit is not an integer >= 1 or `Infinity`.
 */
export function createNodeMcpRoute(factory: McpRouteFactory): NodeMcpRoute {
    return factory.stateless ? statelessRoute(factory) : statefulRoute(factory);
}

function statelessRoute(factory: McpRouteFactory): NodeMcpRoute {
    const open = new Set<ConnectableServer>();
    return {
        async handle(req, res, parsedBody) {
            const transport = new NodeStreamableHTTPServerTransport({
                ...factory.transportOptions,
                sessionIdGenerator: undefined
            });
            const server = await factory.createServer();
            await server.connect(transport);
            open.add(server);
            res.once('close', () => {
                open.delete(server);
                server.close().catch(() => {});
            });
            await transport.handleRequest(req, res, parsedBody);
        },
        async close() {
            const servers = [...open];
            open.clear();
            await Promise.allSettled(servers.map(server => server.close()));
        },
        get sessionCount() {
            return 0;
        }
    };
}

function statefulRoute(factory: McpRouteFactory): NodeMcpRoute {
    const pool = new SessionPool<Session>(factory);
    const forwarder = createSessionForwarder(factory, factory.transportOptions);
    const forwarding = forwarder === undefined ? undefined : createNodeForwarding(forwarder);
    const options = factory.transportOptions ?? {};
    const modern = statelessRoute(factory);
    return {
        async handle(req, res, parsedBody) {
            const route = await routeSessionRequestAcrossInstances(
                pool,
                forwarder,
                req.method ?? '',
                rawHeaderValues(req, 'mcp-session-id'),
                req.auth,
                rawHeaderValues(req, 'mcp-protocol-version')[0],
                rawHeaderValues(req, FORWARDED_BY_HEADER)[0]
            );
            if (route.kind === 'refused') return writeNodeReply(req, res, route.reply);
            if (route.kind === 'forward') {
                const refusal = forwarder!.admit(new NodeRequestView(req));
                if (refusal) return writeNodeReply(req, res, refusal);
                return forwarding!.forward(route.owner, req, res, parsedBody);
            }
            if (route.kind === 'stateless') return modern.handle(req, res, parsedBody);
            if (route.kind === 'session') {
                const { id, session } = route;
                res.once('close', () => pool.release(id, session));
                return session.transport.handleRequest(req, res, parsedBody);
            }
            const { reservation } = route;
            let registered = false;
            let claimed = false;
            try {
                const server = await factory.createServer();
                const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
                    ...options,
                    sessionIdGenerator: options.sessionIdGenerator ?? randomUUID,
                    onsessioninitialized: async id => {
                        await forwarder?.claim(id);
                        claimed = true;
                        reservation.register(id, session);
                        registered = true;
                        await options.onsessioninitialized?.(id);
                    }
                });
                const session: Session = { server, transport, close: () => server.close() };
                await server.connect(transport);
                const onclose = transport.onclose;
                transport.onclose = () => {
                    const id = transport.sessionId;
                    if (id === undefined) return onclose?.();
                    pool.delete(id, session);
                    if (claimed) forwarder?.release(id);
                    onclose?.();
                };
                await transport.handleRequest(req, res, parsedBody);
                if (!registered) await server.close();
            } finally {
                reservation.cancel();
            }
        },
        close: async () => {
            await Promise.all([pool.close(), modern.close()]);
            forwarder?.close();
            forwarding?.close();
        },
        get sessionCount() {
            return pool.size;
        }
    };
}
