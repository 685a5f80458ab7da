/**
 * Errors raised by the OAuth client building blocks. Every error is an {@link OAuthError} (from
 * `@modelcontextprotocol/core`) with a stable string `code`: this SDK's own codes ({@link OAuthClientErrorCode}),
 * or, for an error an OAuth endpoint answered with, its OAuth error code (`OAuthErrorCode`, see `tokenErrors.ts`).
 * Evidence goes in `cause`; an HTTP `Response` kept on an error is non-enumerable so that logging the error does
 * not dump it.
 *
 * Security failures (a resource or issuer that does not match, an insecure endpoint, a forged `state`) extend
 * {@link OAuthSecurityError}: retrying them cannot help, and they must stop the flow before any authorization request.
 *
 * @module
 */
import type { OAuthErrorOptions } from '@modelcontextprotocol/core';
import { OAuthError } from '@modelcontextprotocol/core';

export { OAuthError };
export type { OAuthErrorOptions };

/** The codes of this SDK's own OAuth client errors (the ones that are not an OAuth endpoint's answer). */
export type OAuthClientErrorCode =
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
    | 'AUTHORIZATION_SERVER_CHANGED'
    | 'OAUTH_CLIENT_FLOW';

/**
 * Marks the errors that are `instanceof OAuthClientFlowError` (the official SDK's family of flow failures that
 * re-authorizing cannot fix) although their class extends another error of this module. Internal.
 */
export const CLIENT_FLOW_BRAND: unique symbol = Symbol.for('@modelcontextprotocol/client.OAuthClientFlowError');

/** Brands a class's instances as `OAuthClientFlowError`s (see {@link CLIENT_FLOW_BRAND}). Internal. */
export function brandClientFlowError(errorClass: abstract new (...args: never[]) => Error): void {
    Object.defineProperty(errorClass.prototype, CLIENT_FLOW_BRAND, { value: true });
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
    /** The challenge's `scope` as sent (official SDK name), when it named one. */
    requiredScope?: string | undefined;
    /** The challenge's `resource_metadata` URL (RFC 9728 §5.1), when it carried one. */
    resourceMetadataUrl?: URL | undefined;
}

function assignDetails(error: ChallengeDetails, details: ChallengeDetails | undefined): void {
    if (details === undefined) return;
    if (details.operation !== undefined) error.operation = details.operation;
    if (details.errorDescription !== undefined) error.errorDescription = details.errorDescription;
    if (details.challengedScopes !== undefined) error.challengedScopes = details.challengedScopes;
    if (details.authorizations !== undefined) error.authorizations = details.authorizations;
    if (details.requiredScope !== undefined) error.requiredScope = details.requiredScope;
    if (details.resourceMetadataUrl !== undefined) error.resourceMetadataUrl = details.resourceMetadataUrl;
}

/**
 * The user (or client) must authorize before the request can succeed (the MCP server answered 401), or the
 * authorization this request waited for (a redirect) failed.
 */
export class UnauthorizedError extends OAuthError implements ChallengeDetails {
    override readonly name: string = 'UnauthorizedError';
    override readonly code = 'UNAUTHORIZED';
    /** @inheritDoc */
    operation?: string;
    /** @inheritDoc */
    errorDescription?: string;
    /** @inheritDoc */
    challengedScopes?: string[];
    /** @inheritDoc */
    authorizations?: number;
    /** @inheritDoc */
    requiredScope?: string;
    /** @inheritDoc */
    resourceMetadataUrl?: URL;

    constructor(message = 'Unauthorized', options?: OAuthErrorOptions & { details?: ChallengeDetails }) {
        super('UNAUTHORIZED', message, undefined, options);
        assignDetails(this, options?.details);
    }
}

/**
 * The operation needs scope the client cannot obtain: the authorization server granted less than asked (RFC 6750
 * §3.1 `insufficient_scope`), the application declined the step-up, or the operation's bound of authorizations is
 * spent. Asking again for the same set would be futile. Constructible with the official SDK's init too
 * (`{ requiredScope, resourceMetadataUrl, errorDescription }`).
 */
export class InsufficientScopeError extends OAuthError implements ChallengeDetails {
    override readonly name: string = 'InsufficientScopeError';
    override readonly code = 'INSUFFICIENT_SCOPE';
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
    /** @inheritDoc */
    requiredScope?: string;
    /** @inheritDoc */
    resourceMetadataUrl?: URL;

    constructor(
        scopes: { missingScopes?: string[]; requestedScopes?: string[]; grantedScopes?: string[] } & ChallengeDetails,
        options?: OAuthErrorOptions & { message?: string }
    ) {
        const missing = scopes.missingScopes ?? [];
        super(
            'INSUFFICIENT_SCOPE',
            options?.message ??
                `Insufficient scope: not granted ${missing.join(' ') || scopes.requiredScope || '(none)'}`,
            undefined,
            options
        );
        this.missingScopes = missing;
        this.requestedScopes = scopes.requestedScopes ?? [];
        this.grantedScopes = scopes.grantedScopes ?? [];
        assignDetails(this, scopes);
    }
}

/** A scope string contains a character outside RFC 6749 §3.3 `scope-token`. */
export class InvalidScopeError extends OAuthError {
    override readonly name: string = 'InvalidScopeError';
    override readonly code = 'INVALID_SCOPE_SYNTAX';
    constructor(message: string, options?: OAuthErrorOptions) {
        super('INVALID_SCOPE_SYNTAX', message, undefined, options);
    }
}

/** An OAuth option has a value it cannot use (checked once, where the option is given). */
export class InvalidAuthOptionsError extends OAuthError {
    override readonly name: string = 'InvalidAuthOptionsError';
    override readonly code = 'INVALID_AUTH_OPTIONS';
    constructor(message: string, options?: OAuthErrorOptions) {
        super('INVALID_AUTH_OPTIONS', message, undefined, options);
    }
}

/** An endpoint is not `https:` and not on a loopback host (OAuth 2.1 §1.5, RFC 8252 §8.3). */
export class InsecureEndpointError extends OAuthSecurityError {
    override readonly name: string = 'InsecureEndpointError';
    override readonly code = 'INSECURE_ENDPOINT';
    /** The offending URL. */
    readonly url: string;
    constructor(url: string, what = 'endpoint', options?: OAuthErrorOptions) {
        super(
            'INSECURE_ENDPOINT',
            `Refusing insecure ${what} ${url}: https is required except on loopback hosts`,
            undefined,
            options
        );
        this.url = url;
    }
}

/** The protected resource metadata names a `resource` other than the server the client used (RFC 9728 §3.3). */
export class ResourceMismatchError extends OAuthSecurityError {
    override readonly name: string = 'ResourceMismatchError';
    override readonly code = 'RESOURCE_MISMATCH';
    /** The resource the client expected (the MCP server URL). */
    readonly expected: string;
    /** The `resource` the metadata named. */
    readonly actual: string;
    constructor(expected: string, actual: string, options?: OAuthErrorOptions) {
        super('RESOURCE_MISMATCH', `Protected resource metadata is for ${actual}, not ${expected}`, undefined, options);
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
    override readonly code = 'ISSUER_MISMATCH';
    /** The issuer the client expected. */
    readonly expected: string;
    /** The issuer received, `undefined` when it was missing. */
    readonly actual: string | undefined;
    /**
     * Which check failed: the `issuer` of discovered metadata (`'metadata'`, RFC 8414 §3.3) or the `iss` of an
     * authorization response (`'authorization_response'`, RFC 9207 §2.4). On the latter path the received value
     * comes from the callback URL, which an attacker controls in a mix-up attack: do not show it to users.
     */
    readonly kind: 'metadata' | 'authorization_response';
    constructor(
        expected: string,
        actual: string | undefined,
        options?: OAuthErrorOptions & { message?: string; kind?: 'metadata' | 'authorization_response' }
    ) {
        super(
            'ISSUER_MISMATCH',
            options?.message ??
                `Issuer mismatch: expected ${JSON.stringify(expected)}, got ${actual === undefined ? '(none)' : JSON.stringify(actual)}`,
            undefined,
            options
        );
        this.expected = expected;
        this.actual = actual;
        this.kind = options?.kind ?? 'metadata';
    }

    /** The issuer received (official SDK name of {@link actual}). */
    get received(): string | undefined {
        return this.actual;
    }
}

/** The `state` of an authorization response is not the one the client sent (RFC 6749 §10.12). */
export class StateMismatchError extends OAuthSecurityError {
    override readonly name: string = 'StateMismatchError';
    override readonly code = 'STATE_MISMATCH';
    constructor(message = 'Authorization response state does not match the request', options?: OAuthErrorOptions) {
        super('STATE_MISMATCH', message, undefined, options);
    }
}

/**
 * The MCP server now names another authorization server than the one that issued the stored tokens (or registered
 * the stored client), and the provider cannot forget them: they are never presented to another server (RFC 6749
 * §10.4, §2.3 — refresh tokens and client credentials are bound to the server that issued them).
 */
export class AuthorizationServerChangedError extends OAuthSecurityError {
    override readonly name: string = 'AuthorizationServerChangedError';
    override readonly code = 'AUTHORIZATION_SERVER_CHANGED';
    /** The authorization server the credentials belong to. */
    readonly previousIssuer: string;
    /** The authorization server discovery now names. */
    readonly issuer: string;
    constructor(message: string, details: { previousIssuer: string; issuer: string } & OAuthErrorOptions) {
        super('AUTHORIZATION_SERVER_CHANGED', message, undefined, details);
        this.previousIssuer = details.previousIssuer;
        this.issuer = details.issuer;
    }
}

/** Metadata discovery failed: an HTTP error other than 404, a redirect, or no metadata where some is required. */
export class DiscoveryError extends OAuthError {
    override readonly name: string = 'DiscoveryError';
    override readonly code = 'DISCOVERY_FAILED';
    /** The URL that failed, when one did. */
    readonly url: string | undefined;
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { url?: string; status?: number } & OAuthErrorOptions = {}) {
        super('DISCOVERY_FAILED', message, undefined, details);
        this.url = details.url;
        this.status = details.status;
    }
}

/** A response body is not what the protocol requires (not JSON, too large, or failing its schema). */
export class InvalidResponseError extends OAuthError {
    override readonly name: string = 'InvalidResponseError';
    override readonly code = 'INVALID_RESPONSE';
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { status?: number } & OAuthErrorOptions = {}) {
        super('INVALID_RESPONSE', message, undefined, details);
        this.status = details.status;
    }
}

/** A request could not be made (network failure, abort, timeout) or got an HTTP error without an OAuth error body. */
export class RequestFailedError extends OAuthError {
    override readonly name: string = 'RequestFailedError';
    override readonly code = 'REQUEST_FAILED';
    /** The URL requested. */
    readonly url: string;
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined;
    constructor(message: string, details: { url: string; status?: number } & OAuthErrorOptions) {
        super('REQUEST_FAILED', message, undefined, details);
        this.url = details.url;
        this.status = details.status;
    }
}

/** Dynamic client registration failed (RFC 7591 §3.2.2), or the server offers no way to register. */
export class RegistrationError extends OAuthError {
    override readonly name: string = 'RegistrationError';
    override readonly code = 'REGISTRATION_FAILED';
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
        super('REGISTRATION_FAILED', message, undefined, details);
        this.error = details.error;
        this.errorDescription = details.errorDescription;
        this.status = details.status;
    }
}

/** No token endpoint authentication method both parties support, or the credentials it needs are missing. */
export class UnsupportedClientAuthMethodError extends OAuthError {
    override readonly name: string = 'UnsupportedClientAuthMethodError';
    override readonly code = 'UNSUPPORTED_CLIENT_AUTH_METHOD';
    constructor(message: string, options?: OAuthErrorOptions) {
        super('UNSUPPORTED_CLIENT_AUTH_METHOD', message, undefined, options);
    }
}

/** The authorization server does not advertise PKCE `S256` (MCP 2025-11-25: the client must refuse to proceed). */
export class PkceUnsupportedError extends OAuthError {
    override readonly name: string = 'PkceUnsupportedError';
    override readonly code = 'PKCE_UNSUPPORTED';
    constructor(message: string, options?: OAuthErrorOptions) {
        super('PKCE_UNSUPPORTED', message, undefined, options);
    }
}

/** The authorization response carried an `error` (RFC 6749 §4.1.2.1), e.g. `access_denied`. */
export class AuthorizationResponseError extends OAuthError {
    override readonly name: string = 'AuthorizationResponseError';
    override readonly code = 'AUTHORIZATION_RESPONSE_ERROR';
    /** The OAuth `error` value. */
    readonly error: string;
    /** The `error_description`, if any. */
    readonly errorDescription: string | undefined;
    constructor(error: string, errorDescription?: string, errorUri?: string, options?: OAuthErrorOptions) {
        super(
            'AUTHORIZATION_RESPONSE_ERROR',
            `Authorization failed: ${error}${errorDescription ? ` (${errorDescription})` : ''}`,
            errorUri,
            options
        );
        this.error = error;
        this.errorDescription = errorDescription;
    }
}

brandClientFlowError(IssuerMismatchError);
brandClientFlowError(InsufficientScopeError);
brandClientFlowError(AuthorizationServerChangedError);

export type { OAuthErrorDetails, OAuthTokenErrorCode } from './tokenErrors.js';
export {
    InvalidClientError,
    InvalidGrantError,
    InvalidTargetError,
    InvalidTokenRequestError,
    OAuthTokenError,
    ScopeRejectedError,
    tokenErrorFor,
    UnauthorizedClientError,
    UnsupportedGrantTypeError
} from './tokenErrors.js';
