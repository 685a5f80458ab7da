/**
 * Events written through one `RedisEventStore` (one server instance, one Redis connection) are replayed by
 * another, in order and exactly once, from any event id; concurrent writers to one stream keep one total order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { RedisEventStore } from '../src/index.js';
import { param } from './messages.js';
import { connectClient, recording, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';

const note = (writer: string, n: number): JSONRPCMessage => ({
    jsonrpc: '2.0',
    method: 'notifications/progress',
    params: { progressToken: writer, progress: n }
});

let redis: RedisServer;
const clients: TestClient[] = [];

beforeAll(async () => {
    redis = await startRedis();
});
afterAll(async () => {
    await Promise.all(clients.map(client => client.close()));
    await redis?.stop();
});

/** A store on a connection of its own, as another server instance would have. */
async function instance(keyPrefix: string, options: { replayPageSize?: number } = {}) {
    const client = await connectClient(redis);
    clients.push(client);
    return new RedisEventStore({ client, keyPrefix, ...options });
}

async function replay(store: RedisEventStore, after: string) {
    const sent: { id: string; message: JSONRPCMessage }[] = [];
    const streamId = await store.replayEventsAfter(after, {
        send: async (id, message) => void sent.push({ id, message })
    });
    return { streamId, sent };
}

/** Redis entry ids compared numerically: `<ms>-<seq>`, the last part of an event id. */
function entryOrder(eventId: string): [bigint, bigint] {
    const [ms, seq] = eventId.slice(eventId.lastIndexOf('.') + 1).split('-');
    return [BigInt(ms!), BigInt(seq!)];
}
function isBefore(a: string, b: string): boolean {
    const [am, as] = entryOrder(a);
    const [bm, bs] = entryOrder(b);
    return am < bm || (am === bm && as < bs);
}

describe('replay from another instance', () => {
    test('events one instance stored are replayed by another, in order, each once, with the ids it was given', async () => {
        const prefix = uniquePrefix();
        const writer = await instance(prefix);
        const reader = await instance(prefix);
        const stream = 'session-1:7';
        const ids: string[] = [];
        for (let n = 0; n < 25; n++) ids.push(await writer.storeEvent(stream, note('w', n)));
        await writer.storeEvent('session-1:8', note('other', 0)); // another stream of the same session

        expect(await reader.getStreamIdForEventId(ids[0]!)).toBe(stream);
        const { streamId, sent } = await replay(reader, ids[0]!);
        expect(streamId).toBe(stream);
        expect(sent.map(e => e.message)).toEqual(Array.from({ length: 24 }, (_, i) => note('w', i + 1)));
        expect(sent.map(e => e.id)).toEqual(ids.slice(1));
    });

    test('replay after each id sends exactly the events stored after it, across page boundaries', async () => {
        const prefix = uniquePrefix();
        const writer = await instance(prefix);
        const reader = await instance(prefix, { replayPageSize: 4 });
        const stream = 'session-2:get';
        const ids: string[] = [];
        for (let n = 0; n < 30; n++) ids.push(await writer.storeEvent(stream, note('w', n)));
        for (let i = 0; i < ids.length; i++) {
            const { sent } = await replay(reader, ids[i]!);
            expect(sent.map(e => e.id)).toEqual(ids.slice(i + 1));
            expect(sent.map(e => param(e.message, 'progress'))).toEqual(
                Array.from({ length: 29 - i }, (_, k) => i + 1 + k)
            );
        }
    });

    test('a replay reads pages of replayPageSize entries and reads the next page only after the sink took the last', async () => {
        const prefix = uniquePrefix();
        const writer = await instance(prefix);
        const client = await connectClient(redis);
        clients.push(client);
        const spy = recording(client);
        const reader = new RedisEventStore({ client: spy, keyPrefix: prefix, replayPageSize: 10 });
        const first = await writer.storeEvent('s:1', note('w', 0));
        for (let n = 1; n <= 95; n++) await writer.storeEvent('s:1', note('w', n));

        let delivered = 0;
        const deliveredAtRead: number[] = [];
        const original = spy.sendCommand;
        spy.sendCommand = args => {
            if (args[0] === 'XRANGE') deliveredAtRead.push(delivered);
            return original(args);
        };
        await reader.replayEventsAfter(first, {
            send: async () => {
                await new Promise(resolve => setImmediate(resolve));
                delivered++;
            }
        });
        expect(delivered).toBe(95);
        // 10 pages of 10 (the anchor plus 10 new entries each), the last one short.
        expect(deliveredAtRead).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
        const counts = spy.commands.filter(c => c[0] === 'XRANGE').map(c => c[c.indexOf('COUNT') + 1]);
        expect(new Set(counts)).toEqual(new Set(['11']));
    });

    test('events stored while a replay runs are replayed too, once', async () => {
        const prefix = uniquePrefix();
        const writer = await instance(prefix);
        const reader = await instance(prefix, { replayPageSize: 2 });
        const first = await writer.storeEvent('s:2', note('w', 0));
        for (let n = 1; n <= 3; n++) await writer.storeEvent('s:2', note('w', n));
        const seen: unknown[] = [];
        await reader.replayEventsAfter(first, {
            send: async (_id, message) => {
                const n = param(message, 'progress');
                seen.push(n);
                if (n === 1) await writer.storeEvent('s:2', note('w', 4));
            }
        });
        expect(seen).toEqual([1, 2, 3, 4]);
    });

    test('concurrent writers to one stream keep one total order, each writer’s events in its own order', async () => {
        const prefix = uniquePrefix();
        const writers = await Promise.all([instance(prefix), instance(prefix), instance(prefix)]);
        const reader = await instance(prefix, { replayPageSize: 50 });
        const stream = 'shared:1';
        const start = await reader.storeEvent(stream, note('start', 0));
        const perWriter = 150;
        // Each writer fires all its writes at once on its connection; the three connections interleave in Redis.
        const stored = await Promise.all(
            writers.map((store, w) =>
                Promise.all(Array.from({ length: perWriter }, (_, n) => store.storeEvent(stream, note(`w${w}`, n))))
            )
        );
        const { sent } = await replay(reader, start);
        expect(sent).toHaveLength(3 * perWriter);
        for (let i = 1; i < sent.length; i++) expect(isBefore(sent[i - 1]!.id, sent[i]!.id)).toBe(true);
        expect(new Set(sent.map(e => e.id)).size).toBe(sent.length);
        expect(new Set(sent.map(e => e.id))).toEqual(new Set(stored.flat()));
        for (let w = 0; w < writers.length; w++) {
            const own = sent.filter(e => param(e.message, 'progressToken') === `w${w}`);
            expect(own.map(e => param(e.message, 'progress'))).toEqual(Array.from({ length: perWriter }, (_, n) => n));
            // The id a writer was given is the id the replay carries for that event.
            expect(own.map(e => e.id)).toEqual(stored[w]);
        }
    });

    test('an event id of a stream id with separators, non-ASCII and glob characters round-trips', async () => {
        const prefix = uniquePrefix();
        const writer = await instance(prefix);
        const reader = await instance(prefix);
        const stream = 'sé:ssion*?[x]_.:{tag}:get';
        const id = await writer.storeEvent(stream, note('w', 0));
        await writer.storeEvent(stream, note('w', 1));
        expect(id).toMatch(/^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.\d+-\d+$/);
        expect(await reader.getStreamIdForEventId(id)).toBe(stream);
        expect((await replay(reader, id)).sent.map(e => e.message)).toEqual([note('w', 1)]);
    });
});
