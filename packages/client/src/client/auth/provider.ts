/**
 * The `OAuthClientProvider` interface: where an MCP client keeps its OAuth client registration, tokens and PKCE
 * verifier, and how it sends the user to the authorization server. The names match the official MCP TypeScript
 * SDK, so existing providers work unchanged; {@link OAuthClientProvider.completeAuthorization} and the scope state
 * hooks are this SDK's extensions.
 *
 * @see MCP 2025-11-25 "Authorization", RFC 6749 §4.1 (authorization code grant), RFC 7636 (PKCE)
 * @module
 */
import type { DpopSession } from './dpop.js';
import type {
    AuthorizationServerMetadata,
    OAuthClientMetadata,
    OAuthProtectedResourceMetadata,
    StoredOAuthClientInformation,
    StoredOAuthTokens
} from '@modelcontextprotocol/core';

// Defined in core (shared with the server); re-exported here for this package's modules.
export type {
    OAuthClientInformationMixed,
    StoredOAuthClientInformation,
    StoredOAuthTokens
} from '@modelcontextprotocol/core';

/** A value or a promise of it: provider methods may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** What {@link OAuthClientProvider.invalidateCredentials} should forget. */
export type CredentialScope = 'all' | 'client' | 'tokens' | 'verifier' | 'discovery';

/**
 * Authenticates a token request itself (RFC 6749 §2.3) instead of the standard methods: adds headers or form
 * parameters, e.g. a `private_key_jwt` client assertion (RFC 7523 §2.2). `url` is the token endpoint; `metadata` the
 * authorization server's, when known. (Method syntax: parameters compare bivariantly, so a function typed with the
 * official SDK's metadata type fits.)
 */
export type AddClientAuthentication = {
    addClientAuthentication(
        headers: Headers,
        params: URLSearchParams,
        url: string | URL,
        metadata?: AuthorizationServerMetadata
    ): void | Promise<void>;
}['addClientAuthentication'];

/**
 * What the SDK tells the provider's credential methods (`clientInformation`, `saveClientInformation`, `tokens`,
 * `saveTokens`) during an authorization: the issuer of the authorization server in use, so a provider can keep
 * credentials per authorization server (client identifiers and tokens are only valid at the server that issued them,
 * RFC 6749 §2.2, §10.4). Providers keeping one set may ignore it.
 */
export interface OAuthClientInformationContext {
    /** The `issuer` of the authorization server's validated metadata. */
    issuer: string;
}

/**
 * Whether an `authProvider` is a full {@link OAuthClientProvider} (it has `tokens()` and `clientInformation()`)
 * rather than a minimal `AuthProvider` (`{ token() }`).
 */
export function isOAuthClientProvider(provider: object): provider is OAuthClientProvider {
    const candidate = provider as Partial<Record<'tokens' | 'clientInformation', unknown>>;
    return typeof candidate.tokens === 'function' && typeof candidate.clientInformation === 'function';
}

/** Where the authorization server of an MCP server was found, and its metadata (see `discoverOAuthServerInfo`). */
export interface OAuthServerInfo {
    /**
     * The issuer identifier of the authorization server: named by the protected resource metadata (RFC 9728), or the
     * MCP server's origin when it publishes none.
     */
    authorizationServerUrl: string;
    /** The authorization server metadata (RFC 8414 §2), `undefined` when the server publishes none. */
    authorizationServerMetadata?: AuthorizationServerMetadata | undefined;
    /** The protected resource metadata (RFC 9728 §2), `undefined` when the MCP server publishes none. */
    resourceMetadata?: OAuthProtectedResourceMetadata | undefined;
}

/** Discovery results a provider may persist so that later authorizations skip the metadata requests. */
export interface OAuthDiscoveryState extends OAuthServerInfo {
    /** Where the protected resource metadata was found (RFC 9728 §3). */
    resourceMetadataUrl?: string | undefined;
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

    /**
     * The client information for this server, or `undefined` when the client must register. During an
     * authorization `ctx` names the authorization server in use (providers keeping one registration may ignore it).
     */
    clientInformation(ctx?: OAuthClientInformationContext): MaybePromise<StoredOAuthClientInformation | undefined>;

    /**
     * Saves client information obtained by dynamic registration; required for dynamic registration. The SDK stamps
     * it with the `issuer` of the authorization server it registered with.
     */
    saveClientInformation?(
        clientInformation: StoredOAuthClientInformation,
        ctx?: OAuthClientInformationContext
    ): MaybePromise<void>;

    /**
     * The current tokens, or `undefined` when there are none. Called with `ctx` during an authorization and without
     * it before each request (return the most recently saved tokens then).
     */
    tokens(ctx?: OAuthClientInformationContext): MaybePromise<StoredOAuthTokens | undefined>;

    /**
     * Saves new tokens. The SDK adds to the token response the effective granted `scope` when the response omitted it
     * (RFC 6749 §5.1: then granted = requested), `expires_at`, and the `issuer` of the authorization server.
     */
    saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext): MaybePromise<void>;

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
    /**
     * Turns on DPoP (RFC 9449) sender-constrained tokens: return the same {@link DpopSession} every time (its key and
     * nonces live as long as the client registration). Token requests then carry a DPoP proof, and a `token_type:
     * DPoP` token is presented as `Authorization: DPoP` with a fresh proof per request. Absent: Bearer tokens.
     */
    dpop?(): DpopSession | undefined | Promise<DpopSession | undefined>;

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
     * The `scope` to send with a refresh request (RFC 6749 §6), given the tokens being refreshed. Returning
     * `undefined` or `''` sends none (the server then keeps the granted scope). Without this method the SDK sends the
     * scope granted so far. It must not name a scope that was not granted.
     */
    scopeForRefresh?(tokens: StoredOAuthTokens): MaybePromise<string | undefined>;

    /**
     * Receives the issuer of the authorization server in use, once discovery found it and before any token request.
     *
     * @deprecated Read the `issuer` the SDK stamps on saved tokens and client information instead.
     */
    saveAuthorizationServerUrl?(authorizationServerUrl: string): MaybePromise<void>;

    /**
     * The issuer saved by {@link saveAuthorizationServerUrl}. The SDK never calls it.
     *
     * @deprecated See {@link saveAuthorizationServerUrl}.
     */
    authorizationServerUrl?(): MaybePromise<string | undefined>;

    /** Receives the RFC 8707 resource the authorization is for, once chosen and before any token request. */
    saveResourceUrl?(resourceUrl: string): MaybePromise<void>;

    /** The resource saved by {@link saveResourceUrl}. The SDK never calls it. */
    resourceUrl?(): MaybePromise<string | undefined>;

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
