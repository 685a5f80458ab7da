// @ts-check
/**
 * The tools every benchmark server serves, defined once so that each implementation does the same work:
 *
 * - `add` (`{ a: number, b: number }` → `String(a + b)` as text): the per-call overhead workload;
 * - `big` (`{}` → about 1 MiB of text): a large result;
 * - `progress` (`{ count: number }` → `count` `notifications/progress` for the request's progress token, one after
 *   the other, then a short text): many related notifications in one call.
 *
 * Input schemas are module-level constants, as a careful server author would write them (servers are built per
 * session or per request): the raw-shape form for ours and v1, the object form official v2 takes.
 *
 * @module
 */
import * as z from 'zod';

/** @typedef {{ calls: number }} CallCounter Counts tool handler runs (every tool). */
/** @typedef {{ content: Array<{ type: 'text'; text: string }> }} TextResult */

/** Size of the `big` tool's text, in characters (ASCII, so also bytes before JSON escaping). */
export const BIG_CHARS = 1024 * 1024;
/** Notifications the progress workload asks for per call. */
export const PROGRESS_COUNT = 1000;

/** About 1 MiB of log-like text with newlines (so JSON escaping has some work, as with real tool output). */
export const BIG_TEXT = (() => {
    const lines = [];
    let length = 0;
    for (let i = 0; length < BIG_CHARS; i++) {
        const line = `${String(i).padStart(6, '0')} INFO request served in ${i % 97} ms, path=/items/${i * 7919}\n`;
        lines.push(line);
        length += line.length;
    }
    return lines.join('').slice(0, BIG_CHARS);
})();

const ADD_SHAPE = { a: z.number(), b: z.number() };
const PROGRESS_SHAPE = { count: z.number().int().min(0).max(100_000) };
/** @type {Record<string, never>} */
const EMPTY_SHAPE = {};
const SCHEMAS = {
    shape: { add: ADD_SHAPE, big: EMPTY_SHAPE, progress: PROGRESS_SHAPE },
    object: { add: z.object(ADD_SHAPE), big: z.object(EMPTY_SHAPE), progress: z.object(PROGRESS_SHAPE) }
};

/**
 * How a tool handler sends a notification related to its request, and the request's progress token, in each SDK's
 * handler context: `ctx.mcpReq` (official v2 and ours), `extra.sendNotification` / `extra._meta` (official v1).
 *
 * @typedef {{ notify: (n: { method: string; params: object }) => Promise<void>; token: unknown }} ProgressSink
 */

/**
 * @param {any} ctx
 * @param {'mcpReq' | 'v1'} style
 * @returns {ProgressSink}
 */
function sinkOf(ctx, style) {
    if (style === 'v1') {
        return { notify: n => ctx.sendNotification(n), token: ctx._meta?.progressToken };
    }
    return { notify: n => ctx.mcpReq.notify(n), token: ctx.mcpReq._meta?.progressToken };
}

/**
 * Registers `add`, `big` and `progress` on an SDK `McpServer` (`registerTool(name, config, handler)`).
 *
 * @param {{ registerTool: (...args: any[]) => unknown }} server
 * @param {{ schema: 'shape' | 'object'; context: 'mcpReq' | 'v1' }} flavour
 * @param {CallCounter} counter
 */
export function registerBenchTools(server, flavour, counter) {
    const schemas = SCHEMAS[flavour.schema];
    server.registerTool(
        'add',
        { description: 'Adds two numbers', inputSchema: schemas.add },
        /** @param {{ a: number; b: number }} args @returns {TextResult} */
        ({ a, b }) => {
            counter.calls++;
            return { content: [{ type: 'text', text: String(a + b) }] };
        }
    );
    server.registerTool(
        'big',
        { description: 'Returns about 1 MiB of text', inputSchema: schemas.big },
        /** @returns {TextResult} */
        () => {
            counter.calls++;
            return { content: [{ type: 'text', text: BIG_TEXT }] };
        }
    );
    server.registerTool(
        'progress',
        { description: 'Sends `count` progress notifications, then answers', inputSchema: schemas.progress },
        /** @param {{ count: number }} args @param {unknown} ctx @returns {Promise<TextResult>} */
        async ({ count }, ctx) => {
            counter.calls++;
            const sink = sinkOf(ctx, flavour.context);
            if (sink.token !== undefined) {
                for (let i = 1; i <= count; i++) {
                    await sink.notify({
                        method: 'notifications/progress',
                        params: { progressToken: sink.token, progress: i, total: count }
                    });
                }
            }
            return { content: [{ type: 'text', text: `sent ${count}` }] };
        }
    );
}

/**
 * The floor's `tools/call`: the same answers, computed directly. `progress` returns the notifications to send
 * first (the floor writes them as SSE events when it streams, and drops them when it answers with JSON).
 *
 * @param {any} params
 * @returns {{ result: TextResult; notifications: object[] } | undefined}
 */
export function floorToolCall(params) {
    const args = params?.arguments ?? {};
    switch (params?.name) {
        case 'add':
            return { result: { content: [{ type: 'text', text: String(args.a + args.b) }] }, notifications: [] };
        case 'big':
            return { result: { content: [{ type: 'text', text: BIG_TEXT }] }, notifications: [] };
        case 'progress': {
            const token = params?._meta?.progressToken;
            const count = Number(args.count);
            /** @type {object[]} */
            const notifications = [];
            if (token !== undefined) {
                for (let i = 1; i <= count; i++) {
                    notifications.push({
                        jsonrpc: '2.0',
                        method: 'notifications/progress',
                        params: { progressToken: token, progress: i, total: count }
                    });
                }
            }
            return { result: { content: [{ type: 'text', text: `sent ${count}` }] }, notifications };
        }
        default:
            return undefined;
    }
}
