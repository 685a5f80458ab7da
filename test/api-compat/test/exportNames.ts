/**
 * The export names of a package entry, read with the TypeScript checker from its declarations (the official
 * packages' published `.d.mts`) or sources (ours, through the `mcp-source` condition): each name with whether it
 * is a value (class, function, constant) or a type only.
 *
 * @module
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');

/** The names an entry exports: `values` (usable at run time) and `types` (type-only). */
export interface ExportNames {
    readonly values: ReadonlySet<string>;
    readonly types: ReadonlySet<string>;
}

/** One entry of an official package and the entry of ours that must match it. */
export interface EntryPair {
    /** `official-client` + `./stdio` etc. */
    readonly official: { readonly alias: string; readonly subpath: string };
    /** Our source entry relative to the repository, or `undefined` when we ship none yet. */
    readonly ours: string | undefined;
}

/** Official entry → our source entry (`undefined`: we ship none yet). */
export const ENTRIES: ReadonlyArray<readonly [alias: string, subpath: string, ours: string | undefined]> = [
    ['official-core', '.', 'packages/core/src/index.ts'],
    ['official-client', '.', 'packages/client/src/index.ts'],
    ['official-client', './stdio', 'packages/client/src/stdio.ts'],
    ['official-client', './validators/ajv', 'packages/client/src/validators/ajv.ts'],
    ['official-client', './validators/cf-worker', 'packages/client/src/validators/cfWorker.ts'],
    ['official-server', '.', 'packages/server/src/index.ts'],
    ['official-server', './stdio', 'packages/server/src/stdio.ts'],
    ['official-server', './validators/ajv', 'packages/server/src/validators/ajv.ts'],
    ['official-server', './validators/cf-worker', 'packages/server/src/validators/cfWorker.ts'],
    ['official-node', '.', 'packages/middleware/node/src/index.ts'],
    ['official-express', '.', 'packages/middleware/express/src/index.ts'],
    ['official-hono', '.', 'packages/middleware/hono/src/index.ts'],
    ['official-fastify', '.', 'packages/middleware/fastify/src/index.ts']
];

/** The `.d.mts` of an official package entry. */
export function officialDeclarations(alias: string, subpath: string): string {
    const manifestPath = join(here, '..', 'node_modules', alias, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        exports: Record<string, { import?: { types?: string } }>;
    };
    const types = manifest.exports[subpath]?.import?.types;
    if (types === undefined) throw new Error(`${alias} has no types for ${subpath}`);
    // The real path: the official declarations import `@modelcontextprotocol/core/internal`, which must resolve
    // in the official package's own dependency tree, not in our workspace (where it names our core).
    return realpathSync(join(dirname(manifestPath), types));
}

/** Our source entry, as an absolute path. */
export function ourSource(entry: string): string {
    return join(repo, entry);
}

/** Reads the exports of several entries with one program (one compilation). */
export function readExports(files: readonly string[]): Map<string, ExportNames> {
    const program = ts.createProgram([...files], {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        customConditions: ['mcp-source'],
        target: ts.ScriptTarget.ES2022,
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node']
    });
    const checker = program.getTypeChecker();
    const result = new Map<string, ExportNames>();
    for (const file of files) {
        const source = program.getSourceFile(file);
        if (source === undefined) throw new Error(`cannot read ${file}`);
        const symbol = checker.getSymbolAtLocation(source);
        const values = new Set<string>();
        const types = new Set<string>();
        for (const exported of symbol === undefined ? [] : checker.getExportsOfModule(symbol)) {
            const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
            if (target.flags & ts.SymbolFlags.Value) values.add(exported.name);
            else types.add(exported.name);
        }
        result.set(file, { values, types });
    }
    return result;
}

/**
 * The names of `official` that `ours` lacks: a value must be a value in ours too; a type-only name may be either.
 */
export function missingNames(official: ExportNames, ours: ExportNames | undefined): string[] {
    const missing: string[] = [];
    for (const name of official.values) if (!ours?.values.has(name)) missing.push(name);
    for (const name of official.types) if (!ours?.values.has(name) && !ours?.types.has(name)) missing.push(name);
    return missing.sort();
}
