/**
 * The official SDK's OAuth client flow errors: failures of the authorization flow that re-authorizing cannot fix (a
 * configuration or security problem). Each one here is also one of this SDK's errors (an insecure endpoint, a
 * rejected registration, an authorization server change), so code catching either family keeps working.
 *
 * @module
 */
import type { OAuthClientMetadata, OAuthErrorOptions } from '@modelcontextprotocol/core';
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/core';

import {
    AuthorizationServerChangedError,
    brandClientFlowError,
    CLIENT_FLOW_BRAND,
    InsecureEndpointError,
    RegistrationError
} from './errors.js';

/**
 * The family of OAuth client flow failures (official SDK name). `error instanceof OAuthClientFlowError` holds for
 * {@link InsecureTokenEndpointError}, {@link RegistrationRejectedError}, {@link AuthorizationServerMismatchError},
 * `AuthorizationServerChangedError`, `IssuerMismatchError` and `InsufficientScopeError`. The SDK never throws this
 * class itself.
 */
export class OAuthClientFlowError extends OAuthError {
    override readonly name: string = 'OAuthClientFlowError';
    override readonly code = 'OAUTH_CLIENT_FLOW';

    constructor(message: string, options?: OAuthErrorOptions) {
        super('OAUTH_CLIENT_FLOW', message, undefined, options);
    }

    /** Membership of the family: instances of this class and of the errors branded as its members. */
    static override [Symbol.hasInstance](value: unknown): boolean {
        if (this !== OAuthClientFlowError) return Function.prototype[Symbol.hasInstance].call(this, value);
        return typeof value === 'object' && value !== null && CLIENT_FLOW_BRAND in value;
    }
}
brandClientFlowError(OAuthClientFlowError);

/**
 * A token request (authorization code exchange, refresh, machine grant) was refused before sending because the token
 * endpoint is not `https:` and not on a loopback host: it would carry credentials in the clear (OAuth 2.1 §1.5). A
 * configuration error, which re-authorizing cannot fix.
 */
export class InsecureTokenEndpointError extends InsecureEndpointError {
    override readonly name: string = 'InsecureTokenEndpointError';
    /** The token endpoint that was refused. */
    readonly tokenEndpoint: string;

    constructor(tokenEndpoint: string, options?: OAuthErrorOptions) {
        super(tokenEndpoint, 'token endpoint', options);
        this.tokenEndpoint = tokenEndpoint;
    }
}
brandClientFlowError(InsecureTokenEndpointError);

/**
 * The authorization server rejected a dynamic client registration (RFC 7591 §3.2.2). Besides the parsed `error` and
 * `errorDescription`, it keeps the raw response `body` and the metadata that was sent (`submittedMetadata`), so the
 * caller can adjust the metadata (e.g. its `application_type` or redirect URIs) and try again.
 */
export class RegistrationRejectedError extends RegistrationError {
    override readonly name: string = 'RegistrationRejectedError';
    /** The raw response body (usually an RFC 7591 §3.2.2 error document). */
    readonly body: string;
    /** The client metadata that was submitted. */
    readonly submittedMetadata: OAuthClientMetadata;

    constructor(
        args: { status: number; body: string; submittedMetadata: OAuthClientMetadata },
        details: { error?: string; errorDescription?: string } & OAuthErrorOptions = {}
    ) {
        const reason = details.error === undefined ? `HTTP ${args.status}` : describeRejection(details);
        super(`Client registration rejected: ${reason}`, { ...details, status: args.status });
        this.body = args.body;
        this.submittedMetadata = args.submittedMetadata;
    }
}
brandClientFlowError(RegistrationRejectedError);

function describeRejection(details: { error?: string; errorDescription?: string }): string {
    return `${details.error}${details.errorDescription ? ` (${details.errorDescription})` : ''}`;
}

/**
 * The authorization server in use is not the one a credential is bound to, and the flow cannot start over: an
 * authorization code redeemed at another server than the one the authorization request went to, or client
 * information (or tokens) bound to another server that the provider cannot forget (RFC 6749 §2.2, §10.4).
 */
export class AuthorizationServerMismatchError extends AuthorizationServerChangedError {
    override readonly name: string = 'AuthorizationServerMismatchError';

    constructor(recordedIssuer: string, currentIssuer: string, options?: OAuthErrorOptions & { message?: string }) {
        super(
            options?.message ??
                `The credentials are bound to authorization server ${JSON.stringify(recordedIssuer)}, not ${JSON.stringify(currentIssuer)}`,
            { ...options, previousIssuer: recordedIssuer, issuer: currentIssuer }
        );
    }

    /** The authorization server the credential is bound to. */
    get recordedIssuer(): string {
        return this.previousIssuer;
    }

    /** The authorization server discovery resolved now. */
    get currentIssuer(): string {
        return this.issuer;
    }
}

/**
 * A client metadata value is invalid (OAuth error code `invalid_client_metadata`, RFC 7591 §3.2.2); raised by
 * `validateClientMetadataUrl` for a Client ID Metadata Document URL that is not an https URL with a path.
 */
export class InvalidClientMetadataError extends OAuthError {
    override readonly name: string = 'InvalidClientMetadataError';
    override readonly code = OAuthErrorCode.InvalidClientMetadata;

    constructor(message: string, options?: OAuthErrorOptions) {
        super(OAuthErrorCode.InvalidClientMetadata, message, undefined, options);
    }
}
