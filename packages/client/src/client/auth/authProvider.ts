/**
 * `AuthProvider`: the minimal way to authenticate an MCP transport with a bearer token (an API key, a token a gateway
 * manages) without the OAuth machinery of `OAuthClientProvider`. The transports take either; this module tells them
 * apart and runs the minimal one: the token on every request to the MCP server, and one retry after
 * `onUnauthorized` at a `401`.
 *
 * @module
 */
import { InsufficientScopeError, UnauthorizedError } from './errors.js';
import type { FetchLike } from './http.js';
import { discardBody } from './http.js';
import { readChallenge } from './wwwAuthenticate.js';

/** What {@link AuthProvider.onUnauthorized} is told when the MCP server answered `401`. */
export interface UnauthorizedContext {
    /** The `401` response; its `WWW-Authenticate` header names the challenge (RFC 6750 §3, RFC 9728 §5.1). */
    response: Response;
    /** The MCP server URL (for `auth()` or the discovery functions). */
    serverUrl: URL;
    /** The transport's `fetch`, for any request the provider makes. */
    fetchFn: FetchLike;
}

/**
 * A bearer token source for the HTTP transports (`authProvider` option). `token()` is called before every request;
 * when the server answers `401`, `onUnauthorized` (if any) is awaited and the request is sent once more with the
 * token `token()` returns then. Without `onUnauthorized`, or when the retry is refused again, the request rejects
 * with `UnauthorizedError`.
 *
 * @example
 * ```ts
 * const authProvider: AuthProvider = { token: async () => process.env.MCP_API_KEY };
 * const transport = new StreamableHTTPClientTransport(url, { authProvider });
 * ```
 */
export interface AuthProvider {
    /** The bearer token to send, or `undefined` to send none. */
    token(): Promise<string | undefined>;
    /** Called at a `401`; make the next `token()` return a usable token (refresh, re-authenticate…). */
    onUnauthorized?(ctx: UnauthorizedContext): Promise<void>;
}

/**
 * Sends one transport request authenticated by a minimal {@link AuthProvider}: `Authorization: Bearer` (to the MCP
 * server's origin only), then at a `401` one retry after `onUnauthorized`.
 *
 * @throws {UnauthorizedError} at a `401` without `onUnauthorized`, or a second `401`.
 * @throws {InsufficientScopeError} at `403 insufficient_scope` (a minimal provider cannot step up).
 */
export async function fetchWithAuthProvider(
    provider: AuthProvider,
    serverUrl: URL,
    fetchFn: FetchLike,
    url: string | URL,
    init: RequestInit
): Promise<Response> {
    const sameOrigin = new URL(url).origin === serverUrl.origin;
    for (let attempt = 0; ; attempt++) {
        const headers = new Headers(init.headers);
        const token = sameOrigin ? await provider.token() : undefined;
        if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
        const response = await fetchFn(url, { ...init, headers });
        if (!sameOrigin) return response;
        const challenge = readChallenge(response);
        if (challenge === undefined) return response;
        if (challenge.kind === 'insufficient-scope') {
            await discardBody(response);
            const scopes = challenge.scopes.toArray();
            throw new InsufficientScopeError({
                missingScopes: scopes,
                requestedScopes: [],
                grantedScopes: [],
                challengedScopes: scopes,
                errorDescription: challenge.errorDescription,
                requiredScope: scopes.length > 0 ? challenge.scopes.toString() : undefined,
                resourceMetadataUrl: challenge.resourceMetadata
            });
        }
        if (provider.onUnauthorized === undefined || attempt > 0) {
            await discardBody(response);
            throw new UnauthorizedError(
                attempt > 0
                    ? 'The MCP server still answers 401 after the auth provider handled the previous one'
                    : 'The MCP server answered 401 and the auth provider has no onUnauthorized'
            );
        }
        try {
            await provider.onUnauthorized({ response, serverUrl, fetchFn });
        } finally {
            await discardBody(response);
        }
    }
}
