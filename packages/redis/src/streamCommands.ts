/**
 * The Redis commands of {@link RedisEventStore} and the decoding of their replies, on any client that offers
 * `sendCommand(args)` (node-redis's standalone client; RESP2 or RESP3, both reply alike to these commands).
 *
 * @module
 */
import { RedisEventStoreError } from './errors.js';

/** What the store needs from a Redis client: node-redis's `sendCommand`, on one connection. */
export interface RedisCommandClient {
    /** Sends one command (name and arguments as strings) and resolves with Redis's reply. */
    sendCommand(args: readonly string[]): Promise<unknown>;
}

/** The field of a stream entry that holds the serialized message. */
const MESSAGE_FIELD = 'm';

/**
 * Appends one event and applies retention, atomically and in one round trip. The entry id is assigned by Redis
 * (`*`), so ids are ordered across every writer of the stream; age is measured on the clock that stamped that
 * id, not on the writer's.
 * - `MAXLEN ~ <count>`: keeps at least the newest `count` entries, trimming whole macro nodes only (cheap).
 * - `MINID <id ms - maxAge>`: drops, exactly, the entries older than `maxAge` milliseconds.
 * - `PEXPIRE <maxAge>`: a stream nobody writes to for `maxAge` disappears altogether (its entries are all older).
 *
 * KEYS[1]: the stream key. ARGV: max entries, max age in ms, the message.
 */
const APPEND_SCRIPT = `local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${MESSAGE_FIELD}', ARGV[3])
local oldest = tonumber(string.match(id, '^%d+')) - tonumber(ARGV[2])
if oldest > 0 then redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', oldest)) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return id`;

/** One entry of a stream as read back: its Redis id and the serialized message. */
export interface StreamEntry {
    readonly id: string;
    readonly data: string;
}

/**
 * Appends `data` to the stream at `key` with retention applied; resolves with the entry id once Redis executed
 * the command (and so holds the event).
 */
export async function appendEntry(
    client: RedisCommandClient,
    key: string,
    data: string,
    retention: { readonly maxEntries: number; readonly maxAgeMs: number }
): Promise<string> {
    const reply = await send(client, [
        'EVAL',
        APPEND_SCRIPT,
        '1',
        key,
        String(retention.maxEntries),
        String(retention.maxAgeMs),
        data
    ]);
    if (typeof reply !== 'string' || !/^\d+-\d+$/.test(reply)) throw corrupt(key, 'XADD did not return an entry id');
    return reply;
}

/**
 * Reads at most `count` entries of the stream at `key`, from entry `start` inclusive (`XRANGE key start + COUNT
 * count`); an absent key reads as an empty stream.
 */
export async function readEntries(
    client: RedisCommandClient,
    key: string,
    start: string,
    count: number
): Promise<StreamEntry[]> {
    const reply = await send(client, ['XRANGE', key, start, '+', 'COUNT', String(count)]);
    if (!Array.isArray(reply)) throw corrupt(key, 'XRANGE did not return a list');
    return reply.map(entry => decodeEntry(key, entry));
}

/** Sends a command, turning a Redis failure into a coded error. */
async function send(client: RedisCommandClient, args: readonly string[]): Promise<unknown> {
    try {
        return await client.sendCommand(args);
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RedisEventStoreError('REDIS_COMMAND_FAILED', `Redis ${args[0]} failed: ${reason}`, { cause: error });
    }
}

/** One XRANGE entry, `[id, [field, value, …]]` (fields as a flat list in RESP2 and RESP3 alike). */
function decodeEntry(key: string, entry: unknown): StreamEntry {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) {
        throw corrupt(key, 'an XRANGE entry is not [id, fields]');
    }
    const fields: unknown[] = entry[1];
    if (fields.length !== 2 || fields[0] !== MESSAGE_FIELD || typeof fields[1] !== 'string') {
        throw corrupt(key, `entry ${entry[0]} was not written by this store`);
    }
    return { id: entry[0], data: fields[1] };
}

function corrupt(key: string, reason: string): RedisEventStoreError {
    return new RedisEventStoreError('CORRUPT_EVENT', `Unexpected content in stream ${JSON.stringify(key)}: ${reason}`);
}
