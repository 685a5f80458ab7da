/**
 * Every export name of each official v2 package entry (`@modelcontextprotocol/core`, `client`, `server` with their
 * `./stdio` and `./validators/*`, and the `node`, `express`, `hono`, `fastify` adapters) is exported by our
 * matching entry — as a value when theirs is a value — except the names listed in `differences.ts`, each with its
 * reason. A name that appears in ours must leave that list, so the list only shrinks.
 *
 * `API_COMPAT_UPDATE=1 npx vitest run test/api-compat` rewrites `differences.ts` to the names missing now, keeping
 * each one's reason (new ones get `TODO`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DIFFERENCES } from './differences.js';
import { ENTRIES, missingNames, officialDeclarations, ourSource, readExports } from './exportNames.js';
import { writeRecordOfRecords } from './listWriter.js';

const files = ENTRIES.flatMap(([alias, subpath, ours]) => [
    officialDeclarations(alias, subpath),
    ...(ours === undefined ? [] : [ourSource(ours)])
]);
const exportsByFile = readExports(files);

const missingByEntry = new Map<string, string[]>();

/** Rewrites `differences.ts` with the names missing now (reasons kept). */
function rewriteDifferences(): void {
    const path = fileURLToPath(new URL('./differences.ts', import.meta.url));
    const source = readFileSync(path, 'utf8');
    const head = source.slice(0, source.indexOf('export const DIFFERENCES'));
    const entries = [...missingByEntry].map(([entry, names]) => {
        const reasons = DIFFERENCES[entry] ?? {};
        return [entry, names.map(name => [name, reasonConstant(reasons[name])] as const)] as const;
    });
    writeFileSync(path, head + writeRecordOfRecords('DIFFERENCES', entries));
}

function reasonConstant(reason: string | undefined): string {
    if (reason === undefined) return 'TODO';
    if (reason.includes('2026-07-28')) return 'STEP_7';
    if (reason.includes('DPoP')) return 'DPOP';
    if (reason.includes('typed transport errors')) return 'TYPED_ERRORS';
    return 'TODO';
}

describe('the official v2 export names', () => {
    const totals: string[] = [];
    afterAll(() => {
        if (process.env.API_COMPAT_UPDATE === '1') rewriteDifferences();
    });
    it.each(ENTRIES)('%s %s: every name is ours, or a listed difference', (alias, subpath, ours) => {
        const official = exportsByFile.get(officialDeclarations(alias, subpath))!;
        const mine = ours === undefined ? undefined : exportsByFile.get(ourSource(ours));
        const missing = missingNames(official, mine);
        missingByEntry.set(`${alias} ${subpath}`, missing);
        const total = official.values.size + official.types.size;
        totals.push(`${alias} ${subpath}: ${total - missing.length}/${total}`);
        if (process.env.API_COMPAT_UPDATE === '1') return;
        const allowed = DIFFERENCES[`${alias} ${subpath}`] ?? {};
        expect(
            missing.filter(name => !(name in allowed)),
            'missing and not listed in differences.ts'
        ).toEqual([]);
        expect(
            Object.keys(allowed).filter(name => !missing.includes(name)),
            'listed in differences.ts but present now: remove them from the list'
        ).toEqual([]);
    });

    it('reports the counts', () => {
        console.log(`official v2 names present in ours:\n  ${totals.join('\n  ')}`);
        expect(totals).toHaveLength(ENTRIES.length);
    });
});
