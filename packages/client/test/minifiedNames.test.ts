/**
 * Error names survive minification: the client entry is bundled and minified for the browser (esbuild, as a single
 * file), loaded, and every exported error class constructed there must still report its own name, so
 * `err.name === 'UnauthorizedError'` checks work in production bundles.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('a minified browser bundle of the client', () => {
    it('keeps the name of every exported error class', async () => {
        const result = await build({
            entryPoints: [entry],
            bundle: true,
            minify: true,
            format: 'esm',
            platform: 'browser',
            conditions: ['mcp-source'],
            write: false,
            logLevel: 'silent'
        });
        const code = result.outputFiles[0]!.text;
        const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<
            string,
            unknown
        >;
        // Abstract bases are never instantiated themselves.
        const abstract = new Set(['ClientError', 'OAuthError', 'OAuthSecurityError', 'TransportError', 'SdkError']);
        const checked: string[] = [];
        for (const [exported, value] of Object.entries(module)) {
            if (typeof value !== 'function' || !exported.endsWith('Error') || abstract.has(exported)) continue;
            const prototype = (value as { prototype?: unknown }).prototype;
            if (!(prototype instanceof Error)) continue;
            let instance: Error;
            try {
                instance = new (value as new (...args: unknown[]) => Error)(
                    { missingScopes: [], requestedScopes: [], grantedScopes: [] },
                    undefined,
                    undefined
                );
            } catch {
                continue; // abstract or needs particular arguments
            }
            expect(instance.name, exported).toBe(exported);
            checked.push(exported);
        }
        expect(checked).toEqual(expect.arrayContaining(['UnauthorizedError', 'InsufficientScopeError', 'McpError']));
        expect(checked.length).toBeGreaterThan(20);
    }, 60_000);
});
