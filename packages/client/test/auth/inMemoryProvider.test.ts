/**
 * `InMemoryOAuthClientProvider`: its defaults, state round trips, `invalidateCredentials` scopes, and both
 * authorization flows against the step-up harness (a real resource and authorization server on loopback).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import { UnauthorizedError } from '../../src/client/auth/errors.js';
import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import type { OAuthDiscoveryState, ScopeStateSnapshot } from '../../src/client/auth/provider.js';
import type { Harness } from './stepUpHarness.js';
import { startHarness } from './stepUpHarness.js';

const REDIRECT = 'http://127.0.0.1:1/callback';

let harness: Harness | undefined;

afterEach(async () => {
    await harness?.close();
    harness = undefined;
});

/** A provider with every piece of state filled in. */
function filled(): InMemoryOAuthClientProvider {
    const provider = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT });
    provider.saveClientInformation({ client_id: 'c1', redirect_uris: [REDIRECT] });
    provider.saveTokens({ access_token: 'at', token_type: 'Bearer', scope: 'a b' });
    provider.saveCodeVerifier('verifier');
    provider.saveDiscoveryState({ authorizationServerUrl: 'https://as.example' });
    provider.saveScopeState({ requested: 'a b', granted: 'a b', denied: '' });
    return provider;
}

/** Which pieces of state a provider still holds. */
function held(provider: InMemoryOAuthClientProvider): string[] {
    const pieces: string[] = [];
    if (provider.clientInformation() !== undefined) pieces.push('client');
    if (provider.tokens() !== undefined) pieces.push('tokens');
    try {
        provider.codeVerifier();
        pieces.push('verifier');
    } catch {
        // no verifier
    }
    if (provider.discoveryState() !== undefined) pieces.push('discovery');
    if (provider.scopeState() !== undefined) pieces.push('scopeState');
    return pieces;
}

describe('InMemoryOAuthClientProvider', () => {
    it('defaults to public-client metadata for the redirect URL and client name', () => {
        const provider = new InMemoryOAuthClientProvider({ redirectUrl: new URL(REDIRECT), clientName: 'demo' });
        expect(String(provider.redirectUrl)).toBe(REDIRECT);
        expect(provider.clientMetadata).toEqual({
            client_name: 'demo',
            redirect_uris: [REDIRECT],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none'
        });
        expect(provider.clientMetadataUrl).toBeUndefined();
        expect(provider.completeAuthorization).toBeUndefined();
        expect(provider.clientInformation()).toBeUndefined();
    });

    it('uses given metadata, metadata URL and pre-registered client information as they are', () => {
        const clientMetadata = { redirect_uris: [REDIRECT], scope: 'base' };
        const provider = new InMemoryOAuthClientProvider({
            redirectUrl: REDIRECT,
            clientName: 'ignored',
            clientMetadata,
            clientMetadataUrl: 'https://client.example/metadata.json',
            clientInformation: { client_id: 'pre', client_secret: 's' }
        });
        expect(provider.clientMetadata).toEqual(clientMetadata);
        expect(provider.clientMetadataUrl).toBe('https://client.example/metadata.json');
        expect(provider.clientInformation()).toEqual({ client_id: 'pre', client_secret: 's' });
    });

    it('returns what was saved: client information, tokens, verifier, discovery and scope state', () => {
        const provider = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT });
        const discovery: OAuthDiscoveryState = {
            authorizationServerUrl: 'https://as.example',
            resourceMetadataUrl: 'https://rs.example/.well-known/oauth-protected-resource'
        };
        const scopes: ScopeStateSnapshot = {
            requested: 'a b c',
            granted: 'a b',
            denied: 'c',
            pending: { state: 's', requested: 'a b c' }
        };
        provider.saveClientInformation({ client_id: 'dyn', redirect_uris: [REDIRECT] });
        provider.saveTokens({ access_token: 'at', token_type: 'Bearer', expires_at: 42 });
        provider.saveCodeVerifier('v'.repeat(43));
        provider.saveDiscoveryState(discovery);
        provider.saveScopeState(scopes);
        expect(provider.clientInformation()).toEqual({ client_id: 'dyn', redirect_uris: [REDIRECT] });
        expect(provider.tokens()).toEqual({ access_token: 'at', token_type: 'Bearer', expires_at: 42 });
        expect(provider.codeVerifier()).toBe('v'.repeat(43));
        expect(provider.discoveryState()).toEqual(discovery);
        expect(provider.scopeState()).toEqual(scopes);
    });

    it('throws UnauthorizedError for the code verifier before any authorization started', () => {
        const provider = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT });
        expect(() => provider.codeVerifier()).toThrow(UnauthorizedError);
    });

    it.each([
        ['tokens', ['client', 'verifier', 'discovery', 'scopeState']],
        ['client', ['tokens', 'verifier', 'discovery', 'scopeState']],
        ['verifier', ['client', 'tokens', 'discovery', 'scopeState']],
        ['discovery', ['client', 'tokens', 'verifier', 'scopeState']],
        ['all', ['scopeState']]
    ] as const)('invalidateCredentials(%s) forgets only what it names', (scope, kept) => {
        const provider = filled();
        provider.invalidateCredentials(scope);
        expect(held(provider)).toEqual(kept);
    });

    it('records authorization URLs without onRedirect, and calls onRedirect instead when given', () => {
        const url = new URL('https://as.example/authorize?client_id=c');
        const recording = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT });
        recording.redirectToAuthorization(url);
        expect(recording.redirects).toEqual([url]);

        const seen: URL[] = [];
        const custom = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT, onRedirect: u => seen.push(u) });
        custom.redirectToAuthorization(url);
        expect(seen).toEqual([url]);
        expect(custom.redirects).toEqual([]);
    });

    it('runs the redirect flow with auth(): registers, redirects, then exchanges the callback', async () => {
        harness = await startHarness();
        const provider = new InMemoryOAuthClientProvider({ redirectUrl: REDIRECT, clientName: 'redirect-flow' });
        expect(await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' })).toBe('REDIRECT');
        expect(provider.clientInformation()?.client_id).toMatch(/^client-/);
        expect(provider.redirects).toHaveLength(1);
        const callback = (await fetch(provider.redirects[0]!, { redirect: 'manual' })).headers.get('location');
        expect(await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init', callbackUrl: callback! })).toBe(
            'AUTHORIZED'
        );
        expect(provider.tokens()).toMatchObject({ access_token: expect.any(String), scope: 'init' });
    });

    it('completes in-process and reuses its saved discovery results for the next authorization', async () => {
        harness = await startHarness();
        const h = harness;
        const provider = new InMemoryOAuthClientProvider({
            redirectUrl: REDIRECT,
            completeAuthorization: async url => {
                const response = await fetch(url, { redirect: 'manual' });
                return new URL(response.headers.get('location')!);
            }
        });
        expect(await auth(provider, { serverUrl: h.mcpUrl, scope: 'init' })).toBe('AUTHORIZED');
        expect(provider.discoveryState()?.authorizationServerUrl).toBe(h.as.origin);
        const metadataRequests = () => h.as.requests.filter(r => r.path.startsWith('/.well-known/')).length;
        const before = metadataRequests();
        expect(await auth(provider, { serverUrl: h.mcpUrl, scope: 'init extra' })).toBe('AUTHORIZED');
        expect(metadataRequests()).toBe(before);
        expect(h.authorizations).toEqual(['init', 'init extra']);
        expect(provider.redirects).toEqual([]);
    });
});
