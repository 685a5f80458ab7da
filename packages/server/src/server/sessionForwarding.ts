/**
 * Sessions that any instance can serve (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management,
 * behind a load balancer without stickiness): an instance claims the sessions it opens in a shared
 * {@link SessionDirectory}, and a request for a session it does not hold is forwarded, as received, to the live
 * owner, whose response (an SSE stream included) is passed back unchanged. Runtime-neutral: `fetch` and web
 * streams only; each adapter gives its request's method, headers and body bytes.
 *
 * @module
 */
import type { AuthInfo, FetchLike } from '@modelcontextprotocol/core';
import { RequestAdmission } from './admission.js';
import type { WebStandardStreamableHTTPServerTransportOptions } from './admission.js';
import { toResponse } from './httpExchange.js';
import type { RequestView } from './httpExchange.js';
import type { BodyReply } from './replies.js';
import { TRANSPORT_ERROR_CODE, errorReply } from './replies.js';
import type { SessionDirectory, SessionOwner } from './sessionDirectory.js';
import { isWellFormedSessionId, isWellFormedSessionOwner } from './sessionDirectory.js';
import type { PooledSession, SessionPool } from './sessionPool.js';
import { routeSessionRequest } from './sessionRouting.js';
import type { SessionRoute } from './sessionRouting.js';
import { ServerTransportError } from './transportErrors.js';

/**
 * The header an instance adds to a request it forwards, naming itself. A request that carries it is never
 * forwarded again: an instance that does not hold its session answers `404`, so a stale directory cannot make a loop.
 */
export const FORWARDED_BY_HEADER = 'mcp-forwarded-by';

/** Options that make a stateful route serve sessions of every instance (all of them, or none). */
export interface SessionForwardingOptions {
    /**
     * Where the sessions of every instance are found. Set together with `instance`; unset (the default), the route
     * serves only its own sessions and answers `404` for others, as before.
     */
    sessionDirectory?: SessionDirectory | undefined;
    /** This instance: its id and the URL other instances forward its sessions' requests to. */
    instance?: SessionOwner | undefined;
    /** The `fetch` forwarded requests are sent with. Default the global `fetch`. */
    forwardFetch?: FetchLike | undefined;
    /**
     * Told of every failed directory operation (they are otherwise handled without a trace: a failed heartbeat or
     * release is retried or lapses, a failed lookup answers `503`, a failed claim fails the `initialize`). Addition.
     */
    ondirectoryerror?: ((error: Error, operation: SessionDirectoryOperation) => void) | undefined;
}

/** A {@link SessionDirectory} call, as reported to `ondirectoryerror`. */
export type SessionDirectoryOperation = 'heartbeat' | 'claim' | 'lookup' | 'release';

/** A request as received, to be forwarded: its body bytes are streamed on, never parsed here. */
export interface ForwardedRequest {
    /** The request method, as received. */
    readonly method: string;
    /** Every request header as received (`Authorization`, `Mcp-Session-Id`, `Last-Event-ID` included). */
    readonly headers: Iterable<readonly [string, string]>;
    /**
     * The raw body, streamed; a string only when an adapter already consumed the bytes. Sent only when the headers
     * frame one (`Transfer-Encoding`, or a `Content-Length` other than 0), or when it is a string.
     */
    readonly body: ReadableStream<Uint8Array> | string | null;
    /**
     * The request has a body whatever its headers say (a web `Request` whose `body` is not null: HTTP/2 and other
     * runtimes need no `Content-Length` or `Transfer-Encoding`). Default: judged from the headers.
     */
    readonly framed?: boolean | undefined;
    /** Aborted when the client goes away: the forwarded request is aborted with it. */
    readonly signal?: AbortSignal | undefined;
}

/** Where {@link routeSessionRequestAcrossInstances} sends a request: a local route, or to the session's owner. */
export type DistributedSessionRoute<S extends PooledSession> =
    | SessionRoute<S>
    /** Another live instance owns the session: {@link SessionForwarder.forward} the request to it. */
    | { readonly kind: 'forward'; readonly owner: SessionOwner };

/**
 * A request's headers as forwarded: every header as received, in order, except those that describe one connection
 * (see {@link isHopByHopHeader}), with {@link FORWARDED_BY_HEADER} set to the forwarding instance. `framed` tells
 * whether the request has a body (RFC 9112 §6.3: `Transfer-Encoding`, or a `Content-Length` other than 0).
 */
export interface ForwardedHeaders {
    readonly headers: [string, string][];
    readonly framed: boolean;
}

/**
 * Whether header `name` (lower case) describes one connection rather than the message (RFC 9110 §7.6.1), or is one
 * a forwarding hop sets itself (`Host`, `Content-Length`, `Transfer-Encoding`): such headers are not forwarded.
 */
export function isHopByHopHeader(name: string): boolean {
    return HOP_BY_HOP.has(name);
}

/** How many session owners an instance remembers between directory lookups. */
const OWNER_CACHE_SIZE = 10_000;

/** Headers that describe one connection, not the request (RFC 9110 §7.6.1), and what `fetch` sets itself. */
const HOP_BY_HOP = new Set([
    'connection',
    'keep-alive',
    'proxy-connection',
    'proxy-authenticate',
    'proxy-authorization',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'host',
    'content-length'
]);

/**
 * One instance's part in a multi-instance endpoint: heartbeats to the directory, claims and releases its sessions,
 * and forwards requests for sessions it does not hold. Made by an adapter's session route from
 * {@link SessionForwardingOptions}; {@link createSessionForwarder} returns `undefined` when they are unset.
 */
export class SessionForwarder {
    /** This instance. */
    readonly instance: SessionOwner;
    /** Whether requests are forwarded with a `fetch` the application gave (`forwardFetch`), not the default. */
    readonly customFetch: boolean;
    private readonly _directory: SessionDirectory;
    private readonly _fetch: FetchLike;
    private readonly _onerror: SessionForwardingOptions['ondirectoryerror'];
    private readonly _admission: RequestAdmission;
    private _timer: ReturnType<typeof setInterval> | undefined;
    private _closed = false;
    /**
     * Owners found recently, for at most one heartbeat interval each (bounded, oldest dropped first). A stale entry
     * is harmless: the owner answers `404` for a session it no longer holds, and a dead owner cannot be reached
     * (`404` as well); the directory is asked again once the entry expires.
     */
    private readonly _owners = new Map<string, { readonly owner: SessionOwner; readonly until: number }>();
    /** When each session this instance holds was last claimed (only when the directory's claims expire). */
    private readonly _claimedAt = new Map<string, number>();

    /** @throws {@link ServerTransportError} `INVALID_OPTIONS` when the directory or the instance is malformed. */
    constructor(
        directory: SessionDirectory,
        instance: SessionOwner,
        fetchImpl?: FetchLike,
        ondirectoryerror?: SessionForwardingOptions['ondirectoryerror'],
        transportOptions: WebStandardStreamableHTTPServerTransportOptions = {}
    ) {
        if (typeof directory !== 'object' || directory === null || typeof directory.lookup !== 'function') {
            throw new ServerTransportError('INVALID_OPTIONS', 'sessionDirectory must implement SessionDirectory');
        }
        const interval = directory.heartbeatIntervalMs;
        if (!Number.isSafeInteger(interval) || interval < 1) {
            throw new ServerTransportError('INVALID_OPTIONS', 'sessionDirectory.heartbeatIntervalMs must be >= 1');
        }
        if (!isWellFormedSessionOwner(instance)) {
            throw new ServerTransportError(
                'INVALID_OPTIONS',
                'instance needs an instanceId of 1 to 256 visible ASCII characters and an absolute http(s) url'
            );
        }
        this.instance = { instanceId: instance.instanceId, url: instance.url };
        this._directory = directory;
        this.customFetch = fetchImpl !== undefined;
        this._onerror = ondirectoryerror;
        this._admission = new RequestAdmission(transportOptions);
        this._fetch = fetchImpl ?? ((url, init) => fetch(url, init));
        this._beat();
        const timer = setInterval(() => this._beat(), interval);
        (timer as { unref?: () => void }).unref?.();
        this._timer = timer;
    }

    /**
     * Claims session `id` for this instance; a failure fails the `initialize` that opened it (`503`).
     *
     * @throws {@link ServerTransportError} `SESSION_DIRECTORY_UNAVAILABLE` when the directory failed.
     */
    async claim(id: string): Promise<void> {
        try {
            await this._directory.claim(id, this.instance);
        } catch (error) {
            this._report(error, 'claim');
            throw new ServerTransportError(
                'SESSION_DIRECTORY_UNAVAILABLE',
                'The session directory could not be reached to claim a new session',
                { cause: error }
            );
        }
        if (this._directory.sessionTtlMs !== undefined) this._claimedAt.set(id, Date.now());
    }

    /**
     * Session `id`, held here, is in use: when the directory's claims expire and half of its `sessionTtlMs` passed
     * since the last claim, claims it again in the background, so a session in use stays found by other instances.
     */
    touch(id: string): void {
        const ttl = this._directory.sessionTtlMs;
        const claimedAt = this._claimedAt.get(id);
        if (ttl === undefined || claimedAt === undefined || Date.now() - claimedAt < ttl / 2) return;
        this._claimedAt.set(id, Date.now());
        this._directory.claim(id, this.instance).catch((error: unknown) => {
            this._claimedAt.set(id, claimedAt);
            this._report(error, 'claim');
        });
    }

    /** Releases session `id` in the background (a failure only delays its `404` until this owner's heartbeat lapses). */
    release(id: string): void {
        this._claimedAt.delete(id);
        this._directory.release(id, this.instance).catch((error: unknown) => this._report(error, 'release'));
    }

    /**
     * The owner to forward a request for session `id` to, or the reply when there is none: `404` when the id is
     * malformed, unknown, owned by a dead instance or by this one, or when the request was already forwarded once;
     * `503` with `Retry-After` when the directory cannot be reached.
     */
    async locate(id: string, forwardedBy: string | null | undefined): Promise<DistributedSessionRoute<never>> {
        if (forwardedBy != null || !isWellFormedSessionId(id)) return notFound();
        const known = this._owners.get(id);
        if (known !== undefined && known.until > Date.now()) return { kind: 'forward', owner: known.owner };
        let owner: SessionOwner | undefined;
        try {
            owner = await this._directory.lookup(id);
        } catch (error) {
            this._report(error, 'lookup');
            const retryAfter = String(Math.max(1, Math.ceil(this._directory.heartbeatIntervalMs / 1000)));
            const reply = errorReply(503, TRANSPORT_ERROR_CODE, 'Service Unavailable: session directory unreachable', {
                'retry-after': retryAfter
            });
            return { kind: 'refused', reply };
        }
        if (owner === undefined || owner.instanceId === this.instance.instanceId) {
            this._owners.delete(id);
            return notFound();
        }
        this._owners.delete(id);
        this._owners.set(id, { owner, until: Date.now() + this._directory.heartbeatIntervalMs });
        if (this._owners.size > OWNER_CACHE_SIZE) this._owners.delete(this._owners.keys().next().value!);
        return { kind: 'forward', owner };
    }

    /**
     * The route's `Host` and `Origin` checks (DNS-rebinding protection, `allowedHosts`, `allowedOrigins`) on a
     * request about to be forwarded: `403` when refused. The owner sees the forwarded request with its own internal
     * address as `Host`, so the public one is checked here, where it arrived.
     */
    admit(request: RequestView): BodyReply | undefined {
        return this._admission.checkOrigin(request);
    }

    /** The headers to forward a request with (see {@link ForwardedHeaders}). */
    forwardedHeaders(received: Iterable<readonly [string, string]>): ForwardedHeaders {
        const headers: [string, string][] = [];
        let framed = false;
        for (const [name, value] of received) {
            const lower = name.toLowerCase();
            if (lower === 'transfer-encoding' || (lower === 'content-length' && value.trim() !== '0')) framed = true;
            if (!HOP_BY_HOP.has(lower) && lower !== FORWARDED_BY_HEADER) headers.push([name, value]);
        }
        headers.push([FORWARDED_BY_HEADER, this.instance.instanceId]);
        return { headers, framed };
    }

    /**
     * Sends `request` to `owner` as received (hop-by-hop headers aside, with {@link FORWARDED_BY_HEADER} added) and
     * resolves with the owner's response to pass back: its status, its headers (less hop-by-hop and encoding ones,
     * as `fetch` decoded the body) and its body as a stream. When no connection to the owner can be made the session
     * is unreachable too: `404 Session not found`, so the client initializes a new one. When the exchange fails
     * after that, the owner may have acted on the request: `502`, which no client sends again by itself.
     */
    async forward(request: ForwardedRequest, owner: SessionOwner): Promise<Response> {
        const forwarded = this.forwardedHeaders(request.headers);
        const headers = new Headers(forwarded.headers);
        const framed = forwarded.framed;
        const bodiless = request.method === 'GET' || request.method === 'HEAD';
        // A body is sent when the headers frame one, or when it was given as text; a web request (HTTP/2, other
        // runtimes) may carry a body stream without either header, so the Hono adapter passes `framed` itself.
        const body =
            !bodiless && (framed || request.framed === true || typeof request.body === 'string') ? request.body : null;
        const init: RequestInit & { duplex?: 'half' } = {
            method: request.method,
            headers,
            redirect: 'manual',
            ...(body === null ? {} : { body: body as BodyInit, duplex: 'half' as const }),
            ...(request.signal === undefined ? {} : { signal: request.signal })
        };
        let upstream: Response;
        try {
            upstream = await this._fetch(owner.url, init);
        } catch (error) {
            if (request.signal?.aborted) throw error;
            // No connection: the owner, and so its session, cannot be reached (the client starts a new session).
            // Anything else: the owner may have read the request and acted on it; a 404 would have it sent again.
            if (isConnectFailure(error)) return toResponse(notFoundReply());
            return toResponse(errorReply(502, TRANSPORT_ERROR_CODE, 'Bad Gateway: the session owner failed'));
        }
        const back = new Headers();
        upstream.headers.forEach((value, name) => {
            if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') back.append(name, value);
        });
        return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: back });
    }

    /** Stops heartbeating: once the directory's time-to-live passes, this instance's remaining sessions are dead. */
    close(): void {
        this._closed = true;
        if (this._timer !== undefined) clearInterval(this._timer);
        this._timer = undefined;
    }

    private _beat(): void {
        if (this._closed) return;
        this._directory.heartbeat(this.instance).catch((error: unknown) => this._report(error, 'heartbeat'));
    }

    private _report(error: unknown, operation: SessionDirectoryOperation): void {
        if (this._onerror === undefined) return;
        try {
            this._onerror(error instanceof Error ? error : new Error(String(error)), operation);
        } catch {
            // A failing error hook must not break forwarding.
        }
    }
}

/**
 * The forwarder of a route's {@link SessionForwardingOptions}, or `undefined` when neither `sessionDirectory` nor
 * `instance` is set (the route then behaves as a single instance).
 *
 * `transportOptions` are the route's transport options, whose `Host` / `Origin` checks it applies before forwarding.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` when only one of them is set, or either is malformed.
 */
export function createSessionForwarder(
    options: SessionForwardingOptions,
    transportOptions?: WebStandardStreamableHTTPServerTransportOptions
): SessionForwarder | undefined {
    const { sessionDirectory, instance } = options;
    if (sessionDirectory === undefined && instance === undefined) return undefined;
    if (sessionDirectory === undefined || instance === undefined) {
        throw new ServerTransportError('INVALID_OPTIONS', 'Set both sessionDirectory and instance, or neither');
    }
    return new SessionForwarder(
        sessionDirectory,
        instance,
        options.forwardFetch,
        options.ondirectoryerror,
        transportOptions
    );
}

/**
 * {@link routeSessionRequest}, and then, for a session id this instance does not hold, the directory: a request for
 * a session another live instance owns is routed `forward` (see {@link SessionForwarder.locate}). Without a
 * forwarder, exactly {@link routeSessionRequest}. A session this instance holds for another principal stays `404`.
 *
 * @param forwardedBy - The request's {@link FORWARDED_BY_HEADER} header, if any.
 */
export async function routeSessionRequestAcrossInstances<S extends PooledSession>(
    pool: SessionPool<S>,
    forwarder: SessionForwarder | undefined,
    method: string,
    sessionIds: readonly string[],
    authInfo: AuthInfo | undefined,
    protocolVersion?: string | null,
    forwardedBy?: string | null
): Promise<DistributedSessionRoute<S>> {
    const route = routeSessionRequest(pool, method, sessionIds, authInfo, protocolVersion);
    if (forwarder === undefined) return route;
    if (route.kind === 'session') forwarder.touch(route.id);
    if (route.kind !== 'refused' || route.reply.status !== 404) return route;
    const id = sessionIds[0]!;
    if (pool.get(id) !== undefined) return route;
    return forwarder.locate(id, forwardedBy);
}

/** Error codes (Node, undici) of a connection that was never made. */
const CONNECT_FAILURES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_CONNECT_TIMEOUT'
]);

/** Whether a `fetch` failure (or its `cause`) says no connection to the owner was made. */
function isConnectFailure(error: unknown): boolean {
    for (let current = error, depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
        const code = (current as { code?: unknown }).code;
        if (typeof code === 'string' && CONNECT_FAILURES.has(code)) return true;
        current = (current as { cause?: unknown }).cause;
    }
    return false;
}

function notFoundReply() {
    return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
}

function notFound(): { readonly kind: 'refused'; readonly reply: ReturnType<typeof notFoundReply> } {
    return { kind: 'refused', reply: notFoundReply() };
}
