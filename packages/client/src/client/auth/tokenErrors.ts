/**
 * Errors an OAuth endpoint answered with (RFC 6749 §5.2): {@link OAuthTokenError} and a subclass per well-known
 * `error` value. Their `code` is the OAuth error code itself (an `OAuthErrorCode` value such as `invalid_grant`), so
 * `error.code === OAuthErrorCode.InvalidGrant` holds for an {@link InvalidGrantError}.
 *
 * @module
 */
import type { OAuthErrorOptions } from '@modelcontextprotocol/core';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/core';

/**
 * The `code` of an {@link OAuthTokenError}: the OAuth `error` value the endpoint sent, one of {@link OAuthErrorCode}
 * for the well-known ones.
 */
export type OAuthTokenErrorCode = OAuthErrorCode | (string & NonNullable<unknown>);

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
 * An OAuth endpoint (usually the token endpoint) answered with an OAuth error (RFC 6749 §5.2). `code` is the `error`
 * value as sent. Well-known values have subclasses; any other (e.g. `server_error`, `temporarily_unavailable`) is an
 * `OAuthTokenError` itself.
 */
export class OAuthTokenError extends OAuthError {
    override readonly name: string = 'OAuthTokenError';
    declare readonly code: OAuthTokenErrorCode;
    /** The OAuth `error` value as sent (equal to `code`). */
    readonly error: string;
    /** The `error_description`, if any. */
    readonly errorDescription: string | undefined;
    /** The HTTP status. */
    readonly status: number | undefined;
    constructor(details: OAuthErrorDetails, options?: OAuthErrorOptions & { message?: string }) {
        super(
            details.error,
            options?.message ??
                `Token request failed: ${details.error}${details.errorDescription ? ` (${details.errorDescription})` : ''}`,
            details.errorUri,
            options
        );
        this.error = details.error;
        this.errorDescription = details.errorDescription;
        this.status = details.status;
    }
}

/** `invalid_request` (RFC 6749 §5.2). */
export class InvalidTokenRequestError extends OAuthTokenError {
    override readonly name: string = 'InvalidTokenRequestError';
    override readonly code = OAuthErrorCode.InvalidRequest;
}
/** `invalid_client` (RFC 6749 §5.2): client authentication failed; the registration may be gone. */
export class InvalidClientError extends OAuthTokenError {
    override readonly name: string = 'InvalidClientError';
    override readonly code = OAuthErrorCode.InvalidClient;
}
/** `invalid_grant` (RFC 6749 §5.2): the code or refresh token is invalid, expired or revoked; re-authorize. */
export class InvalidGrantError extends OAuthTokenError {
    override readonly name: string = 'InvalidGrantError';
    override readonly code = OAuthErrorCode.InvalidGrant;
}
/** `unauthorized_client` (RFC 6749 §5.2). */
export class UnauthorizedClientError extends OAuthTokenError {
    override readonly name: string = 'UnauthorizedClientError';
    override readonly code = OAuthErrorCode.UnauthorizedClient;
}
/** `unsupported_grant_type` (RFC 6749 §5.2). */
export class UnsupportedGrantTypeError extends OAuthTokenError {
    override readonly name: string = 'UnsupportedGrantTypeError';
    override readonly code = OAuthErrorCode.UnsupportedGrantType;
}
/**
 * `invalid_scope` (RFC 6749 §5.2): the requested scope is invalid, unknown, or exceeds what was granted (a refresh
 * cannot widen scope, RFC 6749 §6). Not to be confused with `InvalidScopeError` (malformed scope syntax).
 */
export class ScopeRejectedError extends OAuthTokenError {
    override readonly name: string = 'ScopeRejectedError';
    override readonly code = OAuthErrorCode.InvalidScope;
}
/** `invalid_target` (RFC 8707 §2): the `resource` is invalid or not allowed. */
export class InvalidTargetError extends OAuthTokenError {
    override readonly name: string = 'InvalidTargetError';
    override readonly code = OAuthErrorCode.InvalidTarget;
}

const TOKEN_ERROR_CLASSES: Record<string, typeof OAuthTokenError> = {
    [OAuthErrorCode.InvalidRequest]: InvalidTokenRequestError,
    [OAuthErrorCode.InvalidClient]: InvalidClientError,
    [OAuthErrorCode.InvalidGrant]: InvalidGrantError,
    [OAuthErrorCode.UnauthorizedClient]: UnauthorizedClientError,
    [OAuthErrorCode.UnsupportedGrantType]: UnsupportedGrantTypeError,
    [OAuthErrorCode.InvalidScope]: ScopeRejectedError,
    [OAuthErrorCode.InvalidTarget]: InvalidTargetError
};

/** Builds the {@link OAuthTokenError} subclass for an OAuth `error` value (RFC 6749 §5.2). */
export function tokenErrorFor(
    details: OAuthErrorDetails,
    options?: OAuthErrorOptions & { message?: string }
): OAuthTokenError {
    const ErrorClass = Object.hasOwn(TOKEN_ERROR_CLASSES, details.error)
        ? TOKEN_ERROR_CLASSES[details.error]!
        : OAuthTokenError;
    return new ErrorClass(details, options);
}
