import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workspaceEntries: Record<string, string> = {
    '@modelcontextprotocol/core': 'packages/core/src/index.ts',
    '@modelcontextprotocol/core/validators': 'packages/core/src/validators.ts',
    '@modelcontextprotocol/client': 'packages/client/src/index.ts',
    '@modelcontextprotocol/server': 'packages/server/src/index.ts',
    '@modelcontextprotocol/server/adapter': 'packages/server/src/adapter.ts',
    '@modelcontextprotocol/node': 'packages/middleware/node/src/index.ts'
};
const nodeBuiltins = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));
const staticImport = /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Walks the static import graph of a source entry (dynamic `import()` is deliberately not followed). */
function staticImportGraph(entry: string): { files: Set<string>; externals: Map<string, string> } {
    const files = new Set<string>();
    const externals = new Map<string, string>();
    const queue = [join(repo, entry)];
    while (queue.length > 0) {
        const file = queue.pop()!;
        if (files.has(file)) continue;
        files.add(file);
        const source = readFileSync(file, 'utf8');
        for (const match of source.matchAll(staticImport)) {
            const specifier = match[1] ?? match[2]!;
            if (/^import\s+type\s|^export\s+type\s/.test(match[0].trim())) continue;
            if (specifier.startsWith('.')) {
                const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
                queue.push(existsSync(target) ? target : join(target.replace(/\.ts$/, ''), 'index.ts'));
            } else if (workspaceEntries[specifier]) {
                queue.push(join(repo, workspaceEntries[specifier]));
            } else {
                externals.set(specifier, file);
            }
        }
    }
    return { files, externals };
}

describe('package boundaries', () => {
    it('core imports neither client, server nor any Node built-in', () => {
        const { files, externals } = staticImportGraph('packages/core/src/index.ts');
        const offenders = [...externals.keys()].filter(
            s =>
                nodeBuiltins.has(s) ||
                s.startsWith('@modelcontextprotocol/client') ||
                s.startsWith('@modelcontextprotocol/server')
        );
        expect(offenders).toEqual([]);
        expect([...files].some(f => f.includes('/packages/client/') || f.includes('/packages/server/'))).toBe(false);
    });

    it('core reaches no validation engine (ajv and @cfworker/json-schema live behind the validators entries)', () => {
        const engines = /^(ajv|ajv-formats|@cfworker\/json-schema)(\/|$)/;
        for (const entry of ['packages/core/src/index.ts', 'packages/core/src/validators.ts']) {
            const { externals } = staticImportGraph(entry);
            expect(
                [...externals.keys()].filter(s => engines.test(s)),
                entry
            ).toEqual([]);
        }
        // The client loads ajv with a dynamic import on first use; its main entry never imports it statically.
        const client = staticImportGraph('packages/client/src/index.ts');
        expect([...client.externals.keys()].filter(s => engines.test(s))).toEqual([]);
    });

    it('the browser entry of the client reaches no Node-only module', () => {
        const { files, externals } = staticImportGraph('packages/client/src/index.ts');
        const offenders = [...externals].filter(([s]) => nodeBuiltins.has(s)).map(([s, f]) => `${s} (from ${f})`);
        expect(offenders).toEqual([]);
        expect([...files].some(f => f.endsWith('/client/stdio.ts'))).toBe(false);
    });

    it('the main entry of the server reaches no Node-only module (the Node adapter is @modelcontextprotocol/node)', () => {
        const { files, externals } = staticImportGraph('packages/server/src/index.ts');
        const offenders = [...externals].filter(([s]) => nodeBuiltins.has(s)).map(([s, f]) => `${s} (from ${f})`);
        expect(offenders).toEqual([]);
        expect([...files].some(f => f.includes('/middleware/'))).toBe(false);
    });

    it('adapters depend on the server package only, never on core or the client directly', () => {
        for (const entry of [
            'packages/middleware/node/src/index.ts',
            'packages/middleware/express/src/index.ts',
            'packages/middleware/hono/src/index.ts',
            'packages/middleware/fastify/src/index.ts',
            'packages/redis/src/index.ts'
        ]) {
            const imported = new Set<string>();
            const dir = join(repo, dirname(entry));
            const walk = (path: string): void => {
                for (const item of readdirSync(path, { withFileTypes: true })) {
                    const full = join(path, item.name);
                    if (item.isDirectory()) walk(full);
                    else if (item.name.endsWith('.ts')) {
                        for (const match of readFileSync(full, 'utf8').matchAll(
                            /from\s*['"](@modelcontextprotocol\/[^'"]+)['"]/g
                        )) {
                            imported.add(match[1]!);
                        }
                    }
                }
            };
            walk(dir);
            const direct = [...imported].filter(
                s => s.startsWith('@modelcontextprotocol/core') || s.startsWith('@modelcontextprotocol/client')
            );
            expect(direct, entry).toEqual([]);
        }
    });

    it('the stdio entry is where the client spawns processes', () => {
        const { externals } = staticImportGraph('packages/client/src/stdio.ts');
        expect([...externals.keys()]).toContain('node:child_process');
    });
});

describe('error classes', () => {
    /** Every `*.ts` file under a package's `src`. */
    function sources(): string[] {
        const roots = [
            'core',
            'client',
            'server',
            'middleware/node',
            'middleware/express',
            'middleware/hono',
            'middleware/fastify',
            'redis'
        ].map(p => join(repo, 'packages', p, 'src'));
        const files: string[] = [];
        const walk = (dir: string): void => {
            for (const entry of readdirSync(dir, { withFileTypes: true })) {
                const path = join(dir, entry.name);
                if (entry.isDirectory()) walk(path);
                else if (entry.name.endsWith('.ts')) files.push(path);
            }
        };
        roots.forEach(walk);
        return files;
    }

    it('nothing throws a bare RangeError, TypeError or Error: every failure is a named error with a code', () => {
        const offenders: string[] = [];
        for (const file of sources()) {
            readFileSync(file, 'utf8')
                .split('\n')
                .forEach((line, index) => {
                    if (/throw new (RangeError|TypeError|Error)\(/.test(line)) offenders.push(`${file}:${index + 1}`);
                });
        }
        expect(offenders).toEqual([]);
    });

    it('every concrete error class names itself with a string literal, so minified bundles keep the name', () => {
        const missing: string[] = [];
        let checked = 0;
        for (const file of sources()) {
            const source = readFileSync(file, 'utf8');
            for (const match of source.matchAll(
                /^export class (\w+)(?:<[^>]*>)? extends (\w+)[^{]*\{([\s\S]*?)^\}/gm
            )) {
                const [, name, base, body] = match as unknown as [string, string, string, string];
                if (!base.endsWith('Error')) continue;
                checked++;
                if (!new RegExp(`\\bname(?:: string)? = '${name}'`).test(body)) missing.push(`${name} (${file})`);
            }
        }
        expect(checked).toBeGreaterThan(50);
        expect(missing).toEqual([]);
    });
});
