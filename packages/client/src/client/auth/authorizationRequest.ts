/**
 * The authorization request (RFC 6749 §4.1.1 with PKCE RFC 7636 §4.3, RFC 8707 `resource`, RFC 9470 `acr_values` /
 * `max_age`) and the validation of the authorization response the redirect URI receives (RFC 6749 §4.1.2, `state`
 * §10.12, RFC 9207 `iss`).
 *
 * @module
 */
import {
    AuthorizationResponseError,
    InvalidAuthOptionsError,
    InvalidResponseError,
    IssuerMismatchError,
    StateMismatchError
} from './errors.js';
import { assertSecureEndpoint } from './http.js';
import type { ScopeInput } from './scope.js';
import { scopeSet } from './scope.js';

/** Parameters of an authorization request. */
export interface AuthorizationRequestParams {
    /** The authorization server's `authorization_endpoint`; its own query parameters are kept (RFC 6749 §3.1). */
    authorizationEndpoint: string | URL;
    /** The `client_id`. */
    clientId: string;
    /** The `redirect_uri`, exactly as registered. */
    redirectUri: string | URL;
    /** The PKCE S256 challenge (RFC 7636 §4.2). */
    codeChallenge: string;
    /** The `state` to bind the response to this request (RFC 6749 §10.12). */
    state: string;
    /** The scope to request; omitted from the URL when empty or undefined. */
    scope?: ScopeInput;
    /** The RFC 8707 `resource`: the MCP server's canonical URI. */
    resource?: string | URL | undefined;
    /** RFC 9470 `acr_values` from an `insufficient_user_authentication` challenge. */
    acrValues?: string | undefined;
    /** RFC 9470 `max_age` (seconds) from an `insufficient_user_authentication` challenge. */
    maxAge?: number | undefined;
    /**
     * The OpenID Connect `prompt`. Defaults to `consent` when the scope includes `offline_access` (OpenID Connect
     * Core §11: otherwise the server ignores that scope and issues no refresh token).
     */
    prompt?: string | undefined;
    /** Any further parameters; they cannot override the ones above. */
    extraParams?: Record<string, string> | undefined;
}

/**
 * Builds the authorization URL (RFC 6749 §4.1.1): `response_type=code`, `client_id`, `redirect_uri`,
 * `code_challenge` with `code_challenge_method=S256`, `state`, and `scope`, `resource`, `acr_values`, `max_age`,
 * `prompt` when set.
 *
 * @throws {InsecureEndpointError} for an authorization endpoint that is not https (loopback excepted).
 * @throws {InvalidScopeError} for a malformed scope.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await generatePkce();
 * const url = buildAuthorizationUrl({
 *     authorizationEndpoint: asMetadata.authorization_endpoint!,
 *     clientId,
 *     redirectUri: 'http://127.0.0.1:3000/callback',
 *     codeChallenge,
 *     state: generateState(),
 *     scope: 'init mcp:tools:read',
 *     resource: 'https://mcp.example.com/mcp'
 * });
 * ```
 */
export function buildAuthorizationUrl(params: AuthorizationRequestParams): URL {
    const url = assertSecureEndpoint(params.authorizationEndpoint, 'authorization endpoint');
    const query = url.searchParams;
    for (const [name, value] of Object.entries(params.extraParams ?? {})) query.set(name, value);
    const scope = scopeSet(params.scope);
    query.set('response_type', 'code');
    query.set('client_id', params.clientId);
    query.set('redirect_uri', String(params.redirectUri));
    query.set('code_challenge', params.codeChallenge);
    query.set('code_challenge_method', 'S256');
    query.set('state', params.state);
    if (scope.size > 0) query.set('scope', scope.toString());
    if (params.resource !== undefined) query.set('resource', String(params.resource));
    if (params.acrValues !== undefined && params.acrValues !== '') query.set('acr_values', params.acrValues);
    if (params.maxAge !== undefined) query.set('max_age', String(Math.max(0, Math.floor(params.maxAge))));
    const prompt = params.prompt ?? (scope.has('offline_access') ? 'consent' : undefined);
    if (prompt !== undefined) query.set('prompt', prompt);
    return url;
}

/** What {@link parseAuthorizationResponse} checks the response against. */
export interface AuthorizationResponseChecks {
    /** The `state` sent with the request. */
    expectedState: string;
    /** The authorization server's issuer identifier, to check `iss` against (RFC 9207 §2.4). */
    expectedIssuer?: string | undefined;
    /**
     * The server's `authorization_response_iss_parameter_supported` (RFC 9207 §3): when true, `iss` is required.
     * Requires `expectedIssuer`.
     */
    issuerParameterSupported?: boolean | undefined;
}

/** A successful authorization response (RFC 6749 §4.1.2). */
export interface AuthorizationResponse {
    /** The authorization code. */
    code: string;
    /** The `state`, equal to the expected one. */
    state: string;
    /** The RFC 9207 `iss`, when sent. */
    iss?: string;
}

/**
 * Checks the `iss` parameter of an authorization response (RFC 9207 §2.4), before anything else in the response is
 * used: when present it must equal the issuer of the authorization server the request went to (simple string
 * comparison); when absent, the server must not have advertised `authorization_response_iss_parameter_supported`.
 * An `iss` cannot be checked without the expected issuer, so it is then refused too.
 *
 * The received value is attacker-controlled in a mix-up attack: do not show it (or the response's `error_*`
 * parameters) to users.
 *
 * @throws {IssuerMismatchError} (`kind: 'authorization_response'`) when the check fails.
 */
export function validateAuthorizationResponseIssuer({
    iss,
    expectedIssuer,
    issParameterSupported
}: {
    /** The `iss` query parameter of the callback (form-decoded), `undefined` when absent. */
    iss: string | undefined;
    /** The `issuer` of the authorization server's validated metadata. */
    expectedIssuer: string | undefined;
    /** The metadata's `authorization_response_iss_parameter_supported`. */
    issParameterSupported: boolean;
}): void {
    const kind = 'authorization_response';
    if (iss === undefined) {
        if (!issParameterSupported) return;
        throw new IssuerMismatchError(expectedIssuer ?? '', undefined, {
            kind,
            message: 'Authorization response lacks the iss parameter the server promised (RFC 9207)'
        });
    }
    if (expectedIssuer === undefined) {
        throw new IssuerMismatchError('', iss, {
            kind,
            message: 'Authorization response carries iss, but the expected issuer is unknown (RFC 9207)'
        });
    }
    if (iss !== expectedIssuer) throw new IssuerMismatchError(expectedIssuer, iss, { kind });
}

/**
 * Validates the authorization response delivered to the redirect URI, in the order RFC 9207 §2.4 asks: `iss` first
 * (when sent it must equal the expected issuer; when the server advertises support it must be sent), then `state`,
 * then `error`, then `code`. Any parameter repeated is rejected (RFC 6749 §3.1).
 *
 * @param response the callback URL (or its query) the browser was redirected to.
 * @throws {IssuerMismatchError} for a wrong or missing `iss`.
 * @throws {StateMismatchError} for a wrong or missing `state`.
 * @throws {AuthorizationResponseError} when the server returned an `error` (e.g. `access_denied`).
 * @throws {InvalidResponseError} for a missing `code` or a repeated parameter.
 */
export function parseAuthorizationResponse(
    response: string | URL | URLSearchParams,
    checks: AuthorizationResponseChecks
): AuthorizationResponse {
    const query = response instanceof URLSearchParams ? response : new URL(response).searchParams;
    const single = (name: string): string | undefined => {
        const values = query.getAll(name);
        if (values.length > 1) throw new InvalidResponseError(`Authorization response repeats ${name}`);
        return values[0];
    };
    const iss = single('iss');
    if (checks.expectedIssuer !== undefined) {
        validateAuthorizationResponseIssuer({
            iss,
            expectedIssuer: checks.expectedIssuer,
            issParameterSupported: checks.issuerParameterSupported === true
        });
    } else if (checks.issuerParameterSupported === true) {
        throw new InvalidAuthOptionsError('issuerParameterSupported requires expectedIssuer');
    }
    const state = single('state');
    if (state !== checks.expectedState) {
        throw new StateMismatchError(
            state === undefined
                ? 'Authorization response lacks state'
                : 'Authorization response state does not match the request'
        );
    }
    const error = single('error');
    if (error !== undefined) {
        throw new AuthorizationResponseError(error, single('error_description'), single('error_uri'));
    }
    const code = single('code');
    if (code === undefined || code === '') throw new InvalidResponseError('Authorization response lacks code');
    return iss === undefined ? { code, state } : { code, state, iss };
}

/** Whether a `finishAuth` / `auth()` argument is a callback URL rather than a bare authorization code. */
export function isCallbackUrl(value: string | URL | URLSearchParams): boolean {
    return (
        value instanceof URL ||
        value instanceof URLSearchParams ||
        (/^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value))
    );
}

/**
 * The authorization code of a callback: from the callback URL or its query parameters (checked with
 * {@link parseAuthorizationResponse}: `iss`, then `state` when known, then `error`), or a bare code, whose `iss`
 * is checked when given ({@link validateAuthorizationResponseIssuer}). Internal to `client/auth`.
 */
export function authorizationCodeFrom(
    callback: {
        callbackUrl?: string | URL | URLSearchParams | undefined;
        authorizationCode?: string | undefined;
        iss?: string | undefined;
        expectedState?: string | undefined;
    },
    metadata: { issuer: string; authorization_response_iss_parameter_supported?: boolean | undefined }
): string {
    const value = callback.callbackUrl ?? callback.authorizationCode ?? '';
    const issParameterSupported = metadata.authorization_response_iss_parameter_supported === true;
    if (!isCallbackUrl(value)) {
        if (callback.iss !== undefined) {
            validateAuthorizationResponseIssuer({
                iss: callback.iss,
                expectedIssuer: metadata.issuer,
                issParameterSupported
            });
        }
        return String(value);
    }
    const query = value instanceof URLSearchParams ? value : new URL(value).searchParams;
    return parseAuthorizationResponse(query, {
        // Without a known state (e.g. after a restart) the caller is responsible for checking it.
        expectedState: callback.expectedState ?? query.get('state') ?? '',
        expectedIssuer: metadata.issuer,
        issuerParameterSupported: issParameterSupported
    }).code;
}
