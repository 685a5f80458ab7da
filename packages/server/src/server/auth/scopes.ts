/**
 * Scope strings on the resource-server side: the one place this package checks, splits, joins and expands
 * OAuth scope values.
 *
 * @see RFC 6749 §3.3 — `scope = scope-token *( SP scope-token )`, `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
 * @module
 */

import { isScopeToken } from '@modelcontextprotocol/core';

export { isScopeToken };

/**
 * The raw tokens of a space-delimited scope value (runs of spaces or tabs, leading and trailing ones tolerated),
 * unvalidated: callers that must refuse an invalid token check each one with {@link isScopeToken}.
 */
export function splitScope(value: string): string[] {
    const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, '');
    return trimmed === '' ? [] : trimmed.split(/[ \t]+/);
}

/**
 * Splits a space-delimited scope value (RFC 6749 §3.3) into its distinct tokens, in first-seen order.
 *
 * Lenient on input produced by others (runs of whitespace, leading or trailing spaces are tolerated); tokens
 * that are not valid scope tokens are dropped, so a hostile value cannot smuggle quotes or control characters
 * into a challenge.
 */
export function parseScope(value: string | undefined): string[] {
    if (value === undefined) return [];
    const out: string[] = [];
    for (const token of splitScope(value)) {
        if (isScopeToken(token) && !out.includes(token)) out.push(token);
    }
    return out;
}

/** The distinct members of `scopes`, in first-seen order. Returns the input itself when it has no duplicates. */
export function dedupe(scopes: readonly string[]): readonly string[] {
    if (scopes.length < 2) return scopes;
    const set = new Set(scopes);
    return set.size === scopes.length ? scopes : [...set];
}

/** The union of several scope lists, in first-seen order. */
export function unionScopes(lists: Iterable<readonly string[]>): string[] {
    const set = new Set<string>();
    for (const list of lists) for (const scope of list) set.add(scope);
    return [...set];
}

/**
 * Scope implications, closed transitively: `{ a: ['b'], b: ['c'] }` means holding `a` also satisfies `b` and `c`.
 * Built once (see {@link compileImplications}); {@link ScopeImplications.expand} is the per-request step.
 */
export interface ScopeImplications {
    /** The scopes `granted` satisfies: the granted scopes themselves plus everything they imply. */
    expand(granted: readonly string[]): ReadonlySet<string>;
}

/**
 * Computes the transitive closure of an implication map. Returns `undefined` for an empty map, so callers can
 * skip expansion entirely. Keys and values must already be valid scope tokens.
 */
export function compileImplications(map: Readonly<Record<string, readonly string[]>>): ScopeImplications | undefined {
    const keys = Object.keys(map);
    if (keys.length === 0) return undefined;
    const closure = new Map<string, readonly string[]>();
    for (const root of keys) {
        const seen = new Set<string>();
        const stack = [...(map[root] ?? [])];
        while (stack.length > 0) {
            const next = stack.pop() as string;
            if (next === root || seen.has(next)) continue;
            seen.add(next);
            for (const implied of map[next] ?? []) stack.push(implied);
        }
        closure.set(root, [...seen]);
    }
    return {
        expand(granted) {
            const out = new Set(granted);
            for (const scope of granted) {
                const implied = closure.get(scope);
                if (implied !== undefined) for (const s of implied) out.add(s);
            }
            return out;
        }
    };
}
