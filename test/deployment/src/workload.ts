/**
 * The client side of the deployment tests: our `Client` connected through the balancer in either era, a tap
 * counting the JSON-RPC responses its transport delivers (to see each request answered exactly once), and a
 * workload of `tools/call`s run with bounded concurrency whose every outcome is kept and checked.
 *
 * @module
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type {
    ClientOptions,
    JSONRPCMessage,
    RequestId,
    StreamableHTTPClientTransportOptions
} from '@modelcontextprotocol/client';
import type { Instance } from './processes.js';
import { PATHS, TOOL, computeValue, readAnswer } from './tools.js';
import type { InstanceStats, ToolAnswer } from './tools.js';

/** The revision a client speaks: 2025-11-25 (`initialize`; stateless on the server) or 2026-07-28 (pinned). */
export type Era = '2025-11-25' | '2026-07-28';

/** A connected client and what the tests observe of it. */
export interface Connection {
    readonly client: Client;
    readonly transport: StreamableHTTPClientTransport;
    /** How many responses arrived per request id, counted from the moment of connection on. */
    readonly responses: Map<RequestId, number>;
    close(): Promise<void>;
}

/** Options of {@link connect}, passed on to the client and its transport. */
export interface ConnectOptions {
    readonly client?: ClientOptions;
    readonly transport?: StreamableHTTPClientTransportOptions;
}

/** Connects a client to `url` in `era`, with a 10 s bound on the handshake. */
export async function connect(url: URL, era: Era, options: ConnectOptions = {}): Promise<Connection> {
    const client = new Client(
        { name: 'deployment-test', version: '1.0.0' },
        { ...options.client, ...(era === '2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) }
    );
    const transport = new StreamableHTTPClientTransport(url, options.transport);
    await client.connect(transport, { timeout: 10_000 });
    const responses = new Map<RequestId, number>();
    const deliver = transport.onmessage;
    transport.onmessage = (message: JSONRPCMessage, extra) => {
        if ('id' in message && !('method' in message)) responses.set(message.id, (responses.get(message.id) ?? 0) + 1);
        deliver?.(message, extra);
    };
    return { client, transport, responses, close: () => client.close() };
}

/** One `tools/call`: `compute` when `steps` is 0, else `progress` with that many notifications. */
export interface CallSpec {
    readonly x: number;
    readonly steps: number;
    readonly delayMs: number;
}

/** What became of one call. */
export type CallOutcome = {
    readonly spec: CallSpec;
    /** The `progress` values received, in order. */
    readonly progress: readonly number[];
    /** When the first progress notification arrived, in ms after the call started. */
    readonly firstProgressMs: number | undefined;
    /** How long the call took, in ms. */
    readonly ms: number;
} & ({ readonly ok: true; readonly answer: ToolAnswer } | { readonly ok: false; readonly error: unknown });

/** `count` calls with distinct inputs starting at `firstX`: every `progressEvery`-th one sends progress. */
export function workload(count: number, firstX: number, progressEvery: number, steps = 3, delayMs = 0): CallSpec[] {
    return Array.from({ length: count }, (_, i) => ({
        x: firstX + i,
        steps: progressEvery > 0 && i % progressEvery === 0 ? steps : 0,
        delayMs
    }));
}

/**
 * Makes one call; never throws (a failure is an outcome). `onresumptiontoken` hears the event ids of the call's
 * response stream.
 */
export async function call(
    client: Client,
    spec: CallSpec,
    timeoutMs: number,
    onresumptiontoken?: (token: string) => void
): Promise<CallOutcome> {
    const progress: number[] = [];
    let firstProgressMs: number | undefined;
    const started = performance.now();
    const params =
        spec.steps === 0
            ? { name: TOOL.compute, arguments: { x: spec.x } }
            : { name: TOOL.progress, arguments: { x: spec.x, steps: spec.steps, delayMs: spec.delayMs } };
    const onprogress = (p: { progress: number }) => {
        firstProgressMs ??= performance.now() - started;
        progress.push(p.progress);
    };
    const options = {
        ...(spec.steps === 0 ? {} : { onprogress }),
        ...(onresumptiontoken === undefined ? {} : { onresumptiontoken })
    };
    try {
        const result = await client.callTool(params, { timeout: timeoutMs, ...options });
        const ms = performance.now() - started;
        return { spec, progress, firstProgressMs, ms, ok: true, answer: readAnswer(result) };
    } catch (error) {
        return { spec, progress, firstProgressMs, ms: performance.now() - started, ok: false, error };
    }
}

/**
 * Runs `specs` with at most `concurrency` calls in flight; `onSettled` hears the number of calls settled so far.
 * Outcomes are in the order of `specs`.
 */
export async function runCalls(
    client: Client,
    specs: readonly CallSpec[],
    concurrency: number,
    timeoutMs: number,
    onSettled?: (settled: number) => void
): Promise<CallOutcome[]> {
    const outcomes: CallOutcome[] = new Array<CallOutcome>(specs.length);
    let next = 0;
    let settled = 0;
    const worker = async () => {
        while (next < specs.length) {
            const index = next++;
            outcomes[index] = await call(client, specs[index]!, timeoutMs);
            onSettled?.(++settled);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
    return outcomes;
}

/** What is wrong with the successful outcomes: a wrong value, or progress other than 1…steps before the result. */
export function wrongAnswers(outcomes: readonly CallOutcome[]): string[] {
    const problems: string[] = [];
    for (const outcome of outcomes) {
        if (!outcome.ok) continue;
        const { spec, answer, progress } = outcome;
        if (answer.x !== spec.x || answer.value !== computeValue(spec.x)) {
            problems.push(`x=${spec.x}: got ${JSON.stringify(answer)}`);
        }
        const expected = Array.from({ length: spec.steps }, (_, i) => i + 1);
        if (progress.join(',') !== expected.join(',')) {
            problems.push(`x=${spec.x}: progress [${progress.join(',')}], expected [${expected.join(',')}]`);
        }
    }
    return problems;
}

/** How many successful calls each instance answered. */
export function answeredBy(outcomes: readonly CallOutcome[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const outcome of outcomes) {
        if (outcome.ok) counts[outcome.answer.instance] = (counts[outcome.answer.instance] ?? 0) + 1;
    }
    return counts;
}

/** The request ids answered other than exactly once (responses counted by {@link connect}'s tap). */
export function notAnsweredOnce(responses: ReadonlyMap<RequestId, number>): RequestId[] {
    return [...responses].filter(([, count]) => count !== 1).map(([id]) => id);
}

/** The tool calls each instance ran since it started (`GET /stats`, straight to the instance). */
export async function servedCounts(instances: readonly Instance[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const instance of instances) {
        const response = await fetch(instance.url(PATHS.stats), { signal: AbortSignal.timeout(5000) });
        const stats = (await response.json()) as InstanceStats;
        counts[stats.instance] = stats.served;
    }
    return counts;
}

/** The sum of the values of a count record. */
export function total(counts: Readonly<Record<string, number>>): number {
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
