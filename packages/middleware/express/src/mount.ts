/**
 * Mounting a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Express:
 * one transport, a bounded session map keyed by `Mcp-Session-Id` whose idle sessions expire, or a fresh server
 * per request (stateless).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Transport } from '@modelcontextprotocol/server';
import { ServerTransportError } from '@modelcontextprotocol/server';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';
import { sendJsonRpcError } from './app.js';

/** What {@link mcpRoute} needs of a server; `McpServer` and `Server` both fit. */
export interface ConnectableServer {
    connect(transport: Transport): Promise<void>;
    close(): Promise<void>;
}

/** Serve the endpoint with servers made on demand. */
export interface McpRouteFactory {
    /** Makes the server of a new session (stateful) or of one request (stateless). */
    createServer: () => ConnectableServer | Promise<ConnectableServer>;
    /** A fresh server and transport per request, no sessions. Default `false`: sessions keyed by `Mcp-Session-Id`. */
    stateless?: boolean | undefined;
    /** Options of each transport. `sessionIdGenerator` defaults to `crypto.randomUUID` (stateful only). */
    transportOptions?: Partial<StreamableHTTPServerTransportOptions> | undefined;
    /**
     * Stateful only: most sessions open at once. Beyond it, a POST that would open a session (one without
     * `Mcp-Session-Id`) gets `503 Service Unavailable` with a JSON-RPC error body and `Retry-After`.
     * Default {@link DEFAULT_MAX_SESSIONS}; `Infinity` for no limit.
     */
    maxSessions?: number | undefined;
    /**
     * Stateful only: a session with no HTTP request in progress (an open GET stream is one) for this many ms is
     * closed and forgotten; its client then gets `404` and initializes a new one (MCP 2025-11-25, Basic ›
     * Transports › Streamable HTTP › Session Management). Checked by one timer per route, at most every minute.
     * Default {@link DEFAULT_SESSION_IDLE_TIMEOUT_MS}; `Infinity` keeps idle sessions.
     */
    sessionIdleTimeoutMs?: number | undefined;
}

/** Default {@link McpRouteFactory.maxSessions}: 10 000. */
export const DEFAULT_MAX_SESSIONS = 10_000;
/** Default {@link McpRouteFactory.sessionIdleTimeoutMs}: 30 minutes. */
export const DEFAULT_SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** The longest time between two sweeps for idle sessions. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

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
    readonly id: string;
    readonly server: ConnectableServer;
    readonly transport: StreamableHTTPServerTransport;
    /** Its HTTP requests in progress. */
    active: number;
    /** `performance.now()` when it was last used. */
    lastUsed: number;
}

function checkLimit(value: number | undefined, name: string): void {
    if (value !== undefined && !(value === Infinity || (Number.isInteger(value) && value >= 1))) {
        throw new ServerTransportError('INVALID_OPTIONS', `${name} must be an integer >= 1 or Infinity, got ${value}`);
    }
}

function statefulRoute(factory: McpRouteFactory): McpRouteHandler {
    checkLimit(factory.maxSessions, 'maxSessions');
    checkLimit(factory.sessionIdleTimeoutMs, 'sessionIdleTimeoutMs');
    const maxSessions = factory.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const idleMs = factory.sessionIdleTimeoutMs ?? DEFAULT_SESSION_IDLE_TIMEOUT_MS;
    const sweepEvery = Math.min(idleMs, MAX_SWEEP_INTERVAL_MS);
    const retryAfter = String(Math.ceil(sweepEvery / 1000));
    /** Open sessions, least recently used first (a use moves a session to the end). */
    const sessions = new Map<string, Session>();
    /** Initializations under way that have not registered their session yet. */
    let opening = 0;
    let sweeper: ReturnType<typeof setInterval> | undefined;
    const options = factory.transportOptions ?? {};

    const touch = (session: Session): void => {
        session.lastUsed = performance.now();
        if (sessions.delete(session.id)) sessions.set(session.id, session);
    };
    const stopSweeper = (): void => {
        clearInterval(sweeper);
        sweeper = undefined;
    };
    /** Closes the idle sessions; stops at the first idle one that is recent enough (all later ones are too). */
    const sweep = (): void => {
        const deadline = performance.now() - idleMs;
        for (const session of sessions.values()) {
            if (session.active > 0) continue;
            if (session.lastUsed > deadline) break;
            sessions.delete(session.id);
            session.server.close().catch(() => {});
        }
        if (sessions.size === 0) stopSweeper();
    };
    const register = (session: Session): void => {
        sessions.set(session.id, session);
        if (sweeper === undefined && idleMs !== Infinity) {
            sweeper = setInterval(sweep, sweepEvery);
            sweeper.unref();
        }
    };

    return withControls(
        async (req, res) => {
            const sessionIds = req.headersDistinct['mcp-session-id'] ?? [];
            if (sessionIds.length > 1) {
                return sendJsonRpcError(res, 400, -32000, 'Bad Request: more than one Mcp-Session-Id header');
            }
            const sessionId = sessionIds[0];
            if (sessionId !== undefined) {
                const session = sessions.get(sessionId);
                if (!session) return sendJsonRpcError(res, 404, -32000, 'Session not found');
                session.active++;
                touch(session);
                res.once('close', () => {
                    session.active--;
                    touch(session);
                });
                return session.transport.handleRequest(req, res, req.body);
            }
            if (req.method !== 'POST') {
                return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
            }
            if (sessions.size + opening >= maxSessions) {
                res.set('retry-after', retryAfter);
                return sendJsonRpcError(res, 503, -32000, 'Service Unavailable: too many open sessions');
            }
            let reserved = true;
            opening++;
            try {
                const server = await factory.createServer();
                const transport = new StreamableHTTPServerTransport({
                    ...options,
                    sessionIdGenerator: options.sessionIdGenerator ?? randomUUID,
                    onsessioninitialized: async id => {
                        reserved = false;
                        opening--;
                        register({ id, server, transport, active: 0, lastUsed: performance.now() });
                        await options.onsessioninitialized?.(id);
                    }
                });
                await server.connect(transport);
                const onclose = transport.onclose;
                transport.onclose = () => {
                    const id = transport.sessionId;
                    if (id !== undefined && sessions.get(id)?.transport === transport) sessions.delete(id);
                    onclose?.();
                };
                await transport.handleRequest(req, res, req.body);
                if (transport.sessionId === undefined) await server.close();
            } finally {
                if (reserved) opening--;
            }
        },
        async () => {
            stopSweeper();
            const open = [...sessions.values()];
            sessions.clear();
            await Promise.allSettled(open.map(session => session.server.close()));
        },
        () => sessions.size
    );
}

/**
 * Builds the Express handler of an MCP endpoint from either a transport the caller already connected, or a
 * {@link McpRouteFactory}. With a factory, stateful mode keeps one server per session in a map keyed by
 * `Mcp-Session-Id` (unknown id → 404, removed when the session closes), bounded by
 * {@link McpRouteFactory.maxSessions} and emptied of sessions idle for
 * {@link McpRouteFactory.sessionIdleTimeoutMs}; stateless mode serves each request with a fresh server and
 * transport, closed when the response ends.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when `maxSessions` or `sessionIdleTimeoutMs` is not an
 * integer >= 1 or `Infinity`.
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
