/**
 * A Hono app preconfigured for an MCP endpoint: `Origin` validation, `Host` validation for servers bound to loopback
 * (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning), and JSON bodies read through the
 * server's one parse, so bearer authorization and the transport act on the very value parsed here.
 *
 * @module
 */
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import type { AuthInfo } from '@modelcontextprotocol/server';
import {
    DEFAULT_MAX_BODY_BYTES,
    LOCALHOST_ALLOWED_HOSTS,
    ServerTransportError,
    TRANSPORT_ERROR_CODE,
    compileHostMatcher,
    createOriginPolicy,
    isJsonContentType,
    isLoopbackHost,
    jsonRpcErrorResponse,
    markOriginValidated
} from '@modelcontextprotocol/server';
import { WebRequestView, readJsonBody, toResponse } from '@modelcontextprotocol/server/adapter';

declare module 'hono' {
    interface ContextVariableMap {
        /**
         * The JSON body, decoded once: by {@link createMcpHonoApp}'s parser, or by `requireBearerAuth` when it read
         * the body first. Pass it on as the transport's `parsedBody`.
         */
        parsedBody?: unknown;
        /** The verified access token, set by `requireBearerAuth`. Pass it on as the transport's `authInfo`. */
        auth?: AuthInfo | undefined;
    }
}

/** Options of {@link createMcpHonoApp} (the official v2 fields, plus `maxBodyBytes`). */
export interface CreateMcpHonoAppOptions {
    /** The address the server will listen on. Default `127.0.0.1`; a loopback address turns on Host checks. */
    host?: string | undefined;
    /**
     * Accepted `Host` header values (an entry without a port admits any port; IPv6 in brackets). Default for a
     * loopback `host`: `localhost`, `127.0.0.1`, `[::1]`; for other hosts, no check unless given.
     */
    allowedHosts?: string[] | undefined;
    /**
     * Accepted `Origin` values (host names, full origins, `<scheme>://*`, `null`, or `*` for no check; see the
     * transport's `allowedOrigins`). Default: loopback origins, when the request's `Host` is loopback; nothing
     * else. Requests without `Origin` always pass. Transports serving this app's requests take this decision as
     * theirs, so this is the one place to set it.
     */
    allowedOrigins?: string[] | undefined;
    /**
     * Largest JSON request body in bytes, for every route: larger → 413, before reading when `Content-Length`
     * says so. The transport and bearer authorization accept what this parser accepted. Default 4 MiB. The
     * official v2 name; {@link CreateMcpHonoAppOptions.maxBodyBytes} is the same setting.
     */
    maxRequestBodySize?: number | undefined;
    /** The same as {@link CreateMcpHonoAppOptions.maxRequestBodySize}, under this SDK's name. */
    maxBodyBytes?: number | undefined;
}

function byteLimit(options: CreateMcpHonoAppOptions): number {
    const value = options.maxBodyBytes ?? options.maxRequestBodySize;
    if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new ServerTransportError('INVALID_OPTIONS', `maxRequestBodySize must be a positive number, got ${value}`);
    }
    return value;
}

/** True when the request may carry a body: one is attached and `Content-Length` does not say it is empty. */
function hasBody(request: Request): boolean {
    return request.headers.get('content-length') !== '0' && request.body !== null;
}

/**
 * Reads strict `application/json` bodies (see `isJsonContentType`) through the server's one parse and stashes the
 * value as `c.get('parsedBody')` (and in Hono's body cache, so other routes' `c.req.json()` still works); other
 * media types are left unread, for the transport to refuse.
 */
function jsonBodies(maxBodyBytes: number): MiddlewareHandler {
    return async (c, next) => {
        const request = c.req.raw;
        if (isJsonContentType(request.headers.get('content-type')) && hasBody(request)) {
            const outcome = await readJsonBody(new WebRequestView(request), { maxBodyBytes });
            if (!outcome.ok) return toResponse(outcome.reply);
            c.set('parsedBody', outcome.body.value);
            // The stream is consumed: let the app's own routes read the body through Hono's cache
            // (`c.req.json()`, `c.req.text()`), from the value decoded once.
            c.req.bodyCache.json = Promise.resolve(outcome.body.value);
        }
        await next();
    };
}

/**
 * Creates a Hono app for an MCP server: `Host` allow-list (loopback servers) and `Origin` check, each answering 403
 * with a JSON-RPC error body, then JSON bodies through the one parse (parse errors → 400 `-32700`, too large → 413),
 * stashed as `c.get('parsedBody')`. Serve the endpoint with a web-standard transport:
 * `transport.handleRequest(c.req.raw, { parsedBody: c.get('parsedBody'), authInfo: c.get('auth') })`.
 *
 * @example
 * ```ts
 * const app = createMcpHonoApp();
 * app.all('/mcp', c => transport.handleRequest(c.req.raw, { parsedBody: c.get('parsedBody') }));
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for a malformed allow-list entry or body limit.
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 */
export function createMcpHonoApp(options: CreateMcpHonoAppOptions = {}): Hono {
    const app = new Hono();
    const host = options.host ?? '127.0.0.1';
    const allowedHosts = options.allowedHosts ?? (isLoopbackHost(host) ? LOCALHOST_ALLOWED_HOSTS : undefined);
    const maxBodyBytes = byteLimit(options);
    if (allowedHosts) {
        const hostAllowed = compileHostMatcher(allowedHosts);
        app.use(async (c, next) => {
            const value = c.req.header('host') ?? new URL(c.req.url).host;
            if (!hostAllowed(value)) {
                const message = `Forbidden: Host header ${JSON.stringify(value)} is not allowed`;
                return jsonRpcErrorResponse(403, TRANSPORT_ERROR_CODE, message);
            }
            await next();
        });
    }
    const originRefusal = createOriginPolicy(options.allowedOrigins);
    app.use(async (c, next) => {
        const reason = originRefusal(c.req.header('origin'), c.req.header('host') ?? new URL(c.req.url).host);
        if (reason !== undefined) return jsonRpcErrorResponse(403, TRANSPORT_ERROR_CODE, reason);
        markOriginValidated(c.req.raw);
        await next();
    });
    app.use(jsonBodies(maxBodyBytes));
    return app;
}
