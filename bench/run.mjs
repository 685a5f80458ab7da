// @ts-check
/**
 * `pnpm bench`: measures this SDK against the official MCP TypeScript SDK (v2 2.4.0 and v1 1.32.2) and a bare
 * `node:http` / `fetch` floor in one run — end-to-end client + server pairs, scaling points (a 1 MB result, 1,000
 * progress notifications, the 2026-07-28 stateless path, 10,000 idle sessions), server-only throughput, CPU and
 * heap, and the browser client bundle — and prints a table of ratios, also written to `results/latest.json` and
 * `results/latest.md`. Benchmarks, not tests: nothing asserts a timing, nothing runs in CI. Only loopback
 * traffic; every loop is bounded by time or count.
 *
 *   node bench/run.mjs --help
 *
 * Servers and clients import the built packages (`dist/`): run `pnpm build` first. `--profile` writes a V8 CPU
 * profile per server and client process to `bench/results/profiles/` and prints their hot spots (profiling slows
 * them down, so the numbers of such a run are not comparable with a plain one).
 *
 * @module
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus as cpuList, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions } from './src/options.mjs';
import { formatMarkdown, formatTable, targetSummary } from './src/report.mjs';
import { buildRows } from './src/rows.mjs';
import { printProfiles, runBundle, runHeap, runIdle, runPairs, runThroughput, seconds } from './src/sections.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const PACKAGES = ['core', 'client', 'server', 'middleware/node', 'middleware/express'];

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
            console.error(`packages/${pkg} is not built: run \`pnpm build\` first (the bench measures dist/)`);
            process.exit(1);
        }
        if (newestMtime(join(ROOT, 'packages', pkg, 'src')) > built) {
            console.warn(`warning: packages/${pkg}/src is newer than its dist/ — run \`pnpm build\` to measure it`);
        }
    }
}

async function main() {
    const options = parseOptions(process.argv.slice(2));
    // Read by the client child processes of our pairs (bench/src/clients.mjs).
    process.env.BENCH_OURS_FETCH = options.oursFetch;
    const started = Date.now();
    checkBuild();
    const cpus = availableParallelism();
    const cpuModel = cpuList()[0]?.model ?? 'unknown CPU';
    const loadBefore = loadavg();
    const environment = {
        node: process.version,
        cpus,
        cpuModel,
        platform: `${process.platform} ${process.arch}`,
        oursFetch: options.oursFetch,
        loadAverageBefore: loadBefore,
        loadAverageAfter: /** @type {number[]} */ ([])
    };
    console.log(
        `node ${process.version}, ${cpus} CPUs (${cpuModel}), load average ${loadBefore.map(l => l.toFixed(2)).join(' ')}`
    );
    if ((loadBefore[0] ?? 0) > cpus / 2) console.warn('warning: the machine is busy; expect noisy numbers');
    const profileDir = options.profile ? join(RESULTS_DIR, 'profiles') : undefined;
    if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });

    /** @type {import('./src/sections.mjs').Context} */
    const context = {
        options,
        results: { throughput: {}, heap: {}, idleHeap: {}, pairs: [], bundle: {} },
        profiles: {},
        profileDir
    };
    const { only } = options;
    if (only.some(group => group === 'pairs' || group === 'big' || group === 'progress' || group === 'modern')) {
        await runPairs(context);
    }
    if (only.includes('idle')) await runIdle(context);
    if (only.includes('throughput')) await runThroughput(context);
    if (only.includes('heap')) await runHeap(context);
    if (only.includes('bundle')) await runBundle(context);

    const rows = buildRows(context.results);
    environment.loadAverageAfter = loadavg();
    const elapsed = seconds(Date.now() - started);
    console.log('\n# summary\n');
    console.log(formatTable(rows));
    const { met, unmet } = targetSummary(rows);
    console.log(`\ntargets met: ${met.length}, not met: ${unmet.length}`);
    for (const line of unmet) console.log(`  not met — ${line}`);
    printProfiles(context);

    mkdirSync(RESULTS_DIR, { recursive: true });
    const date = new Date().toISOString();
    const jsonFile = join(RESULTS_DIR, 'latest.json');
    const { options: config, results, profiles } = context;
    writeFileSync(jsonFile, `${JSON.stringify({ date, environment, config, results, rows, profiles }, null, 2)}\n`);
    const mdFile = join(RESULTS_DIR, 'latest.md');
    const load = (/** @type {number[]} */ l) => l.map(value => value.toFixed(2)).join(' ');
    writeFileSync(
        mdFile,
        `# Benchmark run ${date}\n\n` +
            `Node ${process.version}, ${cpus} CPUs (${cpuModel}), ${environment.platform}; load average ` +
            `${load(loadBefore)} before, ${load(environment.loadAverageAfter)} after; ${elapsed} in all.\n\n` +
            `${formatMarkdown(rows)}\n`
    );
    console.log(`\nresults written to ${jsonFile} and ${mdFile} (${elapsed} in all)`);
}

await main();
