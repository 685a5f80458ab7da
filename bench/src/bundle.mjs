// @ts-check
/**
 * Metric 4: the minimal browser client bundle — `new Client(...)`, `StreamableHTTPClientTransport`, `connect`,
 * `callTool` — bundled by esbuild for the browser (ESM, minified, tree-shaken), measured gzipped; and a second
 * variant "with authProvider (step-up)": the same client given a hand-written `OAuthClientProvider` and calling
 * `finishAuth` on the redirect. Ours is bundled twice: from the built `dist/` (what users get) and from `src/`
 * through the `mcp-source` condition.
 *
 * @module
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
/** gzip level used for every size (the `gzip -9` people usually quote). */
const GZIP_LEVEL = 9;

const USE = `
const client = new Client({ name: 'bench', version: '1.0.0' });
const transport = new StreamableHTTPClientTransport(new URL('/mcp', globalThis.location.href));
await client.connect(transport);
const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
globalThis.console.log(result);
`;

/**
 * The same client with an OAuth `authProvider` (the official `OAuthClientProvider` method set, written by hand
 * over `localStorage`) and the redirect callback's `finishAuth`: what a browser app with (step-up) authorization
 * ships.
 */
const USE_WITH_AUTH = `
const store = globalThis.localStorage;
const redirectUrl = new URL('/callback', globalThis.location.href).href;
const read = key => { const value = store.getItem(key); return value === null ? undefined : JSON.parse(value); };
const authProvider = {
    get redirectUrl() { return redirectUrl; },
    get clientMetadata() {
        return { client_name: 'bench', redirect_uris: [redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'], token_endpoint_auth_method: 'none' };
    },
    clientInformation: () => read('mcp-client'),
    saveClientInformation: info => store.setItem('mcp-client', JSON.stringify(info)),
    tokens: () => read('mcp-tokens'),
    saveTokens: tokens => store.setItem('mcp-tokens', JSON.stringify(tokens)),
    redirectToAuthorization: url => globalThis.location.assign(url.href),
    saveCodeVerifier: verifier => store.setItem('mcp-verifier', verifier),
    codeVerifier: () => store.getItem('mcp-verifier') ?? ''
};
const client = new Client({ name: 'bench', version: '1.0.0' });
const transport = new StreamableHTTPClientTransport(new URL('/mcp', globalThis.location.href), { authProvider });
const code = new URLSearchParams(globalThis.location.search).get('code');
if (code !== null) await transport.finishAuth(code);
await client.connect(transport);
const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
globalThis.console.log(result);
`;

/** @typedef {'ours-dist' | 'ours-src' | 'v1' | 'v2'} BundleBase */
/** @typedef {BundleBase | `${BundleBase}+auth`} BundleTarget */

const OURS_IMPORT = `import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';`;
/** @type {Record<BundleBase, { imports: string; conditions: string[] }>} */
const BASES = {
    'ours-dist': { imports: OURS_IMPORT, conditions: [] },
    'ours-src': { imports: OURS_IMPORT, conditions: ['mcp-source'] },
    v2: { imports: `import { Client, StreamableHTTPClientTransport } from 'official-client';`, conditions: [] },
    v1: {
        imports:
            `import { Client } from 'official-sdk/client/index.js';\n` +
            `import { StreamableHTTPClientTransport } from 'official-sdk/client/streamableHttp.js';`,
        conditions: []
    }
};

/** @type {Record<BundleTarget, { entry: string; conditions: string[] }>} */
const TARGETS = /** @type {any} */ (
    Object.fromEntries(
        Object.entries(BASES).flatMap(([base, { imports, conditions }]) => [
            [base, { entry: `${imports}${USE}`, conditions }],
            [`${base}+auth`, { entry: `${imports}${USE_WITH_AUTH}`, conditions }]
        ])
    )
);

/** Every bundle target: each base plain, then each with the auth provider. */
export const BUNDLE_TARGETS = /** @type {BundleTarget[]} */ ([
    ...Object.keys(BASES),
    ...Object.keys(BASES).map(base => `${base}+auth`)
]);

/**
 * @typedef {object} Contributor
 * @property {string} module A package (`zod`, `ajv`…) or, for workspace code, `<package>/<file>`.
 * @property {number} bytes Minified bytes in the output.
 */

/**
 * @typedef {object} BundleResult
 * @property {BundleTarget} target
 * @property {number} minBytes Single-file bundle (dynamic imports inlined), minified.
 * @property {number} gzipBytes Single-file bundle, gzipped.
 * @property {number} initialGzipBytes Code-split build: the entry chunk plus the chunks it imports statically
 *   (what a page loads before any lazy `import()` runs), each gzipped on its own.
 * @property {number} totalSplitGzipBytes Code-split build: every chunk, each gzipped on its own.
 * @property {Contributor[]} packages Single-file minified bytes by package, largest first.
 * @property {Contributor[]} modules Single-file minified bytes by input file, largest first.
 * @property {string[]} lazyModules Input files that a code-split build keeps out of the initial chunks.
 * @property {Record<string, string[]>} why For each package, the shortest import chain from the entry.
 * @property {string[]} warnings
 */

const ENTRY_NAMESPACE = 'bench-entry';

/**
 * esbuild options shared by both builds; the entry is a virtual module resolved from the bench directory.
 *
 * @param {BundleTarget} target
 * @returns {import('esbuild').BuildOptions & { metafile: true; write: false }}
 */
function buildOptions(target) {
    const { entry, conditions } = TARGETS[target];
    return {
        entryPoints: [`${target}-entry`],
        plugins: [
            {
                name: 'virtual-entry',
                setup(build) {
                    build.onResolve({ filter: new RegExp(`^${target.replace('+', '\\+')}-entry$`) }, args => ({
                        path: args.path,
                        namespace: ENTRY_NAMESPACE
                    }));
                    build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, () => ({
                        contents: entry,
                        resolveDir: BENCH_DIR,
                        loader: 'js'
                    }));
                }
            }
        ],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        minify: true,
        treeShaking: true,
        conditions,
        define: { 'process.env.NODE_ENV': '"production"' },
        write: false,
        metafile: true,
        logLevel: 'silent'
    };
}

/** @param {Uint8Array} bytes */
const gzipSize = bytes => gzipSync(bytes, { level: GZIP_LEVEL }).byteLength;

/**
 * Bundles one target twice: as one file, and code-split (lazy `import()`s become their own chunks).
 *
 * @param {BundleTarget} target
 * @returns {Promise<BundleResult>}
 */
export async function measureBundle(target) {
    const single = await esbuild.build({ ...buildOptions(target), outfile: `${target}.js` });
    const output = single.outputFiles[0];
    if (output === undefined) throw new Error(`${target}: esbuild wrote nothing`);
    const split = await esbuild.build({ ...buildOptions(target), splitting: true, outdir: `out-${target}` });

    /** @type {Map<string, number>} */
    const byPackage = new Map();
    /** @type {Contributor[]} */
    const modules = [];
    const meta = Object.values(single.metafile.outputs)[0];
    for (const [path, { bytesInOutput }] of Object.entries(meta?.inputs ?? {})) {
        if (bytesInOutput === 0) continue;
        const name = moduleName(path);
        modules.push({ module: name, bytes: bytesInOutput });
        const pkg = packageOf(name);
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    modules.sort((x, y) => y.bytes - x.bytes);

    // The initial chunks: the entry's output and everything it reaches through static imports.
    const outputs = split.metafile.outputs;
    const entryOutput = Object.keys(outputs).find(path => outputs[path]?.entryPoint !== undefined);
    if (entryOutput === undefined) throw new Error(`${target}: no entry chunk`);
    const initial = new Set([entryOutput]);
    for (const path of initial) {
        for (const imported of outputs[path]?.imports ?? []) {
            if (imported.kind === 'import-statement' && !imported.external) initial.add(imported.path);
        }
    }
    let initialGzipBytes = 0;
    let totalSplitGzipBytes = 0;
    const cwd = process.cwd();
    for (const file of split.outputFiles) {
        const size = gzipSize(file.contents);
        totalSplitGzipBytes += size;
        const relative = file.path.startsWith(`${cwd}/`) ? file.path.slice(cwd.length + 1) : file.path;
        if (initial.has(relative)) initialGzipBytes += size;
    }
    /** @type {Set<string>} */
    const lazy = new Set();
    for (const [path, chunk] of Object.entries(outputs)) {
        if (initial.has(path)) continue;
        for (const [input, { bytesInOutput }] of Object.entries(chunk.inputs)) {
            if (bytesInOutput > 0) lazy.add(moduleName(input));
        }
    }
    return {
        target,
        minBytes: output.contents.byteLength,
        gzipBytes: gzipSize(output.contents),
        initialGzipBytes,
        totalSplitGzipBytes,
        packages: [...byPackage].map(([module, bytes]) => ({ module, bytes })).sort((x, y) => y.bytes - x.bytes),
        modules,
        lazyModules: [...lazy].sort(),
        why: importChains(single.metafile, `${ENTRY_NAMESPACE}:${target}-entry`),
        warnings: [...single.warnings, ...split.warnings].map(warning => warning.text)
    };
}

/**
 * A readable name for an esbuild input path: `pkg/sub/path` for dependencies, `client/src/…` for workspace code.
 *
 * @param {string} path
 */
function moduleName(path) {
    const inNodeModules = path.lastIndexOf('node_modules/');
    if (inNodeModules >= 0) return path.slice(inNodeModules + 'node_modules/'.length);
    const workspace = /(?:^|\/)packages\/(?:middleware\/)?(.*)$/.exec(path);
    return workspace?.[1] ?? path;
}

/**
 * The package of a {@link moduleName}: `@scope/name`, `name`, or the workspace package (`client`, `core`).
 *
 * @param {string} name
 */
function packageOf(name) {
    const parts = name.split('/');
    if (parts[0]?.startsWith('@')) return parts.slice(0, 2).join('/');
    return parts[0] ?? name;
}

/**
 * For each package in the bundle, the shortest import chain from the entry to its first file (breadth-first over
 * the metafile's import graph), as module names: the answer to "why is this package in the bundle?".
 *
 * @param {import('esbuild').Metafile} metafile
 * @param {string} entry
 * @returns {Record<string, string[]>}
 */
function importChains(metafile, entry) {
    /** @type {Map<string, string | undefined>} */
    const parent = new Map([[entry, undefined]]);
    const queue = [entry];
    /** @type {Record<string, string[]>} */
    const chains = {};
    while (queue.length > 0) {
        const path = /** @type {string} */ (queue.shift());
        const pkg = packageOf(moduleName(path));
        if (chains[pkg] === undefined) {
            /** @type {string[]} */
            const chain = [];
            for (let at = /** @type {string | undefined} */ (path); at !== undefined; at = parent.get(at)) {
                chain.unshift(moduleName(at));
            }
            chains[pkg] = chain;
        }
        for (const { path: next } of metafile.inputs[path]?.imports ?? []) {
            if (parent.has(next) || metafile.inputs[next] === undefined) continue;
            parent.set(next, path);
            queue.push(next);
        }
    }
    return chains;
}

/**
 * The area of a module name: its directory for workspace sources (`client/src/client/auth`), else its package.
 *
 * @param {string} name
 */
function areaOf(name) {
    const pkg = packageOf(name);
    if (!/^(client|core|server|express)\/src\//.test(name)) return pkg;
    return name.split('/').slice(0, -1).join('/');
}

/**
 * Where the bytes of a bundle go, as printable lines: minified bytes by area (workspace directory or
 * dependency package), split into what a code-split build loads up front and what it loads lazily, with the
 * import chain that pulls each dependency in; then the largest single modules.
 *
 * @param {BundleResult} result
 * @param {number} [limit]
 * @returns {string[]}
 */
export function contributorLines(result, limit = 12) {
    const lazy = new Set(result.lazyModules);
    /** @type {Map<string, { initial: number; lazy: number }>} */
    const areas = new Map();
    for (const { module, bytes } of result.modules) {
        const area = areaOf(module);
        const entry = areas.get(area) ?? { initial: 0, lazy: 0 };
        if (lazy.has(module)) entry.lazy += bytes;
        else entry.initial += bytes;
        areas.set(area, entry);
    }
    const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(8);
    const lines = [`minified bytes by area (initial + lazy when code-split):`];
    const sorted = [...areas].sort((x, y) => y[1].initial + y[1].lazy - (x[1].initial + x[1].lazy));
    for (const [area, { initial, lazy: lazyBytes }] of sorted.slice(0, limit)) {
        const chain = result.why[area];
        const via = chain && chain.length > 2 && !area.includes('/src/') ? `  ← ${chain.slice(1, -1).join(' ← ')}` : '';
        lines.push(`  ${kb(initial + lazyBytes)} = ${kb(initial)} initial + ${kb(lazyBytes)} lazy  ${area}${via}`);
    }
    lines.push('largest modules:');
    for (const { module, bytes } of result.modules.slice(0, limit)) {
        lines.push(`  ${kb(bytes)}  ${module}${lazy.has(module) ? '  (lazy)' : ''}`);
    }
    return lines;
}
