/**
 * Mounting a Streamable HTTP endpoint (MCP 2025-11-25, Basic › Transports › Streamable HTTP) on Express:
 * one transport, a session map keyed by `Mcp-Session-Id`, or a fresh server per request (stateless).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Transport } from '@modelcontextprotocol/core';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type { StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/server';
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

function statefulRoute(factory: McpRouteFactory): McpRouteHandler {
    const sessions = new Map<string, { server: ConnectableServer; transport: StreamableHTTPServerTransport }>();
    const options = factory.transportOptions ?? {};
    return withControls(
        async (req, res) => {
            const sessionId = req.headers['mcp-session-id'];
            if (typeof sessionId === 'string') {
                const session = sessions.get(sessionId);
                if (!session) return sendJsonRpcError(res, 404, -32000, 'Session not found');
                return session.transport.handleRequest(req, res, req.body);
            }
            if (req.method !== 'POST') {
                return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
            }
            const server = await factory.createServer();
            const transport = new StreamableHTTPServerTransport({
                ...options,
                sessionIdGenerator: options.sessionIdGenerator ?? randomUUID,
                onsessioninitialized: async id => {
                    sessions.set(id, { server, transport });
                    await options.onsessioninitialized?.(id);
                }
            });
            await server.connect(transport);
            const onclose = transport.onclose;
            transport.onclose = () => {
                if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
                onclose?.();
            };
            await transport.handleRequest(req, res, req.body);
            if (transport.sessionId === undefined) await server.close();
        },
        async () => {
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
 * `Mcp-Session-Id` (unknown id → 404, removed when the session closes); stateless mode serves each request
 * with a fresh server and transport, closed when the response ends.
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
