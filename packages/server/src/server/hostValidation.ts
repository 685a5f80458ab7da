/**
 * DNS-rebinding protection for local MCP servers: pure checks of the `Host` request header (RFC 9110 §7.2).
 *
 * MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning: local servers SHOULD bind to loopback
 * only. A DNS-rebinding page reaches a loopback server with its own name in `Host` (and its own origin in
 * `Origin`, which `originValidation.ts` checks), so a loopback server compares `Host` with an allow-list.
 *
 * @module
 */
import { isLoopbackHostname } from '@modelcontextprotocol/core';
import { ServerTransportError, TRANSPORT_ERROR_CODE, jsonRpcErrorResponse } from './transportErrors.js';

/** A parsed `Host` header value (RFC 9110 §7.2: `uri-host [ ":" port ]`). */
export interface HostAndPort {
    /** Lower-case host name, IPv4 address, or IPv6 literal in brackets (`[::1]`), without a trailing dot. */
    hostname: string;
    /** Decimal port, when present. */
    port: string | undefined;
}

/** The loopback names a local server accepts by default, on any port. */
export const LOCALHOST_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const REG_NAME_OR_IPV4 = /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?$/;
const IPV6_BODY = /^[0-9a-f:.]+$/;
const PORT = /^[0-9]{1,5}$/;

function canonicalIpv6(body: string): string | undefined {
    if (!IPV6_BODY.test(body) || !body.includes(':')) return undefined;
    try {
        return new URL(`http://[${body}]/`).hostname;
    } catch {
        return undefined;
    }
}

/**
 * Parses a `Host` header value, or an allow-list entry of the same shape. Bare IPv6 addresses (`::1`) are
 * accepted as allow-list convenience and bracketed; IPv6 literals are canonicalised (`[0:0::1]` → `[::1]`).
 *
 * @returns `undefined` when the value is not a syntactically valid host (userinfo, paths, bad ports…).
 */
export function parseHost(value: string): HostAndPort | undefined {
    const text = value.trim().toLowerCase();
    if (text.length === 0) return undefined;
    let hostname: string | undefined;
    let port: string | undefined;
    if (text.startsWith('[')) {
        const end = text.indexOf(']');
        if (end < 0) return undefined;
        hostname = canonicalIpv6(text.slice(1, end));
        const rest = text.slice(end + 1);
        if (rest.length > 0) {
            if (!rest.startsWith(':')) return undefined;
            port = rest.slice(1);
        }
    } else if (text.indexOf(':') !== text.lastIndexOf(':')) {
        hostname = canonicalIpv6(text);
    } else {
        const colon = text.indexOf(':');
        const name = colon < 0 ? text : text.slice(0, colon);
        if (colon >= 0) port = text.slice(colon + 1);
        if (REG_NAME_OR_IPV4.test(name)) hostname = name.endsWith('.') ? name.slice(0, -1) : name;
    }
    if (hostname === undefined || hostname.length === 0) return undefined;
    if (port !== undefined && (!PORT.test(port) || Number(port) > 65535)) return undefined;
    return { hostname, port };
}

/**
 * True when a `Host` value names the local machine (core's `isLoopbackHostname`: `localhost`, `*.localhost`,
 * `127.0.0.0/8`, `[::1]`), with or without a port.
 */
export function isLoopbackHost(host: string): boolean {
    const parsed = parseHost(host);
    if (!parsed) return false;
    return isLoopbackHostname(parsed.hostname);
}

/**
 * A compiled `Host` allow-list. An entry without a port (`localhost`) admits any port; an entry with a port
 * (`localhost:3000`) admits only that port.
 */
export type HostMatcher = (host: string | null | undefined) => boolean;

/**
 * Compiles a `Host` allow-list once, for per-request checks.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when an entry is not a valid host.
 */
export function compileHostMatcher(allowedHosts: readonly string[]): HostMatcher {
    const anyPort = new Set<string>();
    const exact = new Set<string>();
    for (const entry of allowedHosts) {
        const parsed = typeof entry === 'string' ? parseHost(entry) : undefined;
        if (!parsed)
            throw new ServerTransportError('INVALID_OPTIONS', `Invalid allowed host: ${JSON.stringify(entry)}`);
        if (parsed.port === undefined) anyPort.add(parsed.hostname);
        else exact.add(`${parsed.hostname}:${parsed.port}`);
    }
    return host => {
        if (!host) return false;
        const parsed = parseHost(host);
        if (!parsed) return false;
        if (anyPort.has(parsed.hostname)) return true;
        return parsed.port !== undefined && exact.has(`${parsed.hostname}:${parsed.port}`);
    };
}

/** The outcome of {@link validateHostHeader}. */
export type HostHeaderValidationResult =
    | { ok: true; hostname: string }
    | {
          ok: false;
          errorCode: 'missing_host' | 'invalid_host_header' | 'invalid_host';
          message: string;
          hostHeader?: string;
          hostname?: string;
      };

/**
 * Validates a `Host` header against an allow-list of host names (any port; IPv6 in brackets, `[::1]`).
 */
export function validateHostHeader(
    hostHeader: string | null | undefined,
    allowedHostnames: string[]
): HostHeaderValidationResult {
    if (hostHeader === null || hostHeader === undefined || hostHeader === '') {
        return { ok: false, errorCode: 'missing_host', message: 'Missing Host header' };
    }
    const parsed = parseHost(hostHeader);
    if (!parsed) {
        return {
            ok: false,
            errorCode: 'invalid_host_header',
            message: `Invalid Host header: ${JSON.stringify(hostHeader)}`,
            hostHeader
        };
    }
    const allowed = allowedHostnames.some(entry => parseHost(entry)?.hostname === parsed.hostname);
    if (allowed) return { ok: true, hostname: parsed.hostname };
    return {
        ok: false,
        errorCode: 'invalid_host',
        message: `Forbidden: Host header ${JSON.stringify(hostHeader)} is not allowed`,
        hostHeader,
        hostname: parsed.hostname
    };
}

/** The loopback host names (`localhost`, `127.0.0.1`, `[::1]`), for {@link validateHostHeader}. */
export function localhostAllowedHostnames(): string[] {
    return [...LOCALHOST_ALLOWED_HOSTS];
}

/**
 * Web-standard helper: a `403` JSON-RPC error response when the request's `Host` is not allowed by the list, or
 * `undefined` to go on.
 */
export function hostHeaderValidationResponse(req: Request, allowedHostnames: string[]): Response | undefined {
    const result = validateHostHeader(req.headers.get('host') ?? new URL(req.url).host, allowedHostnames);
    if (result.ok) return undefined;
    return jsonRpcErrorResponse(403, TRANSPORT_ERROR_CODE, result.message);
}
