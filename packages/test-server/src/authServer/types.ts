/**
 * Types shared by the test authorization servers.
 *
 * @module
 */

/** One completed authorization request (RFC 6749 §4.1.1) as seen by the authorization server. */
export interface AuthorizationRecord {
    /** The `scope` parameter of the authorization request, verbatim (`''` when absent). */
    requestedScope: string;
    /** The resource scopes the server approved, space-separated, in request order. */
    grantedScope: string;
    /** `Date.now()` when the authorization was approved. */
    at: number;
}

/** One token endpoint request (RFC 6749 §3.2) as seen by the authorization server. */
export interface TokenRequestRecord {
    /** The `grant_type` parameter (`''` when absent). */
    grantType: string;
    /** The `scope` parameter, when the request carried one. */
    scope?: string;
}

/** What an authorization server observed, in arrival order; tests assert on these. */
export interface AuthServerStats {
    authorizations: AuthorizationRecord[];
    tokenRequests: TokenRequestRecord[];
}

/** The handle every test authorization server returns. */
export interface TestAuthServer {
    /** Issuer identifier (RFC 8414 §2), also the server's origin: `http://127.0.0.1:<port>`. */
    readonly issuer: string;
    /** Where the public signing keys (RFC 7517 JWK Set) are served. */
    readonly jwksUrl: string;
    /** Live counters; arrays grow as requests arrive. */
    readonly stats: AuthServerStats;
    /** Stops listening and drops open connections. Idempotent. */
    close(): Promise<void>;
}

/** The MCP scopes used across the test servers and demo. */
export const DEFAULT_MCP_SCOPES: readonly string[] = ['init', 'mcp:tools:read', 'mcp:tools:write'];

/** Splits a scope string (RFC 6749 §3.3) into its distinct tokens, order preserved. */
export function splitScope(scope: string | undefined | null): string[] {
    if (!scope) return [];
    return [...new Set(scope.split(' ').filter(s => s.length > 0))];
}
