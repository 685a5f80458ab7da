/**
 * The OAuth options every HTTP transport takes, checked once when the transport is built. Kept apart from
 * `stepUp.ts` so a transport can validate them without loading the auth session, which it imports only when an
 * `authProvider` is configured.
 *
 * @module
 */
import type { OAuthClientProvider } from './provider.js';
import type { AuthSession, AuthSessionOptions, InsufficientScopeMode } from './stepUp.js';

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
     * Retries of one request after an authorization, and authorizations allowed since the last successful
     * authorized response before further challenges are refused at once. Default 2.
     */
    maxAuthRetries?: number;
    /** Timeout of each OAuth request (discovery, registration, token endpoint), headers and body, in ms. Default 30 000. */
    oauthRequestTimeoutMs?: number;
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

    /** Sends a request through the session (see `AuthSession.fetch`). */
    async fetch(url: URL, init: RequestInit): Promise<Response> {
        return (await this.#load()).fetch(url, init);
    }

    /** Completes a redirect-flow authorization (see `AuthSession.finishAuth`). */
    async finishAuth(authorizationCodeOrCallbackUrl: string | URL): Promise<void> {
        await (await this.#load()).finishAuth(authorizationCodeOrCallbackUrl);
    }

    #load(): Promise<AuthSession> {
        this.#session ??= import('./stepUp.js').then(
            module => new module.AuthSession(this.#options),
            (error: unknown) => {
                this.#session = undefined;
                throw error;
            }
        );
        return this.#session;
    }
}

/**
 * The auth handle of a transport, or `undefined` without an `authProvider`.
 *
 * @throws {RangeError} for a `maxAuthRetries` that is not an integer >= 0, or an `oauthRequestTimeoutMs` that is not
 * an integer > 0.
 */
export function createTransportAuth(
    options: TransportAuthOptions,
    serverUrl: URL,
    fetchFn: NonNullable<AuthSessionOptions['fetch']>
): TransportAuth | undefined {
    const { authProvider, maxAuthRetries, oauthRequestTimeoutMs } = options;
    if (maxAuthRetries !== undefined && (!Number.isInteger(maxAuthRetries) || maxAuthRetries < 0)) {
        throw new RangeError('maxAuthRetries must be an integer >= 0');
    }
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
        oauthRequestTimeoutMs
    });
}
