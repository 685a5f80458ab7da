/**
 * What every instance serves and what the tests expect of it: the tool names, the value `compute` derives from
 * its input, and the shape of a result (which instance answered, the input, the value).
 *
 * @module
 */

/** The tools every instance registers. */
export const TOOL = {
    /** `{ x }` → {@link ToolAnswer}: the instance's id and `computeValue(x)`. */
    compute: 'compute',
    /** `{ x, steps, delayMs }` → sends `steps` progress notifications, `delayMs` apart, then answers like `compute`. */
    progress: 'progress'
} as const;

/** The value `compute` and `progress` return for `x`: cheap, but not something a wrong route could guess. */
export function computeValue(x: number): number {
    return (x * x + 7 * x + 3) % 1_000_003;
}

/** The structured result of `compute` and `progress`. */
export interface ToolAnswer {
    /** The id of the instance that ran the tool (`i1`, `i2`, …). */
    instance: string;
    /** The input. */
    x: number;
    /** `computeValue(x)`. */
    value: number;
}

/** Reads a {@link ToolAnswer} from a `tools/call` result, or throws when the result has none. */
export function readAnswer(result: { structuredContent?: unknown }): ToolAnswer {
    const answer = result.structuredContent as Partial<ToolAnswer> | undefined;
    if (typeof answer?.instance !== 'string' || typeof answer.x !== 'number' || typeof answer.value !== 'number') {
        throw new Error(`not a tool answer: ${JSON.stringify(result)}`);
    }
    return { instance: answer.instance, x: answer.x, value: answer.value };
}

/** What an instance's `GET /stats` answers. */
export interface InstanceStats {
    instance: string;
    /** Tool calls it ran since it started. */
    served: number;
    /** Sessions open on it (`/shared` when served, else `/session`). */
    sessions: number;
    /** Requests with `Last-Event-ID` that reached `/shared` from the balancer. */
    resumed: number;
    /** `process.memoryUsage().heapUsed`, after a garbage collection when asked (`/stats?gc`). */
    heapUsed: number;
}

/** Paths an instance serves. */
export const PATHS = {
    /** `createMcpHandler` through `toNodeHandler`: 2025-11-25 stateless and 2026-07-28, no session ids. */
    stateless: '/mcp',
    /** `createNodeMcpRoute`, stateful 2025-11-25: sessions in this instance's memory, ids `<instance>.<uuid>`. */
    stateful: '/session',
    /**
     * `createNodeMcpRoute` with a Redis session directory and event store (only when started with a Redis): any
     * instance serves any session, forwarding to its owner.
     */
    shared: '/shared',
    /** Plain JSON {@link InstanceStats}. */
    stats: '/stats'
} as const;

/** Key prefix of the per-input tool run counters instances keep in Redis (`<prefix><x>`, see `instance.ts`). */
export const RUNS_KEY_PREFIX = 'mcp-test:ran:';

/** The response header naming the instance that answered (set on every response, errors included). */
export const INSTANCE_HEADER = 'x-mcp-instance';
