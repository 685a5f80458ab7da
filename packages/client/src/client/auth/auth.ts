/**
 * The OAuth orchestrator of an MCP client: composes the building blocks (discovery, registration, PKCE, the
 * authorization request and the token endpoint) into one authorization, in the order MCP 2025-11-25
 * "Authorization" prescribes. It makes no decision about *which* scope to ask for beyond the first-authorization
 * defaults; accumulating scope across challenges is `stepUp.ts`'s job.
 *
 * @module
 */
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/core';

import { authorizationCodeFrom, buildAuthorizationUrl } from './authorizationRequest.js';
import type { ClientAuthMethod, ClientCredentials } from './clientAuth.js';
import { selectClientAuthMethod } from './clientAuth.js';
import {
    boundElsewhere,
    leaveAuthorizationServer,
    resolveClientInformation,
    withAuthMethod
} from './clientIdentity.js';
import type { OAuthDiscovery } from './discovery.js';
import { canonicalResourceUrl, checkResourceAllowed, discoverOAuth } from './discovery.js';
import { DiscoveryError, InvalidGrantError, InvalidResponseError, UnauthorizedError } from './errors.js';
import { AuthorizationServerMismatchError } from './flowErrors.js';
import type { FetchLike } from './http.js';
import { assertPkceSupported, generatePkce, generateState } from './pkce.js';
import type { OAuthClientProvider, ScopeStateSnapshot, StoredOAuthTokens } from './provider.js';
import { packCodeVerifier, unpackCodeVerifier } from './scopeStateStore.js';
import type { ScopeInput, ScopeSet } from './scope.js';
import { isSuperset, parseScope, scopeSet, unionScopes } from './scope.js';
import type { TokenEndpointOptions, TokenResult } from './tokenEndpoint.js';
import { exchangeAuthorizationCode, refreshAccessToken, requestToken } from './tokenEndpoint.js';

/** The outcome of {@link auth}: tokens were obtained, or the user agent was sent to the authorization server. */
export type AuthResult = 'AUTHORIZED' | 'REDIRECT';

/** Options of {@link auth} (the official SDK's names). */
export interface AuthOptions {
    /** The MCP server URL. */
    serverUrl: string | URL;
    /** An authorization code to exchange (after a redirect). */
    authorizationCode?: string | undefined;
    /**
     * The `iss` parameter of the callback that delivered `authorizationCode` (form-decoded), checked against the
     * authorization server's issuer before the code is redeemed (RFC 9207 §2.4).
     */
    iss?: string | undefined;
    /**
     * The whole callback URL (or its query parameters) instead of the code: its `iss` (RFC 9207) and `state` are
     * checked.
     */
    callbackUrl?: string | URL | URLSearchParams | undefined;
    /** The `state` the authorization request carried, checked against `callbackUrl`'s. */
    expectedState?: string | undefined;
    /** The scope to request; default: protected resource metadata `scopes_supported`, else client metadata `scope`. */
    scope?: string | undefined;
    /** The `resource_metadata` URL of the latest challenge (RFC 9728 §5.1). */
    resourceMetadataUrl?: string | URL | undefined;
    /** The `fetch` for OAuth requests; default the global one. */
    fetchFn?: FetchLike | undefined;
    /** Timeout of each OAuth request, headers and body, in ms; default 30 000 (`DEFAULT_REQUEST_TIMEOUT_MS`). */
    requestTimeoutMs?: number | undefined;
    /**
     * The authorization server (issuer) the stored tokens and client came from, when the provider persists no
     * discovery state (`discoveryState().authorizationServerUrl` is used when it does). Credentials are never
     * presented to another server.
     */
    credentialsIssuer?: string | undefined;
    /**
     * Skips the check that the authorization server metadata's `issuer` is the one it was discovered for (RFC 8414
     * §3.3). Security-weakening: only for an authorization server known to publish a wrong `issuer`. Default false.
     */
    skipIssuerMetadataValidation?: boolean | undefined;
    /**
     * Never refresh: start a new authorization even when a refresh token is available (a refresh cannot widen scope,
     * RFC 6749 §6). Default false.
     */
    forceReauthorization?: boolean | undefined;
}

/** Options of {@link authorize}: {@link AuthOptions} plus what the step-up layer knows. */
export interface AuthorizeOptions extends Omit<AuthOptions, 'scope'> {
    /** The scope to obtain; empty or undefined selects the first-authorization default. */
    scope?: ScopeInput;
    /** The scope the current tokens carry; a refresh is used only when it covers `scope`. */
    grantedScope?: ScopeInput;
    /** Whether a refresh may serve the request (never for `insufficient_scope`: a refresh cannot widen scope). Default true. */
    allowRefresh?: boolean | undefined;
    /** The scope a refreshed token must cover for a refresh to be used; default `scope`. */
    refreshCovers?: ScopeInput;
    /** RFC 9470 `acr_values`; forces a new authorization. */
    acrValues?: string | undefined;
    /** RFC 9470 `max_age`; forces a new authorization. */
    maxAge?: number | undefined;
    /** Discovery results to reuse. */
    discovery?: OAuthDiscovery | undefined;
    /** Sent as `MCP-Protocol-Version` on discovery requests. */
    protocolVersion?: string | undefined;
    /**
     * Read the protected resource metadata (and authorization server metadata) anew instead of reusing discovery
     * results: the server refused a token, and it may have moved to another authorization server (SEP-2352), where
     * the client must register again and never present the old server's credentials.
     */
    rediscover?: boolean | undefined;
    /**
     * The scope state to keep with the PKCE verifier when the user agent is sent away (see `scopeStateStore.ts`),
     * given the authorization's `state` and scope.
     */
    codeVerifierNote?: ((pending: { state: string; requested: ScopeSet }) => ScopeStateSnapshot) | undefined;
}

/** What {@link authorize} did. */
export interface AuthorizeOutcome {
    result: AuthResult;
    /** The grant used: `authorization_code`, `refresh_token`, or a machine grant such as `client_credentials`. */
    grant: string | undefined;
    /** The scope asked for (without `offline_access`, which only asks for a refresh token). */
    requestedScope: ScopeSet;
    /** The scope granted (RFC 6749 §5.1: the requested scope when the response omitted `scope`); empty on REDIRECT. */
    grantedScope: ScopeSet;
    /** The tokens saved, when AUTHORIZED. */
    tokens: StoredOAuthTokens | undefined;
    /** The `state` of the authorization request, on REDIRECT. */
    state: string | undefined;
    /** The discovery results used. */
    discovery: OAuthDiscovery;
}

/** Everything a token request needs, resolved once per authorization. */
interface Context {
    provider: OAuthClientProvider;
    serverUrl: URL;
    fetchFn: FetchLike | undefined;
    discovery: OAuthDiscovery;
    metadata: AuthorizationServerMetadata;
    /** The RFC 8707 `resource` exactly as sent: the protected resource metadata's own string when it is that one. */
    resource: string | undefined;
    token: TokenEndpointOptions;
    clientId: string;
}

/**
 * Authorizes an MCP client against its server's authorization server (MCP 2025-11-25 "Authorization Flow Steps"):
 * discovery, client registration, then one of: exchanging `authorizationCode`, refreshing, a machine grant via
 * `prepareTokenRequest`, or a new authorization request (completed in-process by `completeAuthorization`, else by
 * `redirectToAuthorization`).
 *
 * @returns `'AUTHORIZED'` when tokens were saved, `'REDIRECT'` when the user agent was sent away.
 * @throws {@link ResourceMismatchError} / {@link IssuerMismatchError} before any authorization request.
 * @throws {OAuthTokenError} when the token endpoint refuses.
 */
export async function auth(provider: OAuthClientProvider, options: AuthOptions): Promise<AuthResult> {
    const { scope, ...rest } = options;
    return (await authorize(provider, scope === undefined ? rest : { ...rest, scope })).result;
}

/** {@link auth} with everything the step-up layer needs to know about what was requested and granted. */
export async function authorize(provider: OAuthClientProvider, options: AuthorizeOptions): Promise<AuthorizeOutcome> {
    const ctx = await prepare(provider, options);
    if (options.forceReauthorization === true) options = { ...options, allowRefresh: false };
    if (options.authorizationCode !== undefined || options.callbackUrl !== undefined) {
        const code = authorizationCodeFrom(options, ctx.metadata);
        const requested = scopeSet(options.scope);
        const result = await exchangeAuthorizationCode({
            ...ctx.token,
            code,
            codeVerifier: unpackCodeVerifier(await provider.codeVerifier()).verifier,
            redirectUri: requireRedirectUrl(provider),
            requestedScope: requested
        });
        return saveResult(ctx, 'authorization_code', requested, result);
    }
    const forceNew = options.acrValues !== undefined || options.maxAge !== undefined;
    if (options.allowRefresh !== false && !forceNew) {
        const covers = scopeSet(options.refreshCovers ?? options.scope);
        const refreshed = await refresh(ctx, covers, options.grantedScope);
        if (refreshed !== undefined) return refreshed;
    }
    const target = defaultScope(ctx, options.scope);
    const machine = await provider.prepareTokenRequest?.(target.size > 0 ? target.toString() : undefined);
    if (machine !== undefined) {
        const grantType = machine.get('grant_type') ?? 'client_credentials';
        const parameters = Object.fromEntries([...machine].filter(([name]) => name !== 'grant_type'));
        const requested = parseScope(machine.get('scope') ?? undefined);
        const result = await requestToken(grantType, parameters, { ...ctx.token, requestedScope: requested });
        return saveResult(ctx, grantType, requested, result);
    }
    return startAuthorization(ctx, target, options);
}

/**
 * Refreshes the access token (RFC 6749 §6) when there is a refresh token and the current grant covers `target`
 * (a refresh cannot widen scope). Sends `resource` and the current granted scope. Resolves `undefined` when no
 * refresh applies, or when the refresh token was rejected (`invalid_grant`: the tokens are then invalidated).
 */
export async function refreshTokens(
    provider: OAuthClientProvider,
    options: AuthorizeOptions
): Promise<AuthorizeOutcome | undefined> {
    const ctx = await prepare(provider, options);
    return refresh(ctx, scopeSet(options.refreshCovers ?? options.scope), options.grantedScope);
}

async function refresh(
    ctx: Context,
    target: ScopeSet,
    grantedScope: ScopeInput
): Promise<AuthorizeOutcome | undefined> {
    const tokens = await ctx.provider.tokens({ issuer: ctx.metadata.issuer });
    // A refresh token is only valid at the server that issued it (RFC 6749 §6, §10.4).
    if (tokens?.refresh_token === undefined || boundElsewhere(tokens, ctx.metadata.issuer)) return undefined;
    const granted = grantedScope === undefined ? parseScope(tokens.scope) : scopeSet(grantedScope);
    if (!isSuperset(granted, target)) return undefined;
    const scope =
        ctx.provider.scopeForRefresh === undefined
            ? granted
            : (await ctx.provider.scopeForRefresh(tokens)) || undefined;
    try {
        const result = await refreshAccessToken({
            ...ctx.token,
            refreshToken: tokens.refresh_token,
            scope: scopeSet(scope).size > 0 ? scope : undefined,
            previousScope: granted
        });
        return saveResult(ctx, 'refresh_token', granted, result);
    } catch (error) {
        if (!(error instanceof InvalidGrantError)) throw error;
        await ctx.provider.invalidateCredentials?.('tokens');
        return undefined;
    }
}

/** Starts a new authorization request (RFC 6749 §4.1.1 with PKCE, `state`, `resource` and the scope). */
async function startAuthorization(
    ctx: Context,
    target: ScopeSet,
    options: AuthorizeOptions
): Promise<AuthorizeOutcome> {
    const { provider, metadata } = ctx;
    if (metadata.authorization_endpoint === undefined) {
        throw new DiscoveryError(`Authorization server ${metadata.issuer} has no authorization_endpoint`);
    }
    assertPkceSupported(metadata);
    const redirectUri = requireRedirectUrl(provider);
    const pkce = await generatePkce();
    const state = (await provider.state?.()) ?? generateState();
    const url = buildAuthorizationUrl({
        authorizationEndpoint: metadata.authorization_endpoint,
        clientId: ctx.clientId,
        redirectUri,
        codeChallenge: pkce.codeChallenge,
        state,
        scope: withOfflineAccess(target, metadata, provider),
        resource: ctx.resource,
        acrValues: options.acrValues,
        maxAge: options.maxAge
    });
    if (provider.completeAuthorization === undefined) {
        const note = options.codeVerifierNote?.({ state, requested: target });
        await provider.saveCodeVerifier(
            note === undefined ? pkce.codeVerifier : packCodeVerifier(pkce.codeVerifier, note)
        );
        await provider.redirectToAuthorization(url);
        return outcome(ctx, 'REDIRECT', undefined, target, undefined, state);
    }
    const answer = await provider.completeAuthorization(url);
    const code = authorizationCodeFrom({ callbackUrl: answer, expectedState: state }, metadata);
    const result = await exchangeAuthorizationCode({
        ...ctx.token,
        code,
        codeVerifier: pkce.codeVerifier,
        redirectUri,
        requestedScope: target
    });
    return saveResult(ctx, 'authorization_code', target, result);
}

/** Discovery (resource checked first), then the client's registration and token endpoint authentication. */
async function prepare(provider: OAuthClientProvider, options: AuthorizeOptions): Promise<Context> {
    const serverUrl = canonicalResourceUrl(options.serverUrl);
    const fetchFn = options.fetchFn;
    const discovery =
        options.rediscover === true
            ? await discover(provider, serverUrl, options)
            : (options.discovery ?? (await discover(provider, serverUrl, options)));
    const metadata = discovery.authorizationServerMetadata;
    const resource = resourceIndicator(await selectResource(provider, serverUrl, discovery), discovery);
    if (metadata.token_endpoint === undefined) {
        throw new DiscoveryError(`Authorization server ${metadata.issuer} has no token_endpoint`);
    }
    await provider.saveAuthorizationServerUrl?.(metadata.issuer);
    if (resource !== undefined) await provider.saveResourceUrl?.(resource);
    const timeoutMs = options.requestTimeoutMs;
    const info = await resolveClientInformation(provider, metadata, { fetch: fetchFn, timeoutMs });
    const client: ClientCredentials = { clientId: info.client_id, clientSecret: info.client_secret };
    const custom = provider.addClientAuthentication?.bind(provider);
    const clientAuthMethod: ClientAuthMethod =
        custom === undefined
            ? selectClientAuthMethod({ clientInformation: withAuthMethod(info, provider), metadata })
            : 'none';
    const dpop = await provider.dpop?.();
    const token: TokenEndpointOptions = {
        ...(dpop === undefined ? {} : { dpop }),
        tokenEndpoint: metadata.token_endpoint,
        client,
        clientAuthMethod,
        resource,
        fetch: fetchFn,
        timeoutMs,
        authenticate:
            custom === undefined ? undefined : parts => custom(parts.headers, parts.body, parts.tokenEndpoint, metadata)
    };
    return { provider, serverUrl, fetchFn, discovery, metadata, resource, token, clientId: info.client_id };
}

/** Discovery results: the provider's persisted ones when they still fit, else discovered (and persisted). */
async function discover(
    provider: OAuthClientProvider,
    serverUrl: URL,
    options: AuthorizeOptions
): Promise<OAuthDiscovery> {
    const saved = await provider.discoveryState?.();
    const wanted = options.resourceMetadataUrl === undefined ? undefined : String(options.resourceMetadataUrl);
    if (
        options.rediscover !== true &&
        saved?.authorizationServerMetadata !== undefined &&
        (wanted === undefined || wanted === saved.resourceMetadataUrl) &&
        (saved.resourceMetadata === undefined || checkResourceAllowed(serverUrl, saved.resourceMetadata.resource))
    ) {
        const prm = saved.resourceMetadata;
        return {
            resourceMetadata: prm,
            resourceMetadataUrl:
                saved.resourceMetadataUrl === undefined ? undefined : new URL(saved.resourceMetadataUrl),
            resource: prm === undefined ? undefined : new URL(prm.resource),
            authorizationServer: saved.authorizationServerUrl,
            authorizationServerMetadata: saved.authorizationServerMetadata,
            source: prm === undefined ? 'legacy-metadata' : 'metadata'
        };
    }
    const discovery = await discoverOAuth(serverUrl, {
        fetch: options.fetchFn,
        timeoutMs: options.requestTimeoutMs,
        resourceMetadataUrl: options.resourceMetadataUrl,
        protocolVersion: options.protocolVersion,
        skipIssuerValidation: options.skipIssuerMetadataValidation
    });
    const previous = saved?.authorizationServerUrl ?? options.credentialsIssuer;
    if (previous !== undefined && previous !== discovery.authorizationServer) {
        // An authorization code (and its PKCE verifier) is bound to the server that issued it (RFC 7636): it must
        // not be sent to another one.
        if (options.authorizationCode !== undefined || options.callbackUrl !== undefined) {
            throw new AuthorizationServerMismatchError(previous, discovery.authorizationServer);
        }
        await leaveAuthorizationServer(provider, previous, discovery.authorizationServer);
    }
    await provider.saveDiscoveryState?.({
        authorizationServerUrl: discovery.authorizationServer,
        resourceMetadataUrl: discovery.resourceMetadataUrl?.href,
        resourceMetadata: discovery.resourceMetadata,
        authorizationServerMetadata: discovery.authorizationServerMetadata
    });
    return discovery;
}

/**
 * The RFC 8707 `resource`: the provider's choice when it implements `validateResourceURL`, else the protected
 * resource metadata's `resource` (already checked against the server URL, RFC 9728 §3.3), else the canonical
 * server URL (MCP 2025-11-25 "Resource Parameter Implementation": clients send it in every case).
 */
async function selectResource(
    provider: OAuthClientProvider,
    serverUrl: URL,
    discovery: OAuthDiscovery
): Promise<URL | undefined> {
    if (provider.validateResourceURL !== undefined) {
        return provider.validateResourceURL(serverUrl, discovery.resourceMetadata?.resource);
    }
    return discovery.resource ?? serverUrl;
}

/**
 * The `resource` parameter to send: the protected resource metadata's `resource` string verbatim when the selected
 * resource is that one (a URL parser would add a `/` to a path-less identifier, and the authorization server
 * compares strings — RFC 9728 §3.3, RFC 8707 §2), else the selected URL.
 */
function resourceIndicator(selected: URL | undefined, discovery: OAuthDiscovery): string | undefined {
    if (selected === undefined) return undefined;
    const published = discovery.resourceMetadata?.resource;
    if (published !== undefined && URL.canParse(published) && new URL(published).href === selected.href) {
        return published;
    }
    return selected.href;
}

/**
 * The scope of an authorization with no accumulated scope (MCP 2025-11-25 "Scope Selection Strategy"): `scope`
 * when non-empty, else the protected resource metadata's `scopes_supported`, else the client metadata's `scope`.
 */
function defaultScope(ctx: Context, scope: ScopeInput): ScopeSet {
    const given = scopeSet(scope);
    if (given.size > 0) return given;
    const supported = ctx.discovery.resourceMetadata?.scopes_supported;
    if (supported !== undefined && supported.length > 0) return scopeSet(supported);
    return parseScope(ctx.provider.clientMetadata.scope);
}

/**
 * Adds `offline_access` (a request for a refresh token, OpenID Connect Core §11) when the authorization server lists
 * it in `scopes_supported` and the client may use refresh tokens. `buildAuthorizationUrl` then adds `prompt=consent`.
 */
function withOfflineAccess(
    target: ScopeSet,
    metadata: AuthorizationServerMetadata,
    provider: OAuthClientProvider
): ScopeSet {
    if (target.size === 0 || !metadata.scopes_supported?.includes('offline_access')) return target;
    const grants = provider.clientMetadata.grant_types;
    if (grants !== undefined && !grants.includes('refresh_token')) return target;
    return unionScopes(target, 'offline_access');
}

function requireRedirectUrl(provider: OAuthClientProvider): string {
    const redirect = provider.redirectUrl;
    if (redirect === undefined) {
        throw new UnauthorizedError('The OAuth provider has no redirectUrl, so it cannot run an authorization request');
    }
    return String(redirect);
}

/**
 * Saves the tokens with the effective granted scope and absolute expiry (see {@link StoredOAuthTokens}).
 *
 * @throws {InvalidResponseError} for a `token_type` other than `Bearer`, or `DPoP` with a DPoP session (RFC 6749 §5.1).
 */
async function saveResult(
    ctx: Context,
    grant: string,
    requested: ScopeSet,
    result: TokenResult
): Promise<AuthorizeOutcome> {
    // An MCP access token is sent as `Authorization: Bearer` (MCP 2025-11-25 "Token Requirements"), or, bound to the
    // client's DPoP key, as `Authorization: DPoP` (RFC 9449 §5); a token of another type must not be used as either
    // (RFC 6749 §7.1). A DPoP token is only usable with the key that asked for it.
    const type = result.tokens.token_type.toLowerCase();
    if (type !== 'bearer' && !(type === 'dpop' && ctx.token.dpop !== undefined)) {
        throw new InvalidResponseError(
            `The token endpoint issued a token of type "${result.tokens.token_type}"; only Bearer${
                ctx.token.dpop === undefined ? '' : ' and DPoP'
            } tokens can be used`
        );
    }
    const issuer = ctx.metadata.issuer;
    const tokens: StoredOAuthTokens = { ...result.tokens, issuer };
    if (tokens.scope === undefined && result.grantedScope.size > 0) tokens.scope = result.grantedScope.toString();
    if (result.expiresAt !== undefined) tokens.expires_at = result.expiresAt;
    await ctx.provider.saveTokens(tokens, { issuer });
    return outcome(ctx, 'AUTHORIZED', grant, requested, { tokens, granted: result.grantedScope }, undefined);
}

function outcome(
    ctx: Context,
    result: AuthResult,
    grant: string | undefined,
    requestedScope: ScopeSet,
    saved: { tokens: StoredOAuthTokens; granted: ScopeSet } | undefined,
    state: string | undefined
): AuthorizeOutcome {
    return {
        result,
        grant,
        requestedScope,
        grantedScope: saved?.granted ?? scopeSet(undefined),
        tokens: saved?.tokens,
        state,
        discovery: ctx.discovery
    };
}
