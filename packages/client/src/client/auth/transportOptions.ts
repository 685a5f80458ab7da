/**
 * The OAuth options every HTTP transport takes, checked once when the transport is built. Kept apart from
 * `authSession.ts` so a transport can validate them without loading the auth session, which it imports only when
 * an `authProvider` is configured.
 *
 * @module
 */
import type { AuthProvider } from './authProvider.js';
import type { AuthSession, AuthSessionOptions, InsufficientScopeMode } from './authSession.js';
import { InvalidAuthOptionsError, UnauthorizedError } from './errors.js';
import type { OAuthClientProvider } from './provider.js';
import { isOAuthClientProvider } from './provider.js';

/** OAuth options shared by `StreamableHTTPClientTransport` and `SSEClientTransport`. */
export interface TransportAuthOptions {
    /**
     * OAuth: with an `OAuthClientProvider`, every request goes through progressive (step-up) authorization, see
     * `AuthSession`; a 401/403 that cannot be resolved rejects with `UnauthorizedError` or `InsufficientScopeError`.
     * With a minimal `AuthProvider` (`{ token() }`), its token is sent and a `401` is retried once after its
     * `onUnauthorized`.
     */
    authProvider?: OAuthClientProvider | AuthProvider;
    /** At `403 insufficient_scope`: re-authorize with the accumulated scope (default) or reject at once. */
    onInsufficientScope?: InsufficientScopeMode;
    /**
     * Authorizations allowed for one operation (a JSON-RPC method and the tool / prompt / resource it names)
     * between two of its successful responses, counted across redirects, `finishAuth`, retries and restarts; past
     * it the operation's next challenge is refused at once. Default 2.
     */
    maxAuthRetries?: number;
    /** The same bound under the official SDK's name (`maxAuthRetries` wins when both are given). */
    maxStepUpRetries?: number;
    /** Timeout of each OAuth request (discovery, registration, token endpoint), headers and body, in ms. Default 30 000. */
    oauthRequestTimeoutMs?: number;
    /**
     * Asked before every step-up authorization (one a `403 insufficient_scope` calls for): answer `'authorize'`, or
     * `'deny'` to reject the waiting requests with `InsufficientScopeError` and ask for those scopes no more until
     * `resetScopeState()`. See `StepUpRequest`.
     */
    onStepUp?: AuthSessionOptions['onStepUp'];
}

/** The provider-independent options of a {@link TransportAuth}: the session options with either kind of provider. */
export type TransportAuthInit = Omit<AuthSessionOptions, 'provider'> & { provider: OAuthClientProvider | AuthProvider };

/**
 * A transport's handle on its step-up authorization session, created on first use. The OAuth code is imported only
 * here, so a client without an `authProvider` never loads it; a failed load is retried by the next call. A minimal
 * `AuthProvider` needs no session: its requests go through `fetchWithAuthProvider`.
 */
export class TransportAuth {
    readonly #options: TransportAuthInit;
    #session: Promise<AuthSession> | undefined;

    constructor(options: TransportAuthInit) {
        this.#options = options;
    }

    /** Sends a request through the session (see `AuthSession.fetch`); `operation` names it for the step-up bound. */
    async fetch(url: URL, init: RequestInit, operation?: string): Promise<Response> {
        const { provider, serverUrl, fetch: fetchFn } = this.#options;
        if (!isOAuthClientProvider(provider)) {
            const send = fetchFn ?? ((input, requestInit) => fetch(input, requestInit));
            const { fetchWithAuthProvider } = await import('./authProvider.js');
            return fetchWithAuthProvider(provider, new URL(serverUrl), send, url, init);
        }
        return (await this.#load()).fetch(url, init, operation);
    }

    /**
     * Completes a redirect-flow authorization (see `AuthSession.finishAuth`): with the callback's query parameters,
     * the callback URL, or the authorization code and the callback's `iss`.
     *
     * @throws {UnauthorizedError} when the provider is a minimal `AuthProvider` (it has no authorization flow).
     */
    async finishAuth(callback: string | URL | URLSearchParams, iss?: string): Promise<void> {
        await (await this.#load()).finishAuth(callback, iss);
    }

    /** Forgets refused and declined scopes and the per-operation counts (see `AuthSession.resetScopeState`). */
    async resetScopeState(): Promise<void> {
        if (!isOAuthClientProvider(this.#options.provider)) return;
        await (await this.#load()).resetScopeState();
    }

    #load(): Promise<AuthSession> {
        const { provider } = this.#options;
        if (!isOAuthClientProvider(provider)) {
            return Promise.reject(new UnauthorizedError('finishAuth needs an OAuthClientProvider as authProvider'));
        }
        this.#session ??= import('./authSession.js').then(
            module => new module.AuthSession({ ...this.#options, provider }),
            (error: unknown) => {
                this.#session = undefined;
                throw error;
            }
        );
        return this.#session;
    }
}

function checkRetries(value: number | undefined, name: string): void {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new InvalidAuthOptionsError(`${name} must be an integer >= 0`);
    }
}

/**
 * The auth handle of a transport, or `undefined` without an `authProvider`.
 *
 * @throws {RangeError} for a `maxAuthRetries` / `maxStepUpRetries` that is not an integer >= 0, or an
 * `oauthRequestTimeoutMs` that is not an integer > 0.
 */
export function createTransportAuth(
    options: TransportAuthOptions,
    serverUrl: URL,
    fetchFn: NonNullable<AuthSessionOptions['fetch']>
): TransportAuth | undefined {
    const { authProvider, maxAuthRetries, maxStepUpRetries, oauthRequestTimeoutMs } = options;
    checkRetries(maxAuthRetries, 'maxAuthRetries');
    checkRetries(maxStepUpRetries, 'maxStepUpRetries');
    if (
        oauthRequestTimeoutMs !== undefined &&
        !(Number.isInteger(oauthRequestTimeoutMs) && oauthRequestTimeoutMs > 0)
    ) {
        throw new InvalidAuthOptionsError('oauthRequestTimeoutMs must be an integer > 0');
    }
    if (authProvider === undefined) return undefined;
    return new TransportAuth({
        provider: authProvider,
        serverUrl,
        fetch: fetchFn,
        onInsufficientScope: options.onInsufficientScope,
        maxAuthRetries,
        maxStepUpRetries,
        oauthRequestTimeoutMs,
        onStepUp: options.onStepUp
    });
}
