// @ts-check
/**
 * Metric 3: heap per idle session. In a fresh stateful-SSE server child: open a few warm-up sessions (so code,
 * caches and lazily built shared state are in the baseline), force GC, read `heapUsed`; then, per batch, open K
 * more sessions (initialize + initialized, no GET stream), close the client's sockets so connection buffers do
 * not count, force GC again and take (after − before) / K. The median over the batches is reported (JIT code
 * and table resizes land in one batch or another).
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startChild } from './child.mjs';
import { httpClient, openSession } from './load.mjs';
import { median } from './stats.mjs';

const WARMUP_SESSIONS = 100;
const OPEN_CONCURRENCY = 8;
/** Sessions opened at once for the idle-sessions point (it opens thousands). */
const IDLE_OPEN_CONCURRENCY = 32;

/**
 * @typedef {object} HeapResult
 * @property {import('./servers.mjs').Impl} impl
 * @property {number} sessions Sessions opened per batch.
 * @property {number} bytesPerSession Median over the batches of heapUsed delta / sessions.
 * @property {number[]} batchBytesPerSession Each batch's heapUsed delta / sessions (shows the noise).
 * @property {number} externalPerSession Median `external` delta / sessions (buffers outside the JS heap).
 * @property {number} baselineHeapUsed
 */

/**
 * @param {import('./servers.mjs').Impl} impl
 * @param {{ sessions: number; batches: number }} options
 * @returns {Promise<HeapResult>}
 */
export async function measureHeap(impl, options) {
    const child = await startChild(impl, 'stateful-sse');
    try {
        await openMany(child.url, WARMUP_SESSIONS, 0);
        await sleep(100);
        /** @type {number[]} */
        const heap = [];
        /** @type {number[]} */
        const external = [];
        let before = await child.ask('heap', 'heap');
        const baselineHeapUsed = before.memory.heapUsed;
        for (let batch = 0; batch < options.batches; batch++) {
            await openMany(child.url, options.sessions, WARMUP_SESSIONS + batch * options.sessions);
            await sleep(200);
            const after = await child.ask('heap', 'heap');
            const opened = after.sessions - before.sessions;
            if (opened !== options.sessions) {
                throw new Error(
                    `${impl}: expected ${options.sessions} new sessions on the server, it reports ${opened}`
                );
            }
            heap.push((after.memory.heapUsed - before.memory.heapUsed) / opened);
            external.push((after.memory.external - before.memory.external) / opened);
            before = after;
        }
        return {
            impl,
            sessions: options.sessions,
            bytesPerSession: median(heap),
            batchBytesPerSession: heap,
            externalPerSession: median(external),
            baselineHeapUsed
        };
    } finally {
        await child.stop();
    }
}

/**
 * @typedef {object} IdleHeapResult
 * @property {import('./servers.mjs').Impl} impl
 * @property {number} sessions Idle sessions held.
 * @property {number} bytesPerSession heapUsed delta / sessions.
 * @property {number} heapDeltaBytes heapUsed with the sessions − the warm baseline.
 * @property {number} externalPerSession
 * @property {number} rssDeltaBytes
 * @property {number} openSeconds Time it took to open them (initialize + initialized each).
 */

/**
 * The idle-sessions point: the same method with one large batch — a warm baseline, then `sessions` sessions held
 * at once (default 10,000), full GC, (heapUsed delta) / sessions.
 *
 * @param {import('./servers.mjs').Impl} impl
 * @param {{ sessions: number }} options
 * @returns {Promise<IdleHeapResult>}
 */
export async function measureIdleHeap(impl, options) {
    const child = await startChild(impl, 'stateful-sse');
    try {
        await openMany(child.url, WARMUP_SESSIONS, 0);
        await sleep(100);
        const before = await child.ask('heap', 'heap');
        const started = Date.now();
        await openMany(child.url, options.sessions, WARMUP_SESSIONS, IDLE_OPEN_CONCURRENCY);
        const openSeconds = (Date.now() - started) / 1000;
        await sleep(200);
        const after = await child.ask('heap', 'heap');
        const opened = after.sessions - before.sessions;
        if (opened !== options.sessions) {
            throw new Error(`${impl}: expected ${options.sessions} new sessions on the server, it reports ${opened}`);
        }
        const heapDeltaBytes = after.memory.heapUsed - before.memory.heapUsed;
        return {
            impl,
            sessions: opened,
            bytesPerSession: heapDeltaBytes / opened,
            heapDeltaBytes,
            externalPerSession: (after.memory.external - before.memory.external) / opened,
            rssDeltaBytes: after.memory.rss - before.memory.rss,
            openSeconds
        };
    } finally {
        await child.stop();
    }
}

/**
 * Opens `count` sessions over a fresh keep-alive client, then destroys its sockets.
 *
 * @param {string} url
 * @param {number} count
 * @param {number} firstName
 * @param {number} [concurrency]
 */
async function openMany(url, count, firstName, concurrency = OPEN_CONCURRENCY) {
    const client = httpClient(url, concurrency);
    try {
        let next = 0;
        const worker = async () => {
            while (next < count) {
                const n = next++;
                const session = await openSession(client, firstName + n);
                if (session.sessionId === undefined) throw new Error('the server minted no session id');
            }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
        client.destroy();
    }
}
