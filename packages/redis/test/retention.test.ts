/**
 * Bounded retention: by count (`MAXLEN ~`: at least the newest `maxEventsPerStream`, at most one Redis macro node
 * more) and by age (`XTRIM MINID` on each write, the key expiring when the stream idles). A `Last-Event-ID` whose
 * event is gone is refused as unknown, never answered with a replay that has a gap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { RedisEventStore } from '../src/index.js';
import { param } from './messages.js';
import { connectClient, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';

const note = (n: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { data: n } });

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

async function replayed(store: RedisEventStore, after: string): Promise<unknown[]> {
    const data: unknown[] = [];
    await store.replayEventsAfter(after, {
        send: async (_id, message) => void data.push(param(message, 'data'))
    });
    return data;
}

/** The Redis key of a stream, as the store names it. */
const keyOf = (store: RedisEventStore, streamId: string) =>
    store.keyPrefix + Buffer.from(streamId, 'utf8').toString('base64url');

describe('retention by count', () => {
    test('keeps at least the newest maxEventsPerStream events and at most one macro node more', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix(), maxEventsPerStream: 20 });
        const ids: string[] = [];
        for (let n = 0; n < 600; n++) ids.push(await store.storeEvent('s:1', note(n)));
        const length = Number(await client.sendCommand(['XLEN', keyOf(store, 's:1')]));
        expect(length).toBeGreaterThanOrEqual(20);
        expect(length).toBeLessThanOrEqual(20 + 100); // stream-node-max-entries defaults to 100
        // The newest 20 are replayable: after the 20th newest, the 19 after it.
        expect(await replayed(store, ids[580]!)).toEqual(Array.from({ length: 19 }, (_, i) => 581 + i));
        // The oldest ones are gone: resuming from them is refused, not answered with a gap.
        await expect(replayed(store, ids[0]!)).rejects.toMatchObject({
            name: 'RedisEventStoreError',
            code: 'UNKNOWN_EVENT_ID'
        });
        expect(await store.getStreamIdForEventId(ids[0]!)).toBeUndefined();
        expect(await store.getStreamIdForEventId(ids[599]!)).toBe('s:1');
    });
});

describe('retention by age', () => {
    test('a write trims the entries older than maxAgeMs, exactly, and the key expires maxAgeMs after the last write', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix(), maxAgeMs: 500 });
        const old = await store.storeEvent('s:2', note(1));
        await store.storeEvent('s:2', note(2));
        const ttl = Number(await client.sendCommand(['PTTL', keyOf(store, 's:2')]));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(500);

        await sleep(700);
        const fresh = await store.storeEvent('s:2', note(3));
        await store.storeEvent('s:2', note(4));
        expect(Number(await client.sendCommand(['XLEN', keyOf(store, 's:2')]))).toBe(2);
        await expect(replayed(store, old)).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_ID' });
        expect(await replayed(store, fresh)).toEqual([4]);

        await sleep(700); // idle: the whole stream expires
        expect(Number(await client.sendCommand(['EXISTS', keyOf(store, 's:2')]))).toBe(0);
        expect(await store.getStreamIdForEventId(fresh)).toBeUndefined();
        await expect(replayed(store, fresh)).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_ID' });
    });
});

describe('unknown event ids', () => {
    test('a well-formed id of this store that never existed, or of a stream that does not exist, is unknown', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix() });
        const real = await store.storeEvent('s:3', note(1));
        await store.storeEvent('s:3', note(2));
        const [tag, stream, entry] = real.split('.') as [string, string, string];
        const [ms, seq] = entry.split('-').map(BigInt) as [bigint, bigint];
        const neverStored = [
            `${tag}.${stream}.${ms}-${seq + 1000n}`, // same stream, an entry id between or after the real ones
            `${tag}.${stream}.0-1`,
            `${tag}.${Buffer.from('no-such-stream').toString('base64url')}.${entry}` // no such key
        ];
        for (const id of neverStored) {
            await expect(replayed(store, id), id).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_ID' });
            expect(await store.getStreamIdForEventId(id), id).toBeUndefined();
        }
    });

    test('a replay that retention overtakes fails instead of skipping events', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix(), replayPageSize: 2 });
        const first = await store.storeEvent('s:4', note(0));
        for (let n = 1; n <= 5; n++) await store.storeEvent('s:4', note(n));
        const seen: unknown[] = [];
        const replay = store.replayEventsAfter(first, {
            send: async (_id, message) => {
                seen.push(param(message, 'data'));
                // Another instance trims everything while this replay is between pages.
                if (seen.length === 1) await client.sendCommand(['XTRIM', keyOf(store, 's:4'), 'MAXLEN', '0']);
            }
        });
        await expect(replay).rejects.toMatchObject({ code: 'REPLAY_OVERTAKEN' });
        expect(seen).toEqual([1, 2]);
    });
});
