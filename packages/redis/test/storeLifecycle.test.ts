/**
 * Construction and shutdown: options are checked once, at construction, with a coded error; a store given a URL
 * connects its own client on first use and closes it, a store given a client never closes it; a closed store
 * refuses work with `STORE_CLOSED`; a store whose Redis is gone fails with `REDIS_COMMAND_FAILED`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { RedisEventStore, RedisEventStoreError } from '../src/index.js';
import type { RedisEventStoreOptions } from '../src/index.js';
import { connectClient, freePort, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';

const note: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/message', params: { data: 1 } };

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

describe('options', () => {
    test.each<[string, () => RedisEventStoreOptions]>([
        ['neither client nor url', () => ({})],
        ['both client and url', () => ({ client, url: redis.url })],
        ['a client without sendCommand', () => ({ client: {} as TestClient })],
        ['a URL of another scheme', () => ({ url: 'http://127.0.0.1:6379' })],
        ['a malformed URL', () => ({ url: 'not a url' })],
        ['a prefix without a trailing colon', () => ({ client, keyPrefix: 'mcp' })],
        ['a prefix with a newline', () => ({ client, keyPrefix: 'mcp\n:' })],
        ['an absurdly long prefix', () => ({ client, keyPrefix: `${'p'.repeat(300)}:` })],
        ['maxEventsPerStream 0', () => ({ client, maxEventsPerStream: 0 })],
        ['fractional maxAgeMs', () => ({ client, maxAgeMs: 1.5 })],
        ['infinite maxAgeMs', () => ({ client, maxAgeMs: Infinity })],
        ['replayPageSize beyond 10 000', () => ({ client, replayPageSize: 10_001 })]
    ])('%s is refused with INVALID_OPTIONS', (_name, options) => {
        expect(() => new RedisEventStore(options())).toThrow(
            expect.objectContaining({ name: 'RedisEventStoreError', code: 'INVALID_OPTIONS' })
        );
    });

    test('the default key prefix is mcp:events:', () => {
        expect(new RedisEventStore({ client }).keyPrefix).toBe('mcp:events:');
    });
});

describe('lifecycle', () => {
    test('a store given a URL connects on first use and closes its own client', async () => {
        const before = await connectedClients();
        const store = new RedisEventStore({ url: redis.url, keyPrefix: uniquePrefix() });
        expect(await connectedClients()).toBe(before); // nothing connects before the first use
        const id = await store.storeEvent('s:1', note);
        expect(await store.getStreamIdForEventId(id)).toBe('s:1');
        expect(await connectedClients()).toBe(before + 1);
        await store.close();
        await store.close(); // idempotent
        await expect.poll(connectedClients).toBe(before);
        await expect(store.storeEvent('s:1', note)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
        await expect(store.replayEventsAfter(id, { send: async () => {} })).rejects.toMatchObject({
            code: 'STORE_CLOSED'
        });
    });

    test('a store given a client leaves it open on close', async () => {
        const store = new RedisEventStore({ client, keyPrefix: uniquePrefix() });
        await store.storeEvent('s:1', note);
        await store.close();
        await expect(store.getStreamIdForEventId('x')).resolves.toBeUndefined(); // malformed: no I/O needed
        await expect(store.storeEvent('s:1', note)).rejects.toBeInstanceOf(RedisEventStoreError);
        expect(await client.sendCommand(['PING'])).toBe('PONG');
    });

    test('a failed command is a REDIS_COMMAND_FAILED with the Redis error as cause', async () => {
        const dead = await startRedis();
        const deadClient = await connectClient(dead, 200);
        const store = new RedisEventStore({ client: deadClient, keyPrefix: uniquePrefix() });
        const id = await store.storeEvent('s:1', note);
        await dead.stop();
        const error = await store.replayEventsAfter(id, { send: async () => {} }).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'RedisEventStoreError', code: 'REDIS_COMMAND_FAILED' });
        expect((error as Error).cause).toBeInstanceOf(Error);
        (deadClient as unknown as { destroy(): void }).destroy();
    });

    test('connection errors of an owned client go to onConnectionError', async () => {
        const errors: Error[] = [];
        const port = await freePort(); // nothing listens there
        const store = new RedisEventStore({ url: `redis://127.0.0.1:${port}`, onConnectionError: e => errors.push(e) });
        void store.storeEvent('s:1', note).catch(() => {});
        await expect.poll(() => errors.length).toBeGreaterThan(0);
        await store.close();
    });
});

async function connectedClients(): Promise<number> {
    const info = String(await client.sendCommand(['INFO', 'clients']));
    return Number(/connected_clients:(\d+)/.exec(info)![1]);
}
