/**
 * OAuth errors shared by the MCP client and server: the error codes OAuth endpoints answer with (RFC 6749 §4.1.2.1,
 * §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 7591 §3.2.2, RFC 8707 §2, RFC 9449 §7.1) and {@link OAuthError}, the
 * error carrying one of them. The client's own OAuth errors extend it.
 *
 * @module
 */
import type { OAuthErrorResponse } from './tokens.js';

/**
 * OAuth error codes (the `error` member of an OAuth error response) by name. `code === OAuthErrorCode.InvalidGrant`
 * compares an {@link OAuthError}'s `code` with one of them.
 */
export const OAuthErrorCode = {
    /** RFC 6749 §5.2: the request is malformed (missing, repeated or invalid parameter). */
    InvalidRequest: 'invalid_request',
    /** RFC 6749 §5.2: client authentication failed. */
    InvalidClient: 'invalid_client',
    /** RFC 6749 §5.2: the authorization code or refresh token is invalid, expired, revoked or not this client's. */
    InvalidGrant: 'invalid_grant',
    /** RFC 6749 §5.2: the client may not use this grant type. */
    UnauthorizedClient: 'unauthorized_client',
    /** RFC 6749 §5.2: the grant type is not supported. */
    UnsupportedGrantType: 'unsupported_grant_type',
    /** RFC 6749 §5.2: the scope is invalid, unknown, malformed or exceeds what was granted. */
    InvalidScope: 'invalid_scope',
    /** RFC 6749 §4.1.2.1: the resource owner or the authorization server denied the request. */
    AccessDenied: 'access_denied',
    /** RFC 6749 §4.1.2.1: the authorization server failed unexpectedly. */
    ServerError: 'server_error',
    /** RFC 6749 §4.1.2.1: the authorization server is overloaded or down for maintenance. */
    TemporarilyUnavailable: 'temporarily_unavailable',
    /** RFC 6749 §4.1.2.1: the response type is not supported. */
    UnsupportedResponseType: 'unsupported_response_type',
    /** RFC 7009 §2.2.1: the token type cannot be revoked. */
    UnsupportedTokenType: 'unsupported_token_type',
    /** RFC 6750 §3.1: the access token is expired, revoked, malformed or otherwise invalid. */
    InvalidToken: 'invalid_token',
    /** Not in an RFC: the HTTP method is not allowed at this endpoint. */
    MethodNotAllowed: 'method_not_allowed',
    /** Not in an RFC: too many requests (HTTP 429, RFC 6585 §4). */
    TooManyRequests: 'too_many_requests',
    /** RFC 7591 §3.2.2: a client metadata value is invalid. */
    InvalidClientMetadata: 'invalid_client_metadata',
    /** RFC 7591 §3.2.2: a redirect URI is invalid. */
    InvalidRedirectUri: 'invalid_redirect_uri',
    /** RFC 6750 §3.1: the access token lacks the scope the request needs. */
    InsufficientScope: 'insufficient_scope',
    /** RFC 8707 §2: the requested resource is invalid or not allowed. */
    InvalidTarget: 'invalid_target',
    /** RFC 9449 §7.1: the DPoP proof is invalid. */
    InvalidDpopProof: 'invalid_dpop_proof',
    /** RFC 9449 §8, §9: the server requires a nonce it supplied in the DPoP proof. */
    UseDpopNonce: 'use_dpop_nonce'
} as const;

/** A value of {@link OAuthErrorCode}. */
export type OAuthErrorCode = (typeof OAuthErrorCode)[keyof typeof OAuthErrorCode];

/** Options of {@link OAuthError} beyond its code and message. */
export interface OAuthErrorOptions {
    /** The underlying error or evidence. */
    cause?: unknown;
    /** The HTTP response that carried the failure; stored non-enumerable, so logging the error does not dump it. */
    response?: Response;
}

/**
 * An OAuth error. `code` is an OAuth error code ({@link OAuthErrorCode}) when the error is one an OAuth endpoint
 * answered with or one to answer with; the client's own OAuth errors (subclasses) carry their own stable codes.
 */
export class OAuthError extends Error {
    override readonly name: string = 'OAuthError';
    /** The error code: an {@link OAuthErrorCode} value, or a subclass's own code. */
    readonly code: string;
    /** A page describing the error (the `error_uri` of RFC 6749 §5.2), if any. */
    readonly errorUri?: string;
    /** The HTTP response that carried the failure, if any (non-enumerable). */
    declare readonly response?: Response;

    constructor(code: OAuthErrorCode | string, message: string, errorUri?: string, options: OAuthErrorOptions = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.code = code;
        if (errorUri !== undefined) this.errorUri = errorUri;
        if (options.response !== undefined) {
            Object.defineProperty(this, 'response', { value: options.response, enumerable: false });
        }
    }

    /** The OAuth error response (RFC 6749 §5.2) describing this error: `error`, `error_description`, `error_uri`. */
    toResponseObject(): OAuthErrorResponse {
        const response: OAuthErrorResponse = { error: this.code, error_description: this.message };
        if (this.errorUri !== undefined) response.error_uri = this.errorUri;
        return response;
    }

    /** An {@link OAuthError} for an OAuth error response (RFC 6749 §5.2). */
    static fromResponse(response: OAuthErrorResponse): OAuthError {
        return new OAuthError(response.error, response.error_description ?? response.error, response.error_uri);
    }

    /** True when `value` is an {@link OAuthError} (or a subclass, when called on one). */
    static isInstance<T extends abstract new (...args: never[]) => unknown>(
        this: T,
        value: unknown
    ): value is InstanceType<T> {
        return value instanceof this;
    }
}
