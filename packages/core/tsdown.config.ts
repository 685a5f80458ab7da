import { defineConfig } from 'tsdown';

export default defineConfig({
    entry: ['src/index.ts', 'src/validators.ts', 'src/validators/ajv.ts', 'src/validators/cfWorker.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    platform: 'node',
    target: 'node20'
});
