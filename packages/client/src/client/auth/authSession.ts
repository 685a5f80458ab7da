/**
 * Progressive (step-up) authorization: the one place an MCP client turns a `401` / `403` challenge into an
 * authorization and a retry. Every challenge site (Streamable HTTP POSTs and GET stream, the legacy SSE transport,
 * the `withOAuth` fetch middleware) calls {@link AuthSession.fetch}.
 *
 * What to do at a challenge is decided by the {@link ScopeLedger} (pure: scope accumulation, refused and declined
 * scopes, the per-operation bound); this module sends, collects concurrent challenges into one authorization,
 * asks the application (`onStepUp`), runs the authorization, and makes requests wait for a redirect the
 * application completes with `finishAuth`. A refresh never serves an `insufficient_scope` (RFC 6749 §6: it cannot
 * widen scope).
 *
 * @module
 */
import { isDpopNonceChallenge } from './dpop.js';
import type { AuthorizeOptions, AuthorizeOutcome } from './auth.js';
import { authorize, refreshTokens } from './auth.js';
import { isCallbackUrl } from './authorizationRequest.js';
import type { OAuthDiscovery } from './discovery.js';
import { InsufficientScopeError, InvalidAuthOptionsError, UnauthorizedError } from './errors.js';
import type { ChallengeDetails } from './errors.js';
import type { FetchLike } from './http.js';
import { discardBody } from './http.js';
import { operationOfRequest } from './operation.js';
import type { OAuthClientProvider, ScopeStateSnapshot, StoredOAuthTokens } from './provider.js';
import type { ScopeSet } from './scope.js';
import { differenceScopes, intersectScopes, isSuperset, parseScope, ScopeSet as Scopes, unionScopes } from './scope.js';
import { ScopeLedger } from './scopeLedger.js';
import type { LedgerDecision } from './scopeLedger.js';
import { loadScopeState, saveScopeState, unpackCodeVerifier } from './scopeStateStore.js';
import type { ObservedChallenge } from './wwwAuthenticate.js';
import { readChallenge } from './wwwAuthenticate.js';

/** What to do at `403 insufficient_scope`. */
export type InsufficientScopeMode = 'reauthorize' | 'throw';

/** What the application is asked before a step-up authorization (see {@link AuthSessionOptions.onStepUp}). */
export interface StepUpRequest {
    /** The operation that was challenged first (`tools/call write_note`, `tools/list`…). */
    operation: string;
    /** Every operation waiting on this step-up. */
    operations: string[];
    /** The scope the operations need and the current token lacks. */
    missingScopes: string[];
    /** The whole scope the authorization would ask for (requested ∪ granted ∪ challenged). */
    requestedScope: string;
    /** The first challenge: its `scope`, `error_description` and `resource_metadata`. */
    challenge: { scope: string; errorDescription?: string | undefined; resourceMetadata?: string | undefined };
}

/** The application's answer to a {@link StepUpRequest}. */
export type StepUpDecision = 'authorize' | 'deny';

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
     * Authorizations allowed for one operation (a JSON-RPC method and the tool / prompt / resource it names) with no
     * successful authorized response to it in between, counted across redirects, `finishAuth`, application retries
     * and restarts (see {@link ScopeLedger}). Past it, the operation's next challenge is refused at once. Default 2.
     */
    maxAuthRetries?: number | undefined;
    /** The same bound under the official SDK's name; `maxAuthRetries` wins when both are given. */
    maxStepUpRetries?: number | undefined;
    /** Timeout of each OAuth request (discovery, registration, token endpoint), headers and body, in ms. Default 30 000. */
    oauthRequestTimeoutMs?: number | undefined;
    /** Longest wait, in ms, for concurrently sent requests' responses before authorizing. Default 2000. */
    challengeWindowMs?: number | undefined;
    /**
     * Called before every step-up authorization (one a `403 insufficient_scope` calls for), so the application can
     * ask its user ("this tool needs write access — allow?"). `'deny'` rejects the waiting requests with
     * {@link InsufficientScopeError} and asks for those scopes no more until `resetScopeState()`.
     */
    onStepUp?: ((request: StepUpRequest) => StepUpDecision | Promise<StepUpDecision>) | undefined;
}

/** One request waiting on a batch's authorization. */
interface Member {
    readonly operation: string;
    readonly challenge: ObservedChallenge;
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
    readonly members: Member[];
    /** The authorization; settles when the members may retry. */
    flight: Promise<void>;
}

/** A batch's authorization sent the user agent away: its first member rejects, the others wait for `finishAuth`. */
class RedirectStarted {}

/** The application declined a step-up. */
class StepUpDeclined {
    constructor(readonly scopes: ScopeSet) {}
}

/** The redirect-flow authorization the session waits on. */
interface PendingRedirect {
    readonly done: Promise<void>;
    resolve(): void;
    reject(error: Error): void;
}

function deferred(): PendingRedirect {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    done.catch(() => undefined);
    return { done, resolve, reject };
}

function checkRetries(value: number | undefined, name: string): void {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new InvalidAuthOptionsError(`${name} must be an integer >= 0`);
    }
}

/**
 * The authorization state of one MCP server, with the single challenge → authorize → retry path.
 *
 * State is explicit: the {@link ScopeLedger} (requested, granted, denied, declined, per-operation counts, the
 * pending redirect), the latest `resource_metadata` URL, the authorization in flight, the redirect awaiting
 * `finishAuth`, and per token generation the number of requests awaiting response headers.
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
    readonly #onStepUp: AuthSessionOptions['onStepUp'];

    #ledger = new ScopeLedger();
    #resourceMetadataUrl: URL | undefined;
    /** The `token_type` of the adopted token, lower-cased (`dpop` binds it to the provider's DPoP key). */
    #tokenType: string | undefined;
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
    /** The redirect awaiting `finishAuth`: requests challenged meanwhile wait for it. */
    #redirect: PendingRedirect | undefined;
    #loaded: Promise<void> | undefined;

    /** @throws {RangeError} for a retry bound that is not an integer >= 0, or a timeout that is not an integer > 0. */
    constructor(options: AuthSessionOptions) {
        checkRetries(options.maxAuthRetries, 'maxAuthRetries');
        checkRetries(options.maxStepUpRetries, 'maxStepUpRetries');
        const timeout = options.oauthRequestTimeoutMs;
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
            throw new InvalidAuthOptionsError('oauthRequestTimeoutMs must be an integer > 0');
        }
        this.#requestTimeoutMs = timeout;
        this.#provider = options.provider;
        this.#serverUrl = new URL(options.serverUrl);
        this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
        this.#authFetch = options.authFetch ?? options.fetch;
        this.#mode = options.onInsufficientScope ?? 'reauthorize';
        this.#maxRetries = options.maxAuthRetries ?? options.maxStepUpRetries ?? 2;
        this.#windowMs = options.challengeWindowMs ?? 2000;
        this.#onStepUp = options.onStepUp;
    }

    /** The accumulated scope state (RFC 6749 §3.3 strings and per-operation counts). */
    get scopeState(): ScopeStateSnapshot {
        return this.#ledger.snapshot();
    }

    /**
     * Sends a request, with `Authorization: Bearer` only when it goes to the MCP server's origin. On a Bearer
     * challenge (`401`, or `403 insufficient_scope`) it authorizes as the ledger decides and resends the same
     * request. Other responses (including `403` without `insufficient_scope`) are returned as they are. The body
     * must be re-sendable (a string, bytes, form data).
     *
     * When the authorization sends the user agent away (the redirect flow), the first challenged request rejects
     * with {@link UnauthorizedError}; requests challenged with it, or while it is pending, wait for `finishAuth`
     * on this session and then resend by themselves (each bounded by its own `signal`).
     *
     * @param operation - What the request does, for the per-operation bound (see `operationOf`); derived from a
     *   JSON string body, else the HTTP method, when absent.
     * @throws {UnauthorizedError} when the user must complete a redirect, the server keeps refusing, or the
     *   redirect this request waited for failed.
     * @throws {InsufficientScopeError} when the scope cannot be obtained (refused, declined, or the bound is spent).
     * @throws any {@link OAuthError} of discovery, registration or the token endpoint.
     */
    async fetch(url: string | URL, init: RequestInit = {}, operation?: string): Promise<Response> {
        if (new URL(url).origin !== this.#serverUrl.origin) return this.#fetch(url, init);
        await this.#load();
        const name = operation ?? operationOfRequest(init);
        const dpop = await this.#provider.dpop?.();
        let nonceRetried = false;
        for (let round = 0; ; round++) {
            const generation = await this.#currentToken(round === 0);
            const headers = new Headers(init.headers);
            const token = this.#accessToken;
            if (token !== undefined && dpop !== undefined && this.#tokenType === 'dpop') {
                // RFC 9449 §7: the DPoP scheme, with a proof bound to this request and this token.
                headers.set('authorization', `DPoP ${token}`);
                headers.set('dpop', await dpop.buildProof({ htm: init.method ?? 'GET', htu: url, accessToken: token }));
            } else if (token !== undefined) {
                headers.set('authorization', `Bearer ${token}`);
            }
            const sentToken = token !== undefined;
            this.#begin(generation);
            let response: Response;
            try {
                response = await this.#fetch(url, { ...init, headers });
            } catch (error) {
                this.#end(generation);
                throw error;
            }
            if (dpop !== undefined) {
                dpop.observeNonce(response, url);
                if (!nonceRetried && isDpopNonceChallenge(response) && dpop.nonceFor(url) !== undefined) {
                    // RFC 9449 §9: sign again with the server's nonce; not an authorization, so not counted.
                    nonceRetried = true;
                    this.#end(generation);
                    await discardBody(response);
                    round--;
                    continue;
                }
            }
            const challenge = readChallenge(response);
            const answered = sentToken && response.status !== 401 && this.#ledger.answered(name, response.status < 400);
            if (challenge === undefined) {
                this.#end(generation);
                if (answered) await this.#persist();
                return response;
            }
            // Decide (and join a batch) before this request stops counting as outstanding. One request is resent
            // at most `maxAuthRetries` times, whatever the challenges: the per-operation bound is for the sequence of
            // requests, this one for each.
            const decided =
                round >= this.#maxRetries
                    ? Promise.reject(
                          this.#boundError(challenge, name, this.#ledger.authorizations(name, challenge.kind))
                      )
                    : this.#onChallenge(challenge, generation, name, sentToken, init.signal ?? undefined);
            decided.catch(() => undefined); // awaited below, after the body is discarded
            this.#end(generation);
            await discardBody(response);
            await decided;
        }
    }

    /**
     * Completes a redirect-flow authorization: exchanges the code (or the code of the callback URL or its query
     * parameters, after checking their `iss` and, when the authorization's `state` is known, their `state`; or a bare
     * code after checking the `iss` given with it) and records the scopes. Works in a new
     * session too (after a reload or restart): what the authorization asked for is read back from the saved PKCE
     * verifier. Requests waiting for the redirect then resend; if this fails they reject with
     * {@link UnauthorizedError}.
     */
    async finishAuth(callback: string | URL | URLSearchParams, iss?: string): Promise<void> {
        await this.#load();
        const isCallback = isCallbackUrl(callback);
        let outcome: AuthorizeOutcome;
        try {
            const note = unpackCodeVerifier(await this.#provider.codeVerifier()).snapshot;
            if (note !== undefined) this.#ledger.merge(note);
            const pending = this.#ledger.pending;
            const expectedState = pending?.state === '' ? undefined : pending?.state;
            const code = isCallback
                ? { callbackUrl: callback, expectedState }
                : { authorizationCode: String(callback), ...(iss === undefined ? {} : { iss }) };
            outcome = await authorize(this.#provider, { ...this.#authorizeBase(), ...code, scope: pending?.requested });
        } catch (error) {
            this.#settleRedirect(
                new UnauthorizedError('The authorization the request waited for failed', { cause: error })
            );
            throw error;
        }
        this.#ledger.pending = undefined;
        await this.#record(outcome);
        this.#settleRedirect(undefined);
    }

    /**
     * Forgets the scopes the authorization server refused or the application declined, and every operation's
     * count of authorizations — e.g. after an administrator granted a scope that was refused before. Requested and
     * granted scopes stay.
     */
    async resetScopeState(): Promise<void> {
        await this.#load();
        this.#ledger.reset();
        await this.#persist();
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

    /** Loads the persisted scope state once (see `scopeStateStore.ts`). */
    #load(): Promise<void> {
        return (this.#loaded ??= (async () => {
            const saved = await loadScopeState(this.#provider);
            if (saved !== undefined) this.#ledger = new ScopeLedger(saved);
        })());
    }

    #persist(): Promise<void> {
        return saveScopeState(this.#provider, this.#ledger.snapshot());
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
                    const options = { ...this.#authorizeBase(), grantedScope: this.#ledger.granted };
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
        this.#tokenType = tokens?.token_type?.toLowerCase();
        if (token === this.#accessToken) return;
        this.#accessToken = token;
        this.#generation++;
        if (tokens?.scope !== undefined) this.#ledger.granted = safeScope(tokens.scope);
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

    /** Synchronously decides a challenge and joins (or opens) the batch; the promise settles when it may retry. */
    #onChallenge(
        challenge: ObservedChallenge,
        generation: number,
        operation: string,
        sentToken: boolean,
        signal: AbortSignal | undefined
    ): Promise<void> {
        if (
            challenge.resourceMetadata !== undefined &&
            challenge.resourceMetadata.href !== this.#resourceMetadataUrl?.href
        ) {
            this.#resourceMetadataUrl = challenge.resourceMetadata; // a challenge without it keeps the known one
            this.#discovery = undefined;
        }
        const decision = this.#ledger.decide({
            challenge,
            operation,
            tokenIsCurrent: generation === this.#generation,
            sentToken,
            mode: this.#mode,
            maxAuthorizations: this.#maxRetries
        });
        if (decision.action === 'retry') return Promise.resolve();
        if (decision.action === 'refuse') return Promise.reject(this.#refusal(decision, challenge, operation));
        if (this.#redirect !== undefined) return this.#awaitRedirect(signal);
        if (this.#batch !== undefined) return this.#join(this.#batch, challenge, operation, signal);
        if (this.#inFlight !== undefined) return this.#inFlight.then(noop, noop); // resend with what it brought
        return this.#join(this.#open(), challenge, operation, signal);
    }

    #join(
        batch: Batch,
        challenge: ObservedChallenge,
        operation: string,
        signal: AbortSignal | undefined
    ): Promise<void> {
        const leader = batch.members.length === 0;
        batch.members.push({ operation, challenge });
        batch.scopes = unionScopes(batch.scopes, challenge.scopes);
        if (challenge.kind !== 'unauthorized') batch.refreshable = false;
        if (challenge.kind !== 'insufficient-scope') batch.unauthorized = true;
        if (challenge.acrValues !== undefined) batch.acrValues = challenge.acrValues;
        if (challenge.maxAge !== undefined) batch.maxAge = challenge.maxAge;
        return batch.flight.then(
            () => {
                const granted = this.#ledger.granted;
                if (challenge.kind === 'insufficient-scope' && !isSuperset(granted, challenge.scopes)) {
                    throw this.#insufficient(differenceScopes(challenge.scopes, granted), 'was not granted', {
                        operation,
                        challenge
                    });
                }
            },
            (error: unknown) => {
                if (error instanceof RedirectStarted) {
                    if (!leader) return this.#awaitRedirect(signal);
                    throw new UnauthorizedError(
                        'Authorization required: the user agent was sent to the authorization server; call finishAuth with the code, then retry',
                        { details: details(operation, challenge, undefined) }
                    );
                }
                if (error instanceof StepUpDeclined) {
                    const declined = intersectScopes(challenge.scopes, error.scopes);
                    throw this.#insufficient(declined.size > 0 ? declined : error.scopes, 'was declined', {
                        operation,
                        challenge
                    });
                }
                throw error;
            }
        );
    }

    /** Waits for the pending redirect's `finishAuth`, or for `signal`. */
    #awaitRedirect(signal: AbortSignal | undefined): Promise<void> {
        const pending = this.#redirect!;
        if (signal === undefined) return pending.done;
        if (signal.aborted) return Promise.reject(abortReason(signal));
        return new Promise((resolve, reject) => {
            const onAbort = () => reject(abortReason(signal));
            signal.addEventListener('abort', onAbort, { once: true });
            pending.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
    }

    /** Ends the pending redirect: waiting requests resend (`error` undefined) or reject. */
    #settleRedirect(error: Error | undefined): void {
        const pending = this.#redirect;
        this.#redirect = undefined;
        if (pending === undefined) return;
        if (error === undefined) pending.resolve();
        else pending.reject(error);
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
            members: [],
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
        const ledger = this.#ledger;
        const operations = [...new Set(batch.members.map(member => member.operation))];
        if (!batch.unauthorized && this.#onStepUp !== undefined) await this.#askStepUp(batch, operations);
        ledger.authorizing(batch.members.map(member => ({ operation: member.operation, kind: member.challenge.kind })));
        const options: AuthorizeOptions = {
            ...this.#authorizeBase(),
            // A token the server refused (401) may belong to an authorization server it left: look again.
            rediscover:
                this.#accessToken !== undefined &&
                batch.members.some(member => member.challenge.kind === 'unauthorized'),
            scope: ledger.scopeFor(batch.scopes),
            grantedScope: ledger.granted,
            allowRefresh: batch.refreshable,
            refreshCovers: batch.scopes,
            acrValues: batch.acrValues,
            maxAge: batch.maxAge,
            codeVerifierNote: ({ state, requested }) => ({
                ...ledger.snapshot(),
                requested: unionScopes(ledger.requested, requested).toString(),
                pending: { state, requested: requested.toString() }
            })
        };
        const outcome = await authorize(this.#provider, options);
        if (outcome.result === 'REDIRECT') {
            this.#discovery = outcome.discovery;
            this.#issuer = outcome.discovery.authorizationServer;
            ledger.requested = unionScopes(ledger.requested, outcome.requestedScope);
            ledger.pending = { state: outcome.state ?? '', requested: outcome.requestedScope };
            await this.#persist();
            this.#settleRedirect(new UnauthorizedError('A new authorization replaced the one this request waited for'));
            this.#redirect = deferred();
            throw new RedirectStarted();
        }
        await this.#record(outcome);
    }

    /** Asks the application before a step-up; a `'deny'` is remembered and ends the batch. */
    async #askStepUp(batch: Batch, operations: string[]): Promise<void> {
        const ledger = this.#ledger;
        const missing = differenceScopes(batch.scopes, ledger.granted);
        const first = batch.members.find(member => member.challenge.kind === 'insufficient-scope') ?? batch.members[0]!;
        const answer = await this.#onStepUp!({
            operation: first.operation,
            operations,
            missingScopes: missing.toArray(),
            requestedScope: ledger.scopeFor(batch.scopes).toString(),
            challenge: {
                scope: first.challenge.scopes.toString(),
                errorDescription: first.challenge.errorDescription,
                resourceMetadata: first.challenge.resourceMetadata?.href
            }
        });
        if (answer === 'authorize') return;
        const declined = missing.size > 0 ? missing : batch.scopes;
        ledger.decline(declined);
        await this.#persist();
        throw new StepUpDeclined(declined);
    }

    /** Records an authorization's outcome: requested, granted and denied scopes, and the new token. */
    async #record(outcome: AuthorizeOutcome): Promise<void> {
        this.#discovery = outcome.discovery;
        this.#issuer = outcome.discovery.authorizationServer;
        this.#ledger.recordGrant(outcome.requestedScope, outcome.grantedScope, outcome.grant === 'refresh_token');
        this.#adopt(outcome.tokens);
        await this.#persist();
    }

    #insufficient(
        missing: ScopeSet,
        why: string,
        context: { operation: string; challenge: ObservedChallenge; authorizations?: number }
    ): InsufficientScopeError {
        const ledger = this.#ledger;
        return new InsufficientScopeError(
            {
                missingScopes: missing.toArray(),
                requestedScopes: ledger.requested.toArray(),
                grantedScopes: ledger.granted.toArray(),
                ...details(context.operation, context.challenge, context.authorizations)
            },
            { message: `Insufficient scope for ${context.operation}: ${missing.toString() || '(unnamed)'} ${why}` }
        );
    }

    #refusal(
        decision: Extract<LedgerDecision, { action: 'refuse' }>,
        challenge: ObservedChallenge,
        operation: string
    ): Error {
        switch (decision.reason) {
            case 'mode-throw':
                return this.#insufficient(decision.missing, 'is required', { operation, challenge });
            case 'declined':
                return this.#insufficient(decision.missing, 'was declined', { operation, challenge });
            case 'denied':
                return this.#insufficient(decision.missing, 'was already refused', { operation, challenge });
            case 'granted-but-refused':
                return this.#insufficient(decision.missing, 'is refused although it was granted', {
                    operation,
                    challenge
                });
            case 'bound-exhausted':
                return this.#boundError(challenge, operation, decision.authorizations);
        }
    }

    #boundError(challenge: ObservedChallenge, operation: string, authorizations: number): Error {
        const after = `after ${authorizations} authorization${authorizations === 1 ? '' : 's'} for ${operation}`;
        if (challenge.kind === 'insufficient-scope') {
            const lacking = differenceScopes(challenge.scopes, this.#ledger.granted);
            return this.#insufficient(lacking.size > 0 ? lacking : challenge.scopes, `is still refused ${after}`, {
                operation,
                challenge,
                authorizations
            });
        }
        return new UnauthorizedError(`The MCP server still answers 401 ${after}`, {
            details: details(operation, challenge, authorizations)
        });
    }
}

function details(
    operation: string,
    challenge: ObservedChallenge,
    authorizations: number | undefined
): ChallengeDetails {
    return {
        operation,
        errorDescription: challenge.errorDescription,
        challengedScopes: challenge.scopes.toArray(),
        authorizations,
        requiredScope: challenge.scopes.size > 0 ? challenge.scopes.toString() : undefined,
        resourceMetadataUrl: challenge.resourceMetadata
    };
}

function noop(): void {}

function abortReason(signal: AbortSignal): Error {
    const reason: unknown = signal.reason;
    return reason instanceof Error
        ? reason
        : new UnauthorizedError('The request was aborted while waiting for authorization');
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
