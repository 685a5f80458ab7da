// @ts-check
/**
 * Turns measurements into the comparison rows (metric, each implementation, ratio against the best official SDK,
 * target, met?) and prints them as a plain-text table.
 *
 * @module
 */

/**
 * @typedef {object} Results
 * @property {Partial<Record<import('./servers.mjs').Mode, Partial<Record<import('./servers.mjs').Impl, import('./throughput.mjs').ThroughputResult>>>>} throughput
 * @property {Partial<Record<import('./servers.mjs').Impl, import('./heap.mjs').HeapResult>>} heap
 * @property {Partial<Record<import('./bundle.mjs').BundleTarget, import('./bundle.mjs').BundleResult>>} bundle
 */

/**
 * @typedef {object} Row
 * @property {string} metric
 * @property {string} unit
 * @property {Record<string, number | undefined>} values By column key.
 * @property {number | undefined} ratio Ours ÷ the best official value.
 * @property {number | undefined} floorRatio Ours ÷ the floor (throughput only).
 * @property {string} target
 * @property {boolean | undefined} met `undefined` when not measured or informational.
 */

/** Column keys and headings of the server table. */
export const SERVER_COLUMNS = /** @type {const} */ ([
    ['ours', 'ours'],
    ['ours-express', 'ours+express'],
    ['v1', 'official v1'],
    ['v2', 'official v2'],
    ['floor', 'floor']
]);
/** Column keys and headings of the bundle table. */
export const BUNDLE_COLUMNS = /** @type {const} */ ([
    ['ours-dist', 'ours (dist)'],
    ['ours-src', 'ours (src)'],
    ['v1', 'official v1'],
    ['v2', 'official v2']
]);

/**
 * @param {number | undefined} ours
 * @param {Array<number | undefined>} official
 * @param {'higher' | 'lower'} better
 */
function versusBest(ours, official, better) {
    const known = official.filter(
        /** @returns {value is number} */ value => value !== undefined && Number.isFinite(value)
    );
    if (ours === undefined || known.length === 0) return undefined;
    const best = better === 'higher' ? Math.max(...known) : Math.min(...known);
    return ours / best;
}

/**
 * Builds the rows of both tables.
 *
 * @param {Results} results
 * @returns {{ server: Row[]; bundle: Row[] }}
 */
export function buildRows(results) {
    /** @type {Row[]} */
    const server = [];
    for (const [mode, label] of /** @type {const} */ ([
        ['stateless-json', 'stateless JSON'],
        ['stateful-sse', 'stateful SSE']
    ])) {
        const byImpl = results.throughput[mode];
        if (byImpl === undefined) continue;
        /** @type {Record<string, number | undefined>} */
        const rps = {};
        /** @type {Record<string, number | undefined>} */
        const cpu = {};
        for (const [key] of SERVER_COLUMNS) {
            rps[key] = byImpl[key]?.rps;
            cpu[key] = byImpl[key]?.cpuUsPerCall;
        }
        const ratio = versusBest(rps.ours, [rps.v1, rps.v2], 'higher');
        const floorRatio = rps.ours !== undefined && rps.floor !== undefined ? rps.ours / rps.floor : undefined;
        server.push({
            metric: `tools/call throughput, ${label}`,
            unit: 'req/s',
            values: rps,
            ratio,
            floorRatio,
            target: '≥1.5× official, ≥0.75× floor',
            met: ratio === undefined || floorRatio === undefined ? undefined : ratio >= 1.5 && floorRatio >= 0.75
        });
        const cpuRatio = versusBest(cpu.ours, [cpu.v1, cpu.v2], 'lower');
        server.push({
            metric: `server CPU per call, ${label}`,
            unit: 'µs',
            values: cpu,
            ratio: cpuRatio,
            floorRatio: cpu.ours !== undefined && cpu.floor !== undefined ? cpu.ours / cpu.floor : undefined,
            target: '≤0.4× official',
            met: cpuRatio === undefined ? undefined : cpuRatio <= 0.4
        });
    }
    if (Object.keys(results.heap).length > 0) {
        /** @type {Record<string, number | undefined>} */
        const kb = {};
        for (const [key] of SERVER_COLUMNS) {
            const bytes = results.heap[key]?.bytesPerSession;
            kb[key] = bytes === undefined ? undefined : bytes / 1024;
        }
        const ratio = versusBest(kb.ours, [kb.v1, kb.v2], 'lower');
        server.push({
            metric: 'heap per idle session',
            unit: 'KB',
            values: kb,
            ratio,
            floorRatio: undefined,
            target: '≤0.7× official',
            met: ratio === undefined ? undefined : ratio <= 0.7
        });
    }

    /** @type {Row[]} */
    const bundle = [];
    if (Object.keys(results.bundle).length > 0) {
        /** @type {Array<[string, 'gzipBytes' | 'initialGzipBytes' | 'totalSplitGzipBytes' | 'minBytes', boolean]>} */
        const kinds = [
            ['client bundle, one file, gzip', 'gzipBytes', true],
            ['client bundle, initial chunks (code-split), gzip', 'initialGzipBytes', true],
            ['client bundle, all chunks (code-split), gzip', 'totalSplitGzipBytes', false],
            ['client bundle, one file, minified', 'minBytes', false]
        ];
        for (const [metric, field, targeted] of kinds) {
            /** @type {Record<string, number | undefined>} */
            const kb = {};
            for (const [key] of BUNDLE_COLUMNS) {
                const bytes = results.bundle[key]?.[field];
                kb[key] = bytes === undefined ? undefined : bytes / 1024;
            }
            const ratio = versusBest(kb['ours-dist'], [kb.v1, kb.v2], 'lower');
            bundle.push({
                metric,
                unit: 'KB',
                values: kb,
                ratio,
                floorRatio: undefined,
                target: targeted ? '≤0.6× official' : '(info)',
                met: targeted && ratio !== undefined ? ratio <= 0.6 : undefined
            });
        }
    }
    return { server, bundle };
}

/** @param {number | undefined} value */
function num(value) {
    if (value === undefined || !Number.isFinite(value)) return '—';
    if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
}

/** @param {number | undefined} ratio */
const times = ratio => (ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`);

/**
 * Formats rows as a padded plain-text table.
 *
 * @param {Row[]} rows
 * @param {ReadonlyArray<readonly [string, string]>} columns
 * @param {boolean} withFloorRatio
 * @returns {string}
 */
export function formatTable(rows, columns, withFloorRatio) {
    const header = [
        'metric',
        ...columns.map(([, heading]) => heading),
        'ours ÷ best official',
        ...(withFloorRatio ? ['ours ÷ floor'] : []),
        'target',
        'met?'
    ];
    const body = rows.map(row => [
        `${row.metric} (${row.unit})`,
        ...columns.map(([key]) => num(row.values[key])),
        times(row.ratio),
        ...(withFloorRatio ? [times(row.floorRatio)] : []),
        row.target,
        row.met === undefined ? '—' : row.met ? 'yes' : 'NO'
    ]);
    const widths = header.map((cell, i) => Math.max(cell.length, ...body.map(line => (line[i] ?? '').length)));
    /** @param {string[]} line */
    const render = line =>
        line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
    return [render(header), widths.map(width => '-'.repeat(width)).join('  '), ...body.map(render)].join('\n');
}
