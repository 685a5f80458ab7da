// @ts-check
/**
 * Small statistics helpers shared by the metrics.
 *
 * @module
 */

/**
 * The `q` quantile of ascending-sorted `sorted` (nearest rank below), `NaN` when empty.
 *
 * @param {number[]} sorted
 * @param {number} q
 */
export function quantile(sorted, q) {
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** @param {number[]} values */
export function median(values) {
    const sorted = [...values].sort((x, y) => x - y);
    const middle = Math.floor(sorted.length / 2);
    const upper = sorted[middle] ?? NaN;
    const lower = sorted[middle - 1] ?? upper;
    return sorted.length % 2 === 1 ? upper : (lower + upper) / 2;
}

/** @param {number[]} values */
export function mean(values) {
    let sum = 0;
    for (const value of values) sum += value;
    return values.length > 0 ? sum / values.length : NaN;
}
