/**
 * Small OAuth facts both sides share, defined once: the RFC 6749 §3.3 scope grammar and which hosts are the local
 * machine (where `http:` is acceptable and where DNS-rebinding protection starts from).
 *
 * ```
 * scope       = scope-token *( SP scope-token )
 * scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
 * ```
 *
 * @module
 */

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** True when `value` is a single RFC 6749 §3.3 scope token: printable ASCII without space, `"` or `\`. */
export function isScopeToken(value: unknown): value is string {
    return typeof value === 'string' && SCOPE_TOKEN.test(value);
}

/**
 * True when `hostname` (as `URL.hostname` gives it, no port) names the local machine: `localhost`, any
 * `*.localhost` name (RFC 6761 §6.3), `127.0.0.0/8`, or `[::1]` / `::1`. Case-insensitive; a trailing dot is
 * ignored.
 */
export function isLoopbackHostname(hostname: string): boolean {
    let host = hostname.toLowerCase();
    if (host.endsWith('.')) host = host.slice(0, -1);
    return (
        host === 'localhost' ||
        host.endsWith('.localhost') ||
        host === '[::1]' ||
        host === '::1' ||
        IPV4_LOOPBACK.test(host)
    );
}
