/**
 * An Express 5 app preconfigured for an MCP endpoint: JSON bodies and, for servers bound to loopback,
 * DNS-rebinding protection (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning).
 *
 * @module
 */
import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler, Response } from 'express';
import { LOCALHOST_ALLOWED_HOSTS, compileHostMatcher, isLoopbackHost } from '@modelcontextprotocol/server';

/** Options of {@link createMcpExpressApp}. */
export interface CreateMcpExpressAppOptions {
    /** The address the server will listen on. Default `127.0.0.1`; a loopback address turns on Host checks. */
    host?: string | undefined;
    /**
     * Accepted `Host` header values (an entry without a port admits any port). Default for a loopback `host`:
     * `localhost`, `127.0.0.1`, `[::1]`; for other hosts, no check unless given.
     */
    allowedHosts?: string[] | undefined;
    /** Largest JSON body, in `express.json` syntax. Default `'4mb'`, matching the transport's limit. */
    jsonLimit?: string | number | undefined;
}

/** Writes a transport-level JSON-RPC error (id `null`, JSON-RPC 2.0 §5). */
export function sendJsonRpcError(res: Response, status: number, code: number, message: string): void {
    res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/** Turns body-parser failures into JSON-RPC errors instead of Express's HTML error page. */
const bodyErrors: ErrorRequestHandler = (error: { type?: unknown }, _req, res, next) => {
    if (error.type === 'entity.parse.failed')
        return sendJsonRpcError(res, 400, -32700, 'Parse error: body is not valid JSON');
    if (error.type === 'entity.too.large') return sendJsonRpcError(res, 413, -32000, 'Payload Too Large');
    next(error);
};

/**
 * Creates an Express app for an MCP server: Host allow-list check (403 with a JSON-RPC error body) first, then
 * `express.json()`. Mount the endpoint with {@link mountMcp} or {@link mcpRoute}.
 *
 * @example
 * ```ts
 * const app = createMcpExpressApp();
 * mountMcp(app, '/mcp', { createServer: () => buildServer() });
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createMcpExpressApp(options: CreateMcpExpressAppOptions = {}): Express {
    const app = express();
    const host = options.host ?? '127.0.0.1';
    const allowedHosts = options.allowedHosts ?? (isLoopbackHost(host) ? LOCALHOST_ALLOWED_HOSTS : undefined);
    if (allowedHosts) {
        const hostAllowed = compileHostMatcher(allowedHosts);
        const checkHost: RequestHandler = (req, res, next) => {
            if (hostAllowed(req.headers.host)) return next();
            sendJsonRpcError(
                res,
                403,
                -32000,
                `Forbidden: Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed`
            );
        };
        app.use(checkHost);
    }
    app.use(express.json({ limit: options.jsonLimit ?? '4mb' }));
    app.use(bodyErrors);
    return app;
}
