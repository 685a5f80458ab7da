// @ts-check
/**
 * Metrics 1 and 2: concurrent `tools/call` throughput and server CPU per call. For one mode, every
 * implementation runs in its own child process at once (idle ones cost nothing); the same load generator then
 * drives them in alternation — a warm-up each, then `rounds` measured slices each, round-robin — so background
 * load on the machine spreads over all of them instead of skewing whichever ran at a bad moment.
 *
 * @module
 */
import { startChild } from './child.mjs';
import { createLoad } from './load.mjs';
import { quantile } from './stats.mjs';

/** Unmeasured run-up before each measured slice (lets the in-flight count reach `concurrency`). */
const RAMP_MS = 150;

/**
 * @typedef {object} ThroughputResult
 * @property {import('./servers.mjs').Impl} impl
 * @property {import('./servers.mjs').Mode} mode
 * @property {number} rps Completed calls per second (client side), over all measured slices.
 * @property {number} cpuUsPerCall Server CPU (user + system) per call served, µs.
 * @property {number} serverCpuShare Server CPU time / measured time (1 = one core busy).
 * @property {number} clientCpuShare Load-generator CPU time / measured time.
 * @property {number} callsServed tools/call handler runs in the measured slices (server side).
 * @property {number} completed Responses completed in the measured slices (client side).
 * @property {number} failed
 * @property {number} seconds Measured time.
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number[]} sliceRps Throughput of each slice (shows the noise).
 */

/**
 * @typedef {object} ThroughputOptions
 * @property {number} concurrency In-flight requests.
 * @property {number} warmupMs Unmeasured load per server before its first slice.
 * @property {number} durationMs Measured time per server, split into `rounds` slices.
 * @property {number} rounds
 * @property {string | undefined} [cpuProfileDir] Run the servers with `--cpu-prof`, writing here.
 * @property {(result: ThroughputResult) => void} [onResult]
 */

/**
 * Measures every `impl` in `mode`.
 *
 * @param {import('./servers.mjs').Mode} mode
 * @param {readonly import('./servers.mjs').Impl[]} impls
 * @param {ThroughputOptions} options
 * @returns {Promise<ThroughputResult[]>}
 */
export async function measureThroughput(mode, impls, options) {
    /** @type {Array<{ impl: import('./servers.mjs').Impl; child: import('./child.mjs').ServerChild; load?: Awaited<ReturnType<typeof createLoad>> }>} */
    const runs = [];
    try {
        for (const impl of impls) {
            const child = await startChild(impl, mode, { cpuProfileDir: options.cpuProfileDir });
            runs.push({ impl, child });
        }
        const totals = new Map(
            runs.map(run => [
                run.impl,
                {
                    completed: 0,
                    failed: 0,
                    seconds: 0,
                    clientCpuUs: 0,
                    serverCpuUs: 0,
                    calls: 0,
                    errors: 0,
                    latencies: /** @type {number[]} */ ([]),
                    sliceRps: /** @type {number[]} */ ([])
                }
            ])
        );
        const noop = async () => {};
        for (const run of runs) {
            run.load = await createLoad({
                url: run.child.url,
                stateful: mode === 'stateful-sse',
                concurrency: options.concurrency
            });
            await run.load.run({ rampMs: options.warmupMs, windowMs: 0, onMark: noop, onReport: noop });
        }
        const windowMs = options.durationMs / options.rounds;
        for (let round = 0; round < options.rounds; round++) {
            for (let k = 0; k < runs.length; k++) {
                const run = /** @type {(typeof runs)[number]} */ (runs[(round + k) % runs.length]);
                const total = /** @type {NonNullable<ReturnType<typeof totals.get>>} */ (totals.get(run.impl));
                /** @type {{ userUs: number; systemUs: number; calls: number; errors: number } | undefined} */
                let report;
                const slice = await /** @type {NonNullable<typeof run.load>} */ (run.load).run({
                    rampMs: RAMP_MS,
                    windowMs,
                    onMark: async () => {
                        await run.child.ask('mark', 'marked');
                    },
                    onReport: async () => {
                        report = await run.child.ask('report', 'report');
                    }
                });
                if (report === undefined) throw new Error(`${run.impl}: no report from the server`);
                total.completed += slice.completed;
                total.failed += slice.failed;
                total.seconds += slice.seconds;
                total.clientCpuUs += slice.clientCpuUs;
                total.serverCpuUs += report.userUs + report.systemUs;
                total.calls += report.calls;
                total.errors = report.errors;
                total.sliceRps.push(slice.completed / slice.seconds);
                for (const latency of slice.latenciesMs) total.latencies.push(latency);
            }
        }
        return runs.map(run => {
            const total = /** @type {NonNullable<ReturnType<typeof totals.get>>} */ (totals.get(run.impl));
            if (total.failed > 0)
                console.warn(
                    `  ${run.impl}/${mode}: ${total.failed} failed replies; first: ${run.load?.firstFailure()}`
                );
            if (total.errors > 0) console.warn(`  ${run.impl}/${mode}: ${total.errors} handler errors in the server`);
            total.latencies.sort((x, y) => x - y);
            /** @type {ThroughputResult} */
            const result = {
                impl: run.impl,
                mode,
                rps: total.completed / total.seconds,
                cpuUsPerCall: total.calls > 0 ? total.serverCpuUs / total.calls : NaN,
                serverCpuShare: total.serverCpuUs / 1e6 / total.seconds,
                clientCpuShare: total.clientCpuUs / 1e6 / total.seconds,
                callsServed: total.calls,
                completed: total.completed,
                failed: total.failed,
                seconds: total.seconds,
                p50Ms: quantile(total.latencies, 0.5),
                p99Ms: quantile(total.latencies, 0.99),
                sliceRps: total.sliceRps
            };
            options.onResult?.(result);
            return result;
        });
    } finally {
        for (const run of runs) run.load?.close();
        await Promise.allSettled(runs.map(run => run.child.stop()));
    }
}
