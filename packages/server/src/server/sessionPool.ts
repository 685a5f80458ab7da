/**
 * The bookkeeping of a stateful Streamable HTTP endpoint's sessions (MCP 2025-11-25, Basic › Transports › Streamable
 * HTTP › Session Management), shared by every framework adapter: sessions by `Mcp-Session-Id` in least-recently-used
 * order, a bound on how many are open at once (overall and per principal), capacity reserved while an `initialize` is
 * under way, and idle sessions closed by one timer. No HTTP and no runtime-specific API: `performance.now()` and
 * `setInterval` only.
 *
 * @module
 */
import { ServerTransportError } from './transportErrors.js';

/** Default {@link SessionPoolOptions.maxSessions}: 10 000. */
export const DEFAULT_MAX_SESSIONS = 10_000;
/** Default {@link SessionPoolOptions.sessionIdleTimeoutMs}: 30 minutes. */
export const DEFAULT_SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** Default {@link SessionPoolOptions.maxSessionsPerPrincipal}: 100. */
export const DEFAULT_MAX_SESSIONS_PER_PRINCIPAL = 100;
/** The longest time between two sweeps for idle sessions. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Limits of a {@link SessionPool}. Each is an integer >= 1, or `Infinity` for no limit. */
export interface SessionPoolOptions {
    /**
     * Most sessions open at once, counting those being opened. Beyond it {@link SessionPool.reserve} refuses.
     * Default {@link DEFAULT_MAX_SESSIONS}.
     */
    maxSessions?: number | undefined;
    /**
     * A session with no request in progress for this many ms is closed and forgotten; its client then gets `404` and
     * initializes a new one (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management). Checked by
     * one timer per pool, at most every minute. Default {@link DEFAULT_SESSION_IDLE_TIMEOUT_MS}.
     */
    sessionIdleTimeoutMs?: number | undefined;
    /**
     * Most sessions one principal (see `principalKey`) holds at once, counting those being opened, so a single token
     * cannot take every session of the pool. Sessions opened without a principal (unauthenticated requests) are not
     * counted here, only against {@link SessionPoolOptions.maxSessions}. Default
     * {@link DEFAULT_MAX_SESSIONS_PER_PRINCIPAL}.
     */
    maxSessionsPerPrincipal?: number | undefined;
}

/** What a pool keeps per session: anything it can close (an `McpServer`, a transport, a record of both). */
export interface PooledSession {
    /** Ends the session; called by the pool when it expires an idle session or closes. */
    close(): unknown;
}

/** Why {@link SessionPool.reserve} refused. */
export type SessionPoolRefusalReason =
    /** The pool holds {@link SessionPoolOptions.maxSessions} sessions. */
    | 'maxSessions'
    /** The principal holds {@link SessionPoolOptions.maxSessionsPerPrincipal} sessions. */
    | 'maxSessionsPerPrincipal'
    /** {@link SessionPool.close} was called. */
    | 'closed';

/** A refused {@link SessionPool.reserve}: answer `503 Service Unavailable` with `Retry-After`. */
export interface SessionPoolRefusal {
    readonly ok: false;
    readonly reason: SessionPoolRefusalReason;
    /** Seconds until a sweep may have freed room (the pool's {@link SessionPool.retryAfterSeconds}). */
    readonly retryAfterSeconds: number;
    /** A human-readable explanation, fit for a JSON-RPC error message. */
    readonly message: string;
}

/** Room held for a session being opened: {@link SessionReservation.register} it or {@link SessionReservation.cancel}. */
export interface SessionReservation<S extends PooledSession> {
    readonly ok: true;
    /** The principal key the room is held for, as passed to {@link SessionPool.reserve}. */
    readonly principal: string | undefined;
    /**
     * Adds the opened session under `id`, in the room held (most recently used, no request in progress).
     *
     * @throws {@link ServerTransportError} `SESSION_ID_IN_USE` when the pool already holds `id`, or
     * `TRANSPORT_CLOSED` when the pool was closed meanwhile, or when the reservation was already settled; the room is
     * released either way and the session was not added (the caller closes it).
     */
    register(id: string, session: S): void;
    /** Releases the room (a no-op once registered or cancelled), e.g. when opening the session failed. */
    cancel(): void;
}

interface Entry<S> {
    readonly session: S;
    readonly principal: string | undefined;
    /** Its requests in progress. */
    active: number;
    /** `performance.now()` when it was last used. */
    lastUsed: number;
}

const REFUSAL_MESSAGES: Record<SessionPoolRefusalReason, string> = {
    maxSessions: 'Service Unavailable: too many open sessions',
    maxSessionsPerPrincipal: 'Service Unavailable: too many open sessions for this principal',
    closed: 'Service Unavailable: the endpoint is shutting down'
};

function checkLimit(value: number | undefined, name: string): void {
    if (value !== undefined && !(value === Infinity || (Number.isInteger(value) && value >= 1))) {
        throw new ServerTransportError('INVALID_OPTIONS', `${name} must be an integer >= 1 or Infinity, got ${value}`);
    }
}

/**
 * The sessions of one stateful endpoint, by session id, least recently used first.
 *
 * A request naming a session {@link SessionPool.acquire}s it (marking a request in progress, which keeps it from
 * idle expiry) and {@link SessionPool.release}s it when its HTTP exchange ends. A request opening a session first
 * {@link SessionPool.reserve}s room, refused when the pool or the principal is full, then registers the session once
 * its id is known. A session whose transport closed is {@link SessionPool.delete}d.
 *
 * @example
 * ```ts
 * const pool = new SessionPool<Session>({ maxSessions: 1000, maxSessionsPerPrincipal: 10 });
 * const reservation = pool.reserve(principalKey(authInfo));
 * if (!reservation.ok) return refuse503(reservation.message, reservation.retryAfterSeconds);
 * // … on `onsessioninitialized(id)`: reservation.register(id, session); finally: reservation.cancel()
 * ```
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management
 */
export class SessionPool<S extends PooledSession> {
    /** The value of `Retry-After` a refusal carries: the sweep interval, in whole seconds. */
    readonly retryAfterSeconds: number;
    private readonly _maxSessions: number;
    private readonly _maxPerPrincipal: number;
    private readonly _idleMs: number;
    private readonly _sweepEvery: number;
    /** Open sessions, least recently used first (a use moves a session to the end). */
    private readonly _sessions = new Map<string, Entry<S>>();
    /** Sessions and reservations per principal key. */
    private readonly _perPrincipal = new Map<string, number>();
    /** Reservations not settled yet. */
    private _opening = 0;
    private _closed = false;
    private _sweeper: ReturnType<typeof setInterval> | undefined;

    /**
     * @throws {@link ServerTransportError} `INVALID_OPTIONS` when a limit is not an integer >= 1 or `Infinity`.
     */
    constructor(options: SessionPoolOptions = {}) {
        checkLimit(options.maxSessions, 'maxSessions');
        checkLimit(options.sessionIdleTimeoutMs, 'sessionIdleTimeoutMs');
        checkLimit(options.maxSessionsPerPrincipal, 'maxSessionsPerPrincipal');
        this._maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
        this._maxPerPrincipal = options.maxSessionsPerPrincipal ?? DEFAULT_MAX_SESSIONS_PER_PRINCIPAL;
        this._idleMs = options.sessionIdleTimeoutMs ?? DEFAULT_SESSION_IDLE_TIMEOUT_MS;
        this._sweepEvery = Math.min(this._idleMs, MAX_SWEEP_INTERVAL_MS);
        this.retryAfterSeconds = Math.ceil(this._sweepEvery / 1000);
    }

    /** Open sessions (reservations not included). */
    get size(): number {
        return this._sessions.size;
    }

    /** True once {@link SessionPool.close} was called: every reservation is refused from then on. */
    get closed(): boolean {
        return this._closed;
    }

    /** The session registered under `id`, without marking a use. */
    get(id: string): S | undefined {
        return this._sessions.get(id)?.session;
    }

    /** The session ids, least recently used first. */
    ids(): IterableIterator<string> {
        return this._sessions.keys();
    }

    /**
     * Starts a request on session `id`: counts it as in progress (a session with a request in progress is never
     * expired) and marks the session most recently used. Returns `undefined`, marking nothing, when `id` is unknown
     * or the session is bound to a principal other than `principal` (a session opened without one accepts any),
     * the same rule the transport applies (MCP 2025-11-25, Security Best Practices › Session Hijacking). End the
     * request with {@link SessionPool.release}.
     */
    acquire(id: string, principal?: string): S | undefined {
        const entry = this._sessions.get(id);
        if (entry === undefined || (entry.principal !== undefined && entry.principal !== principal)) return undefined;
        entry.active++;
        this._touch(id, entry);
        return entry.session;
    }

    /** Ends a request begun by {@link SessionPool.acquire}, marking a use; a no-op when `id` is no longer `session`. */
    release(id: string, session: S): void {
        const entry = this._sessions.get(id);
        if (entry === undefined || entry.session !== session) return;
        if (entry.active > 0) entry.active--;
        this._touch(id, entry);
    }

    /** Marks session `id` most recently used (a no-op when unknown). */
    touch(id: string): void {
        const entry = this._sessions.get(id);
        if (entry !== undefined) this._touch(id, entry);
    }

    /**
     * Holds room for a session about to be opened by `principal` (a `principalKey`; `undefined` for an
     * unauthenticated request, counted only against `maxSessions`). Refused when the pool is full (open sessions
     * plus reservations), when the principal holds `maxSessionsPerPrincipal`, or after {@link SessionPool.close}.
     */
    reserve(principal?: string): SessionReservation<S> | SessionPoolRefusal {
        if (this._closed) return this._refusal('closed');
        if (this._sessions.size + this._opening >= this._maxSessions) return this._refusal('maxSessions');
        if (principal !== undefined && (this._perPrincipal.get(principal) ?? 0) >= this._maxPerPrincipal) {
            return this._refusal('maxSessionsPerPrincipal');
        }
        this._opening++;
        this._count(principal, 1);
        let settled = false;
        const settle = (): boolean => {
            if (settled) return false;
            settled = true;
            this._opening--;
            return true;
        };
        return {
            ok: true,
            principal,
            register: (id, session) => {
                if (!settle())
                    throw new ServerTransportError('TRANSPORT_CLOSED', 'The reservation was already settled');
                if (this._closed || this._sessions.has(id)) {
                    this._count(principal, -1);
                    if (this._closed) throw new ServerTransportError('TRANSPORT_CLOSED', 'The session pool is closed');
                    throw new ServerTransportError('SESSION_ID_IN_USE', `Session id ${JSON.stringify(id)} is in use`);
                }
                this._sessions.set(id, { session, principal, active: 0, lastUsed: performance.now() });
                this._startSweeper();
            },
            cancel: () => {
                if (settle()) this._count(principal, -1);
            }
        };
    }

    /**
     * Forgets session `id` if it is still `session` (a session that replaced it under the same id stays), without
     * closing it: call it when the session closed by itself. Returns whether it was removed.
     */
    delete(id: string, session: S): boolean {
        const entry = this._sessions.get(id);
        if (entry === undefined || entry.session !== session) return false;
        this._remove(id, entry);
        return true;
    }

    /** Closes and forgets every session idle (no request in progress) for longer than the idle timeout. */
    sweep(): void {
        const deadline = performance.now() - this._idleMs;
        for (const [id, entry] of this._sessions) {
            if (entry.active > 0) continue;
            // Least recently used first: once one idle session is recent enough, all later ones are too.
            if (entry.lastUsed > deadline) break;
            this._remove(id, entry);
            closeQuietly(entry.session);
        }
    }

    /**
     * Closes every session, stops the idle timer, and refuses every reservation from now on (a reservation under
     * way fails to register). Resolves when every session's `close()` settled.
     */
    async close(): Promise<void> {
        this._closed = true;
        this._stopSweeper();
        const open = [...this._sessions.values()];
        this._sessions.clear();
        this._perPrincipal.clear();
        await Promise.allSettled(open.map(async entry => entry.session.close()));
    }

    private _touch(id: string, entry: Entry<S>): void {
        entry.lastUsed = performance.now();
        this._sessions.delete(id);
        this._sessions.set(id, entry);
    }

    private _remove(id: string, entry: Entry<S>): void {
        this._sessions.delete(id);
        this._count(entry.principal, -1);
        if (this._sessions.size === 0) this._stopSweeper();
    }

    private _count(principal: string | undefined, delta: number): void {
        if (principal === undefined) return;
        const count = (this._perPrincipal.get(principal) ?? 0) + delta;
        if (count > 0) this._perPrincipal.set(principal, count);
        else this._perPrincipal.delete(principal);
    }

    private _refusal(reason: SessionPoolRefusalReason): SessionPoolRefusal {
        return { ok: false, reason, retryAfterSeconds: this.retryAfterSeconds, message: REFUSAL_MESSAGES[reason] };
    }

    private _startSweeper(): void {
        if (this._sweeper !== undefined || this._idleMs === Infinity) return;
        const timer = setInterval(() => this.sweep(), this._sweepEvery);
        // Node and Deno: the timer alone does not keep the process alive.
        (timer as { unref?: () => void }).unref?.();
        this._sweeper = timer;
    }

    private _stopSweeper(): void {
        if (this._sweeper === undefined) return;
        clearInterval(this._sweeper);
        this._sweeper = undefined;
    }
}

/** Closes a session, ignoring a failure (an expired session has nobody left to report to). */
function closeQuietly(session: PooledSession): void {
    try {
        const closing = session.close();
        if (closing instanceof Promise) closing.catch(() => {});
    } catch {
        // ignored, as above
    }
}
