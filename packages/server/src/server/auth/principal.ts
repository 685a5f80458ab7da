/**
 * Who a verified token speaks for, so a session can be bound to the principal that created it.
 *
 * MCP 2025-11-25, Security Best Practices › Session Hijacking: a session id is not authentication; servers
 * should bind session ids to user-specific information and check it on every request.
 *
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';

/** The identity a session is bound to: the token's issuer, subject and OAuth client. */
export interface Principal {
    /** `iss`, when the verifier reported one. */
    readonly issuer: string | undefined;
    /** `sub`, when the verifier reported one. */
    readonly subject: string | undefined;
    /** The OAuth client the token was issued to. */
    readonly clientId: string;
}

function claimSets(extra: Record<string, unknown> | undefined): Record<string, unknown>[] {
    if (extra === undefined || typeof extra !== 'object' || extra === null) return [];
    const sets: Record<string, unknown>[] = [];
    for (const key of ['claims', 'introspection']) {
        const value = extra[key];
        if (typeof value === 'object' && value !== null) sets.push(value as Record<string, unknown>);
    }
    sets.push(extra);
    return sets;
}

function firstString(sets: Record<string, unknown>[], name: string): string | undefined {
    for (const set of sets) {
        const value = set[name];
        if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
}

/**
 * The principal of a verified token: `clientId`, and `iss` / `sub` from the claims the verifier kept
 * (`extra.claims` of the JWT verifier, `extra.introspection` of the RFC 7662 verifier, or `extra` itself).
 * Scopes, expiry and the token itself are not part of it: a step-up or a refresh keeps the principal.
 */
export function principalOf(authInfo: AuthInfo): Principal {
    const sets = claimSets(authInfo.extra);
    return { issuer: firstString(sets, 'iss'), subject: firstString(sets, 'sub'), clientId: authInfo.clientId };
}

/**
 * A comparable key of the principal behind a request (`undefined` when the request was not authenticated).
 * Two requests belong to the same principal exactly when their keys are equal.
 */
export function principalKey(authInfo: AuthInfo | undefined): string | undefined {
    if (authInfo === undefined) return undefined;
    const { issuer, subject, clientId } = principalOf(authInfo);
    return JSON.stringify([issuer ?? null, subject ?? null, clientId]);
}
