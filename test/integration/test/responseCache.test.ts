/**
 * Cache hints on the client (2026-07-28): a result's `ttlMs` lets the client serve it again without a round trip
 * while fresh, `cacheMode` overrides that per call, a change notification drops what it makes stale, and results
 * with no hint (the server's default `ttlMs: 0`) are always fetched.
 */
import { describe, expect, it } from 'vitest';
import { Client, InMemoryResponseCacheStore, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';

async function setup(store?: InMemoryResponseCacheStore) {
    const reads: string[] = [];
    let lists = 0;
    const server = new McpServer(
        { name: 'cache-test', version: '1.0.0' },
        { capabilities: { resources: { subscribe: true } } }
    );
    server.registerResource('doc', 'test://doc', { mimeType: 'text/plain' }, uri => {
        reads.push(uri.href);
        return { contents: [{ uri: uri.href, text: `read ${reads.length}` }], ttlMs: 60_000, cacheScope: 'public' };
    });
    server.registerTool('t', { description: 'A tool' }, () => ({ content: [] }));
    server.registerPrompt('p', { description: 'A prompt' }, () => {
        lists++;
        return { messages: [] };
    });
    const client = new Client(
        { name: 'c', version: '1' },
        { versionNegotiation: { mode: 'auto' }, ...(store === undefined ? {} : { responseCacheStore: store }) }
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const sent: string[] = [];
    const send = clientSide.send.bind(clientSide);
    clientSide.send = async (message, options) => {
        if ('method' in message) sent.push(message.method);
        return send(message, options);
    };
    await server.connect(serverSide);
    await client.connect(clientSide);
    return { server, client, reads, prompts: () => lists, sent };
}

describe('response cache (2026-07-28 cache hints)', () => {
    it('serves a fresh read from the cache, refetches on refresh, and drops it on resources/updated', async () => {
        const store = new InMemoryResponseCacheStore();
        const { server, client, reads } = await setup(store);
        const first = await client.readResource({ uri: 'test://doc' });
        const second = await client.readResource({ uri: 'test://doc' });
        expect(second.contents).toEqual(first.contents);
        expect(reads).toHaveLength(1);
        expect(store.size).toBeGreaterThan(0);
        await client.readResource({ uri: 'test://doc' }, { cacheMode: 'refresh' });
        expect(reads).toHaveLength(2);
        await client.readResource({ uri: 'test://doc' }, { cacheMode: 'bypass' });
        expect(reads).toHaveLength(3);
        await server.server.sendResourceUpdated({ uri: 'test://doc' });
        await new Promise(resolve => setTimeout(resolve, 20));
        const after = await client.readResource({ uri: 'test://doc' });
        expect(reads).toHaveLength(4);
        expect(after.contents[0]).toMatchObject({ text: 'read 4' });
        await client.close();
    });

    it('always fetches results without a positive ttlMs (the server default is 0)', async () => {
        const { client, prompts, sent } = await setup();
        await client.listPrompts();
        await client.listPrompts();
        expect(sent.filter(method => method === 'prompts/list')).toHaveLength(2);
        await client.getPrompt({ name: 'p' });
        expect(prompts()).toBe(1);
        await client.close();
    });

    it('keeps nothing on a legacy connection (no hints there)', async () => {
        const store = new InMemoryResponseCacheStore();
        const server = new McpServer({ name: 'legacy', version: '1' });
        server.registerResource('doc', 'test://doc', {}, uri => ({ contents: [{ uri: uri.href, text: 'x' }] }));
        const client = new Client({ name: 'c', version: '1' }, { responseCacheStore: store });
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        await client.connect(clientSide);
        await client.readResource({ uri: 'test://doc' });
        expect(store.size).toBe(0);
        await client.close();
    });

    it('bounds the reads it keeps (oldest first)', () => {
        const store = new InMemoryResponseCacheStore({ maxEntries: 2 });
        for (const uri of ['a', 'b', 'c']) store.set({ method: 'resources/read', params: uri }, { value: '{}' });
        store.set({ method: 'tools/list' }, { value: '{}' });
        expect(store.get({ method: 'resources/read', params: 'a' })).toBeUndefined();
        expect(store.get({ method: 'resources/read', params: 'c' })).toBeDefined();
        expect(store.size).toBe(3);
    });
});
