/**
 * Token endpoint requests (RFC 6749 §3.2): the `authorization_code` (§4.1.3, with PKCE RFC 7636 §4.5),
 * `refresh_token` (§6) and `client_credentials` (§4.4) grants, and a generic request for extension grants such as
 * RFC 8693 token exchange or the RFC 7523 JWT bearer grant. Every request carries the RFC 8707 `resource` when given.
 *
 * Responses become a {@link TokenResult} whose `grantedScope` follows RFC 6749 §5.1: when the response omits
 * `scope`, the granted scope is the requested scope, never "nothing".
 *
 * @module
 */
import type { OAuthErrorResponse, OAuthTokens } from '@modelcontextprotocol/core';
import { OAuthErrorCode, OAuthErrorResponseSchema, OAuthTokensSchema } from '@modelcontextprotocol/core';
import * as z from 'zod/mini';

import type { ClientAuthMethod, ClientCredentials, TokenRequestParts } from './clientAuth.js';
import { applyClientAuthentication } from './clientAuth.js';
import type { OAuthTokenError } from './errors.js';
import {
    InsecureEndpointError,
    InvalidResponseError,
    InvalidScopeError,
    RequestFailedError,
    tokenErrorFor
} from './errors.js';
import { InsecureTokenEndpointError } from './flowErrors.js';
import type { RequestOptions } from './http.js';
import { assertSecureEndpoint, discardBody, isJsonObject, readJson, readText, send } from './http.js';
import type { ScopeInput, ScopeSet } from './scope.js';
import { formatScope, parseScope, scopeSet } from './scope.js';
import { parseWithSchema } from './validate.js';
import { isTokenDpopNonceError } from './dpop.js';
import type { DpopSession } from './dpop.js';

/** Options common to every token request. */
export interface TokenEndpointOptions extends RequestOptions {
    /** The authorization server's `token_endpoint`. */
    tokenEndpoint: string | URL;
    /** The client's credentials. */
    client: ClientCredentials;
    /** How to authenticate (see `selectClientAuthMethod`). */
    clientAuthMethod: ClientAuthMethod;
    /** The RFC 8707 `resource`: the MCP server's canonical URI. */
    resource?: string | URL | undefined;
    /** Extra request headers. */
    headers?: HeadersInit | undefined;
    /**
     * Authenticates the request instead of `clientAuthMethod` (e.g. an `OAuthClientProvider`'s
     * `addClientAuthentication`); it may add headers and form parameters.
     */
    authenticate?: ((parts: TokenRequestParts) => void | Promise<void>) | undefined;
    /** Signs a DPoP proof into the request (RFC 9449 §5), retrying once with the server's nonce when it asks. */
    dpop?: DpopSession | undefined;
}

/** A validated token response. */
export interface TokenResult {
    /** The response as sent (RFC 6749 §5.1), unknown members kept. */
    tokens: OAuthTokens;
    /**
     * The scope actually granted: the response's `scope` when present, else the requested scope (RFC 6749 §5.1).
     * Empty only when nothing was requested and the server named nothing.
     */
    grantedScope: ScopeSet;
    /** Where `grantedScope` came from. */
    scopeSource: 'response' | 'requested';
    /** When the access token expires, in seconds since the epoch, from `expires_in`. */
    expiresAt: number | undefined;
}

/** Options of {@link processTokenResponse}. */
export interface ProcessTokenResponseOptions {
    /** The scope the grant asked for; it is the granted scope when the response omits `scope`. */
    requestedScope?: ScopeInput;
    /** The current time in milliseconds, for `expiresAt`; default `Date.now()`. */
    now?: number | undefined;
    /**
     * The `token_type` to assume when the response has none: for a token exchange issuing something other than an
     * access token, where the member is informational (RFC 8693 §2.2.1, which names `N_A`). Default: none is assumed.
     */
    defaultTokenType?: string | undefined;
}

/**
 * Requires the token endpoint to be `https:` or on a loopback host (OAuth 2.1 §1.5), since token requests carry
 * credentials. Returns the parsed URL.
 *
 * @throws {InsecureTokenEndpointError} for any other URL.
 */
export function assertSecureTokenEndpoint(tokenEndpoint: string | URL): URL {
    try {
        return assertSecureEndpoint(tokenEndpoint, 'token endpoint');
    } catch (error) {
        if (error instanceof InsecureEndpointError) throw new InsecureTokenEndpointError(String(tokenEndpoint));
        throw error;
    }
}

/**
 * POSTs a token request (RFC 6749 §3.2) with `grant_type`, the given parameters (entries whose value is `undefined`
 * are left out), the RFC 8707 `resource`, and client authentication. Redirects are not followed.
 *
 * @throws {InsecureTokenEndpointError} for a token endpoint that is not https (loopback excepted).
 * @throws {UnsupportedClientAuthMethodError} when the credentials do not fit the method.
 * @throws {RequestFailedError} when no response arrives.
 */
export async function tokenRequest(
    grantType: string,
    parameters: Record<string, string | undefined>,
    options: TokenEndpointOptions
): Promise<Response> {
    const url = assertSecureTokenEndpoint(options.tokenEndpoint);
    const body = new URLSearchParams({ grant_type: grantType });
    for (const [name, value] of Object.entries(parameters)) {
        if (value !== undefined) body.set(name, value);
    }
    if (options.resource !== undefined) body.set('resource', String(options.resource));
    const headers = new Headers(options.headers);
    headers.set('Content-Type', 'application/x-www-form-urlencoded');
    headers.set('Accept', 'application/json');
    const parts = { headers, body, tokenEndpoint: url };
    if (options.authenticate !== undefined) await options.authenticate(parts);
    else await applyClientAuthentication(options.clientAuthMethod, options.client, parts);
    const dpop = options.dpop;
    if (dpop === undefined) return send(url, { method: 'POST', headers, body, redirect: 'manual' }, options);
    for (let attempt = 0; ; attempt++) {
        headers.set('DPoP', await dpop.buildProof({ htm: 'POST', htu: url }));
        const response = await send(url, { method: 'POST', headers, body, redirect: 'manual' }, options);
        const nonceBefore = dpop.nonceFor(url);
        dpop.observeNonce(response, url);
        if (attempt > 0 || response.status !== 400 || dpop.nonceFor(url) === undefined) return response;
        const text = await response.clone().text();
        if (!isTokenDpopNonceError(response.status, text) || dpop.nonceFor(url) === nonceBefore) return response;
        await discardBody(response); // RFC 9449 §8: sign again with the nonce the server just gave
    }
}

/**
 * Validates a token endpoint response into a {@link TokenResult} (RFC 6749 §5.1), or throws the OAuth error it
 * carries (§5.2) as the matching {@link OAuthTokenError} subclass.
 *
 * @throws {OAuthTokenError} (e.g. `InvalidGrantError`, `InvalidClientError`, `ScopeRejectedError`) for an OAuth error.
 * @throws {RequestFailedError} for an error status without an OAuth error body.
 * @throws {InvalidResponseError} for a success body that is not a valid token response.
 */
export async function processTokenResponse(
    response: Response,
    options: ProcessTokenResponseOptions = {}
): Promise<TokenResult> {
    if (!response.ok) throw await tokenErrorFrom(response);
    const body = await readJson(response);
    if (isJsonObject(body) && typeof body.expires_in === 'string' && /^\d{1,10}$/.test(body.expires_in)) {
        body.expires_in = Number(body.expires_in); // tolerated: some servers send a numeric string
    }
    if (isJsonObject(body) && body.token_type === undefined && options.defaultTokenType !== undefined) {
        body.token_type = options.defaultTokenType;
    }
    const tokens = parseWithSchema(OAuthTokensSchema, body, response, 'token response');
    let grantedScope: ScopeSet;
    let scopeSource: TokenResult['scopeSource'];
    if (tokens.scope === undefined) {
        grantedScope = scopeSet(options.requestedScope);
        scopeSource = 'requested';
    } else {
        grantedScope = parseResponseScope(tokens.scope, response);
        scopeSource = 'response';
    }
    const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
    const expiresAt = tokens.expires_in === undefined ? undefined : nowSeconds + tokens.expires_in;
    return { tokens, grantedScope, scopeSource, expiresAt };
}

function parseResponseScope(scope: string, response: Response): ScopeSet {
    try {
        return parseScope(scope);
    } catch (cause) {
        if (!(cause instanceof InvalidScopeError)) throw cause;
        throw new InvalidResponseError(`Token response has an invalid scope: ${cause.message}`, {
            status: response.status,
            response,
            cause
        });
    }
}

async function tokenErrorFrom(response: Response): Promise<Error> {
    const url = response.url;
    const status = response.status;
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
        await discardBody(response);
        return new RequestFailedError(
            `Token endpoint answered with a redirect (HTTP ${status}), which is not followed`,
            {
                url,
                status,
                response
            }
        );
    }
    const parsed = oauthErrorBody(await readJson(response).catch(() => undefined));
    if (parsed !== undefined) return errorFromBody(parsed, status, response);
    return new RequestFailedError(`Token endpoint answered HTTP ${status} without an OAuth error`, {
        url,
        status,
        response
    });
}

function oauthErrorBody(body: unknown): OAuthErrorResponse | undefined {
    const parsed = isJsonObject(body) ? z.safeParse(OAuthErrorResponseSchema, body) : undefined;
    return parsed?.success ? parsed.data : undefined;
}

function errorFromBody(
    body: OAuthErrorResponse,
    status: number | undefined,
    response: Response | undefined
): OAuthTokenError {
    const details = { error: body.error, errorDescription: body.error_description, errorUri: body.error_uri, status };
    return tokenErrorFor(details, response === undefined ? undefined : { response });
}

/**
 * Reads an OAuth error response (RFC 6749 §5.2) from a `Response` (its body is consumed) or its body text, as the
 * {@link OAuthTokenError} subclass for its `error` (`code` is the OAuth error code). A body that is not an OAuth
 * error gives an `OAuthTokenError` with code `server_error` whose message carries the HTTP status and the start of
 * the body.
 */
export async function parseErrorResponse(input: Response | string): Promise<OAuthTokenError> {
    const response = typeof input === 'string' ? undefined : input;
    const text = response === undefined ? (input as string) : await readText(response).catch(() => '');
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    const parsed = oauthErrorBody(json);
    if (parsed !== undefined) return errorFromBody(parsed, response?.status, response);
    const status = response === undefined ? '' : `HTTP ${response.status}: `;
    return tokenErrorFor(
        { error: OAuthErrorCode.ServerError, status: response?.status },
        {
            ...(response === undefined ? {} : { response }),
            message: `${status}not an OAuth error response: ${text.slice(0, 200)}`
        }
    );
}

/**
 * Makes any token request and processes the response: {@link tokenRequest} then {@link processTokenResponse}. Use
 * it for extension grants (RFC 8693 token exchange, RFC 7523 JWT bearer).
 */
export async function requestToken(
    grantType: string,
    parameters: Record<string, string | undefined>,
    options: TokenEndpointOptions & Pick<ProcessTokenResponseOptions, 'requestedScope' | 'defaultTokenType'>
): Promise<TokenResult> {
    const response = await tokenRequest(grantType, parameters, options);
    return processTokenResponse(response, {
        requestedScope: options.requestedScope,
        defaultTokenType: options.defaultTokenType
    });
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3) with the PKCE verifier (RFC 7636 §4.5).
 *
 * @param options.requestedScope the scope the authorization request asked for; the granted scope when the response
 * omits `scope`.
 */
export async function exchangeAuthorizationCode(
    options: TokenEndpointOptions & {
        code: string;
        codeVerifier: string;
        redirectUri: string | URL;
        requestedScope?: ScopeInput;
    }
): Promise<TokenResult> {
    return requestToken(
        'authorization_code',
        { code: options.code, code_verifier: options.codeVerifier, redirect_uri: String(options.redirectUri) },
        options
    );
}

/**
 * Refreshes an access token (RFC 6749 §6). A refresh cannot widen scope: send `scope` (the current accumulated
 * scope, which some servers require) or omit it to keep the original grant. When the response omits `scope`, the
 * granted scope is `scope` if sent, else `previousScope`. When the response carries no new refresh token, the one
 * used is kept in `tokens.refresh_token`.
 */
export async function refreshAccessToken(
    options: TokenEndpointOptions & {
        refreshToken: string;
        scope?: ScopeInput;
        previousScope?: ScopeInput;
    }
): Promise<TokenResult> {
    const scope = options.scope === undefined ? '' : formatScope(options.scope);
    const response = await tokenRequest(
        'refresh_token',
        { refresh_token: options.refreshToken, scope: scope === '' ? undefined : scope },
        options
    );
    const result = await processTokenResponse(response, {
        requestedScope: scope === '' ? options.previousScope : scope
    });
    if (result.tokens.refresh_token === undefined) {
        result.tokens = { ...result.tokens, refresh_token: options.refreshToken };
    }
    return result;
}

/** Requests a token with the client's own credentials (RFC 6749 §4.4), for machine-to-machine clients. */
export async function requestClientCredentialsToken(
    options: TokenEndpointOptions & { scope?: ScopeInput }
): Promise<TokenResult> {
    const scope = formatScope(options.scope);
    return requestToken(
        'client_credentials',
        { scope: scope === '' ? undefined : scope },
        {
            ...options,
            requestedScope: scope
        }
    );
}
