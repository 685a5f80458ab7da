/**
 * Which server instance owns which stateful session (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session
 * Management), for endpoints that run as several instances behind a load balancer: the {@link SessionDirectory}
 * contract, the shape checks every directory applies to what it is given, and an in-process implementation for
 * tests and single-process deployments. Runtime-neutral: no Node API.
 *
 * @module
 */
import { ServerTransportError } from './transportErrors.js';

/** An instance that owns sessions: its stable id, and where other instances forward that session's requests. */
export interface SessionOwner {
    /** Unique per running instance (e.g. host name and pid, or a UUID made at start-up); visible ASCII, at most 256. */
    readonly instanceId: string;
    /**
     * The absolute `http:` / `https:` URL of the owner's MCP endpoint as other instances reach it (an internal
     * address, not the balancer's): forwarded requests are sent to exactly this URL.
     */
    readonly url: string;
}

/**
 * Where the sessions of a multi-instance endpoint are found. An instance {@link SessionDirectory.claim}s each session
 * it opens and {@link SessionDirectory.release}s it when the session closes; any instance can
 * {@link SessionDirectory.lookup} a session id it does not hold to forward the request to the owner.
 *
 * Liveness: every instance calls {@link SessionDirectory.heartbeat} at least every
 * {@link SessionDirectory.heartbeatIntervalMs}; an owner whose heartbeat lapsed (it crashed, or lost the directory)
 * is dead, and its sessions look up as `undefined`, so clients get `404` and initialize a new session.
 *
 * Implementations: {@link InMemorySessionDirectory} (one process), `RedisSessionDirectory` of
 * `@modelcontextprotocol/redis` (several processes).
 */
export interface SessionDirectory {
    /** How often owners must call {@link SessionDirectory.heartbeat} to stay live, in ms. */
    readonly heartbeatIntervalMs: number;
    /**
     * How long a claim lasts, in ms, when claims expire (unset: they last until released). An owner claims a
     * session it serves again once half of this has passed since its last claim, so an active session stays found.
     */
    readonly sessionTtlMs?: number | undefined;
    /** Marks `owner` live for the directory's time-to-live (longer than the heartbeat interval). */
    heartbeat(owner: SessionOwner): Promise<void>;
    /**
     * Records that `owner` serves session `sessionId` (and marks the owner live); claiming again refreshes the
     * claim. Rejects when another owner holds the id (ids must be unique across instances).
     */
    claim(sessionId: string, owner: SessionOwner): Promise<void>;
    /** The live owner of `sessionId`; `undefined` when unknown, released, malformed, or its owner is dead. */
    lookup(sessionId: string): Promise<SessionOwner | undefined>;
    /**
     * Forgets session `sessionId` (a no-op when unknown). With `owner`, only if the entry names that owner, so an
     * instance never removes another's entry.
     */
    release(sessionId: string, owner?: SessionOwner): Promise<void>;
}

/** Longest session id a directory accepts (ids this SDK mints are UUIDs, 36 characters). */
export const MAX_DIRECTORY_SESSION_ID_LENGTH = 256;

/** Visible ASCII (0x21–0x7E), the characters the spec allows in a session id. */
const VISIBLE_ASCII = /^[\u0021-\u007e]+$/;

/**
 * Whether `value` can be a session id: a string of 1 to {@link MAX_DIRECTORY_SESSION_ID_LENGTH} visible ASCII
 * characters (MCP 2025-11-25, Streamable HTTP › Session Management). Directories check it before using an id.
 */
export function isWellFormedSessionId(value: unknown): value is string {
    return (
        typeof value === 'string' &&
        value.length > 0 &&
        value.length <= MAX_DIRECTORY_SESSION_ID_LENGTH &&
        VISIBLE_ASCII.test(value)
    );
}

/**
 * Whether `value` is a {@link SessionOwner}: a well-formed instance id (same rule as session ids) and an absolute
 * `http:` / `https:` URL of at most 2048 characters.
 */
export function isWellFormedSessionOwner(value: unknown): value is SessionOwner {
    if (typeof value !== 'object' || value === null) return false;
    const { instanceId, url } = value as { instanceId?: unknown; url?: unknown };
    if (!isWellFormedSessionId(instanceId) || typeof url !== 'string' || url.length > 2048) return false;
    try {
        const parsed = new URL(url);
        return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
        return false;
    }
}

/** Options of {@link InMemorySessionDirectory}. */
export interface InMemorySessionDirectoryOptions {
    /** How long a heartbeat keeps an owner live, in ms. Default 15 000. */
    ttlMs?: number | undefined;
    /** How often owners heartbeat, in ms; less than `ttlMs`. Default a third of `ttlMs`. */
    heartbeatIntervalMs?: number | undefined;
    /** How long a claim lasts, in ms (owners re-claim the sessions they serve). Default: until released. */
    sessionTtlMs?: number | undefined;
    /** The clock, in ms (default `Date.now`); tests pass their own to make owners expire. */
    now?: (() => number) | undefined;
}

/**
 * A {@link SessionDirectory} in process memory: for tests that run several instances in one process, and for one
 * process (where it changes nothing). Holds one entry per claimed session and one per owner.
 *
 * @example
 * ```ts
 * const directory = new InMemorySessionDirectory();
 * const a = createNodeMcpRoute({ createServer, sessionDirectory: directory, instance: { instanceId: 'a', url: urlA } });
 * const b = createNodeMcpRoute({ createServer, sessionDirectory: directory, instance: { instanceId: 'b', url: urlB } });
 * ```
 */
export class InMemorySessionDirectory implements SessionDirectory {
    /** @inheritDoc */
    readonly heartbeatIntervalMs: number;
    private readonly _ttlMs: number;
    private readonly _now: () => number;
    /** @inheritDoc */
    readonly sessionTtlMs: number | undefined;
    /** Session id → its owner, and when the claim lapses. */
    private readonly _sessions = new Map<string, { owner: SessionOwner; lapses: number }>();
    /** Instance id → when its heartbeat lapses. */
    private readonly _alive = new Map<string, number>();

    /** @throws {@link ServerTransportError} `INVALID_OPTIONS` when `ttlMs` or `heartbeatIntervalMs` is out of range. */
    constructor(options: InMemorySessionDirectoryOptions = {}) {
        this._ttlMs = options.ttlMs ?? 15_000;
        if (!Number.isSafeInteger(this._ttlMs) || this._ttlMs < 2) {
            throw new ServerTransportError('INVALID_OPTIONS', `ttlMs must be an integer >= 2, got ${this._ttlMs}`);
        }
        this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.max(1, Math.floor(this._ttlMs / 3));
        const interval = this.heartbeatIntervalMs;
        if (!Number.isSafeInteger(interval) || interval < 1 || interval >= this._ttlMs) {
            throw new ServerTransportError(
                'INVALID_OPTIONS',
                `heartbeatIntervalMs must be an integer from 1 to ttlMs - 1, got ${interval}`
            );
        }
        this.sessionTtlMs = options.sessionTtlMs;
        if (this.sessionTtlMs !== undefined && (!Number.isSafeInteger(this.sessionTtlMs) || this.sessionTtlMs < 1)) {
            throw new ServerTransportError(
                'INVALID_OPTIONS',
                `sessionTtlMs must be an integer >= 1, got ${this.sessionTtlMs}`
            );
        }
        this._now = options.now ?? Date.now;
    }

    /** @inheritDoc */
    async heartbeat(owner: SessionOwner): Promise<void> {
        checkOwner(owner);
        this._alive.set(owner.instanceId, this._now() + this._ttlMs);
    }

    /** @inheritDoc */
    async claim(sessionId: string, owner: SessionOwner): Promise<void> {
        checkOwner(owner);
        if (!isWellFormedSessionId(sessionId)) {
            throw new ServerTransportError(
                'INVALID_SESSION_ID',
                'A session id must be 1 to 256 visible ASCII characters'
            );
        }
        const held = this._sessions.get(sessionId);
        if (held !== undefined && held.lapses > this._now() && held.owner.instanceId !== owner.instanceId) {
            throw new ServerTransportError('SESSION_ID_IN_USE', `Session ${sessionId} is held by another instance`);
        }
        const lapses = this.sessionTtlMs === undefined ? Number.POSITIVE_INFINITY : this._now() + this.sessionTtlMs;
        this._sessions.set(sessionId, { owner: { instanceId: owner.instanceId, url: owner.url }, lapses });
        this._alive.set(owner.instanceId, this._now() + this._ttlMs);
    }

    /** @inheritDoc */
    async lookup(sessionId: string): Promise<SessionOwner | undefined> {
        if (!isWellFormedSessionId(sessionId)) return undefined;
        const entry = this._sessions.get(sessionId);
        if (entry === undefined) return undefined;
        if (entry.lapses <= this._now()) {
            this._sessions.delete(sessionId);
            return undefined;
        }
        const owner = entry.owner;
        const lapses = this._alive.get(owner.instanceId);
        return lapses !== undefined && lapses > this._now() ? owner : undefined;
    }

    /** @inheritDoc */
    async release(sessionId: string, owner?: SessionOwner): Promise<void> {
        if (owner !== undefined && this._sessions.get(sessionId)?.owner.instanceId !== owner.instanceId) return;
        this._sessions.delete(sessionId);
    }

    /** Claimed sessions, dead owners' included (for tests). */
    get size(): number {
        return this._sessions.size;
    }
}

function checkOwner(owner: SessionOwner): void {
    if (!isWellFormedSessionOwner(owner)) {
        throw new ServerTransportError(
            'INVALID_OPTIONS',
            'A session owner needs an instanceId of 1 to 256 visible ASCII characters and an http(s) url'
        );
    }
}
