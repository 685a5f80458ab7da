/**
 * `Origin` validation for MCP endpoints, on by default in every server transport.
 *
 * MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning: servers MUST validate the `Origin`
 * header on all incoming connections, and answer `403 Forbidden` when it is present and invalid. Browsers send
 * `Origin` on cross-origin requests (RFC 6454 §7); non-browser clients send none, and requests without it pass.
 * A present value that cannot be parsed as an origin — including the opaque `null` — is refused unless the
 * allow-list names it.
 *
 * @module
 */
import { isLoopbackHost, parseHost } from './hostValidation.js';
import { requestSlot } from './requestSlot.js';
import { ServerTransportError, TRANSPORT_ERROR_CODE, jsonRpcErrorResponse } from './transportErrors.js';

/**
 * Decides one request's `Origin`: returns the reason to refuse it (answer 403), or `undefined` to let it through.
 * `host` is the request's `Host` header, used by the default policy.
 */
export type OriginPolicy = (origin: string | null | undefined, host: string | null | undefined) => string | undefined;

/** Requests whose `Origin` an adapter already validated with its own policy. */
const validatedRequests = requestSlot<true>('mcp.originValidated');

/**
 * Records that an adapter (e.g. `createMcpExpressApp`) validated this request's `Origin` with its own policy, so
 * the transport that serves it does not check it again under its default one: the adapter's `allowedOrigins`
 * is then the one setting. `request` is the Node `IncomingMessage` or the web `Request`.
 */
export function markOriginValidated(request: object): void {
    validatedRequests.set(request, true);
}

/** True when {@link markOriginValidated} was called for this request. */
export function isOriginValidated(request: object): boolean {
    return validatedRequests.get(request) === true;
}

/** The outcome of {@link validateOriginHeader}. */
export type OriginValidationResult =
    | { ok: true; origin?: string; hostname?: string }
    | {
          ok: false;
          errorCode: 'invalid_origin_header' | 'invalid_origin';
          message: string;
          originHeader?: string;
          hostname?: string;
      };

interface ParsedOrigin {
    /** `scheme://host[:port]`, lower case, default port omitted. */
    readonly origin: string;
    readonly scheme: string;
    /** Lower-case host name or bracketed IPv6 literal. */
    readonly hostname: string;
    /** `host[:port]` as `URL.host` gives it. */
    readonly host: string;
}

/** Parses a serialized origin (`scheme "://" host [ ":" port ]`, RFC 6454 §6.2); `undefined` for anything else. */
function parseOrigin(value: string): ParsedOrigin | undefined {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s]+$/i.test(value)) return undefined;
    try {
        const url = new URL(value);
        if (url.hostname === '' || url.username !== '' || url.password !== '') return undefined;
        const scheme = url.protocol.slice(0, -1);
        const origin = url.origin === 'null' ? `${scheme}://${url.host}` : url.origin;
        return { origin, scheme, hostname: url.hostname, host: url.host };
    } catch {
        return undefined;
    }
}

/** A compiled allow-list entry. */
interface OriginAllowList {
    any: boolean;
    nullOrigin: boolean;
    schemes: Set<string>;
    origins: Set<string>;
    hostnames: Set<string>;
}

/**
 * Compiles an `Origin` allow-list. Each entry is one of: a full origin (`https://app.example`, scheme, host and
 * port must match); a host name (`app.example`, `[::1]`: any scheme and port); `<scheme>://*` (every origin of
 * that scheme, e.g. `moz-extension://*`; not honoured for `http` and `https`); the literal `null` (the opaque
 * origin of sandboxed documents and `file:` pages); or `*` (no `Origin` check at all — only for public servers
 * whose every request carries its own credentials).
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for an entry of none of these shapes.
 */
function compileAllowList(entries: readonly string[]): OriginAllowList {
    const list: OriginAllowList = {
        any: false,
        nullOrigin: false,
        schemes: new Set(),
        origins: new Set(),
        hostnames: new Set()
    };
    for (const entry of entries) {
        if (typeof entry !== 'string') {
            throw new ServerTransportError('INVALID_OPTIONS', `Invalid allowed origin: ${String(entry)}`);
        }
        const wildcard = /^([a-z][a-z0-9+.-]*):\/\/\*$/.exec(entry);
        if (entry === '*') list.any = true;
        else if (entry === 'null') list.nullOrigin = true;
        else if (wildcard) {
            const scheme = wildcard[1] as string;
            if (scheme !== 'http' && scheme !== 'https') list.schemes.add(scheme);
        } else if (entry.includes('://')) {
            const parsed = parseOrigin(entry);
            if (!parsed) throw new ServerTransportError('INVALID_OPTIONS', `Invalid allowed origin: ${entry}`);
            list.origins.add(parsed.origin);
        } else {
            const host = parseHost(entry);
            if (!host || host.port !== undefined) {
                throw new ServerTransportError(
                    'INVALID_OPTIONS',
                    `Invalid allowed origin: ${entry} (use a host name without port, or a full origin)`
                );
            }
            list.hostnames.add(host.hostname);
        }
    }
    return list;
}

function allowedBy(list: OriginAllowList, origin: ParsedOrigin): boolean {
    return list.origins.has(origin.origin) || list.hostnames.has(origin.hostname) || list.schemes.has(origin.scheme);
}

function refusal(origin: string): string {
    return `Forbidden: Origin ${JSON.stringify(origin)} is not allowed`;
}

/**
 * Builds the `Origin` check of a server transport or adapter.
 *
 * - No `Origin` header (non-browser clients): allowed.
 * - With `allowedOrigins`: allowed when an entry matches (see the entry shapes above).
 * - Without `allowedOrigins` (the default): allowed only when both the origin and the request's `Host` are
 *   loopback names (`localhost`, `127.0.0.0/8`, `[::1]`): a loopback server serves pages from local ports and
 *   nothing else. Not even the server's own origin is implied (under DNS rebinding the attacker chooses both
 *   the origin and the `Host`); a server with its own browser pages lists their origin. Look-alikes
 *   (`localhost.evil.example`, `127.0.0.1.nip.io`, `http://localhost@evil.example`) are not loopback.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for a malformed allow-list entry.
 */
export function createOriginPolicy(allowedOrigins?: readonly string[]): OriginPolicy {
    const list = allowedOrigins === undefined ? undefined : compileAllowList(allowedOrigins);
    if (list?.any) return () => undefined;
    return (origin, host) => {
        if (origin === null || origin === undefined) return undefined;
        if (origin === 'null') return list?.nullOrigin ? undefined : refusal(origin);
        const parsed = parseOrigin(origin);
        if (!parsed) return refusal(origin);
        if (list) return allowedBy(list, parsed) ? undefined : refusal(origin);
        // A page's own origin is not trusted by default: under DNS rebinding the attacker names both the origin
        // and the Host, so "same origin" proves nothing unless Host itself is validated.
        if (typeof host === 'string' && isLoopbackHost(host) && isLoopbackHost(parsed.hostname)) return undefined;
        return refusal(origin);
    };
}

/**
 * Validates an `Origin` header against an allow-list (entries as for {@link createOriginPolicy}: host names,
 * full origins, `<scheme>://*`, `null`). A missing or empty header passes; an unparseable one — the `null`
 * origin included, unless listed — fails.
 */
export function validateOriginHeader(
    originHeader: string | null | undefined,
    allowedOriginHostnames: string[]
): OriginValidationResult {
    if (originHeader === null || originHeader === undefined || originHeader === '') return { ok: true };
    const list = compileAllowList(allowedOriginHostnames);
    if (list.any) return { ok: true, origin: originHeader };
    if (originHeader === 'null' && list.nullOrigin) return { ok: true, origin: originHeader };
    const parsed = parseOrigin(originHeader);
    if (!parsed) {
        return {
            ok: false,
            errorCode: 'invalid_origin_header',
            message: `Invalid Origin header: ${JSON.stringify(originHeader)}`,
            originHeader
        };
    }
    if (allowedBy(list, parsed)) return { ok: true, origin: parsed.origin, hostname: parsed.hostname };
    return {
        ok: false,
        errorCode: 'invalid_origin',
        message: refusal(originHeader),
        originHeader,
        hostname: parsed.hostname
    };
}

/** The loopback origin host names (`localhost`, `127.0.0.1`, `[::1]`), for {@link validateOriginHeader}. */
export function localhostAllowedOrigins(): string[] {
    return ['localhost', '127.0.0.1', '[::1]'];
}

/**
 * Web-standard helper: a `403` JSON-RPC error response when the request's `Origin` is not allowed by the list,
 * or `undefined` to go on.
 */
export function originValidationResponse(req: Request, allowedOriginHostnames: string[]): Response | undefined {
    const result = validateOriginHeader(req.headers.get('origin'), allowedOriginHostnames);
    if (result.ok) return undefined;
    return jsonRpcErrorResponse(403, TRANSPORT_ERROR_CODE, result.message);
}
