/**
 * Where the step-up scope state lives between reloads and restarts. A browser page that navigates to the
 * authorization server, or a command-line host that restarts between authorizations, starts a new transport; it
 * must know what was requested, granted and refused, and how many authorizations each operation cost, or it loops
 * (the original bug) or escalates without bound. Providers written for the official interface persist only
 * tokens, client information and the PKCE verifier, so the state rides in those:
 *
 * - the provider's own hooks (`scopeState` / `saveScopeState`), when it has them;
 * - otherwise a namespaced member of the saved token set ({@link SCOPE_STATE_MEMBER});
 * - and, for the authorization a redirect starts, a suffix of the saved PKCE verifier (the only thing every
 *   provider saves before the user agent leaves), stripped before the verifier is sent.
 *
 * @module
 */
import type { OAuthClientProvider, ScopeStateSnapshot, StoredOAuthTokens } from './provider.js';
import { SCOPE_STATE_MEMBER } from './provider.js';

/** Separates a PKCE verifier from the state it carries (`~` is a verifier character the SDK never generates twice). */
const VERIFIER_NOTE = '~mcp-scope-state~';

function isSnapshot(value: unknown): value is ScopeStateSnapshot {
    if (typeof value !== 'object' || value === null) return false;
    const record = value as Record<string, unknown>;
    return (
        typeof record.requested === 'string' && typeof record.granted === 'string' && typeof record.denied === 'string'
    );
}

/** Loads the persisted scope state: the provider's hook, else the member of its saved tokens. */
export async function loadScopeState(provider: OAuthClientProvider): Promise<ScopeStateSnapshot | undefined> {
    if (provider.scopeState !== undefined) {
        const saved = await provider.scopeState();
        return isSnapshot(saved) ? saved : undefined;
    }
    const member = (await provider.tokens())?.[SCOPE_STATE_MEMBER];
    return isSnapshot(member) ? member : undefined;
}

/**
 * Persists the scope state: through the provider's hook, else into its saved tokens (re-saved with the member), if
 * it has any yet. Before the first token, only the verifier note carries it (see {@link packCodeVerifier}).
 */
export async function saveScopeState(provider: OAuthClientProvider, snapshot: ScopeStateSnapshot): Promise<void> {
    if (provider.saveScopeState !== undefined) {
        await provider.saveScopeState(snapshot);
        return;
    }
    if (provider.scopeState !== undefined) return;
    const tokens = await provider.tokens();
    if (tokens === undefined) return;
    const updated: StoredOAuthTokens = { ...tokens, [SCOPE_STATE_MEMBER]: snapshot };
    await provider.saveTokens(updated);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64url(text: string): string {
    let binary = '';
    for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return decoder.decode(Uint8Array.from(binary, char => char.charCodeAt(0)));
}

/** The verifier to save: the PKCE verifier with the scope state as of the redirect appended. */
export function packCodeVerifier(verifier: string, snapshot: ScopeStateSnapshot): string {
    return `${verifier}${VERIFIER_NOTE}${toBase64url(JSON.stringify(snapshot))}`;
}

/** Splits a saved verifier into the PKCE verifier to send and the scope state it carried, if any. */
export function unpackCodeVerifier(saved: string): { verifier: string; snapshot: ScopeStateSnapshot | undefined } {
    const at = saved.indexOf(VERIFIER_NOTE);
    if (at < 0) return { verifier: saved, snapshot: undefined };
    let snapshot: ScopeStateSnapshot | undefined;
    try {
        const value: unknown = JSON.parse(fromBase64url(saved.slice(at + VERIFIER_NOTE.length)));
        if (isSnapshot(value)) snapshot = value;
    } catch {
        // A damaged note: the verifier is still usable.
    }
    return { verifier: saved.slice(0, at), snapshot };
}
