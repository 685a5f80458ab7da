/**
 * A `Last-Event-ID` is client input. Whatever it holds — the wrong shape, another store's prefix, megabytes,
 * Redis range syntax (`*`, `+`, `-`, `$`, `(`), key-pattern characters, CR/LF — the store refuses it with a coded
 * `RedisEventStoreError` before sending any command (`getStreamIdForEventId` answers `undefined`), and no id
 * ever makes it read a key outside its prefix.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { MAX_EVENT_ID_LENGTH, RedisEventStore, RedisEventStoreError } from '../src/index.js';
import type { RedisEventStoreErrorCode } from '../src/index.js';
import { connectClient, recording, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';

const note: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'secret' } };

let redis: RedisServer;
let client: TestClient;

beforeAll(async () => {
    redis = await startRedis();
    client = await connectClient(redis);
});
afterAll(async () => {
    await client?.close();
    await redis?.stop();
});

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Hostile ids built around a real one (`tag`, encoded stream, entry id). */
function vectors(real: string, foreign: string): [string, unknown, RedisEventStoreErrorCode][] {
    const [tag, stream, entry] = real.split('.') as [string, string, string];
    return [
        ['empty', '', 'MALFORMED_EVENT_ID'],
        ['XRANGE start "-"', '-', 'MALFORMED_EVENT_ID'],
        ['XRANGE end "+"', '+', 'MALFORMED_EVENT_ID'],
        ['XADD "*"', '*', 'MALFORMED_EVENT_ID'],
        ['XREAD "$"', '$', 'MALFORMED_EVENT_ID'],
        ['bare entry id', entry, 'MALFORMED_EVENT_ID'],
        ['in-memory store id', 'session:1_5', 'MALFORMED_EVENT_ID'],
        ['entry "-"', `${tag}.${stream}.-`, 'MALFORMED_EVENT_ID'],
        ['entry "+"', `${tag}.${stream}.+`, 'MALFORMED_EVENT_ID'],
        ['entry "*"', `${tag}.${stream}.*`, 'MALFORMED_EVENT_ID'],
        ['exclusive entry "(id"', `${tag}.${stream}.(${entry}`, 'MALFORMED_EVENT_ID'],
        ['entry without seq', `${tag}.${stream}.${entry.split('-')[0]}`, 'MALFORMED_EVENT_ID'],
        ['entry with three parts', `${tag}.${stream}.${entry}-1`, 'MALFORMED_EVENT_ID'],
        ['entry with leading zero', `${tag}.${stream}.0${entry}`, 'MALFORMED_EVENT_ID'],
        ['entry beyond 2^64', `${tag}.${stream}.18446744073709551616-0`, 'MALFORMED_EVENT_ID'],
        ['glob in stream part', `${tag}.*.${entry}`, 'MALFORMED_EVENT_ID'],
        ['raw key pattern', `${tag}.mcp:events:*.${entry}`, 'MALFORMED_EVENT_ID'],
        ['brackets and question mark', `${tag}.a?[b].${entry}`, 'MALFORMED_EVENT_ID'],
        ['padding', `${tag}.${stream}==.${entry}`, 'MALFORMED_EVENT_ID'],
        ['non-canonical base64url', `${tag}.${b64('ab').slice(0, -1)}B.${entry}`, 'MALFORMED_EVENT_ID'],
        [
            'stream part not UTF-8',
            `${tag}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.${entry}`,
            'MALFORMED_EVENT_ID'
        ],
        ['extra dot', `${tag}.${stream}.x.${entry}`, 'MALFORMED_EVENT_ID'],
        ['short tag', `${tag.slice(1)}.${stream}.${entry}`, 'MALFORMED_EVENT_ID'],
        ['CR/LF injection', `${real}\r\nFLUSHALL`, 'MALFORMED_EVENT_ID'],
        ['NUL', `${real}\u0000`, 'MALFORMED_EVENT_ID'],
        ['whitespace', ` ${real}`, 'MALFORMED_EVENT_ID'],
        ['absurd length', `${tag}.${'A'.repeat(1_000_000)}.${entry}`, 'MALFORMED_EVENT_ID'],
        ['just over the limit', 'a'.repeat(MAX_EVENT_ID_LENGTH + 1), 'MALFORMED_EVENT_ID'],
        ['stream id over 512 bytes', `${tag}.${b64('x'.repeat(513))}.${entry}`, 'MALFORMED_EVENT_ID'],
        ['not a string', 42, 'MALFORMED_EVENT_ID'],
        ['another prefix', foreign, 'FOREIGN_EVENT_ID'],
        ['another prefix, our stream', `${foreign.split('.')[0]}.${stream}.${entry}`, 'FOREIGN_EVENT_ID']
    ];
}

describe('hostile Last-Event-ID values', () => {
    test('each is refused with a coded error before any command is sent', async () => {
        const prefix = uniquePrefix();
        const spy = recording(client);
        const store = new RedisEventStore({ client: spy, keyPrefix: prefix });
        const real = await store.storeEvent('victim:1', note);
        await store.storeEvent('victim:1', note);
        const foreign = await new RedisEventStore({ client, keyPrefix: uniquePrefix() }).storeEvent('victim:1', note);
        spy.commands.length = 0;

        for (const [name, id, code] of vectors(real, foreign)) {
            const sink = { send: async () => expect.unreachable(`${name}: replayed an event`) };
            const error = await store.replayEventsAfter(id as string, sink).then(
                () => undefined,
                (e: unknown) => e
            );
            expect(error, name).toBeInstanceOf(RedisEventStoreError);
            expect((error as RedisEventStoreError).code, name).toBe(code);
            expect((error as Error).message.length, name).toBeLessThan(200);
            expect(await store.getStreamIdForEventId(id as string), name).toBeUndefined();
        }
        expect(spy.commands).toEqual([]);
        // The real id still works: nothing above disturbed the stream.
        expect(await store.getStreamIdForEventId(real)).toBe('victim:1');
    });

    test('no well-formed id reads a key outside the store’s prefix', async () => {
        const prefix = uniquePrefix();
        // A neighbour's data, under a longer prefix and under a bare key.
        const neighbour = new RedisEventStore({ client, keyPrefix: `${prefix}tenant2:` });
        await neighbour.storeEvent('s:1', note);
        await neighbour.storeEvent('s:1', note);
        await client.sendCommand(['XADD', 'plain-key', '*', 'm', '{}']);
        const spy = recording(client);
        const store = new RedisEventStore({ client: spy, keyPrefix: prefix });
        const tag = (await store.storeEvent('mine:1', note)).split('.')[0]!;
        const attempts = ['tenant2:s:1', ':tenant2:s:1', '../plain-key', 'plain-key', '*', `${prefix}*`, '\u0000'].map(
            stream => `${tag}.${b64(stream)}.0-1`
        );
        for (const id of attempts) {
            await expect(store.replayEventsAfter(id, { send: async () => {} })).rejects.toMatchObject({
                code: 'UNKNOWN_EVENT_ID'
            });
        }
        const keys = spy.commands.map(command => (command[0] === 'EVAL' ? command[3] : command[1])!);
        expect(keys.length).toBeGreaterThan(attempts.length);
        for (const key of keys) {
            expect(key.startsWith(prefix)).toBe(true);
            expect(key.slice(prefix.length)).toMatch(/^[A-Za-z0-9_-]+$/);
        }
    });

    test('storeEvent refuses stream ids it could not mint ids for', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix() });
        for (const streamId of ['', 'x'.repeat(513), '\ud800', 7 as unknown as string]) {
            await expect(store.storeEvent(streamId, note)).rejects.toMatchObject({ code: 'INVALID_STREAM_ID' });
        }
    });

    test('an entry this store did not write is reported as corrupt, not replayed', async () => {
        const prefix = uniquePrefix();
        const store = new RedisEventStore({ client, keyPrefix: prefix });
        const first = await store.storeEvent('s:9', note);
        await client.sendCommand(['XADD', `${prefix}${b64('s:9')}`, '*', 'm', 'not json']);
        await expect(store.replayEventsAfter(first, { send: async () => {} })).rejects.toMatchObject({
            code: 'CORRUPT_EVENT'
        });
        await client.sendCommand(['SET', `${prefix}${b64('s:10')}`, 'a string, not a stream']);
        await expect(store.storeEvent('s:10', note)).rejects.toMatchObject({ code: 'REDIS_COMMAND_FAILED' });
    });
});
