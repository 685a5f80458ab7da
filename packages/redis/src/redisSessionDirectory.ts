/**
 * A Redis-backed {@link SessionDirectory}: which server instance owns which stateful session (MCP 2025-11-25, Basic ›
 * Transports › Streamable HTTP › Session Management), shared by every instance behind a load balancer, so any of them
 * can forward a session's requests to its owner. Owners are live while their heartbeat key exists.
 *
 * @module
 */
import type { SessionDirectory, SessionOwner } from '@modelcontextprotocol/server';
import { isWellFormedSessionId, isWellFormedSessionOwner } from '@modelcontextprotocol/server';
import { RedisSessionDirectoryError } from './errors.js';
import { RedisConnection, checkInteger, checkKeyPrefix } from './connection.js';
import type { RedisCommandClient } from './streamCommands.js';

/** Options of {@link RedisSessionDirectory}: exactly one of `client` and `url`, and the liveness timings. */
export interface RedisSessionDirectoryOptions {
    /** A connected node-redis client, which the directory uses and never closes. */
    client?: RedisCommandClient | undefined;
    /** A `redis://` or `rediss://` URL: the directory creates its own client, connects it on first use, closes it. */
    url?: string | undefined;
    /**
     * Prefix of every key: `<keyPrefix>s:<session id>` per session, `<keyPrefix>i:<instance id>` per live owner.
     * Must end with `:`, no control characters, at most 256 characters. Default `mcp:sessions:`.
     */
    keyPrefix?: string | undefined;
    /** How long a heartbeat keeps an owner live, in ms (`SET … PX`). Default 15 000. */
    ttlMs?: number | undefined;
    /** How often owners heartbeat, in ms; less than `ttlMs`. Default a third of `ttlMs`. */
    heartbeatIntervalMs?: number | undefined;
    /**
     * How long a session's entry is kept after its claim, in ms: the bound on what a crashed owner leaves behind.
     * A session open longer than this is no longer found by the other instances (its owner still serves it
     * directly). Default 86 400 000 (24 hours).
     */
    sessionTtlMs?: number | undefined;
    /** Called with the connection errors of a client the directory created from `url` (they are otherwise dropped). */
    onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * Looks a session up and answers its entry only if its owner's heartbeat key exists, in one round trip.
 * KEYS[1]: the session key. ARGV[1]: the prefix of heartbeat keys. The entry is `<instance id>\n<url>`.
 */
const LOOKUP_SCRIPT = `local entry = redis.call('GET', KEYS[1])
if not entry then return false end
local instance = string.match(entry, '^([^\\n]+)\\n')
if not instance then return entry end
if redis.call('EXISTS', ARGV[1] .. instance) == 1 then return entry end
return false`;

/**
 * Claims a session for an owner unless another owner holds it, and marks the owner live, in one step.
 * KEYS: the session key, the owner's heartbeat key. ARGV: the entry, its TTL, the heartbeat TTL, `<instance id>\n`.
 */
const CLAIM_SCRIPT = `local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, #ARGV[4]) ~= ARGV[4] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
return 1`;

/** Deletes a session's entry only if it names the releasing owner. KEYS: the session key. ARGV: `<instance id>\n`. */
const RELEASE_SCRIPT = `local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A {@link SessionDirectory} on Redis, for Streamable HTTP endpoints run as several instances (see the server's
 * `sessionDirectory` / `instance` route options).
 *
 * - `claim` writes `<keyPrefix>s:<session id>` = `<instance id>\n<url>` (`PX sessionTtlMs`) and the owner's
 *   heartbeat key `<keyPrefix>i:<instance id>` (`PX ttlMs`); `heartbeat` refreshes the latter.
 * - `lookup` answers the owner only while its heartbeat key exists (one script, one round trip): an instance that
 *   stops heartbeating — it crashed, or lost Redis — has its sessions look up as `undefined` within `ttlMs`.
 * - `release` deletes the session key.
 * - Session ids and owners are checked before any command: ids of 1 to 256 visible ASCII characters only.
 *
 * @example
 * ```ts
 * const sessionDirectory = new RedisSessionDirectory({ url: 'redis://127.0.0.1:6379' });
 * const route = createNodeMcpRoute({
 *     createServer,
 *     sessionDirectory,
 *     instance: { instanceId: `${os.hostname()}:${process.pid}`, url: 'http://10.0.0.7:3000/mcp' }
 * });
 * ```
 */
export class RedisSessionDirectory implements SessionDirectory {
    /** @inheritDoc */
    readonly heartbeatIntervalMs: number;
    /** The prefix of every key this directory reads or writes. */
    readonly keyPrefix: string;
    private readonly _ttlMs: number;
    /** How long a session's entry is kept after a claim, in ms (owners re-claim the sessions they serve). */
    readonly sessionTtlMs: number;
    private readonly _connection: RedisConnection;

    /** @throws {@link RedisSessionDirectoryError} `INVALID_OPTIONS` when the options are missing or out of range. */
    constructor(options: RedisSessionDirectoryOptions) {
        this.keyPrefix = checkKeyPrefix(options.keyPrefix ?? 'mcp:sessions:', invalidOptions);
        this._ttlMs = checkInteger(options.ttlMs ?? 15_000, 'ttlMs', invalidOptions, 2);
        this.heartbeatIntervalMs = checkInteger(
            options.heartbeatIntervalMs ?? Math.max(1, Math.floor(this._ttlMs / 3)),
            'heartbeatIntervalMs',
            invalidOptions,
            1,
            this._ttlMs - 1
        );
        this.sessionTtlMs = checkInteger(options.sessionTtlMs ?? 86_400_000, 'sessionTtlMs', invalidOptions, 1);
        this._connection = new RedisConnection(options, invalidOptions);
    }

    /**
     * Marks `owner` live for `ttlMs`.
     *
     * @throws {@link RedisSessionDirectoryError} `INVALID_OWNER`, `DIRECTORY_CLOSED` or `REDIS_COMMAND_FAILED`.
     */
    async heartbeat(owner: SessionOwner): Promise<void> {
        checkOwner(owner);
        await this._send(['SET', this._instanceKey(owner.instanceId), '1', 'PX', String(this._ttlMs)]);
    }

    /**
     * Records `owner` as the owner of `sessionId` and marks it live, in one transaction.
     *
     * @throws {@link RedisSessionDirectoryError} `INVALID_SESSION_ID` or `INVALID_OWNER` (no command sent),
     * `SESSION_ID_IN_USE` (another instance holds the id), `DIRECTORY_CLOSED` or `REDIS_COMMAND_FAILED`.
     */
    async claim(sessionId: string, owner: SessionOwner): Promise<void> {
        checkSessionId(sessionId);
        checkOwner(owner);
        const entry = `${owner.instanceId}\n${owner.url}`;
        const claimed = await this._send([
            'EVAL',
            CLAIM_SCRIPT,
            '2',
            this._sessionKey(sessionId),
            this._instanceKey(owner.instanceId),
            entry,
            String(this.sessionTtlMs),
            String(this._ttlMs),
            `${owner.instanceId}\n`
        ]);
        if (claimed !== 1) {
            throw new RedisSessionDirectoryError(
                'SESSION_ID_IN_USE',
                `Session ${JSON.stringify(sessionId)} is held by another instance`
            );
        }
    }

    /**
     * The live owner of `sessionId`; `undefined` when the id is malformed (no command sent), unknown, released,
     * expired, or its owner's heartbeat lapsed.
     *
     * @throws {@link RedisSessionDirectoryError} `CORRUPT_ENTRY`, `DIRECTORY_CLOSED` or `REDIS_COMMAND_FAILED`.
     */
    async lookup(sessionId: string): Promise<SessionOwner | undefined> {
        if (!isWellFormedSessionId(sessionId)) return undefined;
        const reply = await this._send([
            'EVAL',
            LOOKUP_SCRIPT,
            '1',
            this._sessionKey(sessionId),
            this._instanceKey('')
        ]);
        if (reply === null || reply === undefined) return undefined;
        const entry = typeof reply === 'string' ? reply : '';
        const newline = entry.indexOf('\n');
        const owner = { instanceId: entry.slice(0, newline), url: entry.slice(newline + 1) };
        if (newline < 0 || !isWellFormedSessionOwner(owner)) {
            throw new RedisSessionDirectoryError(
                'CORRUPT_ENTRY',
                `The entry of session ${JSON.stringify(sessionId)} was not written by this directory`
            );
        }
        return owner;
    }

    /**
     * Forgets `sessionId`.
     *
     * @throws {@link RedisSessionDirectoryError} `INVALID_SESSION_ID` (no command sent), `DIRECTORY_CLOSED` or
     * `REDIS_COMMAND_FAILED`.
     */
    async release(sessionId: string, owner?: SessionOwner): Promise<void> {
        checkSessionId(sessionId);
        if (owner === undefined) {
            await this._send(['DEL', this._sessionKey(sessionId)]);
            return;
        }
        checkOwner(owner);
        await this._send(['EVAL', RELEASE_SCRIPT, '1', this._sessionKey(sessionId), `${owner.instanceId}\n`]);
    }

    /** Stops the directory; closes the Redis client only if the directory created it. Idempotent. */
    async close(): Promise<void> {
        await this._connection.close();
    }

    private _sessionKey(sessionId: string): string {
        return `${this.keyPrefix}s:${sessionId}`;
    }

    private _instanceKey(instanceId: string): string {
        return `${this.keyPrefix}i:${instanceId}`;
    }

    /** Sends a command (connecting an owned client first), turning a Redis failure into a coded error. */
    private async _send(args: readonly string[]): Promise<unknown> {
        const client = await this._connection.ready(
            () => new RedisSessionDirectoryError('DIRECTORY_CLOSED', 'The session directory is closed'),
            cause => new RedisSessionDirectoryError('REDIS_COMMAND_FAILED', 'Could not connect to Redis', { cause })
        );
        try {
            return await client.sendCommand(args);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new RedisSessionDirectoryError('REDIS_COMMAND_FAILED', `Redis ${args[0]} failed: ${reason}`, {
                cause: error
            });
        }
    }
}

function checkSessionId(sessionId: unknown): void {
    if (!isWellFormedSessionId(sessionId)) {
        throw new RedisSessionDirectoryError(
            'INVALID_SESSION_ID',
            'A session id must be 1 to 256 visible ASCII characters'
        );
    }
}

function checkOwner(owner: unknown): void {
    if (!isWellFormedSessionOwner(owner)) {
        throw new RedisSessionDirectoryError(
            'INVALID_OWNER',
            'An owner needs an instanceId of 1 to 256 visible ASCII characters and an absolute http(s) url'
        );
    }
}

function invalidOptions(reason: string): RedisSessionDirectoryError {
    return new RedisSessionDirectoryError('INVALID_OPTIONS', `Invalid RedisSessionDirectory options: ${reason}`);
}
