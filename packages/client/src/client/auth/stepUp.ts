/**
 * Progressive (step-up) authorization: the one place an MCP client turns a `401` / `403` challenge into an
 * authorization and a retry. Every challenge site (Streamable HTTP POSTs and GET stream, the legacy SSE transport,
 * the `withOAuth` fetch middleware) calls {@link AuthSession.fetch}.
 *
 * The scope of every authorization is `requested ∪ granted ∪ challenged` (MCP 2025-11-25 "Scope Challenge
 * Handling", SEP-2350): a challenge names only the scope of its own request (RFC 6750 §3.1), so the client, not the
 * server, accumulates. A refresh never serves an `insufficient_scope` (RFC 6749 §6: it cannot widen scope).
 *
 * @module
 */
import type { AuthorizeOptions, AuthorizeOutcome } from './auth.js';
import { authorize, refreshTokens } from './auth.js';
import type { OAuthDiscovery } from './discovery.js';
import { InsufficientScopeError, UnauthorizedError } from './errors.js';
import type { FetchLike } from './http.js';
import { discardBody } from './http.js';
import type { OAuthClientProvider, ScopeStateSnapshot, StoredOAuthTokens } from './provider.js';
import type { ScopeSet } from './scope.js';
import { differenceScopes, intersectScopes, isSuperset, parseScope, ScopeSet as Scopes, unionScopes } from './scope.js';
import { bearerChallenge, parseWWWAuthenticate } from './wwwAuthenticate.js';

/** What to do at `403 insufficient_scope`. */
export type InsufficientScopeMode = 'reauthorize' | 'throw';

/** Options of {@link AuthSession}. */
export interface AuthSessionOptions {
    /** Where tokens and registrations are kept. */
    provider: OAuthClientProvider;
    /** The MCP server URL; tokens are sent to its origin only. */
    serverUrl: string | URL;
    /** The `fetch` for MCP requests; default the global one. */
    fetch?: FetchLike | undefined;
    /** The `fetch` for OAuth requests (discovery, registration, token endpoint); default `fetch`. */
    authFetch?: FetchLike | undefined;
    /** `'throw'` rejects at the first `403 insufficient_scope` instead of re-authorizing. Default `'reauthorize'`. */
    onInsufficientScope?: InsufficientScopeMode | undefined;
    /**
     * Retries of one request after an authorization, and authorizations (401- or 403-driven, refreshes included)
     * allowed since the last successful authorized response before further challenges are refused at once. Default 2.
     */
    maxAuthRetries?: number | undefined;
    /** Timeout of each OAuth request (discovery, registration, token endpoint), headers and body, in ms. Default 30 000. */
    oauthRequestTimeoutMs?: number | undefined;
    /** Longest wait, in ms, for concurrently sent requests' responses before authorizing. Default 2000. */
    challengeWindowMs?: number | undefined;
}

/** A challenge the session acts on (RFC 6750 §3, RFC 9470 §3), read by {@link readChallenge}. */
export interface ObservedChallenge {
    /** `401` (no or invalid token), `401 insufficient_user_authentication`, or `403 insufficient_scope`. */
    kind: 'unauthorized' | 'user-authentication' | 'insufficient-scope';
    /** The challenge's `scope` (empty when absent or malformed). */
    scopes: ScopeSet;
    /** RFC 9728 §5.1 `resource_metadata`. */
    resourceMetadata?: URL | undefined;
    /** RFC 9470 `acr_values`. */
    acrValues?: string | undefined;
    /** RFC 9470 `max_age`. */
    maxAge?: number | undefined;
}

/**
 * Reads the challenge of a `401` / `403` response: a Bearer challenge, except a `403` without
 * `insufficient_scope` (not an authorization problem). A `401` with no `WWW-Authenticate` at all (2025-03-26
 * servers) counts as a bare Bearer challenge; a `401` with only other schemes is not ours. `undefined` otherwise.
 */
export function readChallenge(response: Response): ObservedChallenge | undefined {
    const status = response.status;
    if (status !== 401 && status !== 403) return undefined;
    const challenges = parseWWWAuthenticate(response.headers);
    const bearer = bearerChallenge(challenges);
    if (bearer === undefined) {
        return status === 401 && challenges.length === 0 ? { kind: 'unauthorized', scopes: Scopes.EMPTY } : undefined;
    }
    if (status === 403 && bearer.error !== 'insufficient_scope') return undefined;
    const kind =
        status === 403
            ? 'insufficient-scope'
            : bearer.error === 'insufficient_user_authentication'
              ? 'user-authentication'
              : 'unauthorized';
    return {
        kind,
        scopes: safeScope(bearer.scope),
        resourceMetadata: bearer.resourceMetadata,
        acrValues: bearer.acrValues,
        maxAge: bearer.maxAge
    };
}

/** Challenges being collected for one authorization (requests challenged at the same time share it). */
interface Batch {
    generation: number;
    scopes: ScopeSet;
    /** Every member is a plain 401, so a refresh may serve them. */
    refreshable: boolean;
    /** Some member is a 401. */
    unauthorized: boolean;
    acrValues: string | undefined;
    maxAge: number | undefined;
    /** The authorization; settles when the members may retry. */
    flight: Promise<void>;
}

/**
 * The authorization state of one MCP server, with the single challenge → authorize → retry path.
 *
 * State is explicit: `requested` (every scope asked for, including the first authorization's default), `granted`
 * (the last token response's scope; the requested scope when it omitted `scope`), `denied` (asked for, not granted),
 * the latest `resource_metadata` URL, the authorization in flight, and per token generation the number of requests
 * awaiting response headers.
 */
export class AuthSession {
    readonly #provider: OAuthClientProvider;
    readonly #serverUrl: URL;
    readonly #fetch: FetchLike;
    readonly #authFetch: FetchLike | undefined;
    readonly #mode: InsufficientScopeMode;
    readonly #maxRetries: number;
    readonly #windowMs: number;
    readonly #requestTimeoutMs: number | undefined;

    #requested: ScopeSet = Scopes.EMPTY;
    #granted: ScopeSet = Scopes.EMPTY;
    #denied: ScopeSet = Scopes.EMPTY;
    #resourceMetadataUrl: URL | undefined;
    #discovery: OAuthDiscovery | undefined;
    /** The authorization server of the last authorization (for providers that persist no discovery state). */
    #issuer: string | undefined;
    #accessToken: string | undefined;
    /** Bumped whenever the access token changes. */
    #generation = 0;
    /** Requests sent with each generation still awaiting their response headers. */
    readonly #outstanding = new Map<number, number>();
    #quietWaiter: { generation: number; wake: () => void } | undefined;
    #batch: Batch | undefined;
    #inFlight: Promise<void> | undefined;
    #pending: { state: string; requested: ScopeSet } | undefined;
    /**
     * Authorizations (after a 401 or a 403, refreshes included; one per batch; not a 403 step-up the authorization
     * server partly refused) since the last successful authorized response. At `maxAuthRetries`, further challenges
     * reject without authorizing (bounds a hostile server).
     */
    #authStreak = 0;
    #loaded: Promise<void> | undefined;

    constructor(options: AuthSessionOptions) {
        const retries = options.maxAuthRetries ?? 2;
        if (!Number.isInteger(retries) || retries < 0) throw new RangeError('maxAuthRetries must be an integer >= 0');
        const timeout = options.oauthRequestTimeoutMs;
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
            throw new RangeError('oauthRequestTimeoutMs must be an integer > 0');
        }
        this.#requestTimeoutMs = timeout;
        this.#provider = options.provider;
        this.#serverUrl = new URL(options.serverUrl);
        this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
        this.#authFetch = options.authFetch ?? options.fetch;
        this.#mode = options.onInsufficientScope ?? 'reauthorize';
        this.#maxRetries = retries;
        this.#windowMs = options.challengeWindowMs ?? 2000;
    }

    /** The accumulated scope state (RFC 6749 §3.3 strings). */
    get scopeState(): ScopeStateSnapshot {
        const pending = this.#pending;
        return {
            requested: this.#requested.toString(),
            granted: this.#granted.toString(),
            denied: this.#denied.toString(),
            ...(pending === undefined
                ? {}
                : { pending: { state: pending.state, requested: pending.requested.toString() } })
        };
    }

    /**
     * Sends a request, with `Authorization: Bearer` only when it goes to the MCP server's origin. On a Bearer
     * challenge (`401`, or `403 insufficient_scope`) it authorizes as the rules above say and resends the same
     * request, at most `maxAuthRetries` times. Other responses (including `403` without `insufficient_scope`) are
     * returned as they are. The body must be re-sendable (a string, bytes, form data).
     *
     * @throws {UnauthorizedError} when the user must complete a redirect, or the server keeps refusing.
     * @throws {InsufficientScopeError} when the authorization server does not grant what the server needs.
     * @throws any {@link OAuthError} of discovery, registration or the token endpoint.
     */
    async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
        if (new URL(url).origin !== this.#serverUrl.origin) return this.#fetch(url, init);
        await this.#load();
        for (let attempt = 0; ; attempt++) {
            const generation = await this.#currentToken(attempt === 0);
            const headers = new Headers(init.headers);
            if (this.#accessToken !== undefined) headers.set('authorization', `Bearer ${this.#accessToken}`);
            const sentToken = this.#accessToken !== undefined;
            this.#begin(generation);
            let response: Response;
            try {
                response = await this.#fetch(url, { ...init, headers });
            } catch (error) {
                this.#end(generation);
                throw error;
            }
            const challenge = readChallenge(response);
            if (challenge === undefined) {
                this.#end(generation);
                if (sentToken && response.status < 400) this.#authStreak = 0;
                return response;
            }
            // Decide (and join a batch) before this request stops counting as outstanding.
            const decided = this.#onChallenge(challenge, generation, attempt, sentToken);
            decided.catch(() => undefined); // awaited below, after the body is discarded
            this.#end(generation);
            await discardBody(response);
            await decided;
        }
    }

    /**
     * Completes a redirect-flow authorization: exchanges the code (or the callback URL's code, after checking its
     * `iss` and, when this session started the authorization, its `state`) and records the scopes.
     */
    async finishAuth(authorizationCodeOrCallbackUrl: string | URL): Promise<void> {
        await this.#load();
        const value = authorizationCodeOrCallbackUrl;
        const isUrl = value instanceof URL || (/^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value));
        const pending = this.#pending;
        const outcome = await authorize(this.#provider, {
            ...this.#authorizeBase(),
            ...(isUrl ? { callbackUrl: value, expectedState: pending?.state } : { authorizationCode: String(value) }),
            scope: pending?.requested
        });
        this.#pending = undefined;
        this.#authStreak = 0;
        await this.#record(outcome);
    }

    #authorizeBase(): AuthorizeOptions {
        return {
            serverUrl: this.#serverUrl,
            resourceMetadataUrl: this.#resourceMetadataUrl,
            discovery: this.#discovery,
            fetchFn: this.#authFetch,
            requestTimeoutMs: this.#requestTimeoutMs,
            credentialsIssuer: this.#issuer
        };
    }

    /** Loads the persisted scope state once. */
    #load(): Promise<void> {
        return (this.#loaded ??= (async () => {
            const saved = await this.#provider.scopeState?.();
            if (saved === undefined) return;
            this.#requested = safeScope(saved.requested);
            this.#granted = safeScope(saved.granted);
            this.#denied = safeScope(saved.denied);
            if (saved.pending !== undefined) {
                this.#pending = { state: saved.pending.state, requested: safeScope(saved.pending.requested) };
            }
        })());
    }

    /** Adopts the provider's current token (refreshing it first when `expires_at` has passed); returns its generation. */
    async #currentToken(mayRefresh: boolean): Promise<number> {
        let tokens = await this.#provider.tokens();
        if (mayRefresh && isExpired(tokens) && tokens?.refresh_token !== undefined) {
            // One refresh at a time: a request finding an authorization in flight waits for it instead.
            const flight =
                this.#inFlight ??
                this.#run(async () => {
                    this.#adopt(tokens);
                    const options = { ...this.#authorizeBase(), grantedScope: this.#granted };
                    const outcome = await refreshTokens(this.#provider, options).catch(() => undefined);
                    if (outcome !== undefined) await this.#record(outcome); // else the 401 path recovers
                });
            await flight.catch(() => undefined);
            tokens = await this.#provider.tokens();
        }
        this.#adopt(tokens);
        return this.#generation;
    }

    #adopt(tokens: StoredOAuthTokens | undefined): void {
        const token = tokens?.access_token;
        if (token === this.#accessToken) return;
        this.#accessToken = token;
        this.#generation++;
        if (tokens?.scope !== undefined) this.#granted = safeScope(tokens.scope);
    }

    #begin(generation: number): void {
        this.#outstanding.set(generation, (this.#outstanding.get(generation) ?? 0) + 1);
    }

    #end(generation: number): void {
        const left = (this.#outstanding.get(generation) ?? 1) - 1;
        if (left > 0) return void this.#outstanding.set(generation, left);
        this.#outstanding.delete(generation);
        if (this.#quietWaiter?.generation === generation) this.#quietWaiter.wake();
    }

    /** Synchronously classifies a challenge and joins (or opens) the batch; the promise settles when it may retry. */
    #onChallenge(challenge: ObservedChallenge, generation: number, attempt: number, sentToken: boolean): Promise<void> {
        if (
            challenge.resourceMetadata !== undefined &&
            challenge.resourceMetadata.href !== this.#resourceMetadataUrl?.href
        ) {
            this.#resourceMetadataUrl = challenge.resourceMetadata; // a challenge without it keeps the known one
            this.#discovery = undefined;
        }
        if (attempt >= this.#maxRetries) return Promise.reject(this.#exhausted(challenge, attempt));
        return this.#decide(challenge, generation, sentToken);
    }

    #decide(challenge: ObservedChallenge, generation: number, sentToken: boolean): Promise<void> {
        const scope = challenge.kind === 'insufficient-scope';
        if (generation !== this.#generation && (!scope || isSuperset(this.#granted, challenge.scopes))) {
            return Promise.resolve(); // a newer token already covers it: just retry
        }
        if (scope) {
            const denied = intersectScopes(challenge.scopes, this.#denied);
            if (this.#mode === 'throw') {
                const missing = differenceScopes(challenge.scopes, this.#granted);
                return Promise.reject(this.#insufficient(missing.size > 0 ? missing : challenge.scopes));
            }
            if (denied.size > 0) {
                // The server accepted the token and the authorization server is known to refuse this scope: the
                // failure is settled, so it does not count against later authorizations (e.g. after an expiry).
                if (sentToken) this.#authStreak = 0;
                return Promise.reject(this.#insufficient(denied, 'was already refused'));
            }
            if (sentToken && generation === this.#generation && isSuperset(this.#granted, challenge.scopes)) {
                return Promise.reject(this.#insufficient(challenge.scopes, 'is refused although it was granted'));
            }
        }
        if (sentToken && this.#authStreak >= this.#maxRetries && this.#batch === undefined) {
            return Promise.reject(this.#exhausted(challenge, this.#authStreak, 'since the last successful request'));
        }
        if (this.#batch !== undefined) return this.#join(this.#batch, challenge);
        if (this.#inFlight !== undefined) {
            return this.#inFlight.then(() => this.#decide(challenge, generation, sentToken));
        }
        return this.#join(this.#open(), challenge);
    }

    #join(batch: Batch, challenge: ObservedChallenge): Promise<void> {
        batch.scopes = unionScopes(batch.scopes, challenge.scopes);
        if (challenge.kind !== 'unauthorized') batch.refreshable = false;
        if (challenge.kind !== 'insufficient-scope') batch.unauthorized = true;
        if (challenge.acrValues !== undefined) batch.acrValues = challenge.acrValues;
        if (challenge.maxAge !== undefined) batch.maxAge = challenge.maxAge;
        return batch.flight.then(() => {
            if (challenge.kind === 'insufficient-scope' && !isSuperset(this.#granted, challenge.scopes)) {
                throw this.#insufficient(differenceScopes(challenge.scopes, this.#granted), 'was not granted');
            }
        });
    }

    /** Opens a batch: waits until every request sent with the same token has its response headers, then authorizes once. */
    #open(): Batch {
        const batch: Batch = {
            generation: this.#generation,
            scopes: Scopes.EMPTY,
            refreshable: true,
            unauthorized: false,
            acrValues: undefined,
            maxAge: undefined,
            flight: Promise.resolve()
        };
        this.#batch = batch;
        batch.flight = this.#run(async () => {
            await this.#quiet(batch.generation);
            this.#batch = undefined;
            await this.#authorizeBatch(batch);
        });
        batch.flight.catch(() => undefined); // members observe the failure through their own chains
        return batch;
    }

    /** Runs `task` as the single authorization in flight. */
    #run(task: () => Promise<void>): Promise<void> {
        const flight = task();
        this.#inFlight = flight;
        const clear = () => {
            if (this.#inFlight === flight) this.#inFlight = undefined;
        };
        flight.then(clear, clear);
        return flight;
    }

    /** Resolves when no request sent with `generation` awaits headers, or after the challenge window. */
    #quiet(generation: number): Promise<void> {
        return new Promise(resolve => {
            const done = () => {
                clearTimeout(timer);
                if (this.#quietWaiter?.generation === generation) this.#quietWaiter = undefined;
                resolve();
            };
            const timer = setTimeout(done, this.#windowMs);
            this.#quietWaiter = { generation, wake: done };
            if (!this.#outstanding.has(generation)) queueMicrotask(done);
        });
    }

    async #authorizeBatch(batch: Batch): Promise<void> {
        const options: AuthorizeOptions = {
            ...this.#authorizeBase(),
            scope: unionScopes(this.#requested, this.#granted, batch.scopes),
            grantedScope: this.#granted,
            allowRefresh: batch.refreshable,
            refreshCovers: batch.scopes,
            acrValues: batch.acrValues,
            maxAge: batch.maxAge
        };
        const outcome = await authorize(this.#provider, options);
        if (outcome.result === 'REDIRECT') {
            this.#discovery = outcome.discovery;
            this.#issuer = outcome.discovery.authorizationServer;
            this.#requested = unionScopes(this.#requested, outcome.requestedScope);
            this.#pending = { state: outcome.state ?? '', requested: outcome.requestedScope };
            await this.#provider.saveScopeState?.(this.scopeState);
            throw new UnauthorizedError('Authorization required: the user agent was sent to the authorization server');
        }
        await this.#record(outcome);
        // A step-up the authorization server answered by refusing part of the scope is not the resource's doing: it
        // ends its requests with InsufficientScopeError and the refused scope is never asked for again.
        if (batch.unauthorized || isSuperset(this.#granted, batch.scopes)) this.#authStreak++;
    }

    /** Records an authorization's outcome: requested, granted and denied scopes, and the new token. */
    async #record(outcome: AuthorizeOutcome): Promise<void> {
        this.#discovery = outcome.discovery;
        this.#issuer = outcome.discovery.authorizationServer;
        const granted = outcome.grantedScope;
        if (outcome.grant !== 'refresh_token') {
            this.#requested = unionScopes(this.#requested, outcome.requestedScope);
            this.#denied = differenceScopes(
                unionScopes(this.#denied, differenceScopes(outcome.requestedScope, granted)),
                granted
            );
        }
        this.#granted = granted;
        this.#adopt(outcome.tokens);
        await this.#provider.saveScopeState?.(this.scopeState);
    }

    #insufficient(missing: ScopeSet, why = 'is required'): InsufficientScopeError {
        return new InsufficientScopeError(
            {
                missingScopes: missing.toArray(),
                requestedScopes: this.#requested.toArray(),
                grantedScopes: this.#granted.toArray()
            },
            { message: `Insufficient scope: ${missing.toString() || '(unnamed)'} ${why}` }
        );
    }

    #exhausted(challenge: ObservedChallenge, attempts: number, when = ''): Error {
        const after = `after ${attempts} authorizations${when === '' ? '' : ` ${when}`}`;
        if (challenge.kind === 'insufficient-scope') {
            const missing = differenceScopes(challenge.scopes, this.#granted);
            return this.#insufficient(missing.size > 0 ? missing : challenge.scopes, `is still refused ${after}`);
        }
        return new UnauthorizedError(`The MCP server still answers 401 ${after}`);
    }
}

function isExpired(tokens: StoredOAuthTokens | undefined): boolean {
    const expiresAt = tokens?.expires_at;
    return typeof expiresAt === 'number' && expiresAt <= Date.now() / 1000;
}

function safeScope(scope: string | undefined): ScopeSet {
    try {
        return parseScope(scope);
    } catch {
        return Scopes.EMPTY;
    }
}
