import { defineConfig } from 'tsdown';

export default defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // Web-standard code (Workers, Deno, Bun, Node); `.mjs` / `.cjs` names, as package.json maps them.
    platform: 'neutral',
    fixedExtension: true,
    target: 'node20'
});
