/**
 * The redirect flow of the official SDK clients (v1 `@modelcontextprotocol/sdk`, v2 `@modelcontextprotocol/client`),
 * driven the way an application drives it: an operation rejects with the SDK's `UnauthorizedError` after the
 * provider's `redirectToAuthorization(url)` was called; the app sends the "user" to that URL (here
 * `approveAuthorization`, which follows the authorization server's redirects), hands the callback to the transport's
 * `finishAuth`, and retries the operation. Every loop here is bounded.
 *
 * @module
 */
import { approveAuthorization } from '@mcp-stepup/test-server';

/** The redirect URI every provider here registers; nothing listens on it (the callback is never fetched). */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** Client metadata (RFC 7591 §2) of a public client using the authorization code grant with PKCE. */
export interface PublicClientMetadata {
    client_name: string;
    redirect_uris: string[];
    grant_types: string[];
    response_types: string[];
    token_endpoint_auth_method: string;
    /** The scopes the client registers for (RFC 7591 §2), when set. */
    scope?: string;
}

/** Options of {@link RecordingProvider}. */
export interface RecordingProviderOptions {
    /** Register for the `refresh_token` grant too (the authorization server then issues refresh tokens). Default true. */
    refreshTokens?: boolean;
}

/**
 * An in-memory OAuth client provider with the method set both official SDK versions call. `Tokens` and `Info` are
 * the SDK's own token and client-information types, so one class serves both versions' `OAuthClientProvider`.
 */
export class RecordingProvider<Tokens, Info> {
    private _info: Info | undefined;
    private _tokens: Tokens | undefined;
    private _verifier = '';
    /** Every authorization URL the client asked to redirect to, in order. */
    readonly redirects: URL[] = [];
    /** Every token set the client saved, in order. */
    readonly savedTokens: Tokens[] = [];

    constructor(private readonly _options: RecordingProviderOptions = {}) {}

    get redirectUrl(): string {
        return REDIRECT_URI;
    }

    get clientMetadata(): PublicClientMetadata {
        return {
            client_name: 'official-sdk-interop',
            redirect_uris: [REDIRECT_URI],
            grant_types:
                this._options.refreshTokens === false
                    ? ['authorization_code']
                    : ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none'
        };
    }

    /** The client information saved at registration (RFC 7591 §3.2.1). */
    get registered(): Info | undefined {
        return this._info;
    }

    clientInformation(): Info | undefined {
        return this._info;
    }

    saveClientInformation(info: Info): void {
        this._info = info;
    }

    tokens(): Tokens | undefined {
        return this._tokens;
    }

    saveTokens(tokens: Tokens): void {
        this._tokens = tokens;
        this.savedTokens.push(tokens);
    }

    redirectToAuthorization(url: URL): void {
        this.redirects.push(url);
    }

    saveCodeVerifier(verifier: string): void {
        this._verifier = verifier;
    }

    codeVerifier(): string {
        return this._verifier;
    }
}

/** Thrown by {@link withRedirectFlow} when an operation needs more authorizations than allowed. */
export class TooManyAuthorizationsError extends Error {
    override readonly name = 'TooManyAuthorizationsError';
    readonly code = 'TOO_MANY_AUTHORIZATIONS';
    constructor(
        readonly operation: string,
        readonly limit: number
    ) {
        super(`${operation} still rejected with UnauthorizedError after ${limit} authorizations`);
    }
}

/** Thrown by {@link withRedirectFlow} when the authorization server answers the authorization request with an error. */
export class AuthorizationRefusedError extends Error {
    override readonly name = 'AuthorizationRefusedError';
    readonly code = 'AUTHORIZATION_REFUSED';
    constructor(
        readonly operation: string,
        /** The `error` of the authorization response (RFC 6749 §4.1.2.1), e.g. `invalid_scope`. */
        readonly error: string,
        readonly description: string | undefined,
        /** The authorization request that was refused. */
        readonly authorizationUrl: URL
    ) {
        super(
            `${operation}: the authorization server refused the authorization request: ${error} (${description ?? ''})`
        );
    }
}

/** What {@link withRedirectFlow} needs to know about one official client. */
export interface RedirectFlowClient {
    /** The provider whose `redirects` receive the authorization URLs. */
    readonly provider: { readonly redirects: URL[] };
    /** Whether `error` is this SDK version's `UnauthorizedError`. */
    isUnauthorized(error: unknown): boolean;
    /** Hands the authorization server's callback to the transport that asked for it (`finishAuth`). */
    finish(callback: URL): Promise<void>;
}

/** Per operation, at most this many authorizations (the seed workload needs one per operation at most). */
export const MAX_AUTHORIZATIONS_PER_OPERATION = 5;

/**
 * Runs `operation`; each time it rejects with `UnauthorizedError`, approves the authorization URL the provider was
 * given last, finishes the authorization and retries — at most `limit` times, then {@link TooManyAuthorizationsError}.
 * An error callback (the authorization server refused) ends with {@link AuthorizationRefusedError}, as an app's
 * callback handler would; any other error is rethrown as is.
 *
 * @returns the result and how many authorizations this operation took.
 */
export async function withRedirectFlow<T>(
    client: RedirectFlowClient,
    name: string,
    operation: () => Promise<T>,
    limit = MAX_AUTHORIZATIONS_PER_OPERATION
): Promise<{ result: T; authorizations: number }> {
    for (let authorizations = 0; ; authorizations++) {
        const redirectsBefore = client.provider.redirects.length;
        try {
            return { result: await operation(), authorizations };
        } catch (error) {
            if (!client.isUnauthorized(error)) throw error;
            if (authorizations >= limit) throw new TooManyAuthorizationsError(name, limit);
            const url = client.provider.redirects.at(-1);
            if (url === undefined || client.provider.redirects.length === redirectsBefore) {
                throw new Error(`${name} rejected with UnauthorizedError without a new redirect`, { cause: error });
            }
            const callback = await approveAuthorization(url);
            const refused = callback.searchParams.get('error');
            if (refused !== null) {
                const description = callback.searchParams.get('error_description') ?? undefined;
                throw new AuthorizationRefusedError(name, refused, description, url);
            }
            await client.finish(callback);
        }
    }
}

/**
 * Registers `metadata` with the authorization server at `issuer` (RFC 7591 §3.1), found through its OpenID
 * discovery document, before any client runs — the "pre-registered client" case.
 *
 * @returns the client information response (RFC 7591 §3.2.1).
 */
export async function preRegisterClient(
    issuer: string,
    metadata: PublicClientMetadata
): Promise<{ client_id: string } & Record<string, unknown>> {
    const discovery = await fetch(new URL('/.well-known/openid-configuration', issuer));
    const { registration_endpoint: endpoint } = (await discovery.json()) as { registration_endpoint?: unknown };
    if (typeof endpoint !== 'string') throw new Error(`${issuer} advertises no registration_endpoint`);
    const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(metadata)
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status !== 201 || typeof body.client_id !== 'string') {
        throw new Error(`registration at ${endpoint} failed with ${response.status}: ${JSON.stringify(body)}`);
    }
    return { ...body, client_id: body.client_id };
}
