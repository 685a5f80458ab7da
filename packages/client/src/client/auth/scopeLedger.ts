/**
 * The scope ledger of one MCP server: what the client asked for, what it was granted, what was refused, and how
 * many authorizations each operation has cost since it last succeeded — and the pure decision of what to do at a
 * challenge. No I/O: `authSession.ts` sends, batches and waits; this module only remembers and decides, so every
 * rule can be tested without HTTP.
 *
 * - The scope of every authorization is `requested ∪ granted ∪ challenged` (MCP 2025-11-25 "Scope Challenge
 *   Handling", SEP-2350): a challenge names only the scope of its own request (RFC 6750 §3.1).
 * - One bound that survives redirects and restarts: authorizations for the same operation (JSON-RPC method and
 *   tool / prompt / resource name) with no successful authorized response to it in between are counted, across
 *   `finishAuth` and application retries; other operations' successes do not reset it. Past the limit the next
 *   challenge for that operation is refused at once. Step-ups (`403 insufficient_scope`) and re-authorizations
 *   (`401`) are counted apart: a `401` is resolved as soon as the operation's token is accepted (any other
 *   status, a `403` included), so a token expiry never finds an operation locked out by its refused scopes.
 * - A scope the authorization server refused (`denied`) or the application declined (`declined`) is not asked
 *   for again until {@link ScopeLedger.reset}.
 *
 * @module
 */
import type { ScopeStateSnapshot } from './provider.js';
import type { ScopeSet } from './scope.js';
import { differenceScopes, intersectScopes, isSuperset, parseScope, ScopeSet as Scopes, unionScopes } from './scope.js';

/** What a challenge asks (see `readChallenge` in `wwwAuthenticate.ts`). */
export interface LedgerChallenge {
    /** `401` (no or invalid token), `401 insufficient_user_authentication`, or `403 insufficient_scope`. */
    readonly kind: 'unauthorized' | 'user-authentication' | 'insufficient-scope';
    /** The challenge's `scope`. */
    readonly scopes: ScopeSet;
}

/** The ledger as scope strings and counts, for persisting across restarts. */
export type LedgerSnapshot = ScopeStateSnapshot;

/** Why a challenge is refused without authorizing. */
export type RefusalReason = 'mode-throw' | 'declined' | 'denied' | 'granted-but-refused' | 'bound-exhausted';

/** The decision at one challenge. */
export type LedgerDecision =
    /** A newer token than the one the request carried already covers the challenge: just resend. */
    | { readonly action: 'retry' }
    /** Authorize (joining the authorization of concurrently challenged requests). */
    | { readonly action: 'authorize' }
    /** Refuse at once, without authorizing. */
    | {
          readonly action: 'refuse';
          readonly reason: RefusalReason;
          /** The scope the operation still lacks (for a 403), or the challenge's scope. */
          readonly missing: ScopeSet;
          /** Authorizations the operation cost so far (for `bound-exhausted`). */
          readonly authorizations: number;
      };

/** What {@link ScopeLedger.decide} looks at besides the ledger. */
export interface DecisionInput {
    readonly challenge: LedgerChallenge;
    /** The operation of the challenged request (see `operationOf`). */
    readonly operation: string;
    /** The request carried the current access token (not an older one replaced meanwhile). */
    readonly tokenIsCurrent: boolean;
    /** The request carried an access token at all. */
    readonly sentToken: boolean;
    /** `'throw'` refuses every `insufficient_scope` at once. */
    readonly mode: 'reauthorize' | 'throw';
    /** Authorizations allowed per operation between two of its successes. */
    readonly maxAuthorizations: number;
}

/** The key a count is kept under: the operation for step-ups, `401 <operation>` for re-authorizations. */
function counterKey(operation: string, kind: LedgerChallenge['kind']): string {
    return kind === 'insufficient-scope' ? operation : `401 ${operation}`;
}

function safeScope(scope: string | undefined): ScopeSet {
    try {
        return parseScope(scope);
    } catch {
        return Scopes.EMPTY;
    }
}

/** Keeps the scope state of one server and decides what each challenge calls for. */
export class ScopeLedger {
    /** Every scope asked for so far. */
    requested: ScopeSet = Scopes.EMPTY;
    /** The scope of the current token. */
    granted: ScopeSet = Scopes.EMPTY;
    /** Asked for and not granted by the authorization server. */
    denied: ScopeSet = Scopes.EMPTY;
    /** Declined by the application. */
    declined: ScopeSet = Scopes.EMPTY;
    /** The redirect-flow authorization awaiting `finishAuth`. */
    pending: { state: string; requested: ScopeSet } | undefined;
    readonly #operations = new Map<string, number>();

    /** @param snapshot - A persisted state to start from (malformed scopes are dropped, counts clamped). */
    constructor(snapshot?: LedgerSnapshot) {
        if (snapshot !== undefined) this.merge(snapshot);
    }

    /**
     * Folds a persisted state into this one: scopes are unioned (granted replaced when the snapshot names one),
     * counts take the larger value, a pending authorization is adopted when none is known.
     */
    merge(snapshot: LedgerSnapshot): void {
        this.requested = unionScopes(this.requested, safeScope(snapshot.requested));
        const granted = safeScope(snapshot.granted);
        if (granted.size > 0) this.granted = granted;
        this.denied = differenceScopes(unionScopes(this.denied, safeScope(snapshot.denied)), this.granted);
        this.declined = unionScopes(this.declined, safeScope(snapshot.declined));
        if (
            this.pending === undefined &&
            snapshot.pending !== undefined &&
            typeof snapshot.pending.state === 'string'
        ) {
            this.pending = { state: snapshot.pending.state, requested: safeScope(snapshot.pending.requested) };
        }
        for (const [operation, count] of Object.entries(snapshot.operations ?? {})) {
            if (typeof count !== 'number' || !Number.isInteger(count) || count <= 0) continue;
            this.#operations.set(operation, Math.max(this.#operations.get(operation) ?? 0, Math.min(count, 1000)));
        }
    }

    /** The state as strings and counts. */
    snapshot(): LedgerSnapshot {
        const snapshot: LedgerSnapshot = {
            requested: this.requested.toString(),
            granted: this.granted.toString(),
            denied: this.denied.toString()
        };
        if (this.declined.size > 0) snapshot.declined = this.declined.toString();
        if (this.pending !== undefined) {
            snapshot.pending = { state: this.pending.state, requested: this.pending.requested.toString() };
        }
        if (this.#operations.size > 0) snapshot.operations = Object.fromEntries(this.#operations);
        return snapshot;
    }

    /** Step-up authorizations `operation` cost since its last success (`401`-driven ones with `kind`). */
    authorizations(operation: string, kind: LedgerChallenge['kind'] = 'insufficient-scope'): number {
        return this.#operations.get(counterKey(operation, kind)) ?? 0;
    }

    /** Decides what a challenge calls for (see the module doc). Pure: changes nothing. */
    decide(input: DecisionInput): LedgerDecision {
        const { challenge, operation } = input;
        const scoped = challenge.kind === 'insufficient-scope';
        if (!input.tokenIsCurrent && (!scoped || isSuperset(this.granted, challenge.scopes)))
            return { action: 'retry' };
        const count = this.authorizations(operation, challenge.kind);
        const refuse = (reason: RefusalReason, missing: ScopeSet): LedgerDecision => ({
            action: 'refuse',
            reason,
            missing,
            authorizations: count
        });
        if (scoped) {
            const lacking = differenceScopes(challenge.scopes, this.granted);
            if (input.mode === 'throw') return refuse('mode-throw', lacking.size > 0 ? lacking : challenge.scopes);
            const declined = intersectScopes(challenge.scopes, this.declined);
            if (declined.size > 0) return refuse('declined', declined);
            const denied = intersectScopes(challenge.scopes, this.denied);
            if (denied.size > 0) return refuse('denied', denied);
            if (input.sentToken && input.tokenIsCurrent && lacking.size === 0) {
                return refuse('granted-but-refused', challenge.scopes);
            }
        }
        if (count >= input.maxAuthorizations) {
            const missing = scoped ? differenceScopes(challenge.scopes, this.granted) : challenge.scopes;
            return refuse('bound-exhausted', missing.size > 0 ? missing : challenge.scopes);
        }
        return { action: 'authorize' };
    }

    /** The scope to ask for: everything asked for and granted so far, plus what the challenges name. */
    scopeFor(challenged: ScopeSet): ScopeSet {
        return unionScopes(this.requested, this.granted, challenged);
    }

    /** Counts one authorization for each operation (and kind of challenge) it serves. */
    authorizing(members: Iterable<{ operation: string; kind: LedgerChallenge['kind'] }>): void {
        const keys = new Set<string>();
        for (const { operation, kind } of members) keys.add(counterKey(operation, kind));
        for (const key of keys) this.#operations.set(key, (this.#operations.get(key) ?? 0) + 1);
    }

    /**
     * A request of `operation` with a token got an answer: any status but 401 ends its re-authorizations, a
     * success (`ok`) its step-ups too. Returns whether anything changed.
     */
    answered(operation: string, ok: boolean): boolean {
        const unauthorized = this.#operations.delete(counterKey(operation, 'unauthorized'));
        return (ok && this.#operations.delete(operation)) || unauthorized;
    }

    /** Records an authorization's outcome. A refresh cannot widen scope, so it changes neither requested nor denied. */
    recordGrant(requested: ScopeSet, granted: ScopeSet, refresh: boolean): void {
        if (!refresh) {
            this.requested = unionScopes(this.requested, requested);
            this.denied = unionScopes(this.denied, differenceScopes(requested, granted));
        }
        // A scope granted now is no longer refused, whichever grant brought it.
        this.denied = differenceScopes(this.denied, granted);
        this.granted = granted;
    }

    /** The application declined to ask for these scopes. */
    decline(scopes: ScopeSet): void {
        this.declined = unionScopes(this.declined, scopes);
    }

    /**
     * Forgets what was refused or declined and every operation's count (after an administrator granted more, or
     * the user changed their mind). What was requested and granted stays.
     */
    reset(): void {
        this.denied = Scopes.EMPTY;
        this.declined = Scopes.EMPTY;
        this.#operations.clear();
    }
}
