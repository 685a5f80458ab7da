// @ts-check
/**
 * `pnpm bench`: measures this SDK against the official MCP TypeScript SDK (v1 1.32.2 and v2 2.4.0) and a bare
 * `node:http` floor, and prints a comparison table. Benchmarks, not tests: nothing asserts a timing, nothing runs
 * in CI. Only loopback traffic; every loop is bounded by time or count.
 *
 *   node bench/run.mjs [--only=throughput,heap,bundle] [--impls=ours,v1,...] [--modes=stateless-json,stateful-sse]
 *                      [--duration=5] [--warmup=1] [--rounds=5] [--concurrency=32]
 *                      [--sessions=200] [--heap-batches=3] [--profile]
 *
 * Servers import the built packages (`dist/`): run `pnpm build` first. `--profile` writes a V8 CPU profile per
 * server run to `bench/results/profiles/` and prints its hot functions (profiling slows the servers down, so
 * the numbers of such a run are not comparable with a plain one).
 *
 * @module
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUNDLE_TARGETS, contributorLines, measureBundle } from './src/bundle.mjs';
import { measureHeap } from './src/heap.mjs';
import { summariseProfile } from './src/profile.mjs';
import { BUNDLE_COLUMNS, buildRows, formatTable, SERVER_COLUMNS } from './src/report.mjs';
import { IMPLS, MODES } from './src/servers.mjs';
import { measureThroughput } from './src/throughput.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const PACKAGES = ['core', 'client', 'server', 'middleware/express'];

const { values: args } = parseArgs({
    options: {
        only: { type: 'string', default: 'throughput,heap,bundle' },
        impls: { type: 'string', default: IMPLS.join(',') },
        modes: { type: 'string', default: MODES.join(',') },
        duration: { type: 'string', default: '5' },
        warmup: { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '32' },
        rounds: { type: 'string', default: '5' },
        'heap-batches': { type: 'string', default: '3' },
        sessions: { type: 'string', default: '200' },
        profile: { type: 'boolean', default: false }
    }
});

/**
 * @template {string} T
 * @param {string} list
 * @param {readonly T[]} allowed
 * @param {string} what
 * @returns {T[]}
 */
function pick(list, allowed, what) {
    const chosen = list.split(',').filter(item => item !== '');
    for (const item of chosen) {
        if (!allowed.includes(/** @type {T} */ (item)))
            throw new Error(`unknown ${what} '${item}' (one of ${allowed.join(', ')})`);
    }
    return /** @type {T[]} */ (chosen);
}

/**
 * @param {string} value
 * @param {string} name
 */
function positive(value, name) {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number`);
    return number;
}

const only = pick(args.only, /** @type {const} */ (['throughput', 'heap', 'bundle']), 'metric group');
const impls = pick(args.impls, IMPLS, 'implementation');
const modes = pick(args.modes, MODES, 'mode');
const config = {
    durationMs: positive(args.duration, 'duration') * 1000,
    warmupMs: positive(args.warmup, 'warmup') * 1000,
    concurrency: Math.round(positive(args.concurrency, 'concurrency')),
    rounds: Math.round(positive(args.rounds, 'rounds')),
    heapBatches: Math.round(positive(args['heap-batches'], 'heap-batches')),
    sessions: Math.round(positive(args.sessions, 'sessions')),
    profile: args.profile
};

/** The newest modification time (ms) of the files under `dir`. */
function newestMtime(/** @type {string} */ dir) {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

/** Refuses to run without `dist/`; warns when a package's sources are newer than its build. */
function checkBuild() {
    for (const pkg of PACKAGES) {
        const dist = join(ROOT, 'packages', pkg, 'dist');
        let built;
        try {
            built = statSync(join(dist, 'index.mjs')).mtimeMs;
        } catch {
            throw new Error(`packages/${pkg} is not built: run \`pnpm build\` first (the bench measures dist/)`);
        }
        if (newestMtime(join(ROOT, 'packages', pkg, 'src')) > built) {
            console.warn(`warning: packages/${pkg}/src is newer than its dist/ — run \`pnpm build\` to measure it`);
        }
    }
}

/** @param {number} ms */
const seconds = ms => `${(ms / 1000).toFixed(1)} s`;

async function main() {
    const started = Date.now();
    checkBuild();
    const cpus = availableParallelism();
    const load = loadavg()[0] ?? 0;
    console.log(`node ${process.version}, ${cpus} CPUs, load average ${load.toFixed(2)}`);
    if (load > cpus / 2) console.warn('warning: the machine is busy; expect noisy numbers');
    const profileDir = config.profile ? join(RESULTS_DIR, 'profiles') : undefined;
    if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });

    /** @type {import('./src/report.mjs').Results} */
    const results = { throughput: {}, heap: {}, bundle: {} };
    /** @type {Record<string, ReturnType<typeof summariseProfile>>} */
    const profiles = {};

    if (only.includes('throughput')) {
        console.log(
            `\n# throughput and CPU: ${config.concurrency} in flight; per server ${seconds(config.warmupMs)} warm-up, ` +
                `then ${seconds(config.durationMs)} measured in ${config.rounds} interleaved slices`
        );
        for (const mode of modes) {
            /** @type {Partial<Record<import('./src/servers.mjs').Impl, import('./src/throughput.mjs').ThroughputResult>>} */
            const byImpl = (results.throughput[mode] = {});
            await measureThroughput(mode, impls, {
                concurrency: config.concurrency,
                warmupMs: config.warmupMs,
                durationMs: config.durationMs,
                rounds: config.rounds,
                cpuProfileDir: profileDir,
                onResult: result => {
                    byImpl[result.impl] = result;
                    const spread = result.sliceRps.map(rps => rps.toFixed(0)).join('/');
                    console.log(
                        `  ${mode.padEnd(14)} ${result.impl.padEnd(12)} ${result.rps.toFixed(0).padStart(6)} req/s  ` +
                            `${result.cpuUsPerCall.toFixed(0).padStart(5)} µs/call  p50 ${result.p50Ms.toFixed(1)} ms  ` +
                            `p99 ${result.p99Ms.toFixed(1)} ms  CPU server ${result.serverCpuShare.toFixed(2)} ` +
                            `load generator ${result.clientCpuShare.toFixed(2)}  slices ${spread}`
                    );
                }
            });
            if (profileDir !== undefined) {
                for (const impl of impls) {
                    profiles[`${impl}/${mode}`] = summariseProfile(join(profileDir, `${impl}-${mode}.cpuprofile`));
                }
            }
        }
    }

    if (only.includes('heap')) {
        console.log(
            `\n# heap per idle session: stateful, ${config.heapBatches} batches of ${config.sessions} sessions (median)`
        );
        for (const impl of impls) {
            const result = await measureHeap(impl, { sessions: config.sessions, batches: config.heapBatches });
            results.heap[impl] = result;
            console.log(
                `  ${impl.padEnd(12)} ${(result.bytesPerSession / 1024).toFixed(2).padStart(7)} KB/session heap  ` +
                    `batches ${result.batchBytesPerSession.map(bytes => (bytes / 1024).toFixed(2)).join('/')}  ` +
                    `(external ${(result.externalPerSession / 1024).toFixed(2)} KB, baseline heap ${(result.baselineHeapUsed / 1048576).toFixed(1)} MB)`
            );
        }
    }

    if (only.includes('bundle')) {
        console.log('\n# minimal browser client bundle (esbuild, browser, ESM, minified, gzip -9)');
        for (const target of BUNDLE_TARGETS) {
            const result = await measureBundle(target);
            results.bundle[target] = result;
            console.log(
                `  ${target.padEnd(10)} ${(result.gzipBytes / 1024).toFixed(1).padStart(6)} KB gz one file, ` +
                    `${(result.initialGzipBytes / 1024).toFixed(1).padStart(6)} KB gz initial chunks when code-split ` +
                    `(${(result.minBytes / 1024).toFixed(0)} KB minified)`
            );
            for (const warning of result.warnings) console.warn(`    esbuild: ${warning}`);
        }
        const ours = results.bundle['ours-src'] ?? results.bundle['ours-dist'];
        if (ours !== undefined) {
            console.log(`\n  where the bytes of ours (${ours.target}, one file) go —`);
            for (const line of contributorLines(ours)) console.log(`  ${line}`);
        }
    }

    const rows = buildRows(results);
    console.log('\n# summary\n');
    if (rows.server.length > 0) console.log(formatTable(rows.server, SERVER_COLUMNS, true), '\n');
    if (rows.bundle.length > 0) console.log(formatTable(rows.bundle, BUNDLE_COLUMNS, false), '\n');

    for (const [run, summary] of Object.entries(profiles)) {
        console.log(`# CPU profile ${run}: ${summary.totalMs.toFixed(0)} ms sampled`);
        for (const spot of summary.packages.slice(0, 8)) {
            console.log(`    ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
        }
        console.log('  hottest functions (self time):');
        for (const spot of summary.functions.slice(0, 12)) {
            console.log(`    ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
        }
    }

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, 'latest.json');
    writeFileSync(
        file,
        `${JSON.stringify(
            {
                date: new Date().toISOString(),
                environment: { node: process.version, cpus, loadAverage: load },
                config: { ...config, impls, modes, only },
                results,
                rows,
                profiles
            },
            null,
            2
        )}\n`
    );
    console.log(`results written to ${file} (${seconds(Date.now() - started)} in all)`);
}

await main();
