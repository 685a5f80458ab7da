/**
 * Workload generators, a loopback "world" and a reference model for the model-based step-up properties
 * (`stepUpProperties.test.ts`). The world is the real {@link AuthSession} against the step-up harness (a
 * per-operation-scope resource server and an authorization server) plus a second loopback origin.
 */
import fc from 'fast-check';

import { AuthSession } from '../../src/client/auth/authSession.js';
import type { FetchLike } from '../../src/client/auth/http.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, post, startHarness } from './stepUpHarness.js';

/** The scope universe operations draw their requirements from. */
export const UNIVERSE = ['a', 'b', 'c', 'd'] as const;

/** How the authorization server answers. */
export interface AsBehaviour {
    /** Scopes it never grants (empty: it grants everything requested). */
    deny: string[];
    /** Leave `scope` out of token responses that grant everything requested. */
    omitScope: boolean;
    /** Issue refresh tokens. */
    refresh: boolean;
}

/** One step of a workload. */
export type Step =
    | { kind: 'op'; op: number }
    /** The resource server starts rejecting every token issued so far (`401 invalid_token`). */
    | { kind: 'expire' }
    /** A request through the session to a second loopback origin, which answers with `status`. */
    | { kind: 'elsewhere'; status: 200 | 401 | 403 };

/** A per-operation policy: `policy[i]` is the scope operation `i` needs. */
export type Policy = string[][];

/** A policy of 2–5 operations, each needing a non-empty subset of {@link UNIVERSE}. */
export const policyArb: fc.Arbitrary<Policy> = fc.array(fc.subarray([...UNIVERSE], { minLength: 1 }), {
    minLength: 2,
    maxLength: 5
});

/** Any authorization-server behaviour. */
export const behaviourArb: fc.Arbitrary<AsBehaviour> = fc.record({
    deny: fc.oneof(fc.constant<string[]>([]), fc.subarray([...UNIVERSE], { minLength: 1 })),
    omitScope: fc.boolean(),
    refresh: fc.boolean()
});

/** An authorization server that grants everything (stating the scope or not). */
export const grantingArb: fc.Arbitrary<AsBehaviour> = fc.record({
    deny: fc.constant<string[]>([]),
    omitScope: fc.boolean(),
    refresh: fc.boolean()
});

/** An authorization server that denies a non-empty subset. */
export const denyingArb: fc.Arbitrary<AsBehaviour> = fc.record({
    deny: fc.subarray([...UNIVERSE], { minLength: 1 }),
    omitScope: fc.boolean(),
    refresh: fc.boolean()
});

/** Which step kinds a workload may hold besides operations. */
export interface StepKinds {
    expire?: boolean;
    elsewhere?: boolean;
}

/** A policy with 1–20 steps over it. */
export function workloadArb(
    behaviour: fc.Arbitrary<AsBehaviour>,
    kinds: StepKinds = {}
): fc.Arbitrary<{ policy: Policy; behaviour: AsBehaviour; steps: Step[] }> {
    return policyArb.chain(policy => {
        const op: fc.Arbitrary<Step> = fc.nat(policy.length - 1).map(i => ({ kind: 'op', op: i }));
        const choices: fc.Arbitrary<Step>[] = [op, op, op];
        if (kinds.expire) choices.push(fc.constant<Step>({ kind: 'expire' }));
        if (kinds.elsewhere) {
            choices.push(fc.constantFrom(200, 401, 403).map((status): Step => ({ kind: 'elsewhere', status })));
        }
        return fc.record({
            policy: fc.constant(policy),
            behaviour,
            steps: fc.array(fc.oneof(...choices), { minLength: 1, maxLength: 20 })
        });
    });
}

/** A `401`/`403` the resource server sent, seen by the client. */
export interface SeenChallenge {
    status: number;
    /** The challenge's `scope` tokens (empty when absent). */
    scopes: string[];
    /** How many authorization requests the AS had received when the client got this challenge. */
    authorizationsBefore: number;
}

/** What one operation did. */
export interface OpResult {
    op: number;
    need: string[];
    /** The session's granted scope just before. */
    grantedBefore: string[];
    authorizationsBefore: number;
    authorizationsAfter: number;
    /** Scopes the AS had refused when the operation settled. */
    refusedAfter: string[];
    status?: number;
    error?: unknown;
}

/** The session under test, its harness and a second origin. */
export interface World {
    h: Harness;
    session: AuthSession;
    other: LoopbackServer;
    /** Every challenge the resource server sent, in the order the client received them. */
    challenges: SeenChallenge[];
    /** Scopes the AS has actually refused so far (asked for and not granted). */
    refused(): Set<string>;
    /** Sets the status the second origin answers with (`401`/`403` carry a Bearer challenge). */
    answerElsewhere(status: number): void;
    close(): Promise<void>;
}

/** Splits a scope string. */
export function tokens(scope: string | undefined): string[] {
    return (scope ?? '').split(' ').filter(s => s !== '');
}

/** Starts a world for `behaviour`. */
export async function startWorld(behaviour: AsBehaviour): Promise<World> {
    const h = await startHarness({ deny: behaviour.deny, omitScope: behaviour.omitScope, refresh: behaviour.refresh });
    let elsewhereStatus = 200;
    const other = await startServer((_request, response) => {
        const header =
            elsewhereStatus === 401
                ? { 'WWW-Authenticate': 'Bearer scope="a b c d"' }
                : elsewhereStatus === 403
                  ? { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="a b c d"' }
                  : {};
        send(response, elsewhereStatus, { ok: elsewhereStatus === 200 }, header);
    });
    const challenges: SeenChallenge[] = [];
    // Observes responses the client receives; it changes nothing.
    const recording: FetchLike = async (input, init) => {
        const response = await fetch(input, init);
        const url = new URL(input instanceof Request ? input.url : input);
        if (url.origin === h.rs.origin && (response.status === 401 || response.status === 403)) {
            const header = response.headers.get('www-authenticate') ?? '';
            challenges.push({
                status: response.status,
                scopes: tokens(/\bscope="([^"]*)"/.exec(header)?.[1]),
                authorizationsBefore: h.authorizations.length
            });
        }
        return response;
    };
    const session = new AuthSession({
        provider: new MemoryProvider(),
        serverUrl: h.mcpUrl,
        fetch: recording,
        authFetch: (input, init) => fetch(input, init)
    });
    const world: World = {
        h,
        session,
        other,
        challenges,
        refused: () => {
            const out = new Set<string>();
            for (const scope of h.authorizations) {
                for (const s of tokens(scope)) if (behaviour.deny.includes(s)) out.add(s);
            }
            return out;
        },
        answerElsewhere: status => {
            elsewhereStatus = status;
        },
        close: async () => {
            await Promise.all([h.close(), other.close()]);
        }
    };
    return world;
}

/** Performs operation `op` (needing `need`) through the session. */
export async function perform(world: World, op: number, need: string[]): Promise<OpResult> {
    const base = {
        op,
        need,
        grantedBefore: tokens(world.session.scopeState.granted),
        authorizationsBefore: world.h.authorizations.length
    };
    try {
        const response = await world.session.fetch(world.h.mcpUrl, post(need.join(' ')));
        await response.body?.cancel();
        return { ...base, ...after(world), status: response.status };
    } catch (error) {
        return { ...base, ...after(world), error };
    }
}

function after(world: World): { authorizationsAfter: number; refusedAfter: string[] } {
    return { authorizationsAfter: world.h.authorizations.length, refusedAfter: [...world.refused()] };
}

/** Runs `steps` one after the other; returns the results of the operations. */
export async function runSteps(world: World, policy: Policy, steps: Step[]): Promise<OpResult[]> {
    const results: OpResult[] = [];
    for (const step of steps) {
        if (step.kind === 'op') {
            results.push(await perform(world, step.op, policy[step.op] ?? []));
        } else if (step.kind === 'expire') {
            for (const token of world.h.tokens.values()) token.expired = true;
        } else {
            world.answerElsewhere(step.status);
            const before = world.h.authorizations.length;
            const response = await world.session.fetch(new URL('/elsewhere', world.other.origin), post('a'));
            await response.body?.cancel();
            if (response.status !== step.status || world.h.authorizations.length !== before) {
                throw new Error(`a request to another origin was not passed through untouched (${response.status})`);
            }
        }
    }
    return results;
}

/** Runs `fn` in a fresh world and closes it. */
export async function withWorld<T>(behaviour: AsBehaviour, fn: (world: World) => Promise<T>): Promise<T> {
    const world = await startWorld(behaviour);
    try {
        return await fn(world);
    } finally {
        await world.close();
    }
}

/** Whether every token of `small` is in `big`. */
export function subset(small: Iterable<string>, big: Iterable<string>): boolean {
    const set = new Set(big);
    for (const s of small) if (!set.has(s)) return false;
    return true;
}

/** What a correct client does, sequentially, with operations only (no expiry): authorizations and outcomes. */
export function referenceModel(
    policy: Policy,
    behaviour: AsBehaviour,
    ops: number[]
): { authorizations: string[][]; outcomes: ({ ok: true } | { missing: string[] })[] } {
    let requested = new Set<string>();
    let granted = new Set<string>();
    let denied = new Set<string>();
    let hasToken = false;
    const authorizations: string[][] = [];
    const outcomes: ({ ok: true } | { missing: string[] })[] = [];
    const authorize = (scope: Set<string>) => {
        authorizations.push([...scope].sort());
        const got = new Set([...scope].filter(s => !behaviour.deny.includes(s)));
        requested = new Set([...requested, ...scope]);
        denied = new Set([...denied, ...[...scope].filter(s => !got.has(s))].filter(s => !got.has(s)));
        granted = got;
        hasToken = true;
    };
    for (const op of ops) {
        const need = policy[op] ?? [];
        const missing = () => need.filter(s => !granted.has(s)).sort();
        if (!hasToken) {
            authorize(new Set(need));
        } else if (!subset(need, granted)) {
            const refused = need.filter(s => denied.has(s));
            if (refused.length > 0) {
                outcomes.push({ missing: refused.sort() });
                continue;
            }
            authorize(new Set([...requested, ...granted, ...need]));
        }
        outcomes.push(missing().length === 0 ? { ok: true } : { missing: missing() });
    }
    return { authorizations, outcomes };
}
