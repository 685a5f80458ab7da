// @ts-check
/**
 * Summarises a V8 `.cpuprofile` (written by `node --cpu-prof`): self time per function and per package, so a
 * report can name the hot spots without opening a profiler UI.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} ProfileNode
 * @property {number} id
 * @property {{ functionName: string; url: string; lineNumber: number }} callFrame
 * @property {number[]} [children]
 */

/**
 * @typedef {object} HotSpot
 * @property {string} name `function (file:line)` or a package name.
 * @property {number} selfMs
 * @property {number} share Fraction of all sampled time.
 */

/**
 * Where a script URL belongs: an npm package, a workspace package, `node:<module>`, or a V8 pseudo-frame.
 *
 * @param {string} url
 */
export function ownerOf(url) {
    if (url === '') return '(native / V8)';
    if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5)}`;
    const inNodeModules = url.lastIndexOf('/node_modules/');
    if (inNodeModules >= 0) {
        const parts = url.slice(inNodeModules + '/node_modules/'.length).split('/');
        return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
    }
    const workspace = /\/packages\/(?:middleware\/)?([^/]+)\//.exec(url);
    if (workspace) return `ours:${workspace[1]}`;
    if (url.includes('/bench/')) return 'bench harness';
    return url;
}

/** @param {string} url */
function shortFile(url) {
    const inNodeModules = url.lastIndexOf('/node_modules/');
    if (inNodeModules >= 0) return url.slice(inNodeModules + '/node_modules/'.length);
    const workspace = /\/packages\/(?:middleware\/)?(.+)$/.exec(url);
    if (workspace?.[1]) return workspace[1];
    return url.replace(/^file:\/\//, '');
}

/**
 * Reads a profile and returns the top `limit` functions and packages by self time.
 *
 * @param {string} file
 * @param {number} [limit]
 * @returns {{ totalMs: number; functions: HotSpot[]; packages: HotSpot[] }}
 */
export function summariseProfile(file, limit = 15) {
    /** @type {{ nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }} */
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    /** @type {Map<number, ProfileNode>} */
    const nodes = new Map(profile.nodes.map(node => [node.id, node]));
    /** @type {Map<number, number>} */
    const selfUs = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
        const id = /** @type {number} */ (profile.samples[i]);
        selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    /** @type {Map<string, number>} */
    const byFunction = new Map();
    /** @type {Map<string, number>} */
    const byPackage = new Map();
    let total = 0;
    for (const [id, us] of selfUs) {
        const frame = nodes.get(id)?.callFrame;
        if (frame === undefined) continue;
        if (frame.functionName === '(idle)') continue;
        total += us;
        const name =
            frame.url === ''
                ? frame.functionName
                : `${frame.functionName || '(anonymous)'} (${shortFile(frame.url)}:${frame.lineNumber + 1})`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + us);
        const owner = frame.functionName === '(garbage collector)' ? '(garbage collector)' : ownerOf(frame.url);
        byPackage.set(owner, (byPackage.get(owner) ?? 0) + us);
    }
    /** @param {Map<string, number>} map */
    const top = map =>
        [...map]
            .sort((x, y) => y[1] - x[1])
            .slice(0, limit)
            .map(([name, us]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
    return { totalMs: total / 1000, functions: top(byFunction), packages: top(byPackage) };
}
