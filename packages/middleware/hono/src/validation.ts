/**
 * `Host` and `Origin` validation as Hono middleware (the official v2 names), for apps that do not use
 * `createMcpHonoApp`'s built-in checks: each answers 403 with a JSON-RPC error body when the header is not
 * allowed. `originValidation` records its decision for the transports that serve the request.
 *
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 * @module
 */
import type { MiddlewareHandler } from 'hono';
import {
    hostHeaderValidationResponse,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    markOriginValidated,
    originValidationResponse
} from '@modelcontextprotocol/server';

/**
 * Refuses requests whose `Host` hostname is not one of `allowedHostnames` (any port; IPv6 in brackets, `[::1]`),
 * guarding against DNS rebinding.
 *
 * @example
 * ```ts
 * app.use(hostHeaderValidation(['localhost', '127.0.0.1', '[::1]']));
 * ```
 */
export function hostHeaderValidation(allowedHostnames: string[]): MiddlewareHandler {
    return async (c, next) => {
        const refusal = hostHeaderValidationResponse(c.req.raw, allowedHostnames);
        if (refusal) return refusal;
        await next();
    };
}

/** {@link hostHeaderValidation} for `localhost`, `127.0.0.1` and `[::1]`. */
export function localhostHostValidation(): MiddlewareHandler {
    return hostHeaderValidation(localhostAllowedHostnames());
}

/**
 * Refuses requests whose `Origin` is present and not allowed (host names, full origins, `<scheme>://*`, `null`);
 * requests without `Origin` (non-browser clients) pass.
 *
 * @example
 * ```ts
 * app.use(originValidation(['app.example', 'moz-extension://*']));
 * ```
 */
export function originValidation(allowedOriginHostnames: string[]): MiddlewareHandler {
    return async (c, next) => {
        const refusal = originValidationResponse(c.req.raw, allowedOriginHostnames);
        if (refusal) return refusal;
        markOriginValidated(c.req.raw);
        await next();
    };
}

/** {@link originValidation} for loopback origins (`localhost`, `127.0.0.1`, `[::1]`). */
export function localhostOriginValidation(): MiddlewareHandler {
    return originValidation(localhostAllowedOrigins());
}
