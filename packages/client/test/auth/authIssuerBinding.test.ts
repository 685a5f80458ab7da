/**
 * What `auth()` tells an official-style provider and what it keeps from it: the authorization server's `issuer` as
 * context and as a stamp on saved tokens and client information (credentials never reach another server), the
 * resource and server it resolved, the refresh scope the provider chooses, forced re-authorization, the metadata it
 * registers, and the callback checks (RFC 9207 `iss`, the server the code came from).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { auth } from '../../src/client/auth/auth.js';
import { IssuerMismatchError } from '../../src/client/auth/errors.js';
import { AuthorizationServerMismatchError } from '../../src/client/auth/flowErrors.js';
import type { OAuthClientInformationContext, StoredOAuthTokens } from '../../src/client/auth/provider.js';
import { routes, startServer } from './loopbackServer.js';
import type { LoopbackServer } from './loopbackServer.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, REDIRECT_URI, startHarness } from './stepUpHarness.js';

/** The harness provider, recording what the credential methods are told and what the SDK reports. */
class RecordingProvider extends MemoryProvider {
    readonly contexts: Array<[string, OAuthClientInformationContext | undefined]> = [];
    readonly reported: string[] = [];
    refreshScope: string | undefined = undefined;

    override clientInformation(ctx?: OAuthClientInformationContext) {
        this.contexts.push(['clientInformation', ctx]);
        return super.clientInformation();
    }
    override tokens(ctx?: OAuthClientInformationContext) {
        if (ctx !== undefined) this.contexts.push(['tokens', ctx]);
        return super.tokens();
    }
    override saveTokens(tokens: StoredOAuthTokens, ctx?: OAuthClientInformationContext) {
        this.contexts.push(['saveTokens', ctx]);
        super.saveTokens(tokens);
    }
    saveResourceUrl(resourceUrl: string) {
        this.reported.push(`resource ${resourceUrl}`);
    }
    saveAuthorizationServerUrl(issuer: string) {
        this.reported.push(`issuer ${issuer}`);
    }
}

let harness: Harness;
const extra: LoopbackServer[] = [];
afterEach(async () => {
    await harness.close();
    await Promise.all(extra.splice(0).map(server => server.close()));
});

describe('auth() and the authorization server issuer', () => {
    it('passes the issuer to the credential methods and stamps it on saved tokens and client information', async () => {
        harness = await startHarness();
        const provider = new RecordingProvider();
        expect(await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' })).toBe('AUTHORIZED');
        const issuer = harness.as.origin;
        expect(provider.clientInformation()).toMatchObject({ client_id: expect.any(String), issuer });
        expect(provider.stored).toMatchObject({ access_token: expect.any(String), issuer });
        expect(provider.contexts).toContainEqual(['clientInformation', { issuer }]);
        expect(provider.contexts).toContainEqual(['saveTokens', { issuer }]);
        expect(provider.reported).toEqual([`issuer ${issuer}`, `resource ${harness.mcpUrl.href}`]);
    });

    it('registers the resolved client metadata (grant_types and application_type filled in)', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('complete', { grant_types: undefined });
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        const registration = harness.as.requests.find(request => request.path === '/register');
        expect(JSON.parse(registration!.body)).toMatchObject({
            redirect_uris: [REDIRECT_URI],
            grant_types: ['authorization_code', 'refresh_token'],
            application_type: 'native'
        });
    });

    it('does not refresh tokens bound to another authorization server', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider();
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        provider.saveTokens({ ...provider.stored!, issuer: 'https://other-as.example' });
        harness.tokenRequests.length = 0;
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        expect(harness.tokenRequests.map(form => form.get('grant_type'))).toEqual(['authorization_code']);
    });

    it('re-registers when the stored client information belongs to another authorization server', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider();
        provider.saveClientInformation({ client_id: 'elsewhere', issuer: 'https://other-as.example' });
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        expect(harness.as.requests.some(request => request.path === '/register')).toBe(true);
        expect(provider.clientInformation()?.client_id).not.toBe('elsewhere');
    });
});

describe('auth() refresh choices', () => {
    it("sends the provider's scopeForRefresh, or no scope when it returns none", async () => {
        harness = await startHarness();
        const provider = new RecordingProvider();
        const withRefreshScope = Object.assign(provider, {
            scopeForRefresh: (tokens: StoredOAuthTokens) => {
                expect(tokens.refresh_token).toBeDefined();
                return provider.refreshScope;
            }
        });
        await auth(withRefreshScope, { serverUrl: harness.mcpUrl, scope: 'a b' });
        provider.refreshScope = 'a';
        await auth(withRefreshScope, { serverUrl: harness.mcpUrl, scope: 'a' });
        provider.refreshScope = '';
        await auth(withRefreshScope, { serverUrl: harness.mcpUrl, scope: 'a' });
        const refreshes = harness.tokenRequests.filter(form => form.get('grant_type') === 'refresh_token');
        expect(refreshes.map(form => form.get('scope'))).toEqual(['a', null]);
    });

    it('forceReauthorization starts a new authorization although a refresh token is available', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider();
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' });
        expect(provider.stored?.refresh_token).toBeDefined();
        await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init', forceReauthorization: true });
        expect(harness.tokenRequests.map(form => form.get('grant_type'))).toEqual([
            'authorization_code',
            'authorization_code'
        ]);
        expect(harness.authorizations).toEqual(['init', 'init']);
    });
});

describe('auth() on the callback leg', () => {
    async function pendingCode(provider: MemoryProvider): Promise<URL> {
        expect(await auth(provider, { serverUrl: harness.mcpUrl, scope: 'init' })).toBe('REDIRECT');
        const approved = await fetch(provider.redirects[0]!, { redirect: 'manual' });
        return new URL(approved.headers.get('location')!);
    }

    it('checks the iss given with a bare code before redeeming it', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('redirect');
        const callback = await pendingCode(provider);
        const code = callback.searchParams.get('code')!;
        await expect(
            auth(provider, { serverUrl: harness.mcpUrl, authorizationCode: code, iss: 'https://attacker.example' })
        ).rejects.toBeInstanceOf(IssuerMismatchError);
        expect(harness.tokenRequests).toHaveLength(0);
        expect(
            await auth(provider, { serverUrl: harness.mcpUrl, authorizationCode: code, iss: harness.as.origin })
        ).toBe('AUTHORIZED');
    });

    it('refuses to redeem a code at another authorization server than the one that issued it', async () => {
        harness = await startHarness();
        const other = await startServer();
        extra.push(other);
        const provider = new MemoryProvider('redirect');
        const callback = await pendingCode(provider);
        harness.rs.handle((request, response) => {
            if (request.path === '/prm-b') {
                response.writeHead(200, { 'content-type': 'application/json' });
                response.end(JSON.stringify({ resource: harness.mcpUrl.href, authorization_servers: [other.origin] }));
                return;
            }
            harness.resource(request, response);
        });
        other.handle(
            routes({
                '/.well-known/oauth-authorization-server': {
                    body: {
                        issuer: other.origin,
                        authorization_endpoint: `${other.origin}/authorize`,
                        token_endpoint: `${other.origin}/token`,
                        code_challenge_methods_supported: ['S256']
                    }
                }
            })
        );
        const failure = auth(provider, {
            serverUrl: harness.mcpUrl,
            callbackUrl: callback,
            resourceMetadataUrl: new URL('/prm-b', harness.rs.origin)
        });
        await expect(failure).rejects.toBeInstanceOf(AuthorizationServerMismatchError);
        await expect(failure).rejects.toMatchObject({ recordedIssuer: harness.as.origin, currentIssuer: other.origin });
        expect(harness.tokenRequests).toHaveLength(0);
        expect(other.requests.some(request => request.path === '/token')).toBe(false);
    });
});
