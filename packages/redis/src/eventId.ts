/**
 * The event ids of {@link RedisEventStore}: what the server sends as the SSE `id` field and reads back from a
 * reconnecting client's `Last-Event-ID` header (MCP 2025-11-25, Basic › Transports › Streamable HTTP ›
 * Resumability and Redelivery), so the only part of this package that parses client input.
 *
 * An event id is `<tag>.<stream>.<entry>`:
 * - `tag`: 8 base64url characters derived from the store's key prefix, so an id minted by a store of another
 *   deployment or tenant is recognised as foreign instead of being looked up here;
 * - `stream`: the MCP stream id, UTF-8 then base64url without padding (canonical), which is also the last part of
 *   the Redis key, so any instance finds the stream from the id alone and no client byte reaches a key unencoded;
 * - `entry`: the Redis Streams entry id `<ms>-<seq>` that Redis assigned on `XADD` (canonical decimal, each part
 *   below 2^64).
 *
 * Parsing is strict and bounded: the length is checked before anything else, then the whole id against one
 * anchored pattern, then each part for canonical form, so a hostile id (`*`, `+`, `-`, `$`, `(1-0`, glob
 * characters, CR/LF, megabytes) is refused without a Redis command.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { RedisEventStoreError } from './errors.js';

/** Longest MCP stream id accepted, in UTF-8 bytes (the transport's are `<session id>:<n>`). */
export const MAX_STREAM_ID_BYTES = 512;
const TAG_LENGTH = 8;
const MAX_ENCODED_STREAM_ID = Math.ceil((MAX_STREAM_ID_BYTES * 4) / 3);
/** Longest well-formed event id: tag, dot, encoded stream id, dot, two 20-digit numbers and a hyphen. */
export const MAX_EVENT_ID_LENGTH = TAG_LENGTH + 1 + MAX_ENCODED_STREAM_ID + 1 + 20 + 1 + 20;
const EVENT_ID = /^([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]+)\.((?:0|[1-9][0-9]{0,19})-(?:0|[1-9][0-9]{0,19}))$/;
const MAX_U64 = 2n ** 64n - 1n;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where an event lives: its MCP stream, that stream's key suffix, and the Redis entry id. */
export interface EventAddress {
    readonly streamId: string;
    /** The base64url form of `streamId`: the Redis key is the key prefix followed by it. */
    readonly encodedStreamId: string;
    /** The Redis Streams entry id, `<ms>-<seq>`. */
    readonly entryId: string;
}

/** The tag that marks the event ids of stores using `keyPrefix`. */
export function namespaceTag(keyPrefix: string): string {
    return createHash('sha256').update(keyPrefix, 'utf8').digest('base64url').slice(0, TAG_LENGTH);
}

/**
 * The base64url form of an MCP stream id.
 *
 * @throws {@link RedisEventStoreError} `INVALID_STREAM_ID` unless `streamId` is a non-empty, well-formed string
 * of at most {@link MAX_STREAM_ID_BYTES} UTF-8 bytes.
 */
export function encodeStreamId(streamId: unknown): string {
    if (typeof streamId !== 'string' || streamId === '') {
        throw new RedisEventStoreError('INVALID_STREAM_ID', 'The stream id must be a non-empty string');
    }
    const bytes = Buffer.from(streamId, 'utf8');
    if (bytes.length > MAX_STREAM_ID_BYTES || bytes.toString('utf8') !== streamId) {
        throw new RedisEventStoreError(
            'INVALID_STREAM_ID',
            `The stream id must be well-formed text of at most ${MAX_STREAM_ID_BYTES} UTF-8 bytes`
        );
    }
    return bytes.toString('base64url');
}

/** The event id of entry `entryId` of the stream whose encoded id is `encodedStreamId`. */
export function formatEventId(tag: string, encodedStreamId: string, entryId: string): string {
    return `${tag}.${encodedStreamId}.${entryId}`;
}

/**
 * Reads an event id minted by a store whose tag is `tag`. Performs no I/O.
 *
 * @throws {@link RedisEventStoreError} `MALFORMED_EVENT_ID` for anything that is not an id of this shape, and
 * `FOREIGN_EVENT_ID` for a well-formed id of another key prefix.
 */
export function parseEventId(eventId: unknown, tag: string): EventAddress {
    if (typeof eventId !== 'string') throw malformed('it is not a string');
    if (eventId.length > MAX_EVENT_ID_LENGTH) throw malformed(`it is longer than ${MAX_EVENT_ID_LENGTH} characters`);
    const match = EVENT_ID.exec(eventId);
    if (!match) throw malformed('it does not have the shape <tag>.<stream>.<ms>-<seq>');
    const [, idTag, encodedStreamId, entryId] = match as unknown as [string, string, string, string];
    const [ms, seq] = entryId.split('-') as [string, string];
    if (BigInt(ms) > MAX_U64 || BigInt(seq) > MAX_U64) throw malformed('its entry id is out of range');
    const bytes = Buffer.from(encodedStreamId, 'base64url');
    if (bytes.length > MAX_STREAM_ID_BYTES || bytes.toString('base64url') !== encodedStreamId) {
        throw malformed('its stream part is not canonical base64url of at most 512 bytes');
    }
    let streamId: string;
    try {
        streamId = utf8.decode(bytes);
    } catch (error) {
        throw malformed('its stream part is not UTF-8', error);
    }
    if (streamId === '') throw malformed('its stream part is empty');
    if (idTag !== tag) {
        throw new RedisEventStoreError(
            'FOREIGN_EVENT_ID',
            'The event id was minted by a store with another key prefix'
        );
    }
    return { streamId, encodedStreamId, entryId };
}

function malformed(reason: string, cause?: unknown): RedisEventStoreError {
    return new RedisEventStoreError('MALFORMED_EVENT_ID', `Malformed event id: ${reason}`, { cause });
}
