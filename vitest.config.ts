import { defineConfig } from 'vitest/config';

export default defineConfig({
    resolve: {
        conditions: ['mcp-source']
    },
    ssr: {
        resolve: {
            conditions: ['mcp-source'],
            externalConditions: ['mcp-source']
        }
    },
    test: {
        include: ['packages/**/test/**/*.test.ts', 'test/**/*.test.ts'],
        exclude: ['**/node_modules/**', '**/dist/**'],
        testTimeout: 30_000,
        hookTimeout: 30_000,
        pool: 'forks',
        reporters: ['default', ['json', { outputFile: '.tmp/results/vitest.json' }]]
    }
});
