/**
 * Errors of the resource-server authorization layer. Each has a stable string `code`; the bearer-token family
 * also knows its HTTP status, its RFC 6750 error code and how to render itself as a challenge response.
 *
 * @see RFC 6750 §3.1 (invalid_request → 400, invalid_token → 401, insufficient_scope → 403).
 * @module
 */
import { type BearerErrorCode, formatBearerChallenge, sanitizeErrorDescription } from './challenge.js';

/** Every `code` an error of this layer can carry; `switch (err.code)` narrows. */
export type ServerAuthErrorCode =
    | 'MISSING_TOKEN'
    | 'INVALID_REQUEST'
    | 'INVALID_TOKEN'
    | 'INSUFFICIENT_SCOPE'
    | 'SERVER_ERROR'
    | 'INVALID_AUTH_CONFIG';

/** Base class of every error this layer throws. */
export abstract class ServerAuthError extends Error {
    /** Stable machine-readable code. */
    abstract readonly code: ServerAuthErrorCode;

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/**
 * A configuration mistake found at construction (an invalid scope token, a malformed resource URI pattern, an
 * insecure endpoint). Not a request-time error: fix the configuration.
 */
export class AuthConfigError extends ServerAuthError {
    readonly code = 'INVALID_AUTH_CONFIG' as const;
    override readonly name = 'AuthConfigError';
}

/** What a challenge response should name besides the error: the operation's scopes and where metadata lives. */
export interface ChallengeContext {
    /** The scopes the operation at hand requires (RFC 6750 §3 `scope`). */
    scope?: readonly string[] | undefined;
    /** The protected resource metadata URL (RFC 9728 §5.1 `resource_metadata`). */
    resourceMetadataUrl?: string | URL | undefined;
}

/** The JSON body of an error response: the RFC 6749 §5.2 shape. */
export interface OAuthErrorBody {
    error: string;
    error_description?: string;
}

/** A failed authorization as plain data: status, headers and a JSON body. Runtime-neutral. */
export interface AuthorizationFailure {
    status: 400 | 401 | 403 | 500;
    headers: Record<string, string>;
    body: OAuthErrorBody;
    /** The error behind this failure (not serialized). */
    error: BearerTokenError;
}

/**
 * Base of the errors a bearer-protected endpoint answers with (RFC 6750 §3.1). Messages are fixed texts chosen
 * by this package, never token contents; evidence goes in `cause`.
 */
export abstract class BearerTokenError extends ServerAuthError {
    /** The HTTP status this error is answered with. */
    abstract readonly status: 400 | 401 | 403 | 500;
    /** The RFC 6750 §3.1 error code for the challenge, or `undefined` when the challenge must carry none. */
    abstract readonly bearerError: BearerErrorCode | undefined;
    /** The `error` member of the JSON body. */
    abstract readonly bodyError: string;

    /** The RFC 6749 §5.2-style JSON body: `{ error, error_description }`. */
    toResponseObject(): OAuthErrorBody {
        return { error: this.bodyError, error_description: sanitizeErrorDescription(this.message) };
    }

    /**
     * The `WWW-Authenticate` value for this error, or `undefined` for errors that carry no challenge (500).
     *
     * @see RFC 6750 §3
     */
    challenge(context: ChallengeContext = {}): string | undefined {
        if (this.status === 500) return undefined;
        return formatBearerChallenge({
            error: this.bearerError,
            errorDescription: this.bearerError === undefined ? undefined : this.message,
            scope: context.scope,
            resourceMetadata: context.resourceMetadataUrl
        });
    }

    /** This error as runtime-neutral response data (status, headers, JSON body). */
    toFailure(context: ChallengeContext = {}): AuthorizationFailure {
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
        const challenge = this.challenge(context);
        if (challenge !== undefined) headers['WWW-Authenticate'] = challenge;
        return { status: this.status, headers, body: this.toResponseObject(), error: this };
    }

    /** This error as a web-standard `Response`. */
    toResponse(context: ChallengeContext = {}): Response {
        const failure = this.toFailure(context);
        return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failure.headers });
    }
}

/**
 * The request carried no bearer credentials (no `Authorization` header, or another scheme). Answered with 401
 * and a challenge that has no `error` attribute (RFC 6750 §3.1).
 */
export class MissingTokenError extends BearerTokenError {
    readonly code = 'MISSING_TOKEN' as const;
    override readonly name = 'MissingTokenError';
    readonly status = 401 as const;
    readonly bearerError = undefined;
    readonly bodyError = 'unauthorized';

    constructor(message = 'A bearer access token is required', options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** A malformed request, e.g. a malformed `Authorization` header (RFC 6750 §3.1 `invalid_request`, 400). */
export class InvalidBearerRequestError extends BearerTokenError {
    readonly code = 'INVALID_REQUEST' as const;
    override readonly name = 'InvalidBearerRequestError';
    readonly status = 400 as const;
    readonly bearerError = 'invalid_request' as const;
    readonly bodyError = 'invalid_request';
}

/**
 * The access token is expired, revoked, malformed, issued for another audience or otherwise invalid
 * (RFC 6750 §3.1 `invalid_token`, 401). Thrown by {@link TokenVerifier}s.
 */
export class InvalidTokenError extends BearerTokenError {
    readonly code = 'INVALID_TOKEN' as const;
    override readonly name = 'InvalidTokenError';
    readonly status = 401 as const;
    readonly bearerError = 'invalid_token' as const;
    readonly bodyError = 'invalid_token';
}

/** The token is valid but lacks scopes the operation requires (RFC 6750 §3.1 `insufficient_scope`, 403). */
export class InsufficientScopeError extends BearerTokenError {
    readonly code = 'INSUFFICIENT_SCOPE' as const;
    override readonly name = 'InsufficientScopeError';
    readonly status = 403 as const;
    readonly bearerError = 'insufficient_scope' as const;
    readonly bodyError = 'insufficient_scope';
    /** Every scope the operation requires (what the challenge names). */
    readonly requiredScopes: readonly string[];
    /** The required scopes the token does not satisfy. */
    readonly missingScopes: readonly string[];

    constructor(requiredScopes: readonly string[], missingScopes: readonly string[], message?: string) {
        super(message ?? `The access token lacks the required scope: ${missingScopes.join(' ')}`);
        this.requiredScopes = requiredScopes;
        this.missingScopes = missingScopes;
    }
}

/**
 * Authorization could not be decided because of a server-side failure (the JWKS or introspection endpoint is
 * unreachable, a verifier threw something unexpected). Answered with 500 and no challenge.
 */
export class ServerError extends BearerTokenError {
    readonly code = 'SERVER_ERROR' as const;
    override readonly name = 'ServerError';
    readonly status = 500 as const;
    readonly bearerError = undefined;
    readonly bodyError = 'server_error';
}
