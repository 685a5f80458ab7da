// @ts-check
/**
 * The runner's sections: each runs one family of metrics, prints a line per measurement as it comes, and stores
 * the raw results (and, with `--profile`, the CPU-profile summaries).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_TARGETS, contributorLines, measureBundle } from './bundle.mjs';
import { measureHeap, measureIdleHeap } from './heap.mjs';
import { measurePairs } from './pairs.mjs';
import { summariseProfile } from './profile.mjs';
import { measureThroughput } from './throughput.mjs';

/**
 * @typedef {object} Context
 * @property {import('./options.mjs').Options} options
 * @property {import('./rows.mjs').Results} results
 * @property {Record<string, ReturnType<typeof summariseProfile>>} profiles
 * @property {string | undefined} profileDir
 */

/** In-flight calls of the 2026-07-28 point. */
export const MODERN_INFLIGHT = 32;

/** @param {number} ms */
export const seconds = ms => `${(ms / 1000).toFixed(1)} s`;
/** @param {number} value @param {number} [digits] @param {number} [width] */
const fixed = (value, digits = 0, width = 6) => value.toFixed(digits).padStart(width);

/**
 * Summarises a profile file into `context.profiles` when it exists.
 *
 * @param {Context} context
 * @param {string} name
 * @param {string} file
 */
function addProfile(context, name, file) {
    if (context.profileDir === undefined) return;
    const path = join(context.profileDir, file);
    if (existsSync(path)) context.profiles[name] = summariseProfile(path);
}

/** @param {import('./pairs.mjs').PairResult} r */
function pairLine(r) {
    const what = `${r.mode} ${r.workload}${r.workload === 'add' ? ` N=${r.inflight}` : ''}`.padEnd(28);
    const failed = r.failed > 0 ? `  ${r.failed} FAILED (first: ${r.firstFailure})` : '';
    return (
        `  ${what} ${r.pair.padEnd(6)} ${fixed(r.callsPerSecond)} calls/s  ` +
        `mean ${r.meanMs.toFixed(2)} p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} ms  ` +
        `CPU/call client ${fixed(r.clientCpuUsPerCall, 0, 5)} µs server ${fixed(r.serverCpuUsPerCall, 0, 5)} µs  ` +
        `(cores: client ${r.clientCpuShare.toFixed(2)} server ${r.serverCpuShare.toFixed(2)})  ` +
        `slices ${r.sliceRates.map(rate => rate.toFixed(0)).join('/')}${failed}`
    );
}

/**
 * Pairs, the 1 MB result (in the stateless JSON group), 1,000 progress notifications (stateful SSE group) and the
 * 2026-07-28 point (its own group).
 *
 * @param {Context} context
 */
export async function runPairs(context) {
    const { options } = context;
    /** @type {Array<[import('./servers.mjs').ServerMode, import('./pairs.mjs').PairStep[], readonly import('./clients.mjs').PairName[]]>} */
    const groups = [];
    for (const mode of /** @type {const} */ (['stateless-json', 'stateful-sse'])) {
        /** @type {import('./pairs.mjs').PairStep[]} */
        const steps = [];
        if (options.only.includes('pairs') && options.modes.includes(mode)) {
            steps.push({ workload: 'add', inflights: options.inflight, counted: false });
        }
        if (mode === 'stateless-json' && options.only.includes('big')) {
            steps.push({ workload: 'big', inflights: [1], counted: true });
        }
        if (mode === 'stateful-sse' && options.only.includes('progress')) {
            steps.push({ workload: 'progress', inflights: [1], counted: true });
        }
        if (steps.length > 0) groups.push([mode, steps, options.pairs]);
    }
    const modernPairs = options.pairs.filter(pair => pair === 'ours' || pair === 'v2');
    if (options.only.includes('modern') && modernPairs.length > 0) {
        groups.push(['modern-2026', [{ workload: 'add', inflights: [MODERN_INFLIGHT], counted: false }], modernPairs]);
    }
    for (const [mode, steps, pairs] of groups) {
        console.log(
            `\n# pairs, ${mode}: ${steps.map(s => `${s.workload}${s.counted ? '' : ` N=${s.inflights.join(',')}`}`).join('; ')}` +
                ` — per pair ${seconds(options.warmupMs)} warm-up, then ${seconds(options.pairDurationMs)} in ` +
                `${options.rounds} interleaved slices`
        );
        await measurePairs(mode, pairs, steps, {
            warmupMs: options.warmupMs,
            durationMs: options.pairDurationMs,
            rounds: options.rounds,
            cpuProfileDir: context.profileDir,
            onResult: result => {
                context.results.pairs.push(result);
                console.log(pairLine(result));
            }
        });
        for (const pair of pairs) {
            addProfile(context, `pair server ${pair}/${mode}`, `pair-server-${pair}-${mode}.cpuprofile`);
            addProfile(context, `pair client ${pair}/${mode}`, `pair-client-${pair}-${mode}.cpuprofile`);
        }
    }
}

/**
 * The idle-sessions point.
 *
 * @param {Context} context
 */
export async function runIdle(context) {
    const impls = context.options.pairs;
    console.log(`\n# heap with ${context.options.idleSessions.toLocaleString('en-US')} idle stateful sessions`);
    for (const impl of impls) {
        const result = await measureIdleHeap(impl, { sessions: context.options.idleSessions });
        context.results.idleHeap[impl] = result;
        console.log(
            `  ${impl.padEnd(6)} ${fixed(result.bytesPerSession / 1024, 2, 7)} KB/session heap  ` +
                `(${(result.heapDeltaBytes / 1048576).toFixed(1)} MB in all, external ` +
                `${(result.externalPerSession / 1024).toFixed(2)} KB/session, RSS +${(result.rssDeltaBytes / 1048576).toFixed(0)} MB, ` +
                `opened in ${result.openSeconds.toFixed(1)} s)`
        );
    }
}

/**
 * Server-only throughput and CPU (one load generator for all servers).
 *
 * @param {Context} context
 */
export async function runThroughput(context) {
    const { options } = context;
    console.log(
        `\n# server-only throughput and CPU: ${options.concurrency} in flight; per server ${seconds(options.warmupMs)} ` +
            `warm-up, then ${seconds(options.durationMs)} measured in ${options.rounds} interleaved slices`
    );
    for (const mode of options.modes) {
        /** @type {Partial<Record<import('./servers.mjs').Impl, import('./throughput.mjs').ThroughputResult>>} */
        const byImpl = (context.results.throughput[mode] = {});
        await measureThroughput(mode, options.impls, {
            concurrency: options.concurrency,
            warmupMs: options.warmupMs,
            durationMs: options.durationMs,
            rounds: options.rounds,
            cpuProfileDir: context.profileDir,
            onResult: result => {
                byImpl[result.impl] = result;
                const spread = result.sliceRps.map(rps => rps.toFixed(0)).join('/');
                console.log(
                    `  ${mode.padEnd(14)} ${result.impl.padEnd(12)} ${fixed(result.rps)} req/s  ` +
                        `${fixed(result.cpuUsPerCall, 0, 5)} µs/call  p50 ${result.p50Ms.toFixed(1)} ms  ` +
                        `p99 ${result.p99Ms.toFixed(1)} ms  CPU server ${result.serverCpuShare.toFixed(2)} ` +
                        `load generator ${result.clientCpuShare.toFixed(2)}  slices ${spread}`
                );
            }
        });
        for (const impl of options.impls)
            addProfile(context, `server-only ${impl}/${mode}`, `${impl}-${mode}.cpuprofile`);
    }
}

/**
 * Server-only heap per idle session (small batches).
 *
 * @param {Context} context
 */
export async function runHeap(context) {
    const { options } = context;
    console.log(
        `\n# heap per idle session: stateful, ${options.heapBatches} batches of ${options.sessions} sessions (median)`
    );
    for (const impl of options.impls) {
        const result = await measureHeap(impl, { sessions: options.sessions, batches: options.heapBatches });
        context.results.heap[impl] = result;
        console.log(
            `  ${impl.padEnd(12)} ${fixed(result.bytesPerSession / 1024, 2, 7)} KB/session heap  ` +
                `batches ${result.batchBytesPerSession.map(bytes => (bytes / 1024).toFixed(2)).join('/')}  ` +
                `(external ${(result.externalPerSession / 1024).toFixed(2)} KB, baseline heap ${(result.baselineHeapUsed / 1048576).toFixed(1)} MB)`
        );
    }
}

/**
 * Browser client bundles, plain and with an authProvider, and where our bytes go in both.
 *
 * @param {Context} context
 */
export async function runBundle(context) {
    console.log('\n# minimal browser client bundle (esbuild, browser, ESM, minified, gzip -9)');
    for (const target of BUNDLE_TARGETS) {
        const result = await measureBundle(target);
        context.results.bundle[target] = result;
        console.log(
            `  ${target.padEnd(14)} ${fixed(result.gzipBytes / 1024, 1)} KB gz one file, ` +
                `${fixed(result.initialGzipBytes / 1024, 1)} KB gz initial chunks when code-split ` +
                `(${(result.minBytes / 1024).toFixed(0)} KB minified)`
        );
        for (const warning of result.warnings) console.warn(`    esbuild: ${warning}`);
    }
    for (const variant of ['', '+auth']) {
        const bundles = context.results.bundle;
        const ours =
            bundles[/** @type {import('./bundle.mjs').BundleTarget} */ (`ours-src${variant}`)] ??
            bundles[/** @type {import('./bundle.mjs').BundleTarget} */ (`ours-dist${variant}`)];
        if (ours === undefined) continue;
        console.log(`\n  where the bytes of ours (${ours.target}, one file) go —`);
        for (const line of contributorLines(ours)) console.log(`  ${line}`);
    }
}

/**
 * Prints the CPU-profile summaries.
 *
 * @param {Context} context
 */
export function printProfiles(context) {
    for (const [run, summary] of Object.entries(context.profiles)) {
        console.log(`\n# CPU profile, ${run}: ${summary.totalMs.toFixed(0)} ms sampled`);
        for (const spot of summary.packages.slice(0, 8)) {
            console.log(`    ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
        }
        console.log('  hottest functions (self time):');
        for (const spot of summary.functions.slice(0, 12)) {
            console.log(`    ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
        }
    }
}
