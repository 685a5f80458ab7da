/**
 * The `OAuthClientProvider` interface: where an MCP client keeps its OAuth client registration, tokens and PKCE
 * verifier, and how it sends the user to the authorization server. The names match the official MCP TypeScript
 * SDK, so existing providers work unchanged; {@link OAuthClientProvider.completeAuthorization} and the scope state
 * hooks are this SDK's extensions.
 *
 * @see MCP 2025-11-25 "Authorization", RFC 6749 §4.1 (authorization code grant), RFC 7636 (PKCE)
 * @module
 */
import type {
    AuthorizationServerMetadata,
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthProtectedResourceMetadata,
    OAuthTokens
} from '@modelcontextprotocol/core';

/** A value or a promise of it: provider methods may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Client information the provider holds: the registration response (RFC 7591 §3.2.1), possibly with the
 * registered `token_endpoint_auth_method`.
 */
export type OAuthClientInformationMixed = OAuthClientInformation | OAuthClientInformationFull;

/** What {@link OAuthClientProvider.invalidateCredentials} should forget. */
export type CredentialScope = 'all' | 'client' | 'tokens' | 'verifier' | 'discovery';

/** Discovery results a provider may persist so that later authorizations skip the metadata requests. */
export interface OAuthDiscoveryState {
    /** The issuer identifier of the authorization server in use. */
    authorizationServerUrl: string;
    /** Where the protected resource metadata was found (RFC 9728 §3). */
    resourceMetadataUrl?: string | undefined;
    /** The protected resource metadata (RFC 9728 §2). */
    resourceMetadata?: OAuthProtectedResourceMetadata | undefined;
    /** The authorization server metadata (RFC 8414 §2). */
    authorizationServerMetadata?: AuthorizationServerMetadata | undefined;
}

/**
 * The accumulated scope state of one MCP server, as scope strings (RFC 6749 §3.3) and counts, for persisting
 * across reloads and restarts. Providers with {@link OAuthClientProvider.saveScopeState} keep it themselves;
 * otherwise the SDK keeps it inside what every provider already saves (see {@link SCOPE_STATE_MEMBER}).
 */
export interface ScopeStateSnapshot {
    /** Every scope any authorization asked for so far. */
    requested: string;
    /** The scope of the last token response (the requested scope when the response omitted `scope`). */
    granted: string;
    /** Scopes an authorization asked for and the authorization server did not grant. */
    denied: string;
    /** Scopes the application declined to ask for (its `onStepUp` hook answered `'deny'`). */
    declined?: string | undefined;
    /** The redirect-flow authorization awaiting `finishAuth`, if any: its `state` and requested scope. */
    pending?: { state: string; requested: string } | undefined;
    /** Authorizations each operation cost since its last successful authorized response (the step-up bound). */
    operations?: Record<string, number> | undefined;
}

/**
 * The member of a saved token set under which the SDK keeps the {@link ScopeStateSnapshot} when the provider has
 * no scope-state hooks, so a provider that saves the token object as it is given (e.g. as JSON in
 * `sessionStorage` or a file) carries it across reloads and restarts without knowing about it.
 */
export const SCOPE_STATE_MEMBER = 'io.modelcontextprotocol/scope-state';

/**
 * Tokens as this SDK saves them: the token response (RFC 6749 §5.1) with `scope` filled in with the effective
 * granted scope when the response omitted it (§5.1: then granted = requested), and `expires_at` (seconds since the
 * epoch) computed from `expires_in`, so a stored token's expiry survives a restart.
 */
export type StoredOAuthTokens = OAuthTokens & {
    expires_at?: number | undefined;
    /** The scope state, for providers without scope-state hooks (see {@link SCOPE_STATE_MEMBER}). */
    'io.modelcontextprotocol/scope-state'?: ScopeStateSnapshot | undefined;
};

/**
 * Everything an MCP client needs from its host application to authorize with OAuth 2.1 (MCP 2025-11-25
 * "Authorization"). Implement it once per client; the transports and {@link auth} call it.
 *
 * Interactive clients implement `redirectUrl`, `redirectToAuthorization`, `saveCodeVerifier` and `codeVerifier`.
 * Machine clients return `undefined` from `redirectUrl` and implement {@link prepareTokenRequest} (see
 * `ClientCredentialsProvider`).
 */
export interface OAuthClientProvider {
    /**
     * The redirect URI the authorization server sends the user back to (RFC 6749 §3.1.2); `undefined` for clients
     * that never run an interactive authorization.
     */
    get redirectUrl(): string | URL | undefined;

    /**
     * An https URL serving this client's metadata: used as the `client_id` when the authorization server supports
     * Client ID Metadata Documents (MCP 2025-11-25 "Client ID Metadata Documents").
     */
    clientMetadataUrl?: string | undefined;

    /** The metadata registered dynamically (RFC 7591 §2); its `scope` is the last-resort default scope. */
    get clientMetadata(): OAuthClientMetadata;

    /** Returns the `state` of a new authorization request (RFC 6749 §10.12); a random value by default. */
    state?(): MaybePromise<string>;

    /** The client information for this server, or `undefined` when the client must register. */
    clientInformation(): MaybePromise<OAuthClientInformationMixed | undefined>;

    /** Saves client information obtained by dynamic registration; required for dynamic registration. */
    saveClientInformation?(clientInformation: OAuthClientInformationFull): MaybePromise<void>;

    /** The current tokens, or `undefined` when there are none. */
    tokens(): MaybePromise<StoredOAuthTokens | undefined>;

    /** Saves new tokens (see {@link StoredOAuthTokens} for what this SDK adds to the token response). */
    saveTokens(tokens: StoredOAuthTokens): MaybePromise<void>;

    /** Sends the user agent to the authorization URL (RFC 6749 §4.1.1). */
    redirectToAuthorization(authorizationUrl: URL): MaybePromise<void>;

    /** Saves the PKCE verifier of the authorization request just started (RFC 7636 §4.1). */
    saveCodeVerifier(codeVerifier: string): MaybePromise<void>;

    /** The PKCE verifier saved by {@link saveCodeVerifier}. */
    codeVerifier(): MaybePromise<string>;

    /**
     * Authenticates token requests itself instead of the standard methods (RFC 6749 §2.3): add headers or form
     * parameters. Used for e.g. `private_key_jwt` (RFC 7523 §2.2).
     */
    addClientAuthentication?(
        headers: Headers,
        params: URLSearchParams,
        url: string | URL,
        metadata?: AuthorizationServerMetadata
    ): MaybePromise<void>;

    /**
     * Chooses the RFC 8707 `resource` to request tokens for. `resource` is the protected resource metadata's
     * `resource`, already checked against `serverUrl` (RFC 9728 §3.3). Return `undefined` to send none.
     */
    validateResourceURL?(serverUrl: string | URL, resource?: string): MaybePromise<URL | undefined>;

    /** Forgets stored credentials after the authorization server rejected them. */
    invalidateCredentials?(scope: CredentialScope): MaybePromise<void>;

    /**
     * For non-interactive grants (e.g. `client_credentials`, RFC 6749 §4.4): the token request parameters,
     * including `grant_type`, for the given scope. Return `undefined` to fall back to an interactive authorization.
     */
    prepareTokenRequest?(scope?: string): MaybePromise<URLSearchParams | undefined>;

    /** Persists discovery results. */
    saveDiscoveryState?(state: OAuthDiscoveryState): MaybePromise<void>;

    /** Returns persisted discovery results, if any. */
    discoveryState?(): MaybePromise<OAuthDiscoveryState | undefined>;

    /**
     * Extension: completes an authorization in-process (a loopback callback server, a headless approval) and
     * returns the callback URL the authorization server redirected to (preferred: its `state` and RFC 9207 `iss`
     * are then checked) or the bare authorization code. When present, it is used instead of
     * {@link redirectToAuthorization}, and the transport retries the original request itself.
     */
    completeAuthorization?: ((authorizationUrl: URL) => Promise<URL | string>) | undefined;

    /**
     * Extension: the persisted scope state of this server (see {@link ScopeStateSnapshot}). Optional: without
     * these hooks the SDK keeps the state in the saved token set and the saved PKCE verifier.
     */
    scopeState?(): MaybePromise<ScopeStateSnapshot | undefined>;

    /** Extension: persists the scope state after every change. */
    saveScopeState?(state: ScopeStateSnapshot): MaybePromise<void>;
}
