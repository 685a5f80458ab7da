/**
 * `InMemoryOAuthClientProvider`: an {@link OAuthClientProvider} that keeps everything (client registration,
 * tokens, PKCE verifier, discovery results, scope state) in memory, for examples, tests, CLIs and demos.
 *
 * @see MCP 2025-11-25 "Authorization", RFC 6749 §4.1 (authorization code grant), RFC 7636 (PKCE)
 * @module
 */
import type { DpopSession } from './dpop.js';
import type { OAuthClientMetadata } from '@modelcontextprotocol/core';

import { UnauthorizedError } from './errors.js';
import type {
    CredentialScope,
    OAuthClientProvider,
    OAuthDiscoveryState,
    ScopeStateSnapshot,
    StoredOAuthClientInformation,
    StoredOAuthTokens
} from './provider.js';

/** Options of {@link InMemoryOAuthClientProvider}. */
export interface InMemoryOAuthClientProviderOptions {
    /** The redirect URI the authorization server sends the user back to (RFC 6749 §3.1.2). */
    redirectUrl: string | URL;
    /** Use DPoP-bound tokens (RFC 9449) signed by this session (see `OAuthClientProvider.dpop`). */
    dpop?: DpopSession | Promise<DpopSession> | undefined;
    /**
     * The client metadata to register (RFC 7591 §2), used as given. Default: `client_name` from
     * {@link clientName}, `redirect_uris: [redirectUrl]`, the `authorization_code` and `refresh_token` grants,
     * `response_types: ['code']` and `token_endpoint_auth_method: 'none'` (a public client, RFC 6749 §2.1).
     */
    clientMetadata?: OAuthClientMetadata | undefined;
    /** `client_name` of the default metadata; ignored when {@link clientMetadata} is given. */
    clientName?: string | undefined;
    /** A Client ID Metadata Document URL to use as `client_id` where the authorization server supports it. */
    clientMetadataUrl?: string | undefined;
    /**
     * Client information of a pre-registered client (skips dynamic registration). Give it the `issuer` of the
     * authorization server that issued it, so it is never presented to another one.
     */
    clientInformation?: StoredOAuthClientInformation | undefined;
    /**
     * Completes an authorization in-process (see {@link OAuthClientProvider.completeAuthorization}): returns the
     * callback URL the authorization server redirected to, or the bare code. Without it the provider runs the
     * redirect flow and the application calls `finishAuth` with the callback.
     */
    completeAuthorization?: ((authorizationUrl: URL) => Promise<URL | string>) | undefined;
    /**
     * Sends the user agent to the authorization URL (redirect flow). Default: the URL is appended to
     * {@link InMemoryOAuthClientProvider.redirects}.
     */
    onRedirect?: ((authorizationUrl: URL) => void) | undefined;
}

/**
 * An {@link OAuthClientProvider} whose state lives in memory only: client information (pre-registered or from
 * dynamic registration, RFC 7591), tokens, the PKCE verifier of the pending authorization (RFC 7636 §4.1),
 * discovery results (RFC 9728, RFC 8414) and the accumulated scope state of progressive authorization.
 *
 * **Not for production as is**: everything is lost when the process exits, and nothing is encrypted. A real
 * application must persist tokens and client credentials in secure storage (an OS keychain, an encrypted
 * database) and scope them per user and per MCP server — subclass this provider or implement
 * {@link OAuthClientProvider} directly.
 *
 * @example
 * ```ts
 * const provider = new InMemoryOAuthClientProvider({
 *     redirectUrl: 'http://127.0.0.1:8090/callback',
 *     clientName: 'my-mcp-client',
 *     onRedirect: url => openBrowser(url)
 * });
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), {
 *     authProvider: provider
 * });
 * try {
 *     await client.connect(transport);
 * } catch (error) {
 *     if (!(error instanceof UnauthorizedError)) throw error;
 *     await transport.finishAuth(await callbackUrlFromBrowser());
 *     await client.connect(transport);
 * }
 * ```
 */
export class InMemoryOAuthClientProvider implements OAuthClientProvider {
    /** Authorization URLs sent to {@link redirectToAuthorization} when no `onRedirect` was given, oldest first. */
    readonly redirects: URL[] = [];
    readonly clientMetadataUrl: string | undefined;
    readonly completeAuthorization: ((authorizationUrl: URL) => Promise<URL | string>) | undefined;
    readonly #redirectUrl: string | URL;
    readonly #clientMetadata: OAuthClientMetadata;
    readonly #onRedirect: ((authorizationUrl: URL) => void) | undefined;
    #clientInformation: StoredOAuthClientInformation | undefined;
    #tokens: StoredOAuthTokens | undefined;
    #codeVerifier: string | undefined;
    #discoveryState: OAuthDiscoveryState | undefined;
    #scopeState: ScopeStateSnapshot | undefined;

    constructor(options: InMemoryOAuthClientProviderOptions) {
        this.#redirectUrl = options.redirectUrl;
        this.#clientMetadata = options.clientMetadata ?? defaultMetadata(options.redirectUrl, options.clientName);
        this.#onRedirect = options.onRedirect;
        this.#clientInformation = options.clientInformation;
        this.clientMetadataUrl = options.clientMetadataUrl;
        this.completeAuthorization = options.completeAuthorization;
        this.#dpop = options.dpop;
    }

    readonly #dpop: DpopSession | Promise<DpopSession> | undefined;

    /** The DPoP session of the `dpop` option, if any (tokens are then DPoP-bound). */
    dpop(): DpopSession | Promise<DpopSession> | undefined {
        return this.#dpop;
    }

    get redirectUrl(): string | URL {
        return this.#redirectUrl;
    }

    get clientMetadata(): OAuthClientMetadata {
        return this.#clientMetadata;
    }

    clientInformation(): StoredOAuthClientInformation | undefined {
        return this.#clientInformation;
    }

    saveClientInformation(clientInformation: StoredOAuthClientInformation): void {
        this.#clientInformation = clientInformation;
    }

    tokens(): StoredOAuthTokens | undefined {
        return this.#tokens;
    }

    saveTokens(tokens: StoredOAuthTokens): void {
        this.#tokens = tokens;
    }

    /** Calls `onRedirect`, or records the URL in {@link redirects}. */
    redirectToAuthorization(authorizationUrl: URL): void {
        if (this.#onRedirect === undefined) this.redirects.push(authorizationUrl);
        else this.#onRedirect(authorizationUrl);
    }

    saveCodeVerifier(codeVerifier: string): void {
        this.#codeVerifier = codeVerifier;
    }

    /** @throws {UnauthorizedError} when no authorization was started (no verifier saved). */
    codeVerifier(): string {
        if (this.#codeVerifier === undefined) {
            throw new UnauthorizedError('No PKCE code verifier saved: start an authorization first');
        }
        return this.#codeVerifier;
    }

    saveDiscoveryState(state: OAuthDiscoveryState): void {
        this.#discoveryState = state;
    }

    discoveryState(): OAuthDiscoveryState | undefined {
        return this.#discoveryState;
    }

    scopeState(): ScopeStateSnapshot | undefined {
        return this.#scopeState;
    }

    saveScopeState(state: ScopeStateSnapshot): void {
        this.#scopeState = state;
    }

    /** Forgets what `scope` names; `'all'` forgets client information, tokens, verifier and discovery results. */
    invalidateCredentials(scope: CredentialScope): void {
        const all = scope === 'all';
        if (all || scope === 'client') this.#clientInformation = undefined;
        if (all || scope === 'tokens') this.#tokens = undefined;
        if (all || scope === 'verifier') this.#codeVerifier = undefined;
        if (all || scope === 'discovery') this.#discoveryState = undefined;
    }
}

function defaultMetadata(redirectUrl: string | URL, clientName: string | undefined): OAuthClientMetadata {
    const metadata: OAuthClientMetadata = {
        redirect_uris: [String(redirectUrl)],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none'
    };
    if (clientName !== undefined) metadata.client_name = clientName;
    return metadata;
}
