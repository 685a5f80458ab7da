import { defineConfig } from 'tsdown';

export default defineConfig({
    entry: [
        'src/index.ts',
        'src/stdio.ts',
        'src/validators/ajv.ts',
        'src/validators/cfWorker.ts',
        'src/shimsNode.ts',
        'src/shimsBrowser.ts'
    ],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    platform: 'node',
    target: 'node20',
    // The default validator is chosen by the consumer's resolver (`browser` / `workerd` / `node` conditions).
    external: ['@modelcontextprotocol/client/_shims']
});
