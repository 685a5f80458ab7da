/**
 * Serving a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Hono with servers made
 * on demand: sessions keyed by `Mcp-Session-Id` in the server's `SessionPool` (bounded overall and per principal, idle
 * sessions expire), or a fresh server per request (stateless). Each session is served by a
 * `WebStandardStreamableHTTPServerTransport` given `c.req.raw`.
 *
 * @module
 */
import type { Context } from 'hono';
import type {
    ConnectableServer,
    HandleRequestOptions,
    SessionForwardingOptions,
    SessionPoolOptions,
    WebStandardStreamableHTTPServerTransportOptions
} from '@modelcontextprotocol/server';
import {
    FORWARDED_BY_HEADER,
    SessionPool,
    WebStandardStreamableHTTPServerTransport
} from '@modelcontextprotocol/server';
import {
    WebRequestView,
    createSessionForwarder,
    routeSessionRequestAcrossInstances,
    toResponse,
    whenResponseDone
} from '@modelcontextprotocol/server/adapter';

export type { ConnectableServer };

/**
 * Serve the endpoint with servers made on demand. Stateful only, the limits of the session pool
 * ({@link SessionPoolOptions}): beyond `maxSessions` (default `DEFAULT_MAX_SESSIONS`, 10 000) or
 * `maxSessionsPerPrincipal` (default 100, counted by the `principalKey` of `c.get('auth')`; unauthenticated sessions
 * count only against `maxSessions`), a POST that would open a session (one without `Mcp-Session-Id`) gets
 * `503 Service Unavailable` with a JSON-RPC error body and `Retry-After`; a session with no HTTP request in progress
 * (an open GET stream is one) for `sessionIdleTimeoutMs` (default 30 minutes) is closed and forgotten, and its client
 * gets `404`. Each limit is an integer >= 1 or `Infinity`.
 *
 * Several instances behind a load balancer (opt-in, {@link SessionForwardingOptions}): with `sessionDirectory` and
 * `instance` set, sessions opened here are claimed in the directory and released when they close, and a request for
 * a session another live instance owns is forwarded to it (`c.req.raw`'s headers and body; a body the app already
 * decoded is sent re-serialized) and its response returned as is; a dead or unknown owner's session gets `404`.
 */
export interface McpRouteFactory extends SessionPoolOptions, SessionForwardingOptions {
    /** Makes the server of a new session (stateful) or of one request (stateless). */
    createServer: () => ConnectableServer | Promise<ConnectableServer>;
    /** A fresh server and transport per request, no sessions. Default `false`: sessions keyed by `Mcp-Session-Id`. */
    stateless?: boolean | undefined;
    /** Options of each transport. `sessionIdGenerator` defaults to `crypto.randomUUID` (stateful only). */
    transportOptions?: Partial<WebStandardStreamableHTTPServerTransportOptions> | undefined;
}

/** A Hono handler for the MCP endpoint (`app.all('/mcp', handler)`); `close()` closes every session it opened. */
export type McpRouteHandler = ((c: Context) => Promise<Response>) & {
    close(): Promise<void>;
    /** Open sessions (stateful mode). */
    readonly sessionCount: number;
};

/** One open session of a stateful route. */
interface Session {
    readonly server: ConnectableServer;
    readonly transport: WebStandardStreamableHTTPServerTransport;
    close(): Promise<void>;
}

function withControls(
    handle: (c: Context) => Promise<Response>,
    close: () => Promise<void>,
    count: () => number
): McpRouteHandler {
    const handler = ((c: Context) => handle(c)) as McpRouteHandler;
    Object.defineProperty(handler, 'close', { value: close });
    Object.defineProperty(handler, 'sessionCount', { get: count });
    return handler;
}

/** What the transport is given besides the request: the body decoded once, and the verified token. */
function handleOptions(c: Context): HandleRequestOptions {
    const parsedBody = c.get('parsedBody');
    const authInfo = c.get('auth');
    return {
        ...(parsedBody === undefined ? {} : { parsedBody }),
        ...(authInfo === undefined ? {} : { authInfo })
    };
}

function statelessRoute(factory: McpRouteFactory): McpRouteHandler {
    const open = new Set<ConnectableServer>();
    return withControls(
        async c => {
            const transport = new WebStandardStreamableHTTPServerTransport({
                ...factory.transportOptions,
                sessionIdGenerator: undefined
            });
            const server = await factory.createServer();
            await server.connect(transport);
            open.add(server);
            const response = await transport.handleRequest(c.req.raw, handleOptions(c));
            return whenResponseDone(response, () => {
                open.delete(server);
                server.close().catch(() => {});
            });
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
    const forwarder = createSessionForwarder(factory, factory.transportOptions);
    const options = factory.transportOptions ?? {};
    const modern = statelessRoute(factory);

    return withControls(
        async c => {
            const request = c.req.raw;
            const sessionIds = new WebRequestView(request).headerValues('mcp-session-id');
            const route = await routeSessionRequestAcrossInstances(
                pool,
                forwarder,
                request.method,
                sessionIds,
                c.get('auth'),
                request.headers.get('mcp-protocol-version'),
                request.headers.get(FORWARDED_BY_HEADER)
            );
            if (route.kind === 'refused') return toResponse(route.reply);
            if (route.kind === 'forward') {
                const refusal = forwarder!.admit(new WebRequestView(request));
                if (refusal) return toResponse(refusal);
                const parsedBody: unknown = c.get('parsedBody');
                const body = parsedBody === undefined ? request.body : JSON.stringify(parsedBody);
                const forwarded = {
                    method: request.method,
                    headers: request.headers,
                    body,
                    framed: request.body !== null,
                    signal: request.signal
                };
                return forwarder!.forward(forwarded, route.owner);
            }
            if (route.kind === 'stateless') return modern(c);
            if (route.kind === 'session') {
                const { id, session } = route;
                const response = await session.transport.handleRequest(request, handleOptions(c));
                return whenResponseDone(response, () => pool.release(id, session));
            }
            const { reservation } = route;
            let registered = false;
            let claimed = false;
            try {
                const server = await factory.createServer();
                const transport: WebStandardStreamableHTTPServerTransport =
                    new WebStandardStreamableHTTPServerTransport({
                        ...options,
                        sessionIdGenerator: options.sessionIdGenerator ?? (() => crypto.randomUUID()),
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
                    if (id !== undefined) pool.delete(id, session);
                    if (id !== undefined && claimed) forwarder?.release(id);
                    onclose?.();
                };
                const response = await transport.handleRequest(request, handleOptions(c));
                if (!registered) await server.close();
                return response;
            } finally {
                reservation.cancel();
            }
        },
        async () => {
            await Promise.all([pool.close(), modern.close()]);
            forwarder?.close();
        },
        () => pool.size
    );
}

/**
 * Builds the Hono handler of an MCP endpoint from a {@link McpRouteFactory}. Stateful mode (the default) keeps one
 * server per session in the server's `SessionPool`, keyed by `Mcp-Session-Id`: more than one such header → 400, an
 * unknown id or another principal's session → 404, a GET or DELETE without one → 400, removed when the session closes;
 * bounded by {@link McpRouteFactory.maxSessions} and {@link McpRouteFactory.maxSessionsPerPrincipal} (503 with
 * `Retry-After` beyond) and emptied of sessions idle for {@link McpRouteFactory.sessionIdleTimeoutMs} (a request is in
 * progress until its response body, an SSE stream included, ends or is cancelled). Stateless mode serves each request
 * with a fresh server and transport, closed when the response ends. The transport is given `c.get('parsedBody')` and
 * `c.get('auth')` (set by `createMcpHonoApp` and `requireBearerAuth`).
 *
 * @example
 * ```ts
 * const app = createMcpHonoApp();
 * const mcp = mcpRoute({ createServer: () => buildServer(), maxSessionsPerPrincipal: 10 });
 * app.use('/mcp', requireBearerAuth({ verifier }));
 * app.all('/mcp', mcp);
 * // on shutdown: await mcp.close();
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when `maxSessions`, `sessionIdleTimeoutMs` or
 * `maxSessionsPerPrincipal` is not an integer >= 1 or `Infinity`.
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management
 */
export function mcpRoute(factory: McpRouteFactory): McpRouteHandler {
    return factory.stateless ? statelessRoute(factory) : statefulRoute(factory);
}
