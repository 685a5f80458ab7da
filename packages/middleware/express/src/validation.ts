/**
 * `Host` and `Origin` validation as Express middleware (the official v2 names), for apps that do not use
 * {@link createMcpExpressApp}'s built-in checks: each answers 403 with a JSON-RPC error body when the header is
 * not allowed. `originValidation` records its decision for the transports that serve the request.
 *
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 * @module
 */
import type { RequestHandler } from 'express';
import {
    TRANSPORT_ERROR_CODE,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    markOriginValidated,
    validateHostHeader,
    validateOriginHeader
} from '@modelcontextprotocol/server';
import { sendJsonRpcError } from './app.js';

/** Refuses requests whose `Host` is not one of `allowedHostnames` (any port; IPv6 in brackets). */
export function hostHeaderValidation(allowedHostnames: string[]): RequestHandler {
    return (req, res, next) => {
        const result = validateHostHeader(req.headers.host, allowedHostnames);
        if (result.ok) return next();
        sendJsonRpcError(res, 403, TRANSPORT_ERROR_CODE, result.message);
    };
}

/** {@link hostHeaderValidation} for `localhost`, `127.0.0.1` and `[::1]`. */
export function localhostHostValidation(): RequestHandler {
    return hostHeaderValidation(localhostAllowedHostnames());
}

/**
 * Refuses requests whose `Origin` is present and not allowed (host names, full origins, `<scheme>://*`, `null`);
 * requests without `Origin` pass.
 */
export function originValidation(allowedOriginHostnames: string[]): RequestHandler {
    return (req, res, next) => {
        const result = validateOriginHeader(req.headers.origin, allowedOriginHostnames);
        if (result.ok) {
            markOriginValidated(req);
            return next();
        }
        sendJsonRpcError(res, 403, TRANSPORT_ERROR_CODE, result.message);
    };
}

/** {@link originValidation} for loopback origins. */
export function localhostOriginValidation(): RequestHandler {
    return originValidation(localhostAllowedOrigins());
}
