import { describe, expect, it } from 'vitest';
import { readBoundedBytes } from '@modelcontextprotocol/core';

function endless(): { stream: ReadableStream<Uint8Array>; pulls: () => number; cancelled: () => boolean } {
    let pulls = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
            pulls++;
            controller.enqueue(new Uint8Array(100));
        },
        cancel() {
            cancelled = true;
        }
    });
    return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

describe('readBoundedBytes', () => {
    it('reads a body within the limit whole', async () => {
        const read = await readBoundedBytes(new Response('hello world').body, 11);
        expect(read.tooLarge).toBe(false);
        expect(new TextDecoder().decode((read as { bytes: Uint8Array }).bytes)).toBe('hello world');
        expect(await readBoundedBytes(null, 1)).toEqual({ tooLarge: false, bytes: new Uint8Array(0) });
    });

    it('stops and cancels an endless stream just past the limit', async () => {
        const source = endless();
        expect(await readBoundedBytes(source.stream, 1000)).toEqual({ tooLarge: true });
        expect(source.pulls()).toBeLessThanOrEqual(12);
        expect(source.cancelled()).toBe(true);
    });

    it('reads nothing when the declared length is over the limit', async () => {
        const source = endless();
        expect(await readBoundedBytes(source.stream, 10, { declaredLength: 11 })).toEqual({ tooLarge: true });
        expect(source.cancelled()).toBe(true);
    });

    it('rejects, after cancelling, when a wrapped read fails (a deadline)', async () => {
        const source = endless();
        const failing = readBoundedBytes(source.stream, 1_000_000, {
            wait: () => Promise.reject(new Error('deadline'))
        });
        await expect(failing).rejects.toThrow('deadline');
        expect(source.cancelled()).toBe(true);
    });
});
