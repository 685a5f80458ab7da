import { describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { InMemoryEventStore } from '@modelcontextprotocol/server';

const note = (n: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'n', params: { n } });

async function replay(store: InMemoryEventStore, after: string) {
    const sent: Array<[string, JSONRPCMessage]> = [];
    const streamId = await store.replayEventsAfter(after, {
        send: async (id, message) => void sent.push([id, message])
    });
    return { streamId, sent };
}

describe('InMemoryEventStore', () => {
    test('replays the events of the same stream stored after the given id, in order', async () => {
        const store = new InMemoryEventStore();
        const first = await store.storeEvent('a', note(1));
        await store.storeEvent('b', note(99));
        const second = await store.storeEvent('a', note(2));
        await store.storeEvent('a', note(3));
        const { streamId, sent } = await replay(store, first);
        expect(streamId).toBe('a');
        expect(sent.map(([, m]) => m)).toEqual([note(2), note(3)]);
        expect(sent[0]![0]).toBe(second);
        expect(await store.getStreamIdForEventId(second)).toBe('a');
    });

    test('handles stream ids that contain the separator', async () => {
        const store = new InMemoryEventStore();
        const id = await store.storeEvent('s_1:2', note(1));
        await store.storeEvent('s_1:2', note(2));
        expect(await store.getStreamIdForEventId(id)).toBe('s_1:2');
        expect((await replay(store, id)).sent).toHaveLength(1);
    });

    test('keeps at most maxEventsPerStream events per stream', async () => {
        const store = new InMemoryEventStore({ maxEventsPerStream: 2 });
        const first = await store.storeEvent('a', note(1));
        for (let n = 2; n <= 5; n++) await store.storeEvent('a', note(n));
        expect((await replay(store, first)).sent.map(([, m]) => m)).toEqual([note(4), note(5)]);
    });

    test('drops the least recently written stream beyond maxStreams', async () => {
        const store = new InMemoryEventStore({ maxStreams: 2 });
        const a = await store.storeEvent('a', note(1));
        const b = await store.storeEvent('b', note(1));
        await store.storeEvent('a', note(2));
        await store.storeEvent('c', note(1));
        expect(await store.getStreamIdForEventId(a)).toBe('a');
        expect(await store.getStreamIdForEventId(b)).toBeUndefined();
    });

    test('rejects replay from an unknown event id', async () => {
        const store = new InMemoryEventStore();
        await expect(replay(store, 'nope')).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_ID' });
        await expect(replay(store, 'x_1')).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_ID' });
    });

    test('rejects invalid limits', () => {
        expect(() => new InMemoryEventStore({ maxEventsPerStream: 0 })).toThrow(
            expect.objectContaining({ code: 'INVALID_OPTIONS' })
        );
    });
});
