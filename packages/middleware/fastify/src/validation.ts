/**
 * `Host` and `Origin` validation as Fastify `onRequest` hooks (the official v2 names), for apps that do not use
 * `createMcpFastifyApp`'s built-in checks: each answers 403 with a JSON-RPC error body when the header is not
 * allowed. `originValidation` records its decision for the transports that serve the request.
 *
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 * @module
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    markOriginValidated,
    validateHostHeader,
    validateOriginHeader
} from '@modelcontextprotocol/server';
import { refuseForbidden } from './reply.js';

/**
 * An `onRequest` hook refusing requests whose `Host` hostname is not one of `allowedHostnames` (any port; IPv6 in
 * brackets, `[::1]`), guarding against DNS rebinding.
 *
 * @example
 * ```ts
 * app.addHook('onRequest', hostHeaderValidation(['localhost', '127.0.0.1', '[::1]']));
 * ```
 */
export function hostHeaderValidation(
    allowedHostnames: string[]
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    return async (request, reply) => {
        const result = validateHostHeader(request.headers.host, allowedHostnames);
        if (!result.ok) await refuseForbidden(reply, result.message);
    };
}

/** {@link hostHeaderValidation} for `localhost`, `127.0.0.1` and `[::1]`. */
export function localhostHostValidation(): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    return hostHeaderValidation(localhostAllowedHostnames());
}

/**
 * An `onRequest` hook refusing requests whose `Origin` is present and not allowed (host names, full origins,
 * `<scheme>://*`, `null`); requests without `Origin` (non-browser clients) pass.
 *
 * @example
 * ```ts
 * app.addHook('onRequest', originValidation(['app.example', 'moz-extension://*']));
 * ```
 */
export function originValidation(
    allowedOriginHostnames: string[]
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    return async (request, reply) => {
        const result = validateOriginHeader(request.headers.origin, allowedOriginHostnames);
        if (!result.ok) await refuseForbidden(reply, result.message);
        else markOriginValidated(request.raw);
    };
}

/** {@link originValidation} for loopback origins (`localhost`, `127.0.0.1`, `[::1]`). */
export function localhostOriginValidation(): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    return originValidation(localhostAllowedOrigins());
}
