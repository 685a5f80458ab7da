// @ts-check
/**
 * Formats the summary rows ({@link ./rows.mjs}) as a padded plain-text table (the console) and as a Markdown
 * table (`results/latest.md`).
 *
 * @module
 */
import { COLUMNS } from './rows.mjs';

/** @typedef {import('./rows.mjs').Row} Row */

/** @param {number | undefined} value */
function num(value) {
    if (value === undefined || !Number.isFinite(value)) return '—';
    if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
    if (Math.abs(value) >= 10) return value.toFixed(1);
    return value.toFixed(2);
}

/** @param {number | undefined} ratio */
const times = ratio => (ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(2)}×`);

const HEADER = [
    'metric',
    ...COLUMNS.map(([, heading]) => heading),
    'ours ÷ official',
    'ours ÷ floor',
    'target',
    'met?'
];

/**
 * `yes`, `—`, or `NO` with the part missed when a two-part target is half met (`NO (floor)`).
 *
 * @param {Row} row
 */
function metCell(row) {
    if (row.met === undefined) return '—';
    if (row.met) return 'yes';
    const twoParts = row.target.includes('floor') && row.target.includes(',');
    return twoParts && row.missed.length === 1 ? `NO (${row.missed[0] === 'floor' ? 'floor' : 'official'})` : 'NO';
}

/**
 * The cells of one row.
 *
 * @param {Row} row
 * @returns {string[]}
 */
function cells(row) {
    return [
        `${row.metric} (${row.unit})`,
        ...COLUMNS.map(([key]) => num(row.values[key])),
        `${times(row.ratio)}${row.versus === 'best' && row.ratio !== undefined ? ' (best)' : ''}`,
        times(row.floorRatio),
        row.target,
        metCell(row)
    ];
}

/**
 * Formats rows as a padded plain-text table, a blank line between sections.
 *
 * @param {Row[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
    const body = rows.map(cells);
    const widths = HEADER.map((cell, i) => Math.max(cell.length, ...body.map(line => (line[i] ?? '').length)));
    /** @param {string[]} line */
    const render = line =>
        line
            .map((cell, i) =>
                i === 0 || i >= HEADER.length - 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)
            )
            .join('  ')
            .trimEnd();
    const lines = [render(HEADER), widths.map(width => '-'.repeat(width)).join('  ')];
    rows.forEach((row, i) => {
        if (i > 0 && rows[i - 1]?.section !== row.section) lines.push('');
        lines.push(render(/** @type {string[]} */ (body[i])));
    });
    return lines.join('\n');
}

/**
 * Formats rows as a Markdown table, aligned the way Prettier formats one (numbers right-aligned).
 *
 * @param {Row[]} rows
 * @returns {string}
 */
export function formatMarkdown(rows) {
    const body = rows.map(row => cells(row).map(cell => cell.replaceAll('|', '\\|')));
    const widths = HEADER.map((cell, i) => Math.max(3, cell.length, ...body.map(line => (line[i] ?? '').length)));
    const left = (/** @type {number} */ i) => i === 0 || i >= HEADER.length - 2;
    /** @param {string[]} line */
    const render = line =>
        `| ${line.map((cell, i) => (left(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
    const delimiter = widths.map((width, i) =>
        i === 0 ? '-'.repeat(width) : left(i) ? `:${'-'.repeat(width - 1)}` : `${'-'.repeat(width - 1)}:`
    );
    return [render(HEADER), `| ${delimiter.join(' | ')} |`, ...body.map(render)].join('\n');
}

/**
 * Which targets are met and which are not, with how far off each unmet one is.
 *
 * @param {Row[]} rows
 * @returns {{ met: string[]; unmet: string[] }}
 */
export function targetSummary(rows) {
    /** @type {string[]} */
    const met = [];
    /** @type {string[]} */
    const unmet = [];
    for (const row of rows) {
        if (row.met === undefined) continue;
        const ratios = `${times(row.ratio)}${row.floorRatio === undefined ? '' : `, ${times(row.floorRatio)} floor`}`;
        (row.met ? met : unmet).push(`${row.metric}: ${ratios} (target ${row.target})`);
    }
    return { met, unmet };
}
