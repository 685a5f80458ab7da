// @ts-check
/**
 * The command line of `pnpm bench`: options, defaults, usage text. Bad options print the usage and exit 2.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { PAIRS } from './clients.mjs';
import { IMPLS, MODES } from './servers.mjs';

/** Metric groups, in run order. */
export const GROUPS = /** @type {const} */ ([
    'pairs',
    'big',
    'progress',
    'modern',
    'idle',
    'throughput',
    'heap',
    'bundle'
]);

export const USAGE = `Usage: node bench/run.mjs [options]     (pnpm bench)

Measures this SDK against the official MCP TypeScript SDK (v2 2.4.0, v1 1.32.2) and a bare node:http / fetch
floor in one run; prints a table of ratios and writes bench/results/latest.json and latest.md. Run \`pnpm build\`
first: the servers and clients import the built packages (dist/).

Metric groups (--only):
  pairs       end-to-end client + server, tools/call add with N calls in flight: calls/s, p50/p99 latency,
              client CPU and server CPU per call (each side in its own process)
  big         a tool returning ~1 MB of text, one call at a time: time, client and server CPU per call
  progress    a tool sending 1,000 notifications/progress in one call (counted by onprogress): time per call
  modern      protocol 2026-07-28 stateless: clients pinned to 2026-07-28 against createMcpHandler servers
  idle        server heap per session with --idle-sessions idle stateful sessions held at once
  throughput  server only (one raw node:http load generator for all): req/s and server CPU per call
  heap        server only: heap per idle session, median of --heap-batches batches of --sessions sessions
  bundle      minimal browser client bundle (esbuild, gzip -9): plain, and with an OAuth authProvider

Options:
  --only=LIST           metric groups to run (default: all, in the order above)
  --pairs=LIST          pairs for pairs/big/progress/modern/idle: ${PAIRS.join(',')} (default: all;
                        v1 and floor are skipped where they do not apply)
  --impls=LIST          servers for throughput/heap: ${IMPLS.join(',')} (default: all)
  --modes=LIST          transport modes for pairs and throughput: ${MODES.join(',')} (default: both)
  --inflight=LIST       calls in flight for pairs (default: 1,32,256)
  --ours-fetch=KIND     the fetch our client pairs use: web (Node's built-in fetch, the default) or node
                        (createNodeFetch from @modelcontextprotocol/node, over node:http)
  --pair-duration=S     measured seconds per pair and step (default: 3)
  --duration=S          measured seconds per server, throughput (default: 5)
  --warmup=S            unmeasured warm-up seconds before each measured series (default: 1)
  --rounds=N            interleaved measured slices per series (default: 5)
  --concurrency=N       in-flight requests of the throughput load generator (default: 32)
  --sessions=N          sessions per heap batch (default: 200)
  --heap-batches=N      heap batches (default: 3)
  --idle-sessions=N     idle sessions held for the idle point (default: 10000)
  --profile             write V8 CPU profiles of the servers and clients (bench/results/profiles/) and print
                        where each spends its time; profiling slows them, so compare such a run only with itself
  -h, --help            print this and exit
`;

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
        if (!allowed.includes(/** @type {T} */ (item))) {
            throw new UsageError(`unknown ${what} '${item}' (one of ${allowed.join(', ')})`);
        }
    }
    return /** @type {T[]} */ (chosen);
}

/**
 * @param {string} value
 * @param {string} name
 */
function positive(value, name) {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name} must be a positive number`);
    return number;
}

class UsageError extends Error {}

/**
 * Parses `argv` (without `node` and the script). Prints the usage and exits: 0 on `--help`, 2 on a bad option.
 *
 * @param {string[]} argv
 */
export function parseOptions(argv) {
    try {
        const { values: args } = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                help: { type: 'boolean', short: 'h', default: false },
                only: { type: 'string', default: GROUPS.join(',') },
                pairs: { type: 'string', default: PAIRS.join(',') },
                impls: { type: 'string', default: IMPLS.join(',') },
                modes: { type: 'string', default: MODES.join(',') },
                inflight: { type: 'string', default: '1,32,256' },
                'ours-fetch': { type: 'string', default: 'web' },
                'pair-duration': { type: 'string', default: '3' },
                duration: { type: 'string', default: '5' },
                warmup: { type: 'string', default: '1' },
                concurrency: { type: 'string', default: '32' },
                rounds: { type: 'string', default: '5' },
                'heap-batches': { type: 'string', default: '3' },
                sessions: { type: 'string', default: '200' },
                'idle-sessions': { type: 'string', default: '10000' },
                profile: { type: 'boolean', default: false }
            }
        });
        if (args.help) {
            process.stdout.write(USAGE);
            process.exit(0);
        }
        return {
            only: pick(args.only, GROUPS, 'metric group'),
            pairs: pick(args.pairs, PAIRS, 'pair'),
            impls: pick(args.impls, IMPLS, 'implementation'),
            modes: pick(args.modes, MODES, 'mode'),
            inflight: args.inflight.split(',').map(n => Math.round(positive(n, 'inflight'))),
            oursFetch: pick(args['ours-fetch'], ['web', 'node'], 'fetch')[0] ?? 'web',
            pairDurationMs: positive(args['pair-duration'], 'pair-duration') * 1000,
            durationMs: positive(args.duration, 'duration') * 1000,
            warmupMs: positive(args.warmup, 'warmup') * 1000,
            concurrency: Math.round(positive(args.concurrency, 'concurrency')),
            rounds: Math.round(positive(args.rounds, 'rounds')),
            heapBatches: Math.round(positive(args['heap-batches'], 'heap-batches')),
            sessions: Math.round(positive(args.sessions, 'sessions')),
            idleSessions: Math.round(positive(args['idle-sessions'], 'idle-sessions')),
            profile: args.profile
        };
    } catch (error) {
        const known = error instanceof UsageError || /** @type {any} */ (error)?.code?.startsWith?.('ERR_PARSE_ARGS');
        if (!known) throw error;
        process.stderr.write(`error: ${/** @type {Error} */ (error).message}\n\n${USAGE}`);
        process.exit(2);
    }
}

/** @typedef {ReturnType<typeof parseOptions>} Options */
