/**
 * For every name an official v2 entry and our matching entry both export, ours can be used where theirs is — read
 * with the TypeScript checker (`typeCompat.ts`): a function or constant of ours is assignable to theirs, a class has
 * their public members (assignable) and accepts their constructor arguments, an input type (options, providers,
 * callbacks) accepts theirs, any other type holds both ways. The only exceptions are the names listed in
 * `typeDifferences.ts`, each with its reason; a listed name that is compatible now must leave the list.
 *
 * `API_COMPAT_UPDATE=1 npx vitest run test/api-compat` rewrites `typeDifferences.ts` to the incompatible names now,
 * keeping each one's reason (new ones get `TODO: <the first mismatch>`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRIES, officialDeclarations, ourSource } from './exportNames.js';
import { quote, writeRecordOfRecords } from './listWriter.js';
import type { NameCompat } from './typeCompat.js';
import { compareEntries } from './typeCompat.js';
import { TYPE_DIFFERENCES } from './typeDifferences.js';

const UPDATE = process.env.API_COMPAT_UPDATE === '1';

const pairs = ENTRIES.flatMap(([alias, subpath, ours]) =>
    ours === undefined
        ? []
        : [{ key: `${alias} ${subpath}`, official: officialDeclarations(alias, subpath), ours: ourSource(ours) }]
);
const started = performance.now();
const compatByFile = compareEntries(pairs);
const elapsed = Math.round(performance.now() - started);

/** The incompatible names of each entry, with their problems (for the rewrite). */
const incompatibleByEntry = new Map<string, NameCompat[]>();

describe('the official v2 types', () => {
    const totals: string[] = [];
    afterAll(() => {
        if (UPDATE) rewriteDifferences();
    });

    it.each(pairs.map(pair => [pair.key, pair] as const))(
        '%s: ours stands in for theirs, or a listed difference',
        (key, { official }) => {
            const compat = compatByFile.get(official)!;
            const incompatible = compat.filter(name => name.problems.length > 0);
            incompatibleByEntry.set(key, incompatible);
            const schemas = compat.filter(name => name.schema && name.problems.length === 0).length;
            totals.push(
                `${key}: ${compat.length - incompatible.length} of ${compat.length} shared names type-compatible` +
                    (schemas > 0 ? ` (${schemas} zod schemas by the data they parse to)` : '')
            );
            if (UPDATE) return;
            const allowed = TYPE_DIFFERENCES[key] ?? {};
            expect(
                incompatible
                    .filter(name => !(name.name in allowed))
                    .map(name => `${name.name}: ${name.problems.join('; ')}`),
                'incompatible and not listed in typeDifferences.ts'
            ).toEqual([]);
            expect(
                Object.keys(allowed).filter(name => !incompatible.some(entry => entry.name === name)),
                'listed in typeDifferences.ts but compatible now (or no longer shared): remove them from the list'
            ).toEqual([]);
        }
    );

    it('reports the counts', () => {
        console.log(`official v2 types ours stands in for (${elapsed} ms):\n  ${totals.join('\n  ')}`);
        expect(totals).toHaveLength(pairs.length);
    });
});

/** Rewrites `typeDifferences.ts` with the names incompatible now (reasons kept, new ones `TODO: …`). */
function rewriteDifferences(): void {
    const path = fileURLToPath(new URL('./typeDifferences.ts', import.meta.url));
    const source = readFileSync(path, 'utf8');
    const head = source.slice(0, source.indexOf('export const TYPE_DIFFERENCES'));
    const entries = pairs.map(({ key }) => {
        const reasons = TYPE_DIFFERENCES[key] ?? {};
        const incompatible = incompatibleByEntry.get(key) ?? [];
        return [
            key,
            incompatible.map(name => [name.name, quote(reasons[name.name] ?? `TODO: ${summary(name)}`)] as const)
        ] as const;
    });
    writeFileSync(path, head + writeRecordOfRecords('TYPE_DIFFERENCES', entries));
}

/** The first problem, short. */
function summary(name: NameCompat): string {
    const [first = '', ...others] = name.problems;
    const text = first.length <= 200 ? first : `${first.slice(0, 197)}...`;
    return others.length === 0 ? text : `${text} (and ${others.length} more)`;
}
