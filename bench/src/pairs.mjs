// @ts-check
/**
 * End-to-end client + server pairs: each pair's server runs in one child process ({@link ./serverProcess.mjs}) and
 * its client in another ({@link ./clientProcess.mjs}), so both sides' CPU is measured on its own. For one server
 * mode, every pair is started at once; then, per workload and in-flight count, each pair gets an unmeasured
 * warm-up and then `rounds` measured slices, round-robin over the pairs, so background load spreads over all of
 * them.
 *
 * Two kinds of slices: _time_ slices (N workers each keeping one call in flight for a window; throughput and
 * latency) and _count_ slices (a fixed number of calls one after the other, sized from the warm-up to last about a
 * slice; per-call time and CPU of heavy calls, with no call cut off at the window's edges).
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { forkIpc, startChild } from './child.mjs';
import { mean, quantile } from './stats.mjs';

const CLIENT_ENTRY = fileURLToPath(new URL('./clientProcess.mjs', import.meta.url));
/** Unmeasured run-up before each measured time slice (lets the in-flight count build up). */
const RAMP_MS = 150;
/** Bounds of a count slice. */
const MIN_CALLS = 3;
const MAX_CALLS = 5_000;
const SLICE_TIMEOUT_MS = 180_000;

/** @typedef {import('./clients.mjs').PairName} PairName */
/** @typedef {import('./clients.mjs').Workload} Workload */

/**
 * @typedef {object} PairStep
 * @property {Workload} workload
 * @property {number[]} inflights In-flight counts to measure (count steps run one call at a time: `[1]`).
 * @property {boolean} counted Count slices instead of time slices.
 */

/**
 * @typedef {object} PairResult
 * @property {PairName} pair
 * @property {import('./servers.mjs').ServerMode} mode
 * @property {Workload} workload
 * @property {number} inflight
 * @property {number} callsPerSecond Completed calls per second of measured time (client side).
 * @property {number} meanMs Mean call latency.
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} clientCpuUsPerCall Client process CPU (user + system) per completed call, µs.
 * @property {number} serverCpuUsPerCall Server process CPU per tool call served, µs.
 * @property {number} clientCpuShare Client CPU time / measured time (1 = one core busy).
 * @property {number} serverCpuShare Server CPU time / measured time.
 * @property {number} completed
 * @property {number} failed
 * @property {number} serverCalls Tool handler runs in the server's measured windows.
 * @property {number} seconds Measured time.
 * @property {number[]} sliceRates Calls per second of each slice (shows the noise).
 * @property {string | undefined} firstFailure
 */

/**
 * @typedef {object} PairOptions
 * @property {number} warmupMs Unmeasured calls per pair before its first slice of each step.
 * @property {number} durationMs Measured time per pair and step, split into `rounds` slices.
 * @property {number} rounds
 * @property {string | undefined} [cpuProfileDir] Run servers and clients with `--cpu-prof`, writing here.
 * @property {(result: PairResult) => void} [onResult]
 */

/**
 * @typedef {{ pair: PairName; server: import('./child.mjs').ServerChild; client?: import('./child.mjs').IpcChild; calls?: number }} Run
 */

/**
 * One slice: run, (mark the server), measure, (report the server), stop.
 *
 * @param {Run} run
 * @param {object & { windowMs?: number }} spec
 * @param {boolean} measured
 * @returns {Promise<{ slice: any; report: any }>}
 */
async function runSlice(run, spec, measured) {
    const client = /** @type {import('./child.mjs').IpcChild} */ (run.client);
    const ramped = client.next('ramped');
    client.send({ type: 'run', ...spec });
    await ramped;
    if (measured) await run.server.ask('mark', 'marked');
    const windowEnd = client.next('window-end', (spec.windowMs ?? 0) + SLICE_TIMEOUT_MS);
    client.send({ type: 'measure' });
    await windowEnd;
    const report = measured ? await run.server.ask('report', 'report') : undefined;
    const done = client.next('slice');
    client.send({ type: 'stop' });
    return { slice: await done, report };
}

/**
 * Measures every pair in `mode` through `steps`.
 *
 * @param {import('./servers.mjs').ServerMode} mode
 * @param {readonly PairName[]} pairs
 * @param {readonly PairStep[]} steps
 * @param {PairOptions} options
 * @returns {Promise<PairResult[]>}
 */
export async function measurePairs(mode, pairs, steps, options) {
    /** @type {Run[]} */
    const runs = [];
    /** @type {PairResult[]} */
    const results = [];
    try {
        for (const pair of pairs) {
            const server = await startChild(pair, mode, {
                cpuProfileDir: options.cpuProfileDir,
                profileName: `pair-server-${pair}-${mode}.cpuprofile`
            });
            /** @type {Run} */
            const run = { pair, server };
            runs.push(run);
            const { child } = await forkIpc(CLIENT_ENTRY, [pair, server.url, mode], {
                label: `${pair}/${mode} client`,
                cpuProfileDir: options.cpuProfileDir,
                profileName: `pair-client-${pair}-${mode}.cpuprofile`
            });
            run.client = child;
        }
        const sliceMs = options.durationMs / options.rounds;
        for (const step of steps) {
            for (const inflight of step.inflights) {
                for (const run of runs) {
                    const spec = { workload: step.workload, inflight, rampMs: 0, windowMs: options.warmupMs };
                    const { slice } = await runSlice(run, spec, false);
                    const perCall = mean(slice.latenciesMs);
                    run.calls = Number.isFinite(perCall)
                        ? Math.min(MAX_CALLS, Math.max(MIN_CALLS, Math.ceil(sliceMs / perCall)))
                        : MIN_CALLS;
                }
                const totals = runs.map(() => ({
                    completed: 0,
                    failed: 0,
                    seconds: 0,
                    clientCpuUs: 0,
                    serverCpuUs: 0,
                    serverCalls: 0,
                    latencies: /** @type {number[]} */ ([]),
                    sliceRates: /** @type {number[]} */ ([]),
                    firstFailure: /** @type {string | undefined} */ (undefined)
                }));
                for (let round = 0; round < options.rounds; round++) {
                    for (let k = 0; k < runs.length; k++) {
                        const index = (round + k) % runs.length;
                        const run = /** @type {Run} */ (runs[index]);
                        const total = /** @type {(typeof totals)[number]} */ (totals[index]);
                        const spec = step.counted
                            ? { workload: step.workload, calls: run.calls }
                            : { workload: step.workload, inflight, rampMs: RAMP_MS, windowMs: sliceMs };
                        const { slice, report } = await runSlice(run, spec, true);
                        total.completed += slice.completed;
                        total.failed += slice.failed;
                        total.seconds += slice.seconds;
                        total.clientCpuUs += slice.cpuUs;
                        total.serverCpuUs += report.userUs + report.systemUs;
                        total.serverCalls += report.calls;
                        total.sliceRates.push(slice.completed / slice.seconds);
                        total.firstFailure ??= slice.firstFailure;
                        for (const latency of slice.latenciesMs) total.latencies.push(latency);
                    }
                }
                runs.forEach((run, index) => {
                    const total = /** @type {(typeof totals)[number]} */ (totals[index]);
                    total.latencies.sort((x, y) => x - y);
                    /** @type {PairResult} */
                    const result = {
                        pair: run.pair,
                        mode,
                        workload: step.workload,
                        inflight: step.counted ? 1 : inflight,
                        callsPerSecond: total.completed / total.seconds,
                        meanMs: mean(total.latencies),
                        p50Ms: quantile(total.latencies, 0.5),
                        p99Ms: quantile(total.latencies, 0.99),
                        clientCpuUsPerCall: total.completed > 0 ? total.clientCpuUs / total.completed : NaN,
                        serverCpuUsPerCall: total.serverCalls > 0 ? total.serverCpuUs / total.serverCalls : NaN,
                        clientCpuShare: total.clientCpuUs / 1e6 / total.seconds,
                        serverCpuShare: total.serverCpuUs / 1e6 / total.seconds,
                        completed: total.completed,
                        failed: total.failed,
                        serverCalls: total.serverCalls,
                        seconds: total.seconds,
                        sliceRates: total.sliceRates,
                        firstFailure: total.firstFailure
                    };
                    results.push(result);
                    options.onResult?.(result);
                });
            }
        }
        return results;
    } finally {
        await Promise.allSettled(runs.map(run => run.client?.stop()));
        await Promise.allSettled(runs.map(run => run.server.stop()));
    }
}
