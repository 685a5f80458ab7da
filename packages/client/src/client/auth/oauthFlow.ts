/**
 * The official SDK's step-by-step OAuth functions, for applications that drive the authorization code flow (or a
 * machine grant) themselves instead of through `auth()` or the transports: start an authorization, exchange its code,
 * refresh, or request tokens through a provider. Each one is a thin layer over this package's building blocks (PKCE
 * and the authorization request, client authentication, the token endpoint).
 *
 * @module
 */
import type { AuthorizationServerMetadata, OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/core';

import { buildAuthorizationUrl, validateAuthorizationResponseIssuer } from './authorizationRequest.js';
import { selectClientAuthMethod } from './clientAuth.js';
import { boundElsewhere } from './clientIdentity.js';
import { DiscoveryError, RegistrationError, UnauthorizedError } from './errors.js';
import { AuthorizationServerMismatchError } from './flowErrors.js';
import type { FetchLike } from './http.js';
import { assertPkceSupported, generatePkce } from './pkce.js';
import type { AddClientAuthentication, OAuthClientProvider } from './provider.js';
import { unpackCodeVerifier } from './scopeStateStore.js';
import type { TokenEndpointOptions } from './tokenEndpoint.js';
import { exchangeAuthorizationCode, refreshAccessToken, requestToken } from './tokenEndpoint.js';

/** The authorization server endpoint: from its metadata, else `path` on its URL (2025-03-26 default endpoints). */
function endpoint(
    authorizationServerUrl: string | URL,
    metadata: AuthorizationServerMetadata | undefined,
    member: 'authorization_endpoint' | 'token_endpoint',
    path: string
): string | URL {
    if (metadata === undefined) return new URL(path, authorizationServerUrl);
    const value = metadata[member];
    if (value === undefined) throw new DiscoveryError(`Authorization server ${metadata.issuer} has no ${member}`);
    return value;
}

/** What the token functions need to reach and authenticate at the token endpoint. */
interface TokenClient {
    metadata?: AuthorizationServerMetadata | undefined;
    clientInformation: OAuthClientInformationMixed;
    resource?: string | URL | undefined;
    addClientAuthentication?: AddClientAuthentication | undefined;
    fetchFn?: FetchLike | undefined;
}

/**
 * Token endpoint options for a client: its own `addClientAuthentication` when given, else the method chosen by
 * `selectClientAuthMethod` from its registration and the server's metadata.
 */
function tokenEndpointOptions(authorizationServerUrl: string | URL, client: TokenClient): TokenEndpointOptions {
    const { metadata, clientInformation: info, addClientAuthentication: custom } = client;
    const tokenEndpoint = endpoint(authorizationServerUrl, metadata, 'token_endpoint', '/token');
    return {
        tokenEndpoint,
        client: { clientId: info.client_id, clientSecret: info.client_secret },
        clientAuthMethod: custom === undefined ? selectClientAuthMethod({ clientInformation: info, metadata }) : 'none',
        resource: client.resource,
        fetch: client.fetchFn,
        authenticate:
            custom === undefined ? undefined : parts => custom(parts.headers, parts.body, parts.tokenEndpoint, metadata)
    };
}

/** Checks the callback's `iss` against the server's metadata (RFC 9207 §2.4). */
function checkIssuer(iss: string | undefined, metadata: AuthorizationServerMetadata | undefined): void {
    validateAuthorizationResponseIssuer({
        iss,
        expectedIssuer: metadata?.issuer,
        issParameterSupported: metadata?.authorization_response_iss_parameter_supported === true
    });
}

/**
 * Starts an authorization code flow (RFC 6749 §4.1.1) with a fresh PKCE pair (RFC 7636): returns the authorization
 * URL to send the user agent to, and the code verifier to keep for {@link exchangeAuthorization}. The URL carries
 * `state` only when given (generate one with `generateState()` and check it on the callback), `scope`, and the RFC
 * 8707 `resource`. Without metadata the endpoint is `/authorize` on the server.
 *
 * @throws {PkceUnsupportedError} when the metadata does not advertise PKCE `S256`.
 * @throws {DiscoveryError} when the metadata lacks `authorization_endpoint` or does not support `response_type=code`.
 */
export async function startAuthorization(
    authorizationServerUrl: string | URL,
    {
        metadata,
        clientInformation,
        redirectUrl,
        scope,
        state,
        resource
    }: {
        metadata?: AuthorizationServerMetadata | undefined;
        clientInformation: OAuthClientInformationMixed;
        redirectUrl: string | URL;
        scope?: string | undefined;
        state?: string | undefined;
        resource?: string | URL | undefined;
    }
): Promise<{ authorizationUrl: URL; codeVerifier: string }> {
    if (metadata !== undefined) {
        const types = metadata.response_types_supported;
        if (types !== undefined && !types.includes('code')) {
            throw new DiscoveryError(`Authorization server ${metadata.issuer} does not support response_type=code`);
        }
        assertPkceSupported(metadata);
    }
    const pkce = await generatePkce();
    const authorizationUrl = buildAuthorizationUrl({
        authorizationEndpoint: endpoint(authorizationServerUrl, metadata, 'authorization_endpoint', '/authorize'),
        clientId: clientInformation.client_id,
        redirectUri: redirectUrl,
        codeChallenge: pkce.codeChallenge,
        state: state ?? '',
        scope,
        resource
    });
    if (state === undefined) authorizationUrl.searchParams.delete('state');
    return { authorizationUrl, codeVerifier: pkce.codeVerifier };
}

/**
 * The token request parameters of the authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5): `grant_type`,
 * `code`, `code_verifier` and `redirect_uri`. What {@link fetchToken} sends when the provider has no
 * `prepareTokenRequest`.
 */
export function prepareAuthorizationCodeRequest(
    authorizationCode: string,
    codeVerifier: string,
    redirectUri: string | URL
): URLSearchParams {
    return new URLSearchParams({
        grant_type: 'authorization_code',
        code: authorizationCode,
        code_verifier: codeVerifier,
        redirect_uri: String(redirectUri)
    });
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3 with the PKCE verifier). The callback's `iss` is
 * checked against `metadata.issuer` first (RFC 9207 §2.4). The client authenticates with `addClientAuthentication`
 * when given, else as its registration and the server's metadata allow (`client_secret_basic`,
 * `client_secret_post` or `none`).
 *
 * @throws {IssuerMismatchError} when `iss` is wrong, or missing although the server promised it.
 * @throws {OAuthTokenError} when the token endpoint refuses (`code` is the OAuth error code).
 * @throws {InsecureTokenEndpointError} for a token endpoint that is not https (loopback excepted).
 */
export async function exchangeAuthorization(
    authorizationServerUrl: string | URL,
    options: TokenClient & {
        authorizationCode: string;
        /** The `iss` parameter of the callback (form-decoded). */
        iss?: string | undefined;
        codeVerifier: string;
        redirectUri: string | URL;
    }
): Promise<OAuthTokens> {
    checkIssuer(options.iss, options.metadata);
    const result = await exchangeAuthorizationCode({
        ...tokenEndpointOptions(authorizationServerUrl, options),
        code: options.authorizationCode,
        codeVerifier: options.codeVerifier,
        redirectUri: options.redirectUri
    });
    return result.tokens;
}

/**
 * Refreshes an access token (RFC 6749 §6). `scope` is sent only when non-empty (otherwise the server keeps the
 * granted scope) and is then the result's `scope` when the response has none. When the response carries no new
 * refresh token, the one used is kept.
 *
 * @throws {OAuthTokenError} when the token endpoint refuses (e.g. `invalid_grant`: authorize again).
 * @throws {InsecureTokenEndpointError} for a token endpoint that is not https (loopback excepted).
 */
export async function refreshAuthorization(
    authorizationServerUrl: string | URL,
    options: TokenClient & { refreshToken: string; scope?: string | undefined }
): Promise<OAuthTokens> {
    const scope = options.scope === '' ? undefined : options.scope;
    const result = await refreshAccessToken({
        ...tokenEndpointOptions(authorizationServerUrl, options),
        refreshToken: options.refreshToken,
        scope
    });
    if (result.tokens.scope === undefined && scope !== undefined) return { ...result.tokens, scope };
    return result.tokens;
}

/**
 * Requests tokens for a provider with whatever grant it uses: the parameters of its `prepareTokenRequest(scope)`
 * (e.g. `client_credentials`), else the authorization code grant with `authorizationCode` (its callback's `iss`
 * checked first, RFC 9207 §2.4), the provider's code verifier and redirect URL. The client information is the
 * provider's; it must not be bound (`issuer`) to another authorization server than `metadata`'s.
 *
 * @throws {AuthorizationServerMismatchError} when the client information belongs to another authorization server.
 * @throws {RegistrationError} when the provider has no client information.
 * @throws {UnauthorizedError} when there is neither a `prepareTokenRequest` result nor an authorization code.
 * @throws {OAuthTokenError} when the token endpoint refuses.
 */
export async function fetchToken(
    provider: OAuthClientProvider,
    authorizationServerUrl: string | URL,
    {
        metadata,
        resource,
        authorizationCode,
        iss,
        scope,
        fetchFn
    }: {
        metadata?: AuthorizationServerMetadata | undefined;
        resource?: string | URL | undefined;
        /** The authorization code, for the authorization code grant. */
        authorizationCode?: string | undefined;
        /** The `iss` parameter of the callback that delivered `authorizationCode` (form-decoded). */
        iss?: string | undefined;
        /** The scope to pass to `prepareTokenRequest`. */
        scope?: string | undefined;
        fetchFn?: FetchLike | undefined;
    } = {}
): Promise<OAuthTokens> {
    const ctx = metadata === undefined ? undefined : { issuer: metadata.issuer };
    const clientInformation = await provider.clientInformation(ctx);
    if (clientInformation === undefined) {
        throw new RegistrationError('fetchToken needs the client information of a registered client');
    }
    if (metadata !== undefined && boundElsewhere(clientInformation, metadata.issuer)) {
        throw new AuthorizationServerMismatchError(clientInformation.issuer!, metadata.issuer);
    }
    let params = await provider.prepareTokenRequest?.(scope);
    if (params === undefined) {
        if (authorizationCode === undefined) {
            throw new UnauthorizedError(
                'fetchToken needs a provider with prepareTokenRequest, or an authorization code'
            );
        }
        checkIssuer(iss, metadata);
        const redirectUrl = provider.redirectUrl;
        if (redirectUrl === undefined) throw new UnauthorizedError('The authorization code grant needs a redirectUrl');
        const { verifier } = unpackCodeVerifier(await provider.codeVerifier());
        params = prepareAuthorizationCodeRequest(authorizationCode, verifier, redirectUrl);
    }
    const grantType = params.get('grant_type') ?? 'authorization_code';
    const parameters = Object.fromEntries([...params].filter(([name]) => name !== 'grant_type'));
    const options = tokenEndpointOptions(authorizationServerUrl, {
        metadata,
        clientInformation,
        resource,
        addClientAuthentication: provider.addClientAuthentication?.bind(provider),
        fetchFn
    });
    const result = await requestToken(grantType, parameters, {
        ...options,
        requestedScope: params.get('scope') ?? undefined
    });
    return result.tokens;
}
