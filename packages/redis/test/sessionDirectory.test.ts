/**
 * issue-12: `RedisSessionDirectory` against a real `redis-server`: three server instances (real `node:http` servers,
 * each with its own session route and its own Redis connection) serve one session whichever of them a request
 * reaches; owners that stop heartbeating lose their sessions within the TTL; hostile session ids never reach Redis.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { FORWARDED_BY_HEADER } from '@modelcontextprotocol/server';
import { rawInitialize, roundRobin, startInstance } from '../../middleware/node/test/cluster.js';
import type { Instance } from '../../middleware/node/test/cluster.js';
import { RedisSessionDirectory } from '../src/index.js';
import { connectClient, recording, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';

let redis: RedisServer;
const connections: TestClient[] = [];
let instances: Instance[] = [];

beforeAll(async () => {
    redis = await startRedis();
});
afterEach(async () => {
    await Promise.all(instances.splice(0).map(instance => instance.close()));
});
afterAll(async () => {
    await Promise.all(connections.map(client => client.close().catch(() => {})));
    await redis?.stop();
});

async function connection(): Promise<TestClient> {
    const client = await connectClient(redis);
    connections.push(client);
    return client;
}

/** A directory on a connection of its own, as one instance would have. */
async function directory(keyPrefix: string, ttlMs = 600): Promise<RedisSessionDirectory & { connection: TestClient }> {
    const client = await connection();
    return Object.assign(new RedisSessionDirectory({ client, keyPrefix, ttlMs }), { connection: client });
}

const owner = (instanceId: string) => ({ instanceId, url: `http://127.0.0.1:1/${instanceId}` });

function sessionHeaders(sessionId: string): Record<string, string> {
    return {
        authorization: 'Bearer alice',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json'
    };
}

const whoami = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'whoami', arguments: {} }
});

describe('issue-12: three instances on one Redis', () => {
    it('serves one session through every instance: progress streamed back, a DELETE through a non-owner', async () => {
        const prefix = uniquePrefix();
        instances = await Promise.all(['a', 'b', 'c'].map(async name => startInstance(name, await directory(prefix))));
        const [a, b, c] = instances as [Instance, Instance, Instance];
        const fetch = roundRobin(() => instances, { refuseGet: true });
        const client = new Client({ name: 'c', version: '1' });
        const transport = new StreamableHTTPClientTransport(new URL('http://balancer.invalid/mcp'), {
            fetch,
            requestInit: { headers: { authorization: 'Bearer alice' } }
        });
        await client.connect(transport);
        for (let round = 0; round < 3; round++) {
            const seen: number[] = [];
            const result = await client.callTool(
                { name: 'count', arguments: { n: 4 } },
                { onprogress: progress => seen.push(progress.progress) }
            );
            expect(result.content).toEqual([{ type: 'text', text: 'a counted 4' }]);
            expect(seen).toEqual([1, 2, 3, 4]);
        }
        expect(a.toolRuns).toBe(3);
        expect(a.received.filter(request => request.headers[FORWARDED_BY_HEADER] !== undefined).length).toBeGreaterThan(
            0
        );
        const sessionId = transport.sessionId!;
        const reader = await directory(prefix);
        expect(await reader.lookup(sessionId)).toEqual({ instanceId: 'a', url: a.url.href });
        const deleted = await globalThis.fetch(b.url, { method: 'DELETE', headers: sessionHeaders(sessionId) });
        expect(deleted.status).toBe(200);
        await expect.poll(() => reader.lookup(sessionId)).toBeUndefined();
        const after = await globalThis.fetch(c.url, {
            method: 'POST',
            headers: sessionHeaders(sessionId),
            body: whoami
        });
        expect(after.status).toBe(404);
        await client.close();
    });

    it("answers 404 for a dead owner's sessions once its heartbeat lapsed, and for a closed owner's at once", async () => {
        const prefix = uniquePrefix();
        const directories = await Promise.all(['a', 'b', 'c'].map(() => directory(prefix)));
        instances = await Promise.all(['a', 'b', 'c'].map((name, i) => startInstance(name, directories[i]!)));
        const [a, b, c] = instances as [Instance, Instance, Instance];
        const dead = await rawInitialize(a);
        const closed = await rawInitialize(b);
        const reader = await directory(prefix);
        // a dies: it stops answering and its Redis connection goes, so its heartbeats stop.
        await a.crash();
        await directories[0]!.connection.close();
        expect(await reader.lookup(dead)).toEqual({ instanceId: 'a', url: a.url.href });
        await sleep(700);
        expect(await reader.lookup(dead)).toBeUndefined();
        expect(
            (await globalThis.fetch(c.url, { method: 'POST', headers: sessionHeaders(dead), body: whoami })).status
        ).toBe(404);
        // b is shut down cleanly: its sessions are released as they close.
        expect(
            (await globalThis.fetch(c.url, { method: 'POST', headers: sessionHeaders(closed), body: whoami })).status
        ).toBe(200);
        await b.close();
        expect(await reader.lookup(closed)).toBeUndefined();
        expect(
            (await globalThis.fetch(c.url, { method: 'POST', headers: sessionHeaders(closed), body: whoami })).status
        ).toBe(404);
    });
});

describe('RedisSessionDirectory', () => {
    it('keeps an owner live while it heartbeats, and not after', async () => {
        const store = await directory(uniquePrefix(), 300);
        expect(store.heartbeatIntervalMs).toBe(100);
        await store.claim('s-1', owner('a'));
        for (let i = 0; i < 5; i++) {
            await sleep(100);
            await store.heartbeat(owner('a'));
            expect(await store.lookup('s-1')).toEqual(owner('a'));
        }
        await sleep(400);
        expect(await store.lookup('s-1')).toBeUndefined();
        await store.heartbeat(owner('a'));
        expect(await store.lookup('s-1')).toEqual(owner('a'));
        await store.release('s-1');
        expect(await store.lookup('s-1')).toBeUndefined();
    });

    it('never lets one instance take over or remove the entry of another', async () => {
        const store = await directory(uniquePrefix(), 3000);
        await store.claim('s-2', owner('a'));
        await expect(store.claim('s-2', owner('b'))).rejects.toMatchObject({ code: 'SESSION_ID_IN_USE' });
        await store.claim('s-2', owner('a')); // the owner itself refreshes its claim
        await store.release('s-2', owner('b'));
        expect(await store.lookup('s-2')).toEqual(owner('a'));
        await store.release('s-2', owner('a'));
        expect(await store.lookup('s-2')).toBeUndefined();
        await store.claim('s-2', owner('b')); // released: free for anyone
        expect(await store.lookup('s-2')).toEqual(owner('b'));
    });

    it('refuses hostile session ids and owners before any command', async () => {
        const client = recording(await connection());
        const store = new RedisSessionDirectory({ client, keyPrefix: uniquePrefix() });
        const hostile = [
            '',
            'x'.repeat(257),
            'a b',
            'a\r\nDEL x',
            'caf\u00e9',
            'tab\t',
            '\u0000',
            42 as unknown as string
        ];
        for (const id of hostile) {
            expect(await store.lookup(id)).toBeUndefined();
            await expect(store.claim(id, owner('a'))).rejects.toMatchObject({ code: 'INVALID_SESSION_ID' });
            await expect(store.release(id)).rejects.toMatchObject({ code: 'INVALID_SESSION_ID' });
        }
        for (const bad of [
            { instanceId: 'a b', url: 'http://127.0.0.1/' },
            { instanceId: 'a\nb', url: 'http://127.0.0.1/' },
            { instanceId: 'a', url: 'javascript:alert(1)' },
            { instanceId: 'a', url: 'not a url' }
        ]) {
            await expect(store.claim('s', bad)).rejects.toMatchObject({ code: 'INVALID_OWNER' });
            await expect(store.heartbeat(bad)).rejects.toMatchObject({ code: 'INVALID_OWNER' });
        }
        expect(client.commands).toEqual([]);
        // Glob characters are ordinary visible ASCII: stored and matched literally.
        await store.claim('a*', owner('a'));
        expect(await store.lookup('a*')).toEqual(owner('a'));
        expect(await store.lookup('*')).toBeUndefined();
    });

    it('reports entries it did not write, checks its options, and refuses use after close', async () => {
        const prefix = uniquePrefix();
        const client = await connection();
        const store = new RedisSessionDirectory({ client, keyPrefix: prefix });
        await client.sendCommand(['SET', `${prefix}s:forged`, 'no newline here']);
        await expect(store.lookup('forged')).rejects.toMatchObject({ code: 'CORRUPT_ENTRY' });
        for (const options of [
            {},
            { client, url: redis.url },
            { client, keyPrefix: 'no-colon' },
            { client, ttlMs: 1 },
            { client, ttlMs: 300, heartbeatIntervalMs: 300 },
            { client, sessionTtlMs: 0 },
            { url: 'http://127.0.0.1:1' }
        ]) {
            expect(() => new RedisSessionDirectory(options)).toThrow(
                expect.objectContaining({ code: 'INVALID_OPTIONS' })
            );
        }
        const owned = new RedisSessionDirectory({ url: redis.url, keyPrefix: prefix });
        await owned.claim('s-2', owner('b'));
        expect(await store.lookup('s-2')).toEqual(owner('b'));
        await owned.close();
        await expect(owned.lookup('s-2')).rejects.toMatchObject({ code: 'DIRECTORY_CLOSED' });
    });
});
