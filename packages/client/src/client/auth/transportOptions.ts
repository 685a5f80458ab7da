/**
 * The OAuth options every HTTP transport takes, checked once when the transport is built. Kept apart from
 * `authSession.ts` so a transport can validate them without loading the auth session, which it imports only when
 * an `authProvider` is configured.
 *
 * @module
 */
import type { AuthSession, AuthSessionOptions, InsufficientScopeMode } from './authSession.js';
import type { OAuthClientProvider } from './provider.js';

/** OAuth options shared by `StreamableHTTPClientTransport` and `SSEClientTransport`. */
export interface TransportAuthOptions {
    /**
     * OAuth: when set, every request goes through progressive (step-up) authorization, see `AuthSession`. A
     * 401/403 that cannot be resolved rejects with `UnauthorizedError` or `InsufficientScopeError`.
     */
    authProvider?: OAuthClientProvider;
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

/**
 * A transport's handle on its step-up authorization session, created on first use. The OAuth code is imported only
 * here, so a client without an `authProvider` never loads it; a failed load is retried by the next call.
 */
export class TransportAuth {
    readonly #options: AuthSessionOptions;
    #session: Promise<AuthSession> | undefined;

    constructor(options: AuthSessionOptions) {
        this.#options = options;
    }

    /** Sends a request through the session (see `AuthSession.fetch`); `operation` names it for the step-up bound. */
    async fetch(url: URL, init: RequestInit, operation?: string): Promise<Response> {
        return (await this.#load()).fetch(url, init, operation);
    }

    /** Completes a redirect-flow authorization (see `AuthSession.finishAuth`). */
    async finishAuth(authorizationCodeOrCallbackUrl: string | URL): Promise<void> {
        await (await this.#load()).finishAuth(authorizationCodeOrCallbackUrl);
    }

    /** Forgets refused and declined scopes and the per-operation counts (see `AuthSession.resetScopeState`). */
    async resetScopeState(): Promise<void> {
        await (await this.#load()).resetScopeState();
    }

    #load(): Promise<AuthSession> {
        this.#session ??= import('./authSession.js').then(
            module => new module.AuthSession(this.#options),
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
        throw new RangeError(`${name} must be an integer >= 0`);
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
        throw new RangeError('oauthRequestTimeoutMs must be an integer > 0');
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
