import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PaginationError } from '../../src/client/clientErrors.js';
import type { Pair } from '../fixtures/fakeServer.js';
import { connectPair } from '../fixtures/fakeServer.js';

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const tools: Tool[] = range(7).map(i => ({ name: `t${i}`, inputSchema: { type: 'object' } }));
const prompts: Prompt[] = range(5).map(i => ({ name: `p${i}` }));
const resources: Resource[] = range(6).map(i => ({ uri: `file:///${i}`, name: `r${i}` }));
const resourceTemplates: ResourceTemplate[] = range(4).map(i => ({ uriTemplate: `file:///${i}/{x}`, name: `rt${i}` }));

describe('Client listAll* pagination', () => {
    it('follows nextCursor to the end for every list', async () => {
        pair = await connectPair({ pageSize: 2, tools, prompts, resources, resourceTemplates });
        const { client, server } = pair;
        await expect(client.listAllTools()).resolves.toEqual(tools);
        await expect(client.listAllPrompts()).resolves.toEqual(prompts);
        await expect(client.listAllResources()).resolves.toEqual(resources);
        await expect(client.listAllResourceTemplates()).resolves.toEqual(resourceTemplates);
        expect(server.requests('tools/list')).toHaveLength(4);
        expect(server.requests('prompts/list')).toHaveLength(3);
        expect(server.requests('resources/list')).toHaveLength(3);
        expect(server.requests('resources/templates/list')).toHaveLength(2);
        expect(server.requests('tools/list').map(r => ('params' in r ? r.params?.cursor : undefined))).toEqual([
            undefined,
            '2',
            '4',
            '6'
        ]);
    });

    it('returns a single page when there is no cursor', async () => {
        pair = await connectPair({ tools });
        await expect(pair.client.listAllTools()).resolves.toHaveLength(7);
        expect(pair.server.requests('tools/list')).toHaveLength(1);
    });

    it('stops with PAGINATION_CURSOR_REPEATED when the server repeats a cursor', async () => {
        pair = await connectPair({ hostileCursor: 'repeat' });
        const error = await pair.client.listAllTools().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PaginationError);
        expect((error as PaginationError).code).toBe('PAGINATION_CURSOR_REPEATED');
        expect((error as PaginationError).method).toBe('tools/list');
        expect(pair.server.requests('tools/list')).toHaveLength(2);
    });

    it('detects a cycle of cursors', async () => {
        pair = await connectPair({ hostileCursor: 'cycle' });
        const error = await pair.client.listAllResources().catch((e: unknown) => e);
        expect((error as PaginationError).code).toBe('PAGINATION_CURSOR_REPEATED');
        expect(pair.server.requests('resources/list')).toHaveLength(3);
    });

    it('stops after maxPages pages of ever-new cursors', async () => {
        pair = await connectPair({ hostileCursor: 'endless' });
        const error = await pair.client.listAllPrompts({ maxPages: 25 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PaginationError);
        expect((error as PaginationError).code).toBe('PAGINATION_PAGE_LIMIT');
        expect((error as PaginationError).pages).toBe(25);
        expect(pair.server.requests('prompts/list')).toHaveLength(25);
    });

    it('bounds an endless listing by default', async () => {
        pair = await connectPair({ hostileCursor: 'endless' });
        const error = await pair.client.listAllResourceTemplates().catch((e: unknown) => e);
        expect((error as PaginationError).code).toBe('PAGINATION_PAGE_LIMIT');
        expect(pair.server.requests('resources/templates/list')).toHaveLength(1000);
    });

    it('applies request options to every page', async () => {
        pair = await connectPair({ pageSize: 1, tools });
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        await expect(pair.client.listAllTools({ signal: controller.signal })).rejects.toThrow('stop');
        expect(pair.server.requests('tools/list')).toHaveLength(0);
    });
});
