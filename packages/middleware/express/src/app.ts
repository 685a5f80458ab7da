/**
 * An Express 5 app preconfigured for an MCP endpoint: `Origin` validation, `Host` validation for servers bound to
 * loopback (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning), and JSON bodies read through
 * the server's one parse, so bearer authorization and the transport act on the very value parsed here.
 *
 * @module
 */
import express from 'express';
import type { Express, RequestHandler, Response } from 'express';
import {
    DEFAULT_MAX_BODY_BYTES,
    LOCALHOST_ALLOWED_HOSTS,
    ServerTransportError,
    TRANSPORT_ERROR_CODE,
    compileHostMatcher,
    createOriginPolicy,
    isJsonContentType,
    isLoopbackHost,
    markOriginValidated
} from '@modelcontextprotocol/server';
import { readNodeJsonBody, writeNodeReply } from '@modelcontextprotocol/node';

/** Options of {@link createMcpExpressApp}. */
export interface CreateMcpExpressAppOptions {
    /** The address the server will listen on. Default `127.0.0.1`; a loopback address turns on Host checks. */
    host?: string | undefined;
    /**
     * Accepted `Host` header values (an entry without a port admits any port). Default for a loopback `host`:
     * `localhost`, `127.0.0.1`, `[::1]`; for other hosts, no check unless given.
     */
    allowedHosts?: string[] | undefined;
    /**
     * Accepted `Origin` values (full origins, host names, `<scheme>://*`, `null`, or `*` for no check; see the
     * transport's `allowedOrigins`). Default: loopback origins, when the request's `Host` is loopback;
     * nothing else. Requests without `Origin` always pass. Transports serving this app's requests take
     * this decision as theirs, so this is the one place to set it.
     */
    allowedOrigins?: string[] | undefined;
    /**
     * Largest request body in bytes, for every route: larger → 413, before reading when `Content-Length` says
     * so. The MCP transport and bearer authorization accept what this parser accepted, so this is the one limit
     * to set. Default 4 MiB.
     */
    maxBodyBytes?: number | undefined;
    /**
     * @deprecated Use {@link CreateMcpExpressAppOptions.maxBodyBytes}. A byte count, or a size such as `'4mb'`
     * (units b, kb, mb, gb; powers of 1024).
     */
    jsonLimit?: string | number | undefined;
}

/** Writes a transport-level JSON-RPC error (id `null`, JSON-RPC 2.0 §5). */
export function sendJsonRpcError(res: Response, status: number, code: number, message: string): void {
    res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function byteLimit(options: CreateMcpExpressAppOptions): number {
    const value = options.maxBodyBytes ?? options.jsonLimit;
    if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
    const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value) : null;
    const bytes = match ? Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] as number)) : NaN;
    if (!(bytes >= 1)) {
        throw new ServerTransportError(
            'INVALID_OPTIONS',
            `maxBodyBytes must be a size of at least 1 byte, got ${value}`
        );
    }
    return bytes;
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
    const length = headers['content-length'];
    return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Parses JSON bodies (strict `application/json`, see `isJsonContentType`) through the server's one parse and
 * sets `req.body`; other media types are left unread, as `express.json()` does.
 */
function jsonBodies(maxBodyBytes: number): RequestHandler {
    return (req, res, next) => {
        if (req.body !== undefined || !hasBody(req.headers) || !isJsonContentType(req.headers['content-type'])) {
            next();
            return;
        }
        readNodeJsonBody(req, { maxBodyBytes }).then(outcome => {
            if (outcome.ok) {
                req.body = outcome.body.value;
                next();
                return;
            }
            writeNodeReply(req, res, outcome.reply);
        }, next);
    };
}

/**
 * Creates an Express app for an MCP server: `Host` allow-list (loopback servers) and `Origin` check, each
 * answering 403 with a JSON-RPC error body, then JSON bodies (parse errors → 400 `-32700`, too large → 413).
 * Mount the endpoint with {@link mountMcp} or {@link mcpRoute}.
 *
 * @example
 * ```ts
 * const app = createMcpExpressApp();
 * mountMcp(app, '/mcp', { createServer: () => buildServer() });
 * app.listen(3000, '127.0.0.1');
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for a malformed allow-list entry or size.
 */
export function createMcpExpressApp(options: CreateMcpExpressAppOptions = {}): Express {
    const app = express();
    const host = options.host ?? '127.0.0.1';
    const allowedHosts = options.allowedHosts ?? (isLoopbackHost(host) ? LOCALHOST_ALLOWED_HOSTS : undefined);
    const maxBodyBytes = byteLimit(options);
    if (allowedHosts) {
        const hostAllowed = compileHostMatcher(allowedHosts);
        const checkHost: RequestHandler = (req, res, next) => {
            if (hostAllowed(req.headers.host)) return next();
            const message = `Forbidden: Host header ${JSON.stringify(req.headers.host ?? '')} is not allowed`;
            sendJsonRpcError(res, 403, TRANSPORT_ERROR_CODE, message);
        };
        app.use(checkHost);
    }
    const originRefusal = createOriginPolicy(options.allowedOrigins);
    app.use((req, res, next) => {
        const reason = originRefusal(req.headers.origin, req.headers.host);
        if (reason === undefined) {
            markOriginValidated(req);
            return next();
        }
        sendJsonRpcError(res, 403, TRANSPORT_ERROR_CODE, reason);
    });
    app.use(jsonBodies(maxBodyBytes));
    return app;
}
