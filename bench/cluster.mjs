// @ts-check
/**
 * `pnpm bench:cluster`: stateful 2025-11-25 sessions on 1 vs 3 instances of this SDK (issue 12), each instance a
 * child process (`src/clusterInstance.mjs`, the built packages), sessions shared through a real `redis-server`
 * (`RedisSessionDirectory` + `RedisEventStore`). The load generator is the balancer: it picks the instance of each
 * request itself (no proxy hop, so what is measured is the SDK), and every worker keeps one `tools/call` in flight
 * on its own session.
 *
 * Scenarios: one instance without Redis (the baseline), one with Redis, three routed to each session's owner (a
 * sticky balancer: nothing forwarded), three round-robin (two requests in three forwarded), and one request at a
 * time sent to the owner vs to another instance (the cost of a forwarded request). Prints a table, writes
 * `results/cluster.md` and `results/cluster.json`. Benchmarks, not tests: nothing asserts a timing.
 *
 *   node bench/cluster.mjs --help
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { availableParallelism, cpus as cpuList } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { httpClient, openSession, rpcOf } from './src/load.mjs';
import { quantile } from './src/stats.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const INSTANCE = join(BENCH_DIR, 'src', 'clusterInstance.mjs');

const USAGE = `usage: node bench/cluster.mjs [--duration <s>] [--workers <n>] [--only <text>]

  --duration <s>     measured seconds per scenario (default 5; 1 s of warm-up before each)
  --workers <n>      calls in flight, one session each (default 32)
  --only <text>      run only the scenarios whose name contains <text>

BENCH_CLUSTER_PROFILE=<dir> writes a V8 CPU profile per instance there.
Needs redis-server on PATH (Debian: apt-get install redis-server) and built packages (pnpm build).`;

/** @returns {{ durationMs: number; workers: number; only: string | undefined }} */
function parseArgs(/** @type {string[]} */ argv) {
    /** @type {{ durationMs: number; workers: number; only: string | undefined }} */
    const options = { durationMs: 5000, workers: 32, only: undefined };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = Number(argv[i + 1]);
        if (flag === '--help' || flag === '-h') {
            console.log(USAGE);
            process.exit(0);
        }
        if (flag === '--only' && argv[i + 1] !== undefined) {
            options.only = argv[++i];
            continue;
        }
        if (!Number.isFinite(value) || value <= 0) {
            console.error(`${flag ?? ''}: expected a positive number\n\n${USAGE}`);
            process.exit(2);
        }
        if (flag === '--duration') options.durationMs = value * 1000;
        else if (flag === '--workers') options.workers = Math.floor(value);
        else {
            console.error(`unknown option ${flag}\n\n${USAGE}`);
            process.exit(2);
        }
        i++;
    }
    return options;
}

async function freePort() {
    const server = createServer();
    await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const address = server.address();
    await new Promise(resolve => server.close(() => resolve(undefined)));
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
}

/** @param {number} port */
function pong(port) {
    return new Promise(resolve => {
        const socket = connect(port, '127.0.0.1');
        let reply = '';
        const done = (/** @type {boolean} */ ok) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(1000, () => done(false));
        socket.once('error', () => done(false));
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.on('data', chunk => {
            reply += chunk.toString('latin1');
            if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
        });
    });
}

async function startRedis() {
    const port = await freePort();
    const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
            stdio: 'ignore'
        }
    );
    const failed = new Promise((_, reject) => child.once('error', reject));
    for (let i = 0; i < 200; i++) {
        if (await Promise.race([pong(port), failed]))
            return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
        await sleep(25);
    }
    child.kill();
    throw new Error('redis-server did not answer');
}

/**
 * @typedef {{ id: string; port: number; url: string; ask(type: string): Promise<any>; stop(): Promise<void> }} Instance
 */

/** @returns {Promise<Instance>} */
function startInstance(
    /** @type {string} */ id,
    /** @type {'local' | 'shared'} */ mode,
    /** @type {string} */ redisUrl
) {
    const profile = process.env.BENCH_CLUSTER_PROFILE;
    const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(process.execPath, [...flags, INSTANCE, id, mode, redisUrl], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    /** @type {Array<(message: any) => void>} */
    const waiting = [];
    child.on('message', message => waiting.shift()?.(message));
    const exited = new Promise(resolve => child.once('exit', () => resolve(undefined)));
    return new Promise((resolve, reject) => {
        waiting.push(message => {
            if (message.type !== 'ready') return reject(new Error(`instance ${id}: ${JSON.stringify(message)}`));
            const url = `http://127.0.0.1:${message.port}/mcp`;
            resolve({
                id,
                port: message.port,
                url,
                ask: type =>
                    new Promise(answer => {
                        waiting.push(answer);
                        child.send({ type });
                    }),
                stop: async () => {
                    child.send({ type: 'exit' });
                    await Promise.race([exited, sleep(3000)]);
                    child.kill('SIGKILL');
                }
            });
        });
        void exited.then(() => reject(new Error(`instance ${id} exited`)));
    });
}

/** @param {number} id */
const callBody = id =>
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"add","arguments":{"a":${id},"b":2}}}`;

/**
 * Runs `workers` sessions against `instances`: each session opened on instance `w % n`, each later request sent to
 * `route(owner, counter)`. Measures `durationMs` after a 1 s warm-up.
 *
 * @param {Instance[]} instances
 * @param {{ workers: number; durationMs: number; route: (owner: number, n: number) => number }} options
 */
async function measure(instances, options) {
    const clients = instances.map(instance => httpClient(instance.url, options.workers));
    let counter = 0;
    /** @type {{ owner: number; headers: Record<string, string> }[]} */
    const sessions = [];
    for (let w = 0; w < options.workers; w++) {
        const owner = w % instances.length;
        const session = await openSession(/** @type {ReturnType<typeof httpClient>} */ (clients[owner]), w);
        /** @type {Record<string, string>} */
        const headers = { 'mcp-protocol-version': session.protocolVersion };
        if (session.sessionId !== undefined) headers['mcp-session-id'] = session.sessionId;
        sessions.push({ owner, headers });
    }
    let stop = false;
    let measuring = false;
    let completed = 0;
    let failed = 0;
    /** @type {string | undefined} */
    let firstFailure;
    /** @type {number[]} */
    const latencies = [];
    const work = async (/** @type {{ owner: number; headers: Record<string, string> }} */ session) => {
        while (!stop) {
            const target = options.route(session.owner, counter++);
            const id = counter;
            const started = performance.now();
            let ok = false;
            try {
                const client = /** @type {ReturnType<typeof httpClient>} */ (clients[target]);
                const reply = await client.post(callBody(id), session.headers);
                ok = reply.status === 200 && rpcOf(reply).result?.content?.[0]?.text === String(id + 2);
                if (!ok) firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
            } catch (error) {
                firstFailure ??= String(error);
            }
            if (!measuring) continue;
            if (ok) {
                completed++;
                latencies.push(performance.now() - started);
            } else failed++;
        }
    };
    const running = sessions.map(work);
    await sleep(1000);
    await Promise.all(instances.map(instance => instance.ask('mark')));
    const t0 = performance.now();
    measuring = true;
    await sleep(options.durationMs);
    measuring = false;
    const seconds = (performance.now() - t0) / 1000;
    const reports = await Promise.all(instances.map(instance => instance.ask('report')));
    stop = true;
    await Promise.all(running);
    for (const client of clients) client.destroy();
    latencies.sort((x, y) => x - y);
    const serverCpuUs = reports.reduce((sum, report) => sum + report.cpuUs, 0);
    return {
        callsPerSecond: completed / seconds,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        serverCpuUsPerCall: completed > 0 ? serverCpuUs / completed : NaN,
        toolRuns: reports.map(report => report.calls),
        failed,
        firstFailure
    };
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const redis = await startRedis().catch(error => {
        console.error(
            `redis-server could not start (${String(error)}): install it (Debian: apt-get install redis-server)`
        );
        process.exit(1);
    });
    console.log(
        `node ${process.version}, ${availableParallelism()} CPUs (${cpuList()[0]?.model ?? '?'}); ${options.workers} calls in flight, ${options.durationMs / 1000} s per scenario`
    );
    /** @type {Array<{ scenario: string; instances: number; forwarded: string; result: Awaited<ReturnType<typeof measure>> }>} */
    const rows = [];
    const scenario = async (
        /** @type {string} */ name,
        /** @type {number} */ count,
        /** @type {'local' | 'shared'} */ mode,
        /** @type {string} */ forwarded,
        /** @type {(owner: number, n: number) => number} */ route,
        /** @type {number} */ workers = options.workers,
        /** @type {number} */ durationMs = options.durationMs
    ) => {
        if (options.only !== undefined && !name.includes(options.only)) return;
        const instances = await Promise.all(
            Array.from({ length: count }, (_, i) => startInstance(`i${i + 1}`, mode, redis.url))
        );
        try {
            const result = await measure(instances, { workers, durationMs, route });
            rows.push({ scenario: name, instances: count, forwarded, result });
            console.log(
                `${name}: ${result.callsPerSecond.toFixed(0)} calls/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, server CPU ${result.serverCpuUsPerCall.toFixed(0)} µs/call${result.failed > 0 ? `, ${result.failed} failed (${result.firstFailure})` : ''}`
            );
        } finally {
            await Promise.all(instances.map(instance => instance.stop()));
        }
    };
    const own = (/** @type {number} */ owner) => owner;
    await scenario('1 instance, no Redis', 1, 'local', 'none', own);
    await scenario('1 instance, Redis', 1, 'shared', 'none', own);
    await scenario('3 instances, Redis, owner-routed', 3, 'shared', 'none', own);
    await scenario('3 instances, Redis, round-robin', 3, 'shared', '2 in 3', (_owner, n) => n % 3);
    // One call at a time, so latency is the request's own: all to the owner, then all to another instance.
    const sequentialMs = Math.max(1000, options.durationMs / 2);
    await scenario('sequential, to the owner', 3, 'shared', 'none', own, 1, sequentialMs);
    await scenario('sequential, to another instance', 3, 'shared', 'all', owner => (owner + 1) % 3, 1, sequentialMs);
    redis.stop();

    const base = rows[0]?.result;
    const header =
        '| scenario | instances | forwarded | calls/s | × baseline | p50 ms | p99 ms | server CPU µs/call |\n' +
        '| --- | --: | --- | --: | --: | --: | --: | --: |';
    const lines = rows.map(
        ({ scenario: name, instances, forwarded, result }) =>
            `| ${name} | ${instances} | ${forwarded} | ${result.callsPerSecond.toFixed(0)} | ${base ? (result.callsPerSecond / base.callsPerSecond).toFixed(2) : '–'} | ${result.p50.toFixed(2)} | ${result.p99.toFixed(2)} | ${result.serverCpuUsPerCall.toFixed(0)} |`
    );
    const local = rows.find(row => row.scenario === 'sequential, to the owner')?.result;
    const remote = rows.find(row => row.scenario === 'sequential, to another instance')?.result;
    const cost =
        local && remote
            ? `\nA forwarded request costs ${(remote.p50 - local.p50).toFixed(2)} ms more at p50 (${(remote.p50 / local.p50).toFixed(2)}× a local one) and ${(remote.serverCpuUsPerCall - local.serverCpuUsPerCall).toFixed(0)} µs more server CPU (${(remote.serverCpuUsPerCall / local.serverCpuUsPerCall).toFixed(2)}×).\n`
            : '';
    const table = `${header}\n${lines.join('\n')}\n${cost}`;
    console.log(`\n${table}`);
    const machine = `node ${process.version}, ${availableParallelism()} CPUs (${cpuList()[0]?.model ?? '?'})`;
    writeFileSync(
        join(BENCH_DIR, 'results', 'cluster.md'),
        `# bench/cluster.mjs — ${new Date().toISOString()}\n\n${machine}; ${options.workers} calls in flight (one session each), ${options.durationMs / 1000} s per scenario.\n\n${table}`
    );
    writeFileSync(
        join(BENCH_DIR, 'results', 'cluster.json'),
        `${JSON.stringify({ machine, options, rows }, null, 2)}\n`
    );
}

await main();
