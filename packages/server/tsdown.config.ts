import { defineConfig } from 'tsdown';

export default defineConfig({
    entry: ['src/index.ts', 'src/stdio.ts', 'src/validators/ajv.ts', 'src/validators/cfWorker.ts', 'src/adapter.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    platform: 'node',
    target: 'node20'
});
