import type { Tool } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pair } from '../fixtures/fakeServer.js';
import { connectPair } from '../fixtures/fakeServer.js';
import { until } from '../fixtures/until.js';

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

const tool = (name: string): Tool => ({ name, inputSchema: { type: 'object' } });

describe('Client listChanged', () => {
    it('re-fetches every page of the tool list on notifications/tools/list_changed', async () => {
        const changes: [Error | null, Tool[] | null][] = [];
        pair = await connectPair(
            { pageSize: 1, tools: [tool('a')] },
            { listChanged: { tools: { onChanged: (error, items) => void changes.push([error, items]) } } }
        );
        const { server } = pair;
        server.tools = [tool('a'), tool('b'), tool('c')];
        await server.notification({ method: 'notifications/tools/list_changed' });
        await until(() => changes.length === 1, 'onChanged');
        expect(changes[0]).toEqual([null, server.tools]);
        expect(server.requests('tools/list')).toHaveLength(3);
    });

    it('re-fetches prompts and resources', async () => {
        const prompts: unknown[] = [];
        const resources: unknown[] = [];
        pair = await connectPair(undefined, {
            listChanged: {
                prompts: { onChanged: (_e, items) => void prompts.push(items) },
                resources: { onChanged: (_e, items) => void resources.push(items) }
            }
        });
        const { server } = pair;
        server.prompts = [{ name: 'new' }];
        server.resources = [];
        await server.notification({ method: 'notifications/prompts/list_changed' });
        await server.notification({ method: 'notifications/resources/list_changed' });
        await until(() => prompts.length === 1 && resources.length === 1, 'both refreshes');
        expect(prompts).toEqual([[{ name: 'new' }]]);
        expect(resources).toEqual([[]]);
    });

    it('only notifies without re-fetching when autoRefresh is false', async () => {
        const changes: unknown[] = [];
        pair = await connectPair(undefined, {
            listChanged: { tools: { autoRefresh: false, onChanged: (e, items) => void changes.push([e, items]) } }
        });
        await pair.server.notification({ method: 'notifications/tools/list_changed' });
        await until(() => changes.length === 1, 'onChanged');
        expect(changes).toEqual([[null, null]]);
        expect(pair.server.requests('tools/list')).toHaveLength(0);
    });

    it('passes refresh errors to onChanged', async () => {
        const changes: [Error | null, unknown][] = [];
        pair = await connectPair(
            { hostileCursor: 'repeat' },
            { listChanged: { tools: { onChanged: (e, items) => void changes.push([e, items]) } } }
        );
        await pair.server.notification({ method: 'notifications/tools/list_changed' });
        await until(() => changes.length === 1, 'onChanged');
        expect(changes[0]?.[0]?.message).toContain('repeated a pagination cursor');
        expect(changes[0]?.[1]).toBeNull();
    });

    it('coalesces a burst of notifications into at most one extra refresh', async () => {
        const changes: unknown[] = [];
        pair = await connectPair(undefined, {
            listChanged: { tools: { onChanged: (_e, items) => void changes.push(items) } }
        });
        const { server } = pair;
        for (let i = 0; i < 20; i++)
            server.notification({ method: 'notifications/tools/list_changed' }).catch(() => {});
        await until(() => changes.length >= 1, 'onChanged');
        for (let i = 0; i < 5; i++) await pair.client.ping(); // give any further refresh time to show up
        // All 20 arrive while the first listing is in flight: it is discarded as stale, one more is fetched.
        expect(server.requests('tools/list')).toHaveLength(2);
        expect(changes).toHaveLength(1);
    });

    it('ignores list_changed notifications when no handler is configured', async () => {
        pair = await connectPair();
        await pair.server.notification({ method: 'notifications/tools/list_changed' });
        await pair.client.ping();
        expect(pair.server.requests('tools/list')).toHaveLength(0);
    });
});
