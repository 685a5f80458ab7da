// @ts-check
/**
 * Child-process entry: `node clientProcess.mjs <pair> <url> <mode>`. Connects one client ({@link ./clients.mjs})
 * and runs slices of calls on the parent's word, so the client's CPU is measured in a process that runs nothing
 * else. A slice, over IPC:
 *
 * 1. `{ type: 'run', workload, inflight, rampMs, windowMs }` (time slice) or `{ type: 'run', workload, calls }`
 *    (count slice): time slices start `inflight` workers, each keeping one call in flight, and answer `ramped`
 *    after `rampMs`; count slices answer `ramped` at once;
 * 2. `{ type: 'measure' }`: the measured part starts (the parent has marked the server) — a window of `windowMs`,
 *    or `calls` calls one after the other; then `window-end`;
 * 3. `{ type: 'stop' }`: the workers finish their call in flight, then `slice` reports calls completed and failed
 *    in the measured part, its length, the process's CPU time (user + system) in it and each call's latency.
 *
 * `{ type: 'exit' }` closes the client and exits (a `--cpu-prof` profile is written on exit); the process also
 * exits when the parent goes away.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { connectClient } from './clients.mjs';

const [pair, url, mode] = process.argv.slice(2);
if (process.send === undefined) throw new Error('clientProcess.mjs must be started with an IPC channel');
const send = process.send.bind(process);

// The official clients add an abort listener per request to one transport-wide signal, so hundreds of calls in
// flight trip Node's MaxListenersExceededWarning once per call beyond the limit: say it once, not thousands of times.
process.removeAllListeners('warning');
let warnedListeners = false;
process.on('warning', warning => {
    if (warning.name === 'MaxListenersExceededWarning') {
        if (!warnedListeners) console.warn(`  (${pair} client: ${warning.message.split('.')[0]}; further ones muted)`);
        warnedListeners = true;
        return;
    }
    console.warn(`  (${pair} client) ${warning.name}: ${warning.message}`);
});

/** @type {import('./clients.mjs').BenchClient} */
let client;
try {
    client = await connectClient(
        /** @type {import('./clients.mjs').PairName} */ (pair),
        String(url),
        /** @type {import('./servers.mjs').ServerMode} */ (mode)
    );
    await client.call('add', 1);
} catch (error) {
    send({ type: 'failed', error: `could not connect: ${String(error)}` });
    process.exit(1);
}

/** @type {Array<(message: any) => void>} */
const waiting = [];
/** @param {string} type @returns {Promise<any>} */
const nextMessage = type =>
    new Promise(resolve => {
        /** @param {any} message */
        const check = message => {
            if (message?.type !== type) return false;
            resolve(message);
            return true;
        };
        waiting.push(check);
    });

let nextId = 10;
/** @type {string | undefined} */
let firstFailure;

/**
 * @param {{ workload: import('./clients.mjs').Workload; inflight?: number; rampMs?: number; windowMs?: number; calls?: number }} spec
 */
async function runSlice(spec) {
    const counted = spec.calls !== undefined;
    let stop = false;
    let measuring = counted;
    let remaining = spec.calls ?? Infinity;
    let completed = 0;
    let failed = 0;
    /** @type {number[]} */
    const latenciesMs = [];
    const work = async () => {
        while (!stop && remaining > 0) {
            remaining--;
            const i = nextId++;
            const started = performance.now();
            let ok = false;
            try {
                await client.call(spec.workload, i);
                ok = true;
            } catch (error) {
                firstFailure ??= String(error);
                await tick(); // a call that fails at once must not starve the event loop
            }
            if (!measuring) continue;
            if (ok) {
                completed++;
                latenciesMs.push(performance.now() - started);
            } else {
                failed++;
            }
        }
    };
    const measure = nextMessage('measure');
    /** @type {Promise<void>[]} */
    let workers = [];
    if (!counted) {
        workers = Array.from({ length: spec.inflight ?? 1 }, work);
        await sleep(spec.rampMs ?? 0);
    }
    send({ type: 'ramped' });
    await measure;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    if (counted) {
        workers = [work()];
        await Promise.all(workers);
    } else {
        measuring = true;
        await sleep(spec.windowMs ?? 0);
        measuring = false;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const stopped = nextMessage('stop');
    send({ type: 'window-end' });
    await stopped;
    stop = true;
    await Promise.all(workers);
    send({ type: 'slice', completed, failed, seconds, cpuUs: cpu.user + cpu.system, latenciesMs, firstFailure });
}

process.on('message', message => {
    const type = /** @type {{ type?: unknown }} */ (message).type;
    for (let i = 0; i < waiting.length; i++) {
        if (waiting[i]?.(message)) {
            waiting.splice(i, 1);
            return;
        }
    }
    if (type === 'run') {
        void runSlice(/** @type {any} */ (message)).catch(error => send({ type: 'failed', error: String(error) }));
    } else if (type === 'exit') {
        void client.close().finally(() => process.exit(0));
    }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
