import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
    authorizationServerMetadataUrls,
    checkResourceAllowed,
    discoverAuthorizationServerMetadata,
    discoverOAuth,
    discoverProtectedResourceMetadata,
    issuerMatches,
    protectedResourceMetadataUrls
} from '../../src/client/auth/discovery.js';
import {
    DiscoveryError,
    InsecureEndpointError,
    InvalidResponseError,
    IssuerMismatchError,
    OAuthSecurityError,
    RequestFailedError,
    ResourceMismatchError
} from '../../src/client/auth/errors.js';
import type { FetchLike } from '../../src/client/auth/http.js';
import { assertSecureEndpoint, isLoopbackHost } from '../../src/client/auth/http.js';
import type { LoopbackServer } from './loopbackServer.js';
import { routes, send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
beforeEach(async () => {
    server = await startServer();
});
afterEach(async () => {
    await server.close();
});

const paths = () => server.requests.map(request => request.path);
const asMetadata = (issuer: string) => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256']
});
/** A fetch that fails the test if called. */
const noFetch: FetchLike = () => Promise.reject(new Error('fetch must not be called'));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    throw new Error('expected a rejection');
}

describe('candidate URLs', () => {
    it('orders protected resource metadata URLs: challenge, path-aware, root', () => {
        expect(
            protectedResourceMetadataUrls('https://h.example/public/mcp#frag', 'https://h.example/prm').map(u => u.href)
        ).toEqual([
            'https://h.example/prm',
            'https://h.example/.well-known/oauth-protected-resource/public/mcp',
            'https://h.example/.well-known/oauth-protected-resource'
        ]);
        expect(protectedResourceMetadataUrls('https://h.example/').map(u => u.href)).toEqual([
            'https://h.example/.well-known/oauth-protected-resource'
        ]);
        expect(
            protectedResourceMetadataUrls(
                'https://h.example/mcp',
                'https://h.example/.well-known/oauth-protected-resource'
            ).map(u => u.href)
        ).toEqual([
            'https://h.example/.well-known/oauth-protected-resource',
            'https://h.example/.well-known/oauth-protected-resource/mcp'
        ]);
    });

    it('orders authorization server metadata URLs with and without an issuer path', () => {
        expect(authorizationServerMetadataUrls('https://as.example/tenant1').map(u => u.href)).toEqual([
            'https://as.example/.well-known/oauth-authorization-server/tenant1',
            'https://as.example/.well-known/openid-configuration/tenant1',
            'https://as.example/tenant1/.well-known/openid-configuration'
        ]);
        expect(authorizationServerMetadataUrls('https://as.example').map(u => u.href)).toEqual([
            'https://as.example/.well-known/oauth-authorization-server',
            'https://as.example/.well-known/openid-configuration'
        ]);
        expect(authorizationServerMetadataUrls('https://as.example/').map(u => u.href)).toHaveLength(2);
    });
});

describe('checkResourceAllowed', () => {
    it.each([
        ['https://h/mcp', 'https://h/mcp', true],
        ['https://h/mcp', 'https://h/', true],
        ['https://h/mcp', 'https://h', true],
        ['https://h/a/b/mcp', 'https://h/a', true],
        ['https://h/a/b/mcp', 'https://h/a/', true],
        ['https://H:443/mcp#x', 'https://h/mcp', true],
        ['https://h/mcp', 'https://h/mc', false],
        ['https://h/mcp', 'https://h/mcp/other', false],
        ['https://h/mcp', 'https://other/mcp', false],
        ['https://h/mcp', 'http://h/mcp', false],
        ['https://h/mcp', 'https://h:8443/mcp', false],
        ['https://h/mcp?x=1', 'https://h/mcp?x=1', true],
        ['https://h/mcp?x=2', 'https://h/mcp?x=1', false],
        ['https://h/mcp', 'not a url', false]
    ])('requested %s, metadata resource %s → %s', (requested, configured, allowed) => {
        expect(checkResourceAllowed(requested, configured)).toBe(allowed);
    });
});

describe('secure endpoints', () => {
    it.each([
        ['localhost', true],
        ['app.localhost', true],
        ['127.0.0.1', true],
        ['127.255.0.9', true],
        ['[::1]', true],
        ['128.0.0.1', false],
        ['localhost.example', false],
        ['example.com', false]
    ])('isLoopbackHost(%s) → %s', (host, loopback) => {
        expect(isLoopbackHost(host)).toBe(loopback);
    });

    it('allows https anywhere and http on loopback only', () => {
        expect(assertSecureEndpoint('https://example.com/x').href).toBe('https://example.com/x');
        expect(assertSecureEndpoint('http://127.0.0.1:8080/x').host).toBe('127.0.0.1:8080');
        expect(assertSecureEndpoint('http://[::1]/x').hostname).toBe('[::1]');
        for (const url of ['http://example.com/x', 'ftp://example.com', 'javascript:alert(1)', 'nonsense']) {
            expect(() => assertSecureEndpoint(url)).toThrow(InsecureEndpointError);
        }
    });

    it('refuses an insecure MCP server URL before any request', async () => {
        const error = await rejection(discoverOAuth('http://mcp.example.com/mcp', { fetch: noFetch }));
        expect(error).toBeInstanceOf(InsecureEndpointError);
        expect(error).toBeInstanceOf(OAuthSecurityError);
    });

    it('refuses an insecure authorization server named by the metadata', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: `${server.origin}/mcp`, authorization_servers: ['http://as.example.com'] }
                }
            })
        );
        const error = await rejection(discoverOAuth(`${server.origin}/mcp`));
        expect(error).toBeInstanceOf(InsecureEndpointError);
        expect(paths()).toEqual(['/.well-known/oauth-protected-resource/mcp']);
    });
});

describe('discoverProtectedResourceMetadata', () => {
    it('uses the path-aware well-known URL first', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': { body: { resource: `${server.origin}/mcp` } },
                '/.well-known/oauth-protected-resource': { body: { resource: `${server.origin}/` } }
            })
        );
        const found = await discoverProtectedResourceMetadata(`${server.origin}/mcp`);
        expect(found?.metadata.resource).toBe(`${server.origin}/mcp`);
        expect(found?.url.pathname).toBe('/.well-known/oauth-protected-resource/mcp');
        expect(paths()).toEqual(['/.well-known/oauth-protected-resource/mcp']);
    });

    it('falls back to the root well-known URL on 404', async () => {
        server.handle(routes({ '/.well-known/oauth-protected-resource': { body: { resource: server.origin } } }));
        const found = await discoverProtectedResourceMetadata(`${server.origin}/mcp`);
        expect(found?.metadata.resource).toBe(server.origin);
        expect(paths()).toEqual(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    });

    it("tries the challenge's resource_metadata URL first", async () => {
        server.handle(
            routes({
                '/custom/prm': { body: { resource: `${server.origin}/mcp`, scopes_supported: ['from-challenge'] } },
                '/.well-known/oauth-protected-resource/mcp': { body: { resource: `${server.origin}/mcp` } }
            })
        );
        const found = await discoverProtectedResourceMetadata(`${server.origin}/mcp`, {
            resourceMetadataUrl: `${server.origin}/custom/prm`
        });
        expect(found?.metadata.scopes_supported).toEqual(['from-challenge']);
        expect(paths()).toEqual(['/custom/prm']);
    });

    it('moves on from a 404 challenge URL to the well-known URLs', async () => {
        server.handle(
            routes({ '/.well-known/oauth-protected-resource': { body: { resource: `${server.origin}/mcp` } } })
        );
        await discoverProtectedResourceMetadata(`${server.origin}/mcp`, {
            resourceMetadataUrl: `${server.origin}/gone`
        });
        expect(paths()).toEqual([
            '/gone',
            '/.well-known/oauth-protected-resource/mcp',
            '/.well-known/oauth-protected-resource'
        ]);
    });

    it('resolves undefined when every candidate is 404', async () => {
        expect(await discoverProtectedResourceMetadata(`${server.origin}/mcp`)).toBeUndefined();
        expect(server.requests).toHaveLength(2);
    });

    it('rejects metadata for another resource with ResourceMismatchError', async () => {
        server.handle(
            routes({ '/.well-known/oauth-protected-resource/mcp': { body: { resource: 'https://evil.example/mcp' } } })
        );
        const error = await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`));
        expect(error).toBeInstanceOf(ResourceMismatchError);
        expect(error).toMatchObject({
            code: 'RESOURCE_MISMATCH',
            expected: `${server.origin}/mcp`,
            actual: 'https://evil.example/mcp'
        });
        expect(Object.keys(error as object)).not.toContain('response');
        expect((error as ResourceMismatchError).response?.status).toBe(200);
    });

    it('sends MCP-Protocol-Version and Accept, and does not follow a redirect', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': (_req, res) =>
                    send(res, 302, '', { Location: '/.well-known/oauth-protected-resource' }),
                '/.well-known/oauth-protected-resource': { body: { resource: `${server.origin}/mcp` } }
            })
        );
        const error = await rejection(
            discoverProtectedResourceMetadata(`${server.origin}/mcp`, { protocolVersion: '2025-11-25' })
        );
        expect(error).toBeInstanceOf(DiscoveryError);
        expect(error).toMatchObject({ code: 'DISCOVERY_FAILED', status: 302 });
        expect((error as Error).message).toContain('redirect');
        expect(paths()).toEqual(['/.well-known/oauth-protected-resource/mcp']);
        expect(server.requests[0]?.headers['mcp-protocol-version']).toBe('2025-11-25');
        expect(server.requests[0]?.headers.accept).toBe('application/json');
    });

    it('stops on an HTTP error other than 404', async () => {
        server.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { status: 500, body: 'boom' } }));
        const error = await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`));
        expect(error).toMatchObject({ code: 'DISCOVERY_FAILED', status: 500 });
        expect(server.requests).toHaveLength(1);
    });

    it('rejects a body that is not JSON, or not metadata, with InvalidResponseError', async () => {
        server.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { body: '<html>nope</html>' } }));
        const notJson = await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`));
        expect(notJson).toBeInstanceOf(InvalidResponseError);
        expect(notJson).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });

        server.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { body: { authorization_servers: [] } } }));
        const notMetadata = await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`));
        expect(notMetadata).toBeInstanceOf(InvalidResponseError);
        expect((notMetadata as Error).message).toContain('resource');

        server.handle(routes({ '/.well-known/oauth-protected-resource/mcp': { body: [1, 2] } }));
        expect(await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`))).toBeInstanceOf(
            InvalidResponseError
        );
    });

    it('refuses an oversized body', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: `${server.origin}/mcp`, resource_name: 'x'.repeat(512 * 1024) }
                }
            })
        );
        const error = await rejection(discoverProtectedResourceMetadata(`${server.origin}/mcp`));
        expect(error).toBeInstanceOf(InvalidResponseError);
        expect((error as Error).message).toContain('exceeds');
    });

    it('reports a network failure as RequestFailedError', async () => {
        const closed = await startServer();
        const origin = closed.origin;
        await closed.close();
        const error = await rejection(discoverProtectedResourceMetadata(`${origin}/mcp`));
        expect(error).toBeInstanceOf(RequestFailedError);
        expect(error).toMatchObject({ code: 'REQUEST_FAILED' });
    });

    it('retries once without MCP-Protocol-Version when the request fails at the network level (CORS)', async () => {
        server.handle(
            routes({ '/.well-known/oauth-protected-resource/mcp': { body: { resource: `${server.origin}/mcp` } } })
        );
        const seen: Array<string | null> = [];
        const corsLikeFetch: FetchLike = (input, init) => {
            const version = new Headers(init?.headers).get('mcp-protocol-version');
            seen.push(version);
            return version === null ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));
        };
        const found = await discoverProtectedResourceMetadata(`${server.origin}/mcp`, {
            fetch: corsLikeFetch,
            protocolVersion: '2025-11-25'
        });
        expect(found?.metadata.resource).toBe(`${server.origin}/mcp`);
        expect(seen).toEqual(['2025-11-25', null]);
    });
});

describe('discoverAuthorizationServerMetadata', () => {
    it('tries OAuth then OpenID path insertion, then OpenID path appending, for an issuer with a path', async () => {
        const issuer = `${server.origin}/tenant1`;
        server.handle(routes({ '/tenant1/.well-known/openid-configuration': { body: asMetadata(issuer) } }));
        const metadata = await discoverAuthorizationServerMetadata(issuer);
        expect(metadata?.issuer).toBe(issuer);
        expect(paths()).toEqual([
            '/.well-known/oauth-authorization-server/tenant1',
            '/.well-known/openid-configuration/tenant1',
            '/tenant1/.well-known/openid-configuration'
        ]);
    });

    it('stops at the first document found', async () => {
        const issuer = `${server.origin}/tenant1`;
        server.handle(
            routes({
                '/.well-known/openid-configuration/tenant1': { body: asMetadata(issuer) },
                '/tenant1/.well-known/openid-configuration': { body: asMetadata(issuer) }
            })
        );
        await discoverAuthorizationServerMetadata(issuer);
        expect(paths()).toEqual([
            '/.well-known/oauth-authorization-server/tenant1',
            '/.well-known/openid-configuration/tenant1'
        ]);
    });

    it('tries OAuth then OpenID for an issuer without a path', async () => {
        server.handle(routes({ '/.well-known/openid-configuration': { body: asMetadata(server.origin) } }));
        const metadata = await discoverAuthorizationServerMetadata(server.origin);
        expect(metadata?.token_endpoint).toBe(`${server.origin}/token`);
        expect(paths()).toEqual(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
    });

    it('rejects a document for another issuer with IssuerMismatchError', async () => {
        server.handle(
            routes({ '/.well-known/oauth-authorization-server': { body: asMetadata('https://attacker.example') } })
        );
        const error = await rejection(discoverAuthorizationServerMetadata(server.origin));
        expect(error).toBeInstanceOf(IssuerMismatchError);
        expect(error).toMatchObject({
            code: 'ISSUER_MISMATCH',
            expected: server.origin,
            actual: 'https://attacker.example'
        });
    });

    it('accepts a host-only issuer that differs only by its trailing slash', async () => {
        server.handle(routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(`${server.origin}/`) } }));
        expect((await discoverAuthorizationServerMetadata(server.origin))?.issuer).toBe(`${server.origin}/`);
        expect(issuerMatches('https://as/t', 'https://as/t/')).toBe(false);
        expect(issuerMatches('https://as', 'https://as/')).toBe(true);
    });

    it('resolves undefined when every candidate is 404', async () => {
        expect(await discoverAuthorizationServerMetadata(server.origin)).toBeUndefined();
        expect(server.requests).toHaveLength(2);
    });
});

describe('discoverOAuth', () => {
    it('chains protected resource metadata to its authorization server', async () => {
        const issuer = `${server.origin}/as`;
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: {
                        resource: `${server.origin}/mcp`,
                        authorization_servers: [issuer],
                        scopes_supported: ['init']
                    }
                },
                '/.well-known/oauth-authorization-server/as': { body: asMetadata(issuer) }
            })
        );
        const discovery = await discoverOAuth(`${server.origin}/mcp`, { protocolVersion: '2025-11-25' });
        expect(discovery).toMatchObject({
            source: 'metadata',
            authorizationServer: issuer,
            resourceMetadata: { scopes_supported: ['init'] }
        });
        expect(discovery.resource?.href).toBe(`${server.origin}/mcp`);
        expect(discovery.authorizationServerMetadata.authorization_endpoint).toBe(`${issuer}/authorize`);
        expect(server.requests.every(r => r.headers['mcp-protocol-version'] === '2025-11-25')).toBe(true);
    });

    it('makes no authorization server request when the resource does not match', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource/mcp': {
                    body: { resource: `${server.origin}/other`, authorization_servers: [server.origin] }
                },
                '/.well-known/oauth-authorization-server': { body: asMetadata(server.origin) }
            })
        );
        expect(await rejection(discoverOAuth(`${server.origin}/mcp`))).toBeInstanceOf(ResourceMismatchError);
        expect(paths()).toEqual(['/.well-known/oauth-protected-resource/mcp']);
    });

    it('lets the caller pick among several authorization servers', async () => {
        server.handle(
            routes({
                '/.well-known/oauth-protected-resource': {
                    body: {
                        resource: server.origin,
                        authorization_servers: [`${server.origin}/a`, `${server.origin}/b`]
                    }
                },
                '/.well-known/oauth-authorization-server/b': { body: asMetadata(`${server.origin}/b`) }
            })
        );
        const discovery = await discoverOAuth(`${server.origin}/`, {
            selectAuthorizationServer: issuers => issuers[1]!
        });
        expect(discovery.authorizationServer).toBe(`${server.origin}/b`);
    });

    it('fails when the metadata names no authorization server, or the server has no metadata', async () => {
        server.handle(routes({ '/.well-known/oauth-protected-resource': { body: { resource: server.origin } } }));
        expect(await rejection(discoverOAuth(server.origin))).toMatchObject({ code: 'DISCOVERY_FAILED' });

        server.handle(
            routes({
                '/.well-known/oauth-protected-resource': {
                    body: { resource: server.origin, authorization_servers: [`${server.origin}/as`] }
                }
            })
        );
        const error = await rejection(discoverOAuth(server.origin));
        expect(error).toBeInstanceOf(DiscoveryError);
        expect((error as Error).message).toContain('publishes no metadata');
    });

    it('2025-03-26: uses the origin as authorization server when there is no protected resource metadata', async () => {
        server.handle(routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(server.origin) } }));
        const discovery = await discoverOAuth(`${server.origin}/mcp`);
        expect(discovery).toMatchObject({
            source: 'legacy-metadata',
            authorizationServer: server.origin,
            resourceMetadata: undefined,
            resource: undefined
        });
        expect(paths()).toEqual([
            '/.well-known/oauth-protected-resource/mcp',
            '/.well-known/oauth-protected-resource',
            '/.well-known/oauth-authorization-server'
        ]);
    });

    it('2025-03-26: accepts an issuer on the server origin with a path, but not another origin', async () => {
        server.handle(
            routes({ '/.well-known/oauth-authorization-server': { body: asMetadata(`${server.origin}/oauth`) } })
        );
        const discovery = await discoverOAuth(`${server.origin}/mcp`);
        expect(discovery.authorizationServerMetadata.issuer).toBe(`${server.origin}/oauth`);

        server.handle(
            routes({ '/.well-known/oauth-authorization-server': { body: asMetadata('http://127.0.0.2:9/oauth') } })
        );
        expect(await rejection(discoverOAuth(`${server.origin}/mcp`))).toBeInstanceOf(IssuerMismatchError);
    });

    it('2025-03-26: falls back to /authorize, /token and /register when nothing is published', async () => {
        const discovery = await discoverOAuth(`${server.origin}/mcp`);
        expect(discovery.source).toBe('legacy-defaults');
        expect(discovery.authorizationServerMetadata).toMatchObject({
            issuer: server.origin,
            authorization_endpoint: `${server.origin}/authorize`,
            token_endpoint: `${server.origin}/token`,
            registration_endpoint: `${server.origin}/register`,
            code_challenge_methods_supported: ['S256']
        });
        expect(server.requests).toHaveLength(4);
    });

    it('uses the injected fetch for every request', async () => {
        let calls = 0;
        const counting: FetchLike = (input, init) => {
            calls++;
            return fetch(input, init);
        };
        await discoverOAuth(`${server.origin}/mcp`, { fetch: counting });
        expect(calls).toBe(server.requests.length);
        expect(calls).toBe(4);
    });
});
