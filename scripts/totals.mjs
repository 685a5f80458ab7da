// Prints the run's totals as `N passed, N failed` from every result file the test stages wrote.
// A failing stage that wrote no results (lint, typecheck, build) counts as one failure, so a red run never reads green.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = '.tmp/results';
const status = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter(f => f.endsWith('.json'))) {
        const data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
        // vitest JSON reporter shape, and our conformance summary shape (same field names).
        passed += data.numPassedTests ?? 0;
        failed += data.numFailedTests ?? 0;
        skipped += (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
    }
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
