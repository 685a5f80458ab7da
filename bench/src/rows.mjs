// @ts-check
/**
 * Turns measurements into the summary rows: one row per figure, with ours, official v2, official v1 (where it
 * exists), the floor, ours ÷ official (v2, or the best official for the server-only metrics, as their targets
 * say), ours ÷ floor, the target and whether it is met.
 *
 * @module
 */

/**
 * @typedef {object} Results
 * @property {Partial<Record<import('./servers.mjs').Mode, Partial<Record<import('./servers.mjs').Impl, import('./throughput.mjs').ThroughputResult>>>>} throughput
 * @property {Partial<Record<import('./servers.mjs').Impl, import('./heap.mjs').HeapResult>>} heap
 * @property {Partial<Record<import('./servers.mjs').Impl, import('./heap.mjs').IdleHeapResult>>} idleHeap
 * @property {import('./pairs.mjs').PairResult[]} pairs
 * @property {Partial<Record<import('./bundle.mjs').BundleTarget, import('./bundle.mjs').BundleResult>>} bundle
 */

/** @typedef {'ours' | 'v2' | 'v1' | 'floor'} Column */

/**
 * @typedef {object} Row
 * @property {string} section
 * @property {string} metric
 * @property {string} unit
 * @property {Partial<Record<Column, number>>} values
 * @property {number | undefined} ratio Ours ÷ official v2 (or ÷ the best official, when `versus` is `best`).
 * @property {'v2' | 'best'} versus
 * @property {number | undefined} floorRatio Ours ÷ the floor.
 * @property {string} target
 * @property {boolean | undefined} met `undefined` when not measured or informational.
 * @property {string[]} missed The parts of the target not met (`official`, `floor`).
 */

/**
 * A target: ours ÷ official at least (`min`) or at most (`max`) a value, and ours ÷ floor at least `floorMin`.
 * @typedef {{ min?: number; max?: number; floorMin?: number }} Goal
 */

/** Column keys and headings, in table order. */
export const COLUMNS = /** @type {const} */ ([
    ['ours', 'ours'],
    ['v2', 'official v2'],
    ['v1', 'official v1'],
    ['floor', 'floor']
]);

/** @param {number | undefined} value */
const finite = value => (value !== undefined && Number.isFinite(value) ? value : undefined);

/**
 * @param {number | undefined} x
 * @param {number | undefined} y
 */
const divide = (x, y) => {
    const over = finite(y);
    const value = finite(x);
    return value !== undefined && over !== undefined && over !== 0 ? value / over : undefined;
};

/**
 * A row; the ratios come from `values` (ours ÷ v2 or ÷ best official, ours ÷ floor).
 *
 * @param {{ section: string; metric: string; unit: string; values: Partial<Record<Column, number | undefined>>; versus?: 'v2' | 'best'; better?: 'higher' | 'lower'; goal?: Goal; floor?: boolean }} spec
 * @returns {Row}
 */
function row(spec) {
    /** @type {Partial<Record<Column, number>>} */
    const values = {};
    for (const [key] of COLUMNS) {
        const value = finite(spec.values[key]);
        if (value !== undefined) values[key] = value;
    }
    const versus = spec.versus ?? 'v2';
    let official = values.v2;
    if (versus === 'best') {
        const known = [values.v1, values.v2].filter(value => value !== undefined);
        if (known.length > 0) official = spec.better === 'higher' ? Math.max(...known) : Math.min(...known);
    }
    const ratio = divide(values.ours, official);
    const floorRatio = spec.floor === false ? undefined : divide(values.ours, values.floor);
    const officialName = versus === 'best' ? 'best official' : 'v2';
    const goal = spec.goal;
    /** @type {string[]} */
    const parts = [];
    /** @type {string[]} */
    const missed = [];
    let known = goal !== undefined && ratio !== undefined;
    if (goal?.min !== undefined) {
        parts.push(`≥${goal.min}× ${officialName}`);
        if (ratio !== undefined && ratio < goal.min) missed.push('official');
    }
    if (goal?.max !== undefined) {
        parts.push(`≤${goal.max}× ${officialName}`);
        if (ratio !== undefined && ratio > goal.max) missed.push('official');
    }
    if (goal?.floorMin !== undefined) {
        parts.push(`≥${goal.floorMin}× floor`);
        if (floorRatio === undefined) known = false;
        else if (floorRatio < goal.floorMin) missed.push('floor');
    }
    return {
        section: spec.section,
        metric: spec.metric,
        unit: spec.unit,
        values,
        ratio,
        versus,
        floorRatio,
        target: parts.length > 0 ? parts.join(', ') : '(info)',
        met: known ? missed.length === 0 : undefined,
        missed
    };
}

const MODE_LABELS = /** @type {const} */ ([
    ['stateless-json', 'stateless JSON'],
    ['stateful-sse', 'stateful SSE']
]);

/**
 * @param {import('./pairs.mjs').PairResult[]} pairs
 * @returns {Row[]}
 */
function pairRows(pairs) {
    /** @type {Row[]} */
    const rows = [];
    /**
     * @param {string} mode
     * @param {string} workload
     * @param {number} inflight
     * @param {(result: import('./pairs.mjs').PairResult) => number} field
     */
    const values = (mode, workload, inflight, field) => {
        /** @type {Partial<Record<Column, number>>} */
        const out = {};
        for (const result of pairs) {
            if (result.mode === mode && result.workload === workload && result.inflight === inflight) {
                out[result.pair] = field(result);
            }
        }
        return out;
    };
    for (const [mode, label] of MODE_LABELS) {
        const inflights = [...new Set(pairs.filter(r => r.mode === mode && r.workload === 'add').map(r => r.inflight))];
        for (const n of inflights.sort((x, y) => x - y)) {
            const section = `pairs, ${label}, ${n} in flight`;
            /** @param {(result: import('./pairs.mjs').PairResult) => number} field */
            const of = field => values(mode, 'add', n, field);
            rows.push(
                row({
                    section,
                    metric: `pair calls/s, ${label}, N=${n}`,
                    unit: 'calls/s',
                    values: of(r => r.callsPerSecond),
                    goal: { min: 2, floorMin: 0.95 }
                }),
                row({ section, metric: `pair p50 latency, ${label}, N=${n}`, unit: 'ms', values: of(r => r.p50Ms) }),
                row({ section, metric: `pair p99 latency, ${label}, N=${n}`, unit: 'ms', values: of(r => r.p99Ms) }),
                row({
                    section,
                    metric: `client CPU per call, ${label}, N=${n}`,
                    unit: 'µs',
                    values: of(r => r.clientCpuUsPerCall),
                    goal: { max: 0.5 }
                }),
                row({
                    section,
                    metric: `server CPU per call (pair), ${label}, N=${n}`,
                    unit: 'µs',
                    values: of(r => r.serverCpuUsPerCall),
                    goal: { max: 0.25 }
                })
            );
        }
    }
    /** @type {Array<[string, string, string, number]>} */
    const points = [
        ['stateless-json', 'big', '1 MB result (stateless JSON)', 1],
        ['stateful-sse', 'progress', '1,000 progress notifications (stateful SSE)', 1]
    ];
    for (const mode of new Set(pairs.filter(r => r.mode === 'modern-2026').map(r => r.inflight))) {
        points.push(['modern-2026', 'add', `2026-07-28 stateless add, N=${mode}`, mode]);
    }
    for (const [mode, workload, label, n] of points) {
        /** @param {(result: import('./pairs.mjs').PairResult) => number} field */
        const of = field => values(mode, workload, n, field);
        if (Object.keys(of(r => r.meanMs)).length === 0) continue;
        const section = `scaling: ${label}`;
        rows.push(
            workload === 'add'
                ? row({ section, metric: `${label}: throughput`, unit: 'calls/s', values: of(r => r.callsPerSecond) })
                : row({ section, metric: `${label}: time per call`, unit: 'ms', values: of(r => r.meanMs) }),
            row({
                section,
                metric: `${label}: client CPU per call`,
                unit: 'µs',
                values: of(r => r.clientCpuUsPerCall)
            }),
            row({ section, metric: `${label}: server CPU per call`, unit: 'µs', values: of(r => r.serverCpuUsPerCall) })
        );
    }
    return rows;
}

/**
 * @param {Results} results
 * @returns {Row[]}
 */
function serverRows(results) {
    /** @type {Row[]} */
    const rows = [];
    const idle = Object.values(results.idleHeap);
    if (idle.length > 0) {
        const count = idle[0]?.sessions ?? 0;
        /** @type {Partial<Record<Column, number | undefined>>} */
        const kb = {};
        for (const [key] of COLUMNS) kb[key] = divide(results.idleHeap[key]?.bytesPerSession, 1024);
        rows.push(
            row({
                section: 'scaling: idle sessions',
                metric: `heap per session, ${count.toLocaleString('en-US')} idle sessions`,
                unit: 'KB',
                values: kb,
                floor: false,
                goal: { max: 0.7 }
            })
        );
    }
    for (const [mode, label] of MODE_LABELS) {
        const byImpl = results.throughput[mode];
        if (byImpl === undefined) continue;
        const section = 'server only (load generator)';
        /** @param {(result: import('./throughput.mjs').ThroughputResult) => number} field */
        const of = field => ({
            ours: byImpl.ours && field(byImpl.ours),
            v2: byImpl.v2 && field(byImpl.v2),
            v1: byImpl.v1 && field(byImpl.v1),
            floor: byImpl.floor && field(byImpl.floor)
        });
        rows.push(
            row({
                section,
                metric: `server-only tools/call throughput, ${label}`,
                unit: 'req/s',
                values: of(r => r.rps),
                versus: 'best',
                better: 'higher',
                goal: { min: 1.5, floorMin: 0.75 }
            }),
            row({
                section,
                metric: `server-only CPU per call, ${label}`,
                unit: 'µs',
                values: of(r => r.cpuUsPerCall),
                versus: 'best',
                goal: { max: 0.4 }
            })
        );
    }
    if (Object.keys(results.heap).length > 0) {
        /** @type {Partial<Record<Column, number | undefined>>} */
        const kb = {};
        for (const [key] of COLUMNS) kb[key] = divide(results.heap[key]?.bytesPerSession, 1024);
        const batch = Object.values(results.heap)[0]?.sessions ?? 0;
        rows.push(
            row({
                section: 'server only (load generator)',
                metric: `heap per idle session (batches of ${batch})`,
                unit: 'KB',
                values: kb,
                versus: 'best',
                floor: false,
                goal: { max: 0.7 }
            })
        );
    }
    return rows;
}

/**
 * @param {Results} results
 * @returns {Row[]}
 */
function bundleRows(results) {
    /** @type {Row[]} */
    const rows = [];
    /** @type {Array<[string, '' | '+auth', 'gzipBytes' | 'initialGzipBytes' | 'totalSplitGzipBytes' | 'minBytes', 'best' | 'v2', number | undefined]>} */
    const kinds = [
        ['client bundle, one file, gzip', '', 'gzipBytes', 'v2', 0.5],
        ['client bundle, initial chunks (code-split), gzip', '', 'initialGzipBytes', 'best', 0.6],
        ['client bundle, all chunks (code-split), gzip', '', 'totalSplitGzipBytes', 'v2', undefined],
        ['client bundle, one file, minified', '', 'minBytes', 'v2', undefined],
        ['client bundle with authProvider (step-up), one file, gzip', '+auth', 'gzipBytes', 'v2', 0.75],
        ['client bundle with authProvider, initial chunks, gzip', '+auth', 'initialGzipBytes', 'v2', undefined]
    ];
    for (const [metric, variant, field, versus, limit] of kinds) {
        const bytes = /** @param {import('./bundle.mjs').BundleBase} base */ base =>
            divide(
                results.bundle[/** @type {import('./bundle.mjs').BundleTarget} */ (`${base}${variant}`)]?.[field],
                1024
            );
        const values = { ours: bytes('ours-dist'), v2: bytes('v2'), v1: bytes('v1') };
        if (values.ours === undefined && values.v2 === undefined) continue;
        rows.push(
            row({
                section: 'browser client bundle',
                metric,
                unit: 'KB',
                values,
                versus,
                floor: false,
                ...(limit === undefined ? {} : { goal: { max: limit } })
            })
        );
    }
    return rows;
}

/**
 * Builds the summary rows, in table order: pairs, scaling points, server-only metrics, bundles.
 *
 * @param {Results} results
 * @returns {Row[]}
 */
export function buildRows(results) {
    const pairs = pairRows(results.pairs);
    const firstScaling = pairs.findIndex(r => r.section.startsWith('scaling'));
    const server = serverRows(results);
    const idle = server.filter(r => r.section.startsWith('scaling'));
    const rest = server.filter(r => !r.section.startsWith('scaling'));
    const ordered =
        firstScaling < 0
            ? [...pairs, ...idle]
            : [...pairs.slice(0, firstScaling), ...idle, ...pairs.slice(firstScaling)];
    return [...ordered, ...rest, ...bundleRows(results)];
}
