/**
 * `Host` and `Origin` checks for plain `node:http` servers (the official v2 names): each returns a function that
 * answers a refused request with 403 and a JSON-RPC error body and returns `false`, or returns `true` to go on.
 * `originValidation` records its decision for the transport that serves the request.
 *
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
    TRANSPORT_ERROR_CODE,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    markOriginValidated,
    validateHostHeader,
    validateOriginHeader
} from '@modelcontextprotocol/server';
import { writeNodeReply } from './transport.js';

function refuse(req: IncomingMessage, res: ServerResponse, message: string): false {
    const body = `{"jsonrpc":"2.0","error":{"code":${TRANSPORT_ERROR_CODE},"message":${JSON.stringify(message)}},"id":null}`;
    writeNodeReply(req, res, { status: 403, headers: { 'content-type': 'application/json' }, body });
    return false;
}

/** Refuses requests whose `Host` is not one of `allowedHostnames` (any port). */
export function hostHeaderValidation(
    allowedHostnames: string[]
): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
        const result = validateHostHeader(req.headers.host, allowedHostnames);
        return result.ok || refuse(req, res, result.message);
    };
}

/** {@link hostHeaderValidation} for `localhost`, `127.0.0.1` and `[::1]`. */
export function localhostHostValidation(): (req: IncomingMessage, res: ServerResponse) => boolean {
    return hostHeaderValidation(localhostAllowedHostnames());
}

/** Refuses requests whose `Origin` is present and not allowed; requests without `Origin` pass. */
export function originValidation(
    allowedOriginHostnames: string[]
): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
        const result = validateOriginHeader(req.headers.origin, allowedOriginHostnames);
        if (!result.ok) return refuse(req, res, result.message);
        markOriginValidated(req);
        return true;
    };
}

/** {@link originValidation} for loopback origins. */
export function localhostOriginValidation(): (req: IncomingMessage, res: ServerResponse) => boolean {
    return originValidation(localhostAllowedOrigins());
}
