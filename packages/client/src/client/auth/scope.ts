/**
 * Scope set algebra (RFC 6749 §3.3). This is the only place scope strings are split, joined, unioned and compared.
 *
 * ```
 * scope       = scope-token *( SP scope-token )
 * scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
 * ```
 *
 * Order carries no meaning in OAuth, but a {@link ScopeSet} keeps first-appearance order so that formatted scopes
 * are stable and readable (`init mcp:tools:read`, not a shuffled set).
 *
 * @module
 */
import { isScopeToken } from '@modelcontextprotocol/core';
import { InvalidScopeError } from './errors.js';

/** Whether `token` is a single RFC 6749 §3.3 `scope-token` (the grammar is core's `isScopeToken`). */
export function isValidScopeToken(token: string): boolean {
    return isScopeToken(token);
}

/** Builds a set from tokens already validated and de-duplicated (assigned in the class's static block). */
let fromValidTokens: (tokens: readonly string[]) => ScopeSet;

/** An immutable set of scope tokens, ordered by first appearance. Build one with {@link parseScope} or {@link scopeSet}. */
export class ScopeSet implements Iterable<string> {
    /** The empty set. */
    static readonly EMPTY: ScopeSet = new ScopeSet([]);

    readonly #tokens: readonly string[];
    readonly #lookup: ReadonlySet<string>;

    private constructor(tokens: readonly string[]) {
        this.#tokens = tokens;
        this.#lookup = new Set(tokens);
    }

    static {
        fromValidTokens = tokens => (tokens.length === 0 ? ScopeSet.EMPTY : new ScopeSet(tokens));
    }

    /** Number of distinct tokens. */
    get size(): number {
        return this.#tokens.length;
    }

    /** Whether the set holds `token`. */
    has(token: string): boolean {
        return this.#lookup.has(token);
    }

    /** Iterates the tokens in first-appearance order. */
    [Symbol.iterator](): Iterator<string> {
        return this.#tokens[Symbol.iterator]();
    }

    /** The tokens as a new array, in first-appearance order. */
    toArray(): string[] {
        return [...this.#tokens];
    }

    /** The RFC 6749 §3.3 string form: tokens joined by single spaces (`''` for the empty set). */
    toString(): string {
        return this.#tokens.join(' ');
    }

    /** JSON form: the scope string. */
    toJSON(): string {
        return this.toString();
    }
}

/** Anything the scope functions accept: a set, a scope string, a token list, or `undefined` (empty). */
export type ScopeInput = ScopeSet | string | readonly string[] | undefined;

/**
 * Parses a scope string (RFC 6749 §3.3). Tokens are separated by runs of spaces (leading and trailing spaces are
 * tolerated); duplicates collapse. `undefined` and `''` give the empty set.
 *
 * @throws {InvalidScopeError} when a token has a character outside `%x21 / %x23-5B / %x5D-7E` (including tabs, `"`
 * and `\`).
 */
export function parseScope(scope: string | undefined): ScopeSet {
    if (scope === undefined) return ScopeSet.EMPTY;
    return fromTokens(scope.split(' '), true);
}

/**
 * Normalizes any {@link ScopeInput} to a {@link ScopeSet}: strings are parsed, token lists validated.
 *
 * @throws {InvalidScopeError} on a malformed token.
 */
export function scopeSet(input: ScopeInput): ScopeSet {
    if (input === undefined) return ScopeSet.EMPTY;
    if (input instanceof ScopeSet) return input;
    if (typeof input === 'string') return parseScope(input);
    return fromTokens(input, false);
}

function fromTokens(tokens: readonly string[], skipEmpty: boolean): ScopeSet {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const token of tokens) {
        if (token === '' && skipEmpty) continue;
        if (!isValidScopeToken(token)) {
            throw new InvalidScopeError(`Invalid scope token ${JSON.stringify(token.slice(0, 64))} (RFC 6749 §3.3)`);
        }
        if (!seen.has(token)) {
            seen.add(token);
            out.push(token);
        }
    }
    return fromValidTokens(out);
}

/** Formats a scope (RFC 6749 §3.3): tokens joined by single spaces, `''` when empty. */
export function formatScope(input: ScopeInput): string {
    return scopeSet(input).toString();
}

/**
 * The union of scopes, in first-seen order across the arguments. This is how a client accumulates scope across
 * challenges: `unionScopes(previouslyRequested, granted, challenge.scope)`.
 */
export function unionScopes(...inputs: ScopeInput[]): ScopeSet {
    const sets = inputs.map(scopeSet);
    const nonEmpty = sets.filter(set => set.size > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? ScopeSet.EMPTY;
    const out: string[] = [];
    const seen = new Set<string>();
    for (const set of nonEmpty) {
        for (const token of set) {
            if (!seen.has(token)) {
                seen.add(token);
                out.push(token);
            }
        }
    }
    return fromValidTokens(out);
}

/** Tokens of `a` that are not in `b`, in `a`'s order (e.g. the scopes a challenge needs that were not granted). */
export function differenceScopes(a: ScopeInput, b: ScopeInput): ScopeSet {
    const left = scopeSet(a);
    const right = scopeSet(b);
    if (right.size === 0) return left;
    return fromValidTokens(left.toArray().filter(token => !right.has(token)));
}

/** Tokens in both `a` and `b`, in `a`'s order. */
export function intersectScopes(a: ScopeInput, b: ScopeInput): ScopeSet {
    const right = scopeSet(b);
    return fromValidTokens(
        scopeSet(a)
            .toArray()
            .filter(token => right.has(token))
    );
}

/** Whether `a` holds every token of `b` (every set is a superset of the empty set). */
export function isSuperset(a: ScopeInput, b: ScopeInput): boolean {
    const left = scopeSet(a);
    for (const token of scopeSet(b)) {
        if (!left.has(token)) return false;
    }
    return true;
}

/** Whether `a` and `b` hold the same tokens, in any order. */
export function equalScopes(a: ScopeInput, b: ScopeInput): boolean {
    const left = scopeSet(a);
    const right = scopeSet(b);
    return left.size === right.size && isSuperset(left, right);
}

/** Whether the scope has no tokens. */
export function isEmptyScope(input: ScopeInput): boolean {
    return scopeSet(input).size === 0;
}

/**
 * The union of scope strings (RFC 6749 §3.3), as a scope string: each distinct token once, in first-seen order
 * across the arguments; `undefined` when there is no token at all (official SDK name; see {@link unionScopes}).
 *
 * @throws {InvalidScopeError} on a malformed token.
 */
export function computeScopeUnion(...scopes: ReadonlyArray<string | undefined>): string | undefined {
    const union = unionScopes(...scopes);
    return union.size === 0 ? undefined : union.toString();
}

/**
 * Whether `union` holds a token that `current` lacks (an undefined or empty scope is the empty set). When it does, a
 * refresh cannot give the wider scope (RFC 6749 §6) and a new authorization is needed. An absent token `scope`
 * counts as empty here, although RFC 6749 §5.1 lets a server omit it when it equals the requested one: when in doubt,
 * authorize again rather than lose the widened scope.
 *
 * @throws {InvalidScopeError} on a malformed token.
 */
export function isStrictScopeSuperset(union: string | undefined, current: string | undefined): boolean {
    return !isSuperset(current, union);
}
