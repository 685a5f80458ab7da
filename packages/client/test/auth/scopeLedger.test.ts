/**
 * The scope ledger on its own, without HTTP: a decision table, and model-based properties (fast-check) over random
 * sequences of challenges, authorizations, grants, answers, declines, resets and save / restore round trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSuperset, parseScope, unionScopes } from '../../src/client/auth/scope.js';
import { ScopeLedger } from '../../src/client/auth/scopeLedger.js';
import type { DecisionInput, LedgerChallenge } from '../../src/client/auth/scopeLedger.js';

const MAX = 2;

function challenge(kind: LedgerChallenge['kind'], scope: string): LedgerChallenge {
    return { kind, scopes: parseScope(scope) };
}

function input(partial: Partial<DecisionInput> & Pick<DecisionInput, 'challenge'>): DecisionInput {
    return {
        operation: 'tools/call a',
        tokenIsCurrent: true,
        sentToken: true,
        mode: 'reauthorize',
        maxAuthorizations: MAX,
        ...partial
    };
}

describe('ScopeLedger decisions', () => {
    it('authorizes a step-up for a scope not held, and asks for requested ∪ granted ∪ challenged', () => {
        const ledger = new ScopeLedger();
        ledger.recordGrant(parseScope('init'), parseScope('init'), false);
        expect(ledger.decide(input({ challenge: challenge('insufficient-scope', 'read') }))).toEqual({
            action: 'authorize'
        });
        expect(ledger.scopeFor(parseScope('read')).toString()).toBe('init read');
    });

    it('resends without authorizing when a newer token already covers the challenge', () => {
        const ledger = new ScopeLedger();
        ledger.recordGrant(parseScope('init read'), parseScope('init read'), false);
        const decision = ledger.decide(
            input({ challenge: challenge('insufficient-scope', 'read'), tokenIsCurrent: false })
        );
        expect(decision).toEqual({ action: 'retry' });
    });

    it.each([
        [
            'a refused scope',
            (l: ScopeLedger) => l.recordGrant(parseScope('init w'), parseScope('init'), false),
            'denied'
        ],
        ['a declined scope', (l: ScopeLedger) => l.decline(parseScope('w')), 'declined'],
        [
            'a scope the current token holds',
            (l: ScopeLedger) => l.recordGrant(parseScope('w'), parseScope('w'), false),
            'granted-but-refused'
        ]
    ] as const)('refuses %s at once', (_name, arrange, reason) => {
        const ledger = new ScopeLedger();
        arrange(ledger);
        expect(ledger.decide(input({ challenge: challenge('insufficient-scope', 'w') }))).toMatchObject({
            action: 'refuse',
            reason
        });
    });

    it('counts step-ups per operation until it succeeds; another operation does not reset it', () => {
        const ledger = new ScopeLedger();
        const write = input({ challenge: challenge('insufficient-scope', 'x1') });
        for (let i = 0; i < MAX; i++) {
            expect(ledger.decide(write).action).toBe('authorize');
            ledger.authorizing([{ operation: 'tools/call a', kind: 'insufficient-scope' }]);
            ledger.answered('ping', true);
        }
        expect(ledger.decide(write)).toMatchObject({ action: 'refuse', reason: 'bound-exhausted', authorizations: 2 });
        ledger.answered('tools/call a', false); // a 403 answer is no success
        expect(ledger.decide(write)).toMatchObject({ action: 'refuse', reason: 'bound-exhausted' });
        expect(ledger.decide({ ...write, operation: 'tools/call b' }).action).toBe('authorize');
        ledger.answered('tools/call a', true);
        expect(ledger.decide(write).action).toBe('authorize');
    });

    it('counts 401s apart: an accepted token ends them, so an expiry never finds the operation locked out', () => {
        const ledger = new ScopeLedger();
        const unauthorized = input({ challenge: challenge('unauthorized', '') });
        ledger.authorizing([{ operation: 'tools/call a', kind: 'unauthorized' }]);
        ledger.authorizing([{ operation: 'tools/call a', kind: 'unauthorized' }]);
        expect(ledger.decide(unauthorized).action).toBe('refuse');
        ledger.answered('tools/call a', false); // a 403: the token was accepted
        expect(ledger.decide(unauthorized).action).toBe('authorize');
    });

    it("'throw' mode refuses every insufficient_scope", () => {
        const ledger = new ScopeLedger();
        expect(ledger.decide(input({ challenge: challenge('insufficient-scope', 'r'), mode: 'throw' }))).toMatchObject({
            action: 'refuse',
            reason: 'mode-throw'
        });
    });

    it('reset forgets refused and declined scopes and the counts, keeps requested and granted', () => {
        const ledger = new ScopeLedger();
        ledger.recordGrant(parseScope('a b'), parseScope('a'), false);
        ledger.decline(parseScope('c'));
        ledger.authorizing([{ operation: 'op', kind: 'insufficient-scope' }]);
        ledger.reset();
        expect(ledger.snapshot()).toEqual({ requested: 'a b', granted: 'a', denied: '' });
    });

    it('restores a snapshot, dropping malformed scopes and counts', () => {
        const ledger = new ScopeLedger({
            requested: 'a "bad',
            granted: 'a',
            denied: 'b',
            declined: 'c',
            operations: { op: 2, bad: -1, worse: 1.5 } as Record<string, number>
        });
        expect(ledger.snapshot()).toEqual({
            requested: '',
            granted: 'a',
            denied: 'b',
            declined: 'c',
            operations: { op: 2 }
        });
    });
});

// ─── Model-based properties ────────────────────────────────────────────────────────────────────────────────

const OPS = ['initialize', 'tools/list', 'tools/call a', 'tools/call b'];
const SCOPES = ['init', 'read', 'write', 'admin', 'x1', 'x2'];

type Command =
    | { kind: 'challenge'; op: number; challengeKind: LedgerChallenge['kind']; scopes: string[]; current: boolean }
    | { kind: 'grant'; requested: string[]; granted: string[]; refresh: boolean }
    | { kind: 'answered'; op: number; ok: boolean }
    | { kind: 'decline'; scopes: string[] }
    | { kind: 'reset' }
    | { kind: 'restore' };

const scopes = fc.subarray(SCOPES);
const command: fc.Arbitrary<Command> = fc.oneof(
    {
        weight: 5,
        arbitrary: fc.record({
            kind: fc.constant('challenge' as const),
            op: fc.nat(OPS.length - 1),
            challengeKind: fc.constantFrom('unauthorized' as const, 'insufficient-scope' as const),
            scopes,
            current: fc.boolean()
        })
    },
    {
        weight: 2,
        arbitrary: fc.record({
            kind: fc.constant('grant' as const),
            requested: scopes,
            granted: scopes,
            refresh: fc.boolean()
        })
    },
    {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('answered' as const), op: fc.nat(OPS.length - 1), ok: fc.boolean() })
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('decline' as const), scopes }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) }
);

/** Plays commands; a challenge the ledger says to authorize is authorized (counted) at once. */
function play(
    commands: Command[],
    observe: (event: { ledger: ScopeLedger; command: Command; decision?: ReturnType<ScopeLedger['decide']> }) => void
): ScopeLedger {
    let ledger = new ScopeLedger();
    for (const command of commands) {
        switch (command.kind) {
            case 'challenge': {
                const operation = OPS[command.op]!;
                const decision = ledger.decide({
                    challenge: { kind: command.challengeKind, scopes: parseScope(command.scopes.join(' ')) },
                    operation,
                    tokenIsCurrent: command.current,
                    sentToken: true,
                    mode: 'reauthorize',
                    maxAuthorizations: MAX
                });
                observe({ ledger, command, decision });
                if (decision.action === 'authorize') ledger.authorizing([{ operation, kind: command.challengeKind }]);
                break;
            }
            case 'grant':
                ledger.recordGrant(
                    parseScope(command.requested.join(' ')),
                    parseScope(command.granted.join(' ')),
                    command.refresh
                );
                break;
            case 'answered':
                ledger.answered(OPS[command.op]!, command.ok);
                break;
            case 'decline':
                ledger.decline(parseScope(command.scopes.join(' ')));
                break;
            case 'reset':
                ledger.reset();
                break;
            case 'restore':
                ledger = new ScopeLedger(JSON.parse(JSON.stringify(ledger.snapshot())));
                break;
        }
        observe({ ledger, command });
    }
    return ledger;
}

describe('ScopeLedger properties', () => {
    it('never authorizes an operation more than the bound between two of its successes (restores and other successes included)', () => {
        fc.assert(
            fc.property(fc.array(command, { maxLength: 60 }), commands => {
                const since = new Map<string, number>();
                play(commands, ({ command, decision }) => {
                    if (command.kind === 'answered' && command.ok) since.delete(OPS[command.op]!);
                    if (command.kind === 'reset') since.clear();
                    if (command.kind !== 'challenge' || decision?.action !== 'authorize') return;
                    if (command.challengeKind !== 'insufficient-scope') return;
                    const operation = OPS[command.op]!;
                    since.set(operation, (since.get(operation) ?? 0) + 1);
                    expect(since.get(operation)).toBeLessThanOrEqual(MAX);
                });
            }),
            { numRuns: 1000 }
        );
    });

    it('the scope asked for always holds everything requested and granted so far and the challenge', () => {
        fc.assert(
            fc.property(fc.array(command, { maxLength: 40 }), scopes, (commands, challenged) => {
                let everRequested = parseScope(undefined);
                const ledger = play(commands, ({ command }) => {
                    if (command.kind === 'grant' && !command.refresh) {
                        everRequested = unionScopes(everRequested, command.requested.join(' '));
                    }
                });
                const asked = ledger.scopeFor(parseScope(challenged.join(' ')));
                expect(isSuperset(asked, unionScopes(everRequested, ledger.granted, challenged.join(' ')))).toBe(true);
            }),
            { numRuns: 300 }
        );
    });

    it('a refused or declined scope is never asked for again until reset', () => {
        fc.assert(
            fc.property(fc.array(command, { maxLength: 60 }), commands => {
                play(commands, ({ ledger, command, decision }) => {
                    if (decision === undefined || command.kind !== 'challenge') return;
                    if (command.challengeKind !== 'insufficient-scope') return;
                    const blocked = unionScopes(ledger.denied, ledger.declined);
                    const hit = command.scopes.some(scope => blocked.has(scope));
                    if (hit && command.current) expect(decision?.action).toBe('refuse');
                });
            }),
            { numRuns: 300 }
        );
    });

    it('a restored snapshot decides exactly as the ledger it was taken from', () => {
        fc.assert(
            fc.property(fc.array(command, { maxLength: 40 }), fc.array(command, { maxLength: 20 }), (before, after) => {
                const original = play(before, () => undefined);
                const restored = new ScopeLedger(JSON.parse(JSON.stringify(original.snapshot())));
                const decisionsOf = (start: ScopeLedger) => {
                    const seen: unknown[] = [];
                    let ledger = start;
                    for (const command of after.filter(c => c.kind === 'challenge')) {
                        if (command.kind !== 'challenge') continue;
                        const operation = OPS[command.op]!;
                        const decision = ledger.decide({
                            challenge: { kind: command.challengeKind, scopes: parseScope(command.scopes.join(' ')) },
                            operation,
                            tokenIsCurrent: command.current,
                            sentToken: true,
                            mode: 'reauthorize',
                            maxAuthorizations: MAX
                        });
                        seen.push(decision);
                        if (decision.action === 'authorize')
                            ledger.authorizing([{ operation, kind: command.challengeKind }]);
                        ledger = new ScopeLedger(ledger.snapshot());
                    }
                    return seen;
                };
                expect(decisionsOf(restored)).toEqual(decisionsOf(original));
            }),
            { numRuns: 200 }
        );
    });
});
