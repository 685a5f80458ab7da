/**
 * Cross-App Access (Enterprise-Managed Authorization, SEP-990; draft-ietf-oauth-identity-assertion-authz-grant):
 * an MCP client whose user signed in at an enterprise identity provider (IdP) gets an MCP access token without an
 * interactive authorization at the MCP server's authorization server (AS):
 *
 * 1. RFC 8693 token exchange at the IdP: the user's ID token becomes an Identity Assertion JWT Authorization Grant
 *    (ID-JAG) for the AS (`audience`) and the MCP server (`resource`);
 * 2. RFC 7523 §2.1 JWT bearer grant at the AS: the ID-JAG becomes an access token.
 *
 * {@link requestIdJag} and {@link exchangeIdJag} are the two steps; {@link CrossAppAccessProvider} plugs them into
 * the transports' authorization (`authProvider`), so challenges and step-up work as for any other client.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-identity-assertion-authz-grant/
 * @see https://www.rfc-editor.org/rfc/rfc8693 (token exchange), https://www.rfc-editor.org/rfc/rfc7523#section-2.1
 * @module
 */
import type { OAuthClientMetadata, StoredOAuthClientInformation } from '@modelcontextprotocol/core';
import { ID_JAG_TOKEN_TYPE } from '@modelcontextprotocol/core';

import type { ClientAuthMethod, ClientCredentials } from './clientAuth.js';
import { canonicalResourceUrl, checkResourceAllowed } from './discovery.js';
import { InvalidResponseError, ResourceMismatchError, UnauthorizedError } from './errors.js';
import type { FetchLike, RequestOptions } from './http.js';
import type {
    MaybePromise,
    OAuthClientProvider,
    OAuthDiscoveryState,
    ScopeStateSnapshot,
    StoredOAuthTokens
} from './provider.js';
import type { ScopeInput } from './scope.js';
import { formatScope } from './scope.js';
import type { TokenEndpointOptions, TokenResult } from './tokenEndpoint.js';
import { requestToken } from './tokenEndpoint.js';

/** RFC 8693 §2.1 `grant_type` of a token exchange. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 7523 §2.1 `grant_type` of the JWT bearer authorization grant. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 8693 §3 token type of an OpenID Connect ID token. */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
// The token type of an Identity Assertion JWT Authorization Grant (ID-JAG) is defined in core.
export { ID_JAG_TOKEN_TYPE };

/** Options of {@link requestIdJag}. */
export interface IdJagRequestOptions extends RequestOptions {
    /** The IdP's token endpoint. */
    tokenEndpoint: string | URL;
    /** The subject token: the user's ID token from the IdP (RFC 8693 §2.1 `subject_token`). */
    subjectToken: string;
    /** Its type; default {@link ID_TOKEN_TYPE}. */
    subjectTokenType?: string | undefined;
    /** The AS the grant is for: its issuer identifier (RFC 8693 §2.1 `audience`). */
    audience: string;
    /** The MCP server the grant is for (RFC 8707 `resource`). */
    resource: string | URL;
    /** The scope wanted at the MCP server. */
    scope?: ScopeInput;
    /** The client's credentials at the IdP. */
    client: ClientCredentials;
    /** How to authenticate at the IdP; default `client_secret_basic` with a secret, else `none`. */
    clientAuthMethod?: ClientAuthMethod | undefined;
}

/** An ID-JAG issued by the IdP. */
export interface IdJag {
    /** The grant, a JWT (used as the `assertion` of {@link exchangeIdJag}). */
    assertion: string;
    /** When it expires, in seconds since the epoch, if the IdP said. */
    expiresAt: number | undefined;
    /** The token exchange response as sent (RFC 8693 §2.2.1). */
    response: TokenResult['tokens'];
}

/**
 * Exchanges the user's ID token for an ID-JAG at the IdP (RFC 8693 §2.1 with `requested_token_type` ID-JAG).
 *
 * @throws {OAuthTokenError} when the IdP refuses (RFC 8693 §2.2.2).
 * @throws {InvalidResponseError} when the response is not an ID-JAG (`issued_token_type`, RFC 8693 §2.2.1).
 */
export async function requestIdJag(options: IdJagRequestOptions): Promise<IdJag> {
    const scope = formatScope(options.scope);
    const method = options.clientAuthMethod ?? (options.client.clientSecret ? 'client_secret_basic' : 'none');
    const endpoint: TokenEndpointOptions = {
        tokenEndpoint: options.tokenEndpoint,
        client: options.client,
        clientAuthMethod: method,
        resource: options.resource,
        fetch: options.fetch,
        signal: options.signal
    };
    const result = await requestToken(
        TOKEN_EXCHANGE_GRANT_TYPE,
        {
            requested_token_type: ID_JAG_TOKEN_TYPE,
            subject_token: options.subjectToken,
            subject_token_type: options.subjectTokenType ?? ID_TOKEN_TYPE,
            audience: options.audience,
            scope: scope === '' ? undefined : scope
        },
        // `token_type` is informational when the issued token is not an access token (RFC 8693 §2.2.1).
        { ...endpoint, defaultTokenType: 'N_A' }
    );
    const issued = (result.tokens as { issued_token_type?: unknown }).issued_token_type;
    if (issued !== ID_JAG_TOKEN_TYPE) {
        throw new InvalidResponseError(
            `Token exchange issued ${JSON.stringify(issued ?? null)}, not an ID-JAG (${ID_JAG_TOKEN_TYPE})`
        );
    }
    return { assertion: result.tokens.access_token, expiresAt: result.expiresAt, response: result.tokens };
}

/**
 * Exchanges an ID-JAG for an access token at the AS (RFC 7523 §2.1 JWT bearer grant), authenticating the client
 * as `options.clientAuthMethod` says.
 *
 * @throws {OAuthTokenError} when the AS refuses.
 */
export function exchangeIdJag(
    options: TokenEndpointOptions & { assertion: string; scope?: ScopeInput }
): Promise<TokenResult> {
    const scope = formatScope(options.scope);
    return requestToken(
        JWT_BEARER_GRANT_TYPE,
        { assertion: options.assertion, scope: scope === '' ? undefined : scope },
        { ...options, requestedScope: scope }
    );
}

/** What a Cross-App Access {@link AssertionCallback} is told about the authorization in progress. */
export interface CrossAppAccessContext {
    /** The MCP server's authorization server (its issuer): the ID-JAG's `audience`. */
    authorizationServerUrl: string;
    /** The MCP server's resource identifier (RFC 8707, RFC 9728): the ID-JAG's `resource`. */
    resourceUrl: string;
    /** The scope wanted at the MCP server, if any. */
    scope?: string;
    /** The `fetch` to use for the identity provider request. */
    fetchFn: FetchLike;
}

/**
 * Obtains a JWT Authorization Grant (ID-JAG) for the MCP server the context names, e.g. with
 * `discoverAndRequestJwtAuthGrant`; the provider then presents it to the authorization server.
 */
export type AssertionCallback = (context: CrossAppAccessContext) => string | Promise<string>;

/** Options of {@link CrossAppAccessProvider} common to both ways of obtaining the grant. */
export interface CrossAppAccessClientOptions {
    /** The client's `client_id` at the MCP server's AS. */
    clientId: string;
    /** Its secret there, if it is a confidential client. */
    clientSecret?: string | undefined;
    /** How it authenticates at the AS; default `client_secret_basic` with a secret, else `none`. */
    tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'none' | undefined;
    /** A name for the client metadata; default the client id. */
    clientName?: string | undefined;
    /** The scope to request when no challenge names one. */
    scope?: string | undefined;
    /**
     * The issuer of the AS the client credentials belong to: they are presented to no other one
     * (`AuthorizationServerMismatchError`).
     */
    expectedIssuer?: string | undefined;
    /** The `fetch` for the IdP request; default the global one. */
    fetch?: FetchLike | undefined;
    /** The same, under the official SDK's name (`fetch` wins when both are given). */
    fetchFn?: FetchLike | undefined;
}

/** {@link CrossAppAccessProvider} exchanging the user's ID token at the IdP itself. */
export interface CrossAppAccessIdpOptions extends CrossAppAccessClientOptions {
    /** The IdP's token endpoint. */
    idpTokenEndpoint: string | URL;
    /** The client's `client_id` at the IdP. */
    idpClientId: string;
    /** Its secret at the IdP, if any. */
    idpClientSecret?: string | undefined;
    /** The user's current ID token from the IdP (a function is called for every exchange, so it may refresh it). */
    idToken: string | (() => MaybePromise<string>);
    /** Not with these options. */
    assertion?: undefined;
}

/** {@link CrossAppAccessProvider} getting each grant from a callback (the official SDK's options). */
export interface CrossAppAccessAssertionOptions extends CrossAppAccessClientOptions {
    /** Returns an ID-JAG for the authorization in progress. */
    assertion: AssertionCallback;
}

/** Options of {@link CrossAppAccessProvider}: the IdP to ask for grants, or a callback that returns them. */
export type CrossAppAccessProviderOptions = CrossAppAccessIdpOptions | CrossAppAccessAssertionOptions;

/**
 * An {@link OAuthClientProvider} for Cross-App Access: each authorization exchanges the user's ID token for an
 * ID-JAG at the IdP, then presents it to the AS with the JWT bearer grant. Tokens and state are kept in memory.
 *
 * The ID-JAG's `audience` is the AS issuer and its `resource` the MCP server's resource, both as the authorization
 * in progress resolved them (the provider records them through `saveDiscoveryState` and `validateResourceURL`,
 * which `auth()` calls before `prepareTokenRequest`); the resource is checked against the server URL as usual
 * (RFC 9728 §3.3).
 *
 * @example
 * ```ts
 * const provider = new CrossAppAccessProvider({
 *     clientId: 'mcp-client', clientSecret, idpTokenEndpoint: 'https://idp.example.com/token',
 *     idpClientId: 'idp-client', idToken: () => session.idToken
 * });
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), { authProvider: provider });
 * ```
 */
export class CrossAppAccessProvider implements OAuthClientProvider {
    readonly #options: CrossAppAccessProviderOptions;
    readonly #method: 'client_secret_basic' | 'client_secret_post' | 'none';
    #tokens: StoredOAuthTokens | undefined;
    #discovery: OAuthDiscoveryState | undefined;
    #resource: URL | undefined;
    #authorizationServerUrl: string | undefined;
    #scopeState: ScopeStateSnapshot | undefined;

    constructor(options: CrossAppAccessProviderOptions) {
        this.#options = options;
        this.#method = options.tokenEndpointAuthMethod ?? (options.clientSecret ? 'client_secret_basic' : 'none');
    }

    /** No interactive authorization. */
    get redirectUrl(): undefined {
        return undefined;
    }

    get clientMetadata(): OAuthClientMetadata {
        const metadata: OAuthClientMetadata = {
            redirect_uris: [],
            grant_types: [JWT_BEARER_GRANT_TYPE],
            token_endpoint_auth_method: this.#method,
            client_name: this.#options.clientName ?? this.#options.clientId
        };
        if (this.#options.scope !== undefined) metadata.scope = this.#options.scope;
        return metadata;
    }

    clientInformation(): StoredOAuthClientInformation {
        const info: StoredOAuthClientInformation = {
            client_id: this.#options.clientId,
            token_endpoint_auth_method: this.#method
        };
        if (this.#options.clientSecret !== undefined) info.client_secret = this.#options.clientSecret;
        if (this.#options.expectedIssuer !== undefined) info.issuer = this.#options.expectedIssuer;
        return info;
    }

    /** Records the authorization server in use (`auth()` calls it after discovery). */
    saveAuthorizationServerUrl(authorizationServerUrl: string): void {
        this.#authorizationServerUrl = authorizationServerUrl;
    }

    /** The authorization server of the current authorization, if known. */
    authorizationServerUrl(): string | undefined {
        return this.#authorizationServerUrl ?? this.#discovery?.authorizationServerUrl;
    }

    /** The resource of the current authorization, if known. */
    resourceUrl(): string | undefined {
        return this.#resource?.href;
    }

    tokens(): StoredOAuthTokens | undefined {
        return this.#tokens;
    }

    saveTokens(tokens: StoredOAuthTokens): void {
        this.#tokens = tokens;
    }

    discoveryState(): OAuthDiscoveryState | undefined {
        return this.#discovery;
    }

    saveDiscoveryState(state: OAuthDiscoveryState): void {
        this.#discovery = state;
    }

    scopeState(): ScopeStateSnapshot | undefined {
        return this.#scopeState;
    }

    saveScopeState(state: ScopeStateSnapshot): void {
        this.#scopeState = state;
    }

    /**
     * The resource to request tokens for: the protected resource metadata's `resource` (when it covers
     * `serverUrl`), else the server's canonical URL. Recorded for the ID-JAG.
     *
     * @throws {ResourceMismatchError} when the metadata names another resource.
     */
    validateResourceURL(serverUrl: string | URL, resource?: string): URL {
        const chosen = resource === undefined ? canonicalResourceUrl(serverUrl) : new URL(resource);
        if (!checkResourceAllowed(serverUrl, chosen)) {
            throw new ResourceMismatchError(canonicalResourceUrl(serverUrl).href, chosen.href);
        }
        this.#resource = chosen;
        return chosen;
    }

    /** @throws {UnauthorizedError} always: there is no interactive authorization. */
    redirectToAuthorization(): never {
        throw new UnauthorizedError('A cross-app access client cannot run an interactive authorization');
    }

    saveCodeVerifier(): void {}

    /** @throws {UnauthorizedError} always: there is no authorization code flow. */
    codeVerifier(): never {
        throw new UnauthorizedError('A cross-app access client has no PKCE verifier');
    }

    invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
        if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
        if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
    }

    /**
     * Obtains an ID-JAG for this authorization (from the `assertion` callback, else with {@link requestIdJag}) and
     * returns the JWT bearer grant request that presents it (RFC 7523 §2.1).
     *
     * @throws {UnauthorizedError} when called outside an authorization (no AS or resource known yet).
     */
    async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
        const audience =
            this.#discovery?.authorizationServerMetadata?.issuer ??
            this.#discovery?.authorizationServerUrl ??
            this.#authorizationServerUrl;
        const resource = this.#resource;
        if (audience === undefined || resource === undefined) {
            throw new UnauthorizedError(
                'Cross-app access needs the authorization server and resource of an authorization'
            );
        }
        const wanted = formatScope(scope ?? this.#options.scope);
        const options = this.#options;
        const fetchFn = options.fetch ?? options.fetchFn;
        let assertion: string;
        if (options.assertion !== undefined) {
            const context: CrossAppAccessContext = {
                authorizationServerUrl: audience,
                resourceUrl: resource.href,
                fetchFn: fetchFn ?? ((url, init) => fetch(url, init))
            };
            if (wanted !== '') context.scope = wanted;
            assertion = await options.assertion(context);
        } else {
            const idToken = options.idToken;
            const grant = await requestIdJag({
                tokenEndpoint: options.idpTokenEndpoint,
                subjectToken: typeof idToken === 'string' ? idToken : await idToken(),
                audience,
                resource,
                scope: wanted,
                client: { clientId: options.idpClientId, clientSecret: options.idpClientSecret },
                fetch: fetchFn
            });
            assertion = grant.assertion;
        }
        const params = new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion });
        if (wanted !== '') params.set('scope', wanted);
        return params;
    }
}
