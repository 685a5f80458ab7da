/**
 * DNS-rebinding protection for local MCP servers: pure checks of the `Host` and `Origin` request headers.
 *
 * MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning: servers MUST validate `Origin`, and
 * local servers SHOULD bind to loopback only. A DNS-rebinding page reaches a loopback server with its own
 * name in `Host` and its own origin in `Origin`, so both are compared with allow-lists
 * (RFC 9110 §7.2 for `Host`, RFC 6454 §7 for `Origin`).
 *
 * @module
 */

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

/** True when `hostname` names the local machine (`localhost`, `127.0.0.0/8`, `::1`), with or without a port. */
export function isLoopbackHost(host: string): boolean {
    const parsed = parseHost(host);
    if (!parsed) return false;
    const name = parsed.hostname;
    return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * A compiled `Host` allow-list. An entry without a port (`localhost`) admits any port; an entry with a port
 * (`localhost:3000`) admits only that port.
 */
export type HostMatcher = (host: string | null | undefined) => boolean;

/**
 * Compiles a `Host` allow-list once, for per-request checks.
 *
 * @throws TypeError when an entry is not a valid host.
 */
export function compileHostMatcher(allowedHosts: readonly string[]): HostMatcher {
    const anyPort = new Set<string>();
    const exact = new Set<string>();
    for (const entry of allowedHosts) {
        const parsed = parseHost(entry);
        if (!parsed) throw new TypeError(`Invalid allowed host: ${JSON.stringify(entry)}`);
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

function normaliseOrigin(origin: string): string {
    try {
        const url = new URL(origin);
        return url.origin === 'null' ? origin.toLowerCase() : url.origin;
    } catch {
        return origin.toLowerCase();
    }
}

/** A compiled `Origin` allow-list; a request without `Origin` (non-browser client) passes. */
export type OriginMatcher = (origin: string | null | undefined) => boolean;

/** Compiles an `Origin` allow-list (entries like `http://localhost:3000`), compared after URL normalisation. */
export function compileOriginMatcher(allowedOrigins: readonly string[]): OriginMatcher {
    const allowed = new Set(allowedOrigins.map(normaliseOrigin));
    return origin => origin === null || origin === undefined || allowed.has(normaliseOrigin(origin));
}

/** Allow-lists for {@link createDnsRebindingGuard}. */
export interface DnsRebindingOptions {
    /** Accepted `Host` values; unchecked when absent. */
    allowedHosts?: readonly string[] | undefined;
    /** Accepted `Origin` values; unchecked when absent. A request without `Origin` always passes. */
    allowedOrigins?: readonly string[] | undefined;
}

/**
 * Checks one request's headers; returns the rejection message (answer with HTTP 403), or `undefined` to
 * let the request through.
 */
export type DnsRebindingGuard = (
    host: string | null | undefined,
    origin: string | null | undefined
) => string | undefined;

/**
 * Compiles the allow-lists into a guard. Both lists absent would check nothing, which for a caller that asked
 * for protection is a misconfiguration, so it throws.
 *
 * @throws TypeError when neither list is given, or an allowed host is malformed.
 */
export function createDnsRebindingGuard(options: DnsRebindingOptions): DnsRebindingGuard {
    if (!options.allowedHosts && !options.allowedOrigins) {
        throw new TypeError('DNS rebinding protection needs allowedHosts and/or allowedOrigins');
    }
    const hostOk = options.allowedHosts ? compileHostMatcher(options.allowedHosts) : undefined;
    const originOk = options.allowedOrigins ? compileOriginMatcher(options.allowedOrigins) : undefined;
    return (host, origin) => {
        if (hostOk && !hostOk(host)) return `Forbidden: Host header ${JSON.stringify(host ?? '')} is not allowed`;
        if (originOk && !originOk(origin)) return `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`;
        return undefined;
    };
}
