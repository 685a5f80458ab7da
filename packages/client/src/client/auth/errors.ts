/**
 * Errors raised by the OAuth client building blocks. Every error is an {@link OAuthError} with a stable string
 * `code`; `switch (error.code)` narrows over {@link OAuthErrorCode}. Evidence goes in `cause`; an HTTP `Response`
 * kept on an error is non-enumerable so that logging the error does not dump it.
 *
 * Security failures (a resource or issuer that does not match, an insecure endpoint, a forged `state`) extend
 * {@link OAuthSecurityError}: retrying them cannot help, and they must stop the flow before any authorization request.
 *
 * @module
 */

/** Codes of the token endpoint errors (RFC 6749 §5.2, RFC 8707 §2). */
export type OAuthTokenErrorCode =
    | 'TOKEN_ERROR'
    | 'INVALID_REQUEST'
    | 'INVALID_CLIENT'
    | 'INVALID_GRANT'
    | 'UNAUTHORIZED_CLIENT'
    | 'UNSUPPORTED_GRANT_TYPE'
    | 'INVALID_SCOPE'
    | 'INVALID_TARGET';

/** Every code an {@link OAuthError} may carry. */
export type OAuthErrorCode =
    | OAuthTokenErrorCode
    | 'UNAUTHORIZED'
    | 'INSUFFICIENT_SCOPE'
    | 'INVALID_SCOPE_SYNTAX'
    | 'INSECURE_ENDPOINT'
    | 'RESOURCE_MISMATCH'
    | 'ISSUER_MISMATCH'
    | 'STATE_MISMATCH'
    | 'DISCOVERY_FAILED'
    | 'INVALID_RESPONSE'
    | 'REQUEST_FAILED'
    | 'REGISTRATION_FAILED'
    | 'UNSUPPORTED_CLIENT_AUTH_METHOD'
    | 'PKCE_UNSUPPORTED'
    | 'AUTHORIZATION_RESPONSE_ERROR'
    | 'AUTHORIZATION_SERVER_CHANGED';

/** Options common to every {@link OAuthError}. */
export interface OAuthErrorOptions {
    /** The underlying error or evidence. */
    cause?: unknown;
    /** The HTTP response that carried the failure; stored non-enumerable. */
    response?: Response;
}

/** The base of every OAuth error. */
export abstract class OAuthError extends Error {
    /** A stable machine-readable code. */
    abstract readonly code: OAuthErrorCode;
    /** The HTTP response that carried the failure, if any (non-enumerable). */
    declare readonly response?: Response;

    constructor(message: string, options: OAuthErrorOptions = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        if (options.response !== undefined) {
            Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
        }
    }
}

/** Failures where retrying cannot help and the flow must stop: a mismatch, a forgery or an insecure endpoint. */
export abstract class OAuthSecurityError extends OAuthError {}

/**
 * What an MCP client knows about the challenge behind an authorization error, so a host can show it instead of a
 * generic message. Every field is optional: errors raised outside a challenge carry none.
 */
export interface ChallengeDetails {
    /** The operation that was challenged: the JSON-RPC method, and the tool / prompt / resource it names. */
    operation?: string | undefined;
    /** The challenge's `error_description` (RFC 6750 §3), as the server sent it. */
    errorDescription?: string | undefined;
    /** The scope the challenge named. */
    challengedScopes?: string[] | undefined;
    /** Authorizations the operation cost since its last success, when the error ends them. */
    authorizations?: number | undefined;
}

function assignDetails(error: ChallengeDetails, details: ChallengeDetails | undefined): void {
    if (details === undefined) return;
    if (details.operation !== undefined) error.operation = details.operation;
    if (details.errorDescription !== undefined) error.errorDescription = details.errorDescription;
    if (details.challengedScopes !== undefined) error.challengedScopes = details.challengedScopes;
    if (details.authorizations !== undefined) error.authorizations = details.authorizations;
}

/**
 * The user (or client) must authorize before the request can succeed (the MCP server answered 401), or the
 * authorization this request waited for (a redirect) failed.
 */
export class UnauthorizedError extends OAuthError implements ChallengeDetails {
    override readonly name: string = 'UnauthorizedError';
    readonly code = 'UNAUTHORIZED';
    /** @inheritDoc */
    operation?: string;
    /** @inheritDoc */
    errorDescription?: string;
    /** @inheritDoc */
    challengedScopes?: string[];
    /** @inheritDoc */
    authorizations?: number;

    constructor(message = 'Unauthorized', options?: OAuthErrorOptions & { details?: ChallengeDetails }) {
        super(message, options);
        assignDetails(this, options?.details);
    }
}

/**
 * The operation needs scope the client cannot obtain: the authorization server granted less than asked (RFC 6750
 * §3.1 `insufficient_scope`), the application declined the step-up, or the operation's bound of authorizations is
 * spent. Asking again for the same set would be futile.
 */
export class InsufficientScopeError extends OAuthError implements ChallengeDetails {
    override readonly name: string = 'InsufficientScopeError';
    readonly code = 'INSUFFICIENT_SCOPE';
    /** Scope tokens needed but not granted. */
    readonly missingScopes: string[];
    /** Scope tokens asked for so far. */
    readonly requestedScopes: string[];
    /** Scope tokens the authorization server granted. */
    readonly grantedScopes: string[];
    /** @inheritDoc */
    operation?: string;
    /** @inheritDoc */
    errorDescription?: string;
    /** @inheritDoc */
    challengedScopes?: string[];
    /** @inheritDoc */
    authorizations?: number;

    constructor(
        scopes: { missingScopes: string[]; requestedScopes: string[]; grantedScopes: string[] } & ChallengeDetails,
        options?: OAuthErrorOptions & { message?: string }
    ) {
        super(
            options?.message ?? `Insufficient scope: not granted ${scopes.missingScopes.join(' ') || '(none)'}`,
            options
        );
        this.missingScopes = scopes.missingScopes;
        this.requestedScopes = scopes.requestedScopes;
        this.grantedScopes = scopes.grantedScopes;
        assignDetails(this, scopes);
    }
}

/** A scope string contains a character outside RFC 6749 §3.3 `scope-token`. */
export class InvalidScopeError extends OAuthError {
    override readonly name: string = 'InvalidScopeError';
    readonly code = 'INVALID_SCOPE_SYNTAX';
}

/** An endpoint is not `https:` and not on a loopback host (OAuth 2.1 §1.5, RFC 8252 §8.3). */
export class InsecureEndpointError extends OAuthSecurityError {
    override readonly name: string = 'InsecureEndpointError';
    readonly code = 'INSECURE_ENDPOINT';
    /** The offending URL. */
    readonly url: string;
    constructor(url: string, what = 'endpoint', options?: OAuthErrorOptions) {
        super(`Refusing insecure ${what} ${url}: https is required except on loopback hosts`, options);
        this.url = url;
    }
}

/** The protected resource metadata names a `resource` other than the server the client used (RFC 9728 §3.3). */
export class ResourceMismatchError extends OAuthSecurityError {
    override readonly name: string = 'ResourceMismatchError';
    readonly code = 'RESOURCE_MISMATCH';
    /** The resource the client expected (the MCP server URL). */
    readonly expected: string;
    /** The `resource` the metadata named. */
    readonly actual: string;
    constructor(expected: string, actual: string, options?: OAuthErrorOptions) {
        super(`Protected resource metadata is for ${actual}, not ${expected}`, options);
        this.expected = expected;
        this.actual = actual;
    }
}

/**
 * An issuer does not match: the `issuer` of discovered metadata (RFC 8414 §3.3) or the `iss` of an authorization
 * response (RFC 9207 §2.4), including a missing `iss` when the server promised one.
 */
export class IssuerMismatchError extends OAuthSecurityError {
    override readonly name: string = 'IssuerMismatchError';
    readonly code = 'ISSUER_MISMATCH';
    /** The issuer the client expected. */
    readonly expected: string;
    /** The issuer received, `undefined` when it was missing. */
    readonly actual: string | undefined;
    constructor(expected: string, actual: string | undefined, options?: OAuthErrorOptions & { message?: string }) {
        super(options?.message ?? `Issuer mismatch: expected ${expected}, got ${actual ?? '(none)'}`, options);
        this.expected = expected;
        this.actual = actual;
    }
}

/** The `state` of an authorization response is not the one the client sent (RFC 6749 §10.12). */
export class StateMismatchError extends OAuthSecurityError {
    override readonly name: string = 'StateMismatchError';
    readonly code = 'STATE_MISMATCH';
    constructor(message = 'Authorization response state does not match the request', options?: OAuthErrorOptions) {
        super(message, options);
    }
}

/**
 * The MCP server now names another authorization server than the one that issued the stored tokens (or registered
 * the stored client), and the provider cannot forget them: they are never presented to another server (RFC 6749
 * §10.4, §2.3 — refresh tokens and client credentials are bound to the server that issued them).
 */
export class AuthorizationServerChangedError extends OAuthSecurityError {
    override readonly name: string = 'AuthorizationServerChangedError';
    readonly code = 'AUTHORIZATION_SERVER_CHANGED';
    /** The authorization server the credentials belong to. */
    readonly previousIssuer: string;
    /** The authorization server discovery now names. */
    readonly issuer: string;
    constructor(message: string, details: { previousIssuer: string; issuer: string } & OAuthErrorOptions) {
        super(message, details);
        this.previousIssuer = details.previousIssuer;
        this.issuer = details.issuer;
    }
}

/** Metadata discovery failed: an HTTP error other than 404, a redirect, or no metadata where some is required. */
export class DiscoveryError extends OAuthError {
    override readonly name: string = 'DiscoveryError';
    readonly code = 'DISCOVERY_FAILED';
    /** The URL that failed, when one did. */
    readonly url: string | undefined;
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { url?: string; status?: number } & OAuthErrorOptions = {}) {
        super(message, details);
        this.url = details.url;
        this.status = details.status;
    }
}

/** A response body is not what the protocol requires (not JSON, too large, or failing its schema). */
export class InvalidResponseError extends OAuthError {
    override readonly name: string = 'InvalidResponseError';
    readonly code = 'INVALID_RESPONSE';
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { status?: number } & OAuthErrorOptions = {}) {
        super(message, details);
        this.status = details.status;
    }
}

/** A request could not be made (network failure, abort, timeout) or got an HTTP error without an OAuth error body. */
export class RequestFailedError extends OAuthError {
    override readonly name: string = 'RequestFailedError';
    readonly code = 'REQUEST_FAILED';
    /** The URL requested. */
    readonly url: string;
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { url: string; status?: number } & OAuthErrorOptions) {
        super(message, details);
        this.url = details.url;
        this.status = details.status;
    }
}

/** Dynamic client registration failed (RFC 7591 §3.2.2), or the server offers no way to register. */
export class RegistrationError extends OAuthError {
    override readonly name: string = 'RegistrationError';
    readonly code = 'REGISTRATION_FAILED';
    /** The RFC 7591 §3.2.2 `error` (e.g. `invalid_client_metadata`), when the server sent one. */
    readonly error: string | undefined;
    /** The server's `error_description`. */
    readonly errorDescription: string | undefined;
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(
        message: string,
        details: { error?: string; errorDescription?: string; status?: number } & OAuthErrorOptions = {}
    ) {
        super(message, details);
        this.error = details.error;
        this.errorDescription = details.errorDescription;
        this.status = details.status;
    }
}

/** No token endpoint authentication method both parties support, or the credentials it needs are missing. */
export class UnsupportedClientAuthMethodError extends OAuthError {
    override readonly name: string = 'UnsupportedClientAuthMethodError';
    readonly code = 'UNSUPPORTED_CLIENT_AUTH_METHOD';
}

/** The authorization server does not advertise PKCE `S256` (MCP 2025-11-25: the client must refuse to proceed). */
export class PkceUnsupportedError extends OAuthError {
    override readonly name: string = 'PkceUnsupportedError';
    readonly code = 'PKCE_UNSUPPORTED';
}

/** The authorization response carried an `error` (RFC 6749 §4.1.2.1), e.g. `access_denied`. */
export class AuthorizationResponseError extends OAuthError {
    override readonly name: string = 'AuthorizationResponseError';
    readonly code = 'AUTHORIZATION_RESPONSE_ERROR';
    /** The OAuth `error` value. */
    readonly error: string;
    /** The `error_description`, if any. */
    readonly errorDescription: string | undefined;
    /** The `error_uri`, if any. */
    readonly errorUri: string | undefined;
    constructor(error: string, errorDescription?: string, errorUri?: string, options?: OAuthErrorOptions) {
        super(`Authorization failed: ${error}${errorDescription ? ` (${errorDescription})` : ''}`, options);
        this.error = error;
        this.errorDescription = errorDescription;
        this.errorUri = errorUri;
    }
}

/** Fields of an OAuth error response (RFC 6749 §5.2) carried by {@link OAuthTokenError}. */
export interface OAuthErrorDetails {
    /** The `error` value. */
    error: string;
    /** The `error_description`, if any. */
    errorDescription?: string | undefined;
    /** The `error_uri`, if any. */
    errorUri?: string | undefined;
    /** The HTTP status. */
    status?: number | undefined;
}

/**
 * The token endpoint answered with an OAuth error (RFC 6749 §5.2). Known `error` values have subclasses; any other
 * value (e.g. `server_error`, `temporarily_unavailable`) is an `OAuthTokenError` with code `TOKEN_ERROR`.
 */
export class OAuthTokenError extends OAuthError {
    override readonly name: string = 'OAuthTokenError';
    readonly code: OAuthTokenErrorCode = 'TOKEN_ERROR';
    /** The OAuth `error` value as sent. */
    readonly error: string;
    /** The `error_description`, if any. */
    readonly errorDescription: string | undefined;
    /** The `error_uri`, if any. */
    readonly errorUri: string | undefined;
    /** The HTTP status. */
    readonly status: number | undefined;
    constructor(details: OAuthErrorDetails, options?: OAuthErrorOptions) {
        super(
            `Token request failed: ${details.error}${details.errorDescription ? ` (${details.errorDescription})` : ''}`,
            options
        );
        this.error = details.error;
        this.errorDescription = details.errorDescription;
        this.errorUri = details.errorUri;
        this.status = details.status;
    }
}

/** `invalid_request` (RFC 6749 §5.2). */
export class InvalidTokenRequestError extends OAuthTokenError {
    override readonly name: string = 'InvalidTokenRequestError';
    override readonly code = 'INVALID_REQUEST';
}
/** `invalid_client` (RFC 6749 §5.2): client authentication failed; the registration may be gone. */
export class InvalidClientError extends OAuthTokenError {
    override readonly name: string = 'InvalidClientError';
    override readonly code = 'INVALID_CLIENT';
}
/** `invalid_grant` (RFC 6749 §5.2): the code or refresh token is invalid, expired or revoked; re-authorize. */
export class InvalidGrantError extends OAuthTokenError {
    override readonly name: string = 'InvalidGrantError';
    override readonly code = 'INVALID_GRANT';
}
/** `unauthorized_client` (RFC 6749 §5.2). */
export class UnauthorizedClientError extends OAuthTokenError {
    override readonly name: string = 'UnauthorizedClientError';
    override readonly code = 'UNAUTHORIZED_CLIENT';
}
/** `unsupported_grant_type` (RFC 6749 §5.2). */
export class UnsupportedGrantTypeError extends OAuthTokenError {
    override readonly name: string = 'UnsupportedGrantTypeError';
    override readonly code = 'UNSUPPORTED_GRANT_TYPE';
}
/**
 * `invalid_scope` (RFC 6749 §5.2): the requested scope is invalid, unknown, or exceeds what was granted (a refresh
 * cannot widen scope, RFC 6749 §6). Not to be confused with {@link InvalidScopeError} (malformed scope syntax).
 */
export class ScopeRejectedError extends OAuthTokenError {
    override readonly name: string = 'ScopeRejectedError';
    override readonly code = 'INVALID_SCOPE';
}
/** `invalid_target` (RFC 8707 §2): the `resource` is invalid or not allowed. */
export class InvalidTargetError extends OAuthTokenError {
    override readonly name: string = 'InvalidTargetError';
    override readonly code = 'INVALID_TARGET';
}

const TOKEN_ERROR_CLASSES: Record<string, typeof OAuthTokenError> = {
    invalid_request: InvalidTokenRequestError,
    invalid_client: InvalidClientError,
    invalid_grant: InvalidGrantError,
    unauthorized_client: UnauthorizedClientError,
    unsupported_grant_type: UnsupportedGrantTypeError,
    invalid_scope: ScopeRejectedError,
    invalid_target: InvalidTargetError
};

/** Builds the {@link OAuthTokenError} subclass for an OAuth `error` value (RFC 6749 §5.2). */
export function tokenErrorFor(details: OAuthErrorDetails, options?: OAuthErrorOptions): OAuthTokenError {
    const ErrorClass = Object.hasOwn(TOKEN_ERROR_CLASSES, details.error)
        ? TOKEN_ERROR_CLASSES[details.error]!
        : OAuthTokenError;
    return new ErrorClass(details, options);
}
