/**
 * A Redis-backed {@link EventStore}: the SSE events of Streamable HTTP streams (MCP 2025-11-25, Basic › Transports
 * › Streamable HTTP › Resumability and Redelivery) kept in Redis Streams, so a client's `Last-Event-ID` can be
 * answered by any server instance that shares the Redis, and an event survives the instance that wrote it.
 *
 * @module
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import { RedisConnection, checkInteger, checkKeyPrefix } from './connection.js';
import { RedisEventStoreError } from './errors.js';
import { encodeStreamId, formatEventId, namespaceTag, parseEventId } from './eventId.js';
import type { EventAddress } from './eventId.js';
import { appendEntry, readEntries } from './streamCommands.js';
import type { RedisCommandClient, StreamEntry } from './streamCommands.js';

/** Options of {@link RedisEventStore}: exactly one of `client` and `url`, and retention limits. */
export interface RedisEventStoreOptions {
    /**
     * A connected node-redis client (`await createClient(...).connect()`), which the store uses and never closes.
     * Pass a single client rather than a pool: the commands of one connection run in the order they were sent,
     * which keeps each stream's events in the order the transport stored them.
     */
    client?: RedisCommandClient | undefined;
    /**
     * A Redis URL (`redis://…` or `rediss://…`): the store creates its own client with node-redis's defaults,
     * connects it on first use and closes it in {@link RedisEventStore.close}.
     */
    url?: string | undefined;
    /**
     * Prefix of every key the store writes or reads; one key per MCP stream, `<keyPrefix><base64url stream id>`.
     * Must end with `:` (so no two prefixes share a key) and contain no control characters; at most 256
     * characters. Event ids carry a tag of the prefix: an id minted under another prefix is refused as foreign.
     * Default `mcp:events:`.
     */
    keyPrefix?: string | undefined;
    /**
     * Events kept per stream at least; older ones are trimmed as new ones arrive (`XADD … MAXLEN ~`, which trims
     * whole Redis macro nodes only, so up to one node — `stream-node-max-entries`, default 100 — more may be kept).
     * Default 1000.
     */
    maxEventsPerStream?: number | undefined;
    /**
     * How long an event stays replayable, in milliseconds on Redis's clock: each write trims the stream's entries
     * older than this (`XTRIM MINID`, exact) and sets the key to expire this long after the write, so an idle
     * stream disappears altogether: an event is replayable for at least `maxAgeMs` and at most twice that.
     * Default 600 000 (10 minutes).
     */
    maxAgeMs?: number | undefined;
    /** Entries read per `XRANGE` while replaying, which bounds the memory of a replay. Default 100. */
    replayPageSize?: number | undefined;
    /** Called with the connection errors of a client the store created from `url` (they are otherwise dropped). */
    onConnectionError?: ((error: Error) => void) | undefined;
}

const DEFAULT_KEY_PREFIX = 'mcp:events:';

/**
 * An {@link EventStore} on Redis Streams, for Streamable HTTP servers that run as several instances or must not
 * lose events when an instance dies.
 *
 * - One stream key per MCP stream; `XADD` lets Redis assign entry ids, so events are totally ordered across every
 *   instance writing to a stream. `storeEvent` resolves once Redis executed the write: an instance that dies
 *   after that loses nothing.
 * - Event ids encode the MCP stream id (see the `eventId` module), so `getStreamIdForEventId` and
 *   `replayEventsAfter` work on any instance from the id alone.
 * - Replay reads pages of `replayPageSize` entries, each anchored on the last entry delivered (`XRANGE` from that
 *   id, inclusive, skipping it): the check that the client's `Last-Event-ID` is still retained and the first read
 *   are one command, and a replay that retention overtakes fails (`REPLAY_OVERTAKEN`) instead of skipping events.
 * - Retention is bounded by count and by age (see {@link RedisEventStoreOptions}); a `Last-Event-ID` whose event
 *   was trimmed is refused (`UNKNOWN_EVENT_ID`) rather than answered with a replay that has a gap.
 * - A malformed or foreign `Last-Event-ID` is refused with a {@link RedisEventStoreError} before any command is
 *   sent; `getStreamIdForEventId` answers `undefined` for it, which the transport turns into a 400.
 * - The store knows streams, not sessions: that a resumed stream belongs to the requesting session is checked by
 *   the transport (stream ids start with the session id), before it asks for a replay.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
 * import { RedisEventStore } from '@modelcontextprotocol/redis';
 *
 * const redis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const eventStore = new RedisEventStore({ client: redis, maxAgeMs: 5 * 60_000 });
 * const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID(), eventStore });
 * ```
 */
export class RedisEventStore implements EventStore {
    /** The prefix of every key this store reads or writes. */
    readonly keyPrefix: string;

    private readonly _connection: RedisConnection;
    private readonly _tag: string;
    private readonly _retention: { readonly maxEntries: number; readonly maxAgeMs: number };
    private readonly _pageSize: number;

    /** @throws {@link RedisEventStoreError} `INVALID_OPTIONS` when the options are missing or out of range. */
    constructor(options: RedisEventStoreOptions) {
        this.keyPrefix = checkKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX, invalidOptions);
        this._tag = namespaceTag(this.keyPrefix);
        this._retention = {
            maxEntries: checkInteger(options.maxEventsPerStream ?? 1000, 'maxEventsPerStream', invalidOptions, 1),
            maxAgeMs: checkInteger(options.maxAgeMs ?? 600_000, 'maxAgeMs', invalidOptions, 1)
        };
        this._pageSize = checkInteger(options.replayPageSize ?? 100, 'replayPageSize', invalidOptions, 1, 10_000);
        this._connection = new RedisConnection(options, invalidOptions);
    }

    /**
     * Appends `message` to `streamId`'s Redis stream (applying retention) and resolves with its event id once
     * Redis has executed the write.
     *
     * @throws {@link RedisEventStoreError} `INVALID_STREAM_ID`, `STORE_CLOSED` or `REDIS_COMMAND_FAILED`.
     */
    async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
        const encoded = encodeStreamId(streamId);
        const client = await this._ready();
        const entryId = await appendEntry(client, this.keyPrefix + encoded, JSON.stringify(message), this._retention);
        return formatEventId(this._tag, encoded, entryId);
    }

    /**
     * The stream `eventId` belongs to, when the id is one of this store's and its event is still retained;
     * `undefined` otherwise (malformed, foreign, trimmed or expired ids included).
     *
     * @throws {@link RedisEventStoreError} `STORE_CLOSED` or `REDIS_COMMAND_FAILED` only.
     */
    async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
        let address: EventAddress;
        try {
            address = parseEventId(eventId, this._tag);
        } catch {
            return undefined;
        }
        const client = await this._ready();
        const [entry] = await readEntries(client, this.keyPrefix + address.encodedStreamId, address.entryId, 1);
        return entry?.id === address.entryId ? address.streamId : undefined;
    }

    /**
     * Sends, in order and each once, the events of `lastEventId`'s stream stored after it (events stored while the
     * replay runs included), awaiting `sink.send` for each, and resolves with the stream's id.
     *
     * @throws {@link RedisEventStoreError} `MALFORMED_EVENT_ID` or `FOREIGN_EVENT_ID` (no command sent),
     * `UNKNOWN_EVENT_ID` when the event is no longer retained or never existed, `REPLAY_OVERTAKEN` when retention
     * trimmed events not yet replayed, `CORRUPT_EVENT`, `STORE_CLOSED` or `REDIS_COMMAND_FAILED`.
     */
    async replayEventsAfter(
        lastEventId: EventId,
        sink: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }
    ): Promise<StreamId> {
        const address = parseEventId(lastEventId, this._tag);
        const key = this.keyPrefix + address.encodedStreamId;
        let anchor = address.entryId;
        for (let page = 0; ; page++) {
            const client = await this._ready();
            const entries = await readEntries(client, key, anchor, this._pageSize + 1);
            if (entries[0]?.id !== anchor) {
                throw page === 0
                    ? new RedisEventStoreError('UNKNOWN_EVENT_ID', 'The event is no longer retained, or never existed')
                    : new RedisEventStoreError(
                          'REPLAY_OVERTAKEN',
                          'Retention trimmed events before they were replayed'
                      );
            }
            for (let i = 1; i < entries.length; i++) {
                const entry = entries[i]!;
                await sink.send(formatEventId(this._tag, address.encodedStreamId, entry.id), decodeMessage(key, entry));
            }
            if (entries.length <= this._pageSize) return address.streamId;
            anchor = entries[entries.length - 1]!.id;
        }
    }

    /**
     * Stops the store: later calls reject with `STORE_CLOSED`. Closes the Redis client only if the store created
     * it (from `url`); a client passed in stays open. Idempotent.
     */
    async close(): Promise<void> {
        await this._connection.close();
    }

    /** The client, connected first when the store owns it. */
    private _ready(): Promise<RedisCommandClient> {
        return this._connection.ready(
            () => new RedisEventStoreError('STORE_CLOSED', 'The event store is closed'),
            cause => new RedisEventStoreError('REDIS_COMMAND_FAILED', 'Could not connect to Redis', { cause })
        );
    }
}

/** A stored message, as written by {@link RedisEventStore.storeEvent}: a JSON object. */
function decodeMessage(key: string, entry: StreamEntry): JSONRPCMessage {
    let value: unknown;
    try {
        value = JSON.parse(entry.data);
    } catch (error) {
        throw new RedisEventStoreError('CORRUPT_EVENT', `Entry ${entry.id} of ${key} is not JSON`, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RedisEventStoreError('CORRUPT_EVENT', `Entry ${entry.id} of ${key} is not a JSON object`);
    }
    return value as JSONRPCMessage;
}

function invalidOptions(reason: string): RedisEventStoreError {
    return new RedisEventStoreError('INVALID_OPTIONS', `Invalid RedisEventStore options: ${reason}`);
}
