/**
 * The official SDK's discovery functions against real servers on loopback: the authorization server of an MCP
 * server, protected resource metadata alone, the resource indicator to request, and challenge parameters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { discoverAuthorizationServerMetadata } from '../../src/client/auth/discovery.js';
import { DiscoveryError, IssuerMismatchError, ResourceMismatchError } from '../../src/client/auth/errors.js';
import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import {
    discoverOAuthProtectedResourceMetadata,
    discoverOAuthServerInfo,
    extractResourceMetadataUrl,
    extractWWWAuthenticateParams,
    selectResourceURL
} from '../../src/client/auth/serverInfo.js';
import type { LoopbackServer } from './loopbackServer.js';
import { routes, startServer } from './loopbackServer.js';

let rs: LoopbackServer;
let as: LoopbackServer;
beforeEach(async () => {
    [rs, as] = await Promise.all([startServer(), startServer()]);
});
afterEach(async () => {
    await Promise.all([rs.close(), as.close()]);
});

const asMetadata = (issuer: string) => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256']
});
const provider = () => new InMemoryOAuthClientProvider({ redirectUrl: 'http://127.0.0.1:9/callback' });

describe('discoverOAuthServerInfo', () => {
    it('finds the authorization server the protected resource metadata names, with both documents', async () => {
        const prm = { resource: `${rs.origin}/mcp`, authorization_servers: [as.origin], scopes_supported: ['a'] };
        rs.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { body: prm } }));
        as.handle(routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(as.origin) } }));
        const info = await discoverOAuthServerInfo(`${rs.origin}/mcp`);
        expect(info).toEqual({
            authorizationServerUrl: as.origin,
            authorizationServerMetadata: expect.objectContaining({ token_endpoint: `${as.origin}/token` }),
            resourceMetadata: expect.objectContaining(prm)
        });
    });

    it('falls back to the MCP server origin when it publishes no protected resource metadata', async () => {
        rs.handle(routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(rs.origin) } }));
        const info = await discoverOAuthServerInfo(`${rs.origin}/mcp`);
        expect(info.authorizationServerUrl).toBe(rs.origin);
        expect(info.authorizationServerMetadata?.issuer).toBe(rs.origin);
        expect(info.resourceMetadata).toBeUndefined();
    });

    it('reports no metadata when the authorization server publishes none', async () => {
        const info = await discoverOAuthServerInfo(`${rs.origin}/mcp`);
        expect(info).toEqual({
            authorizationServerUrl: rs.origin,
            authorizationServerMetadata: undefined,
            resourceMetadata: undefined
        });
    });

    it('rejects metadata for another issuer unless the check is skipped explicitly', async () => {
        rs.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: `${rs.origin}/mcp`, authorization_servers: [as.origin] }
                }
            })
        );
        as.handle(
            routes({ '/.well-known/oauth-authorization-server': { body: asMetadata('https://elsewhere.example') } })
        );
        await expect(discoverOAuthServerInfo(`${rs.origin}/mcp`)).rejects.toBeInstanceOf(IssuerMismatchError);
        const info = await discoverOAuthServerInfo(`${rs.origin}/mcp`, { skipIssuerMetadataValidation: true });
        expect(info.authorizationServerMetadata?.issuer).toBe('https://elsewhere.example');
    });

    it('uses the given fetch and resource metadata URL', async () => {
        const seen: string[] = [];
        rs.handle(
            routes({ '/custom-prm': { body: { resource: `${rs.origin}/mcp`, authorization_servers: [as.origin] } } })
        );
        as.handle(routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(as.origin) } }));
        await discoverOAuthServerInfo(`${rs.origin}/mcp`, {
            resourceMetadataUrl: new URL('/custom-prm', rs.origin),
            fetchFn: (url, init) => {
                seen.push(String(url));
                return fetch(url, init);
            }
        });
        expect(seen).toEqual([`${rs.origin}/custom-prm`, `${as.origin}/.well-known/oauth-authorization-server`]);
    });
});

describe('discoverOAuthProtectedResourceMetadata', () => {
    it('returns the document of the path-aware well-known URL', async () => {
        rs.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { body: { resource: `${rs.origin}/mcp` } } }));
        await expect(discoverOAuthProtectedResourceMetadata(`${rs.origin}/mcp`)).resolves.toMatchObject({
            resource: `${rs.origin}/mcp`
        });
    });

    it('throws DiscoveryError when no candidate serves one, and ResourceMismatchError for another resource', async () => {
        await expect(discoverOAuthProtectedResourceMetadata(`${rs.origin}/mcp`)).rejects.toBeInstanceOf(DiscoveryError);
        rs.handle(
            routes({ '/.well-known/oauth-protected-resource': { body: { resource: 'https://other.example/' } } })
        );
        await expect(discoverOAuthProtectedResourceMetadata(`${rs.origin}/mcp`)).rejects.toBeInstanceOf(
            ResourceMismatchError
        );
    });
});

describe('selectResourceURL', () => {
    it('returns the metadata resource when it covers the server, undefined without metadata', async () => {
        const chosen = await selectResourceURL('https://mcp.example/v1/mcp#x', provider(), {
            resource: 'https://mcp.example/v1'
        });
        expect(chosen?.href).toBe('https://mcp.example/v1');
        await expect(selectResourceURL('https://mcp.example/mcp', provider())).resolves.toBeUndefined();
    });

    it('refuses metadata for another resource', async () => {
        await expect(
            selectResourceURL('https://mcp.example/mcp', provider(), { resource: 'https://other.example/mcp' })
        ).rejects.toBeInstanceOf(ResourceMismatchError);
    });

    it("defers to the provider's validateResourceURL", async () => {
        const custom = Object.assign(provider(), {
            validateResourceURL: async (serverUrl: string | URL, resource?: string) =>
                new URL(`${String(serverUrl)}?checked=${resource}`)
        });
        const chosen = await selectResourceURL('https://mcp.example/mcp', custom, {
            resource: 'https://other.example'
        });
        expect(chosen?.href).toBe('https://mcp.example/mcp?checked=https://other.example');
    });
});

describe('extractWWWAuthenticateParams', () => {
    const challenged = (header: string) => new Response(null, { status: 401, headers: { 'WWW-Authenticate': header } });

    it('reads resource_metadata, scope, error and error_description of the Bearer challenge', () => {
        const response = challenged(
            'Basic realm="x", Bearer error="insufficient_scope", scope="a b", error_description="need b", resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"'
        );
        expect(extractWWWAuthenticateParams(response)).toEqual({
            resourceMetadataUrl: new URL('https://mcp.example/.well-known/oauth-protected-resource'),
            scope: 'a b',
            error: 'insufficient_scope',
            errorDescription: 'need b'
        });
        expect(extractResourceMetadataUrl(response)?.href).toBe(
            'https://mcp.example/.well-known/oauth-protected-resource'
        );
    });

    it('reads a DPoP challenge when there is no Bearer one, and nothing from other schemes', () => {
        expect(extractWWWAuthenticateParams(challenged('DPoP algs="ES256", scope="x"'))).toEqual({ scope: 'x' });
        expect(extractWWWAuthenticateParams(challenged('Basic realm="x"'))).toEqual({});
        expect(extractWWWAuthenticateParams(new Response(null, { status: 401 }))).toEqual({});
        expect(extractResourceMetadataUrl(challenged('Bearer resource_metadata="not a url"'))).toBeUndefined();
    });
});

describe('discoverAuthorizationServerMetadata with the official options', () => {
    it('takes a URL, fetchFn and skipIssuerValidation', async () => {
        as.handle(
            routes({ '/.well-known/oauth-authorization-server': { body: asMetadata('https://elsewhere.example') } })
        );
        const seen: string[] = [];
        const fetchFn = (url: string | URL, init?: RequestInit) => {
            seen.push(String(url));
            return fetch(url, init);
        };
        await expect(discoverAuthorizationServerMetadata(new URL(as.origin), { fetchFn })).rejects.toBeInstanceOf(
            IssuerMismatchError
        );
        const metadata = await discoverAuthorizationServerMetadata(new URL(as.origin), {
            fetchFn,
            skipIssuerValidation: true
        });
        expect(metadata?.issuer).toBe('https://elsewhere.example');
        expect(seen).toEqual([
            `${as.origin}/.well-known/oauth-authorization-server`,
            `${as.origin}/.well-known/oauth-authorization-server`
        ]);
    });
});
