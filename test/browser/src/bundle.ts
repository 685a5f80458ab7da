/**
 * Builds the page script (`page/app.ts`) and the client package into one browser file with esbuild — ESM,
 * platform `browser`, bundled, minified, no splitting — from the client's built `dist/` (no `mcp-source`
 * condition), the way an application would bundle the published package.
 *
 * @module
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_ROOT = join(HERE, '..');

/** The single-file bundle. */
export interface PageBundle {
    /** The JavaScript text (one ES module). */
    readonly code: string;
    /** Its size in bytes. */
    readonly bytes: number;
    /** esbuild warnings, formatted. */
    readonly warnings: string[];
}

/**
 * The client's `dist` entry esbuild resolves for `import` — without `mcp-source`, the path in its package.json
 * `exports['.'].import.default`.
 *
 * @throws {Error} when the package was not built (no `dist`), naming the command that builds it.
 */
export function clientDistEntry(): string {
    const packageDir = realpathSync(join(PACKAGE_ROOT, 'node_modules', '@modelcontextprotocol', 'client'));
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
        exports: Record<string, { import?: { default?: string } }>;
    };
    const relative = manifest.exports['.']?.import?.default;
    if (relative === undefined) throw new Error(`${packageDir}/package.json has no exports['.'].import.default`);
    const entry = join(packageDir, relative);
    if (!existsSync(entry)) {
        throw new Error(
            `The browser tests bundle the built client, and ${entry} is missing: ` +
                'run `pnpm build` first (CI builds before it tests).'
        );
    }
    return entry;
}

/**
 * Bundles `page/app.ts` with `@modelcontextprotocol/client` from `dist` into one ES module for browsers.
 *
 * @throws {Error} when `dist` is missing, when esbuild fails, or when it produced more than one file.
 */
export async function buildPageBundle(): Promise<PageBundle> {
    clientDistEntry();
    const result = await esbuild.build({
        entryPoints: [join(PACKAGE_ROOT, 'page', 'app.ts')],
        absWorkingDir: PACKAGE_ROOT,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        splitting: false,
        write: false,
        outfile: join(PACKAGE_ROOT, 'app.js'),
        logLevel: 'silent'
    });
    const files = result.outputFiles;
    if (files.length !== 1 || files[0] === undefined) {
        throw new Error(`expected one output file, esbuild wrote ${files.map(file => file.path).join(', ')}`);
    }
    const warnings = await esbuild.formatMessages(result.warnings, { kind: 'warning', color: false });
    return { code: files[0].text, bytes: files[0].contents.byteLength, warnings };
}
