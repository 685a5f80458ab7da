/**
 * Scope comparison for the progressive-authorization interop tests (RFC 6749 §3.3: space-separated tokens whose
 * order carries no meaning).
 *
 * @module
 */
import type { AuthServerStats } from '@mcp-stepup/test-server';

/** The three authorizations the seed workload takes with an accumulating client, as {@link requestedMcpScopes} gives them. */
export const SEED_AUTHORIZATIONS: readonly string[] = [
    'init',
    'init mcp:tools:read',
    'init mcp:tools:read mcp:tools:write'
];

/** OpenID Connect scopes a client may add on its own; they are not part of what the MCP server asked for. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);

/** The MCP scopes of one `scope` string (OIDC-only scopes dropped), distinct and sorted, joined by spaces. */
export function mcpScopes(scope: string | undefined): string {
    const tokens = new Set((scope ?? '').split(' ').filter(token => token !== '' && !OIDC_SCOPES.has(token)));
    return [...tokens].sort().join(' ');
}

/** The MCP scopes each authorization the authorization server saw asked for, in order. */
export function requestedMcpScopes(stats: AuthServerStats): string[] {
    return stats.authorizations.map(record => mcpScopes(record.requestedScope));
}
