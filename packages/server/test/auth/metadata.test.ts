import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/server/auth/errors.js';
import {
    buildProtectedResourceMetadata,
    createProtectedResourceMetadataEndpoint,
    protectedResourceMetadataHandler,
    protectedResourceMetadataPaths,
    protectedResourceMetadataUrl
} from '../../src/server/auth/metadata.js';

const options = {
    resource: 'https://rs.example/mcp',
    authorizationServers: ['https://as.example'],
    scopesSupported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
    resourceName: 'Example MCP',
    resourceDocumentation: 'https://rs.example/docs'
};

describe('protectedResourceMetadataUrl', () => {
    it.each([
        ['https://rs.example/mcp', 'https://rs.example/.well-known/oauth-protected-resource/mcp'],
        ['https://rs.example/a/b/', 'https://rs.example/.well-known/oauth-protected-resource/a/b/'],
        ['https://rs.example', 'https://rs.example/.well-known/oauth-protected-resource'],
        ['https://rs.example/', 'https://rs.example/.well-known/oauth-protected-resource'],
        [
            'https://rs.example:8443/mcp?tenant=1',
            'https://rs.example:8443/.well-known/oauth-protected-resource/mcp?tenant=1'
        ],
        ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp']
    ])('inserts the well-known path between host and path for %s (RFC 9728 §3.1)', (resource, expected) => {
        expect(protectedResourceMetadataUrl(resource).href).toBe(expected);
    });

    it('lists the path-aware and the root path, once when they coincide', () => {
        expect(protectedResourceMetadataPaths('https://rs.example/mcp')).toEqual([
            '/.well-known/oauth-protected-resource/mcp',
            '/.well-known/oauth-protected-resource'
        ]);
        expect(protectedResourceMetadataPaths('https://rs.example/')).toEqual([
            '/.well-known/oauth-protected-resource'
        ]);
    });
});

describe('buildProtectedResourceMetadata', () => {
    it('builds the RFC 9728 §2 document', () => {
        expect(buildProtectedResourceMetadata(options)).toEqual({
            resource: 'https://rs.example/mcp',
            authorization_servers: ['https://as.example'],
            bearer_methods_supported: ['header'],
            scopes_supported: ['init', 'mcp:tools:read', 'mcp:tools:write'],
            resource_name: 'Example MCP',
            resource_documentation: 'https://rs.example/docs'
        });
    });

    it.each([
        ['an http resource off loopback', { ...options, resource: 'http://rs.example/mcp' }],
        ['a resource with a fragment', { ...options, resource: 'https://rs.example/mcp#x' }],
        ['a relative resource', { ...options, resource: '/mcp' }],
        ['no authorization server', { ...options, authorizationServers: [] }],
        ['an http authorization server off loopback', { ...options, authorizationServers: ['http://as.example'] }],
        ['an invalid scope', { ...options, scopesSupported: ['a b'] }]
    ])('rejects %s', (_name, bad) => {
        expect(() => buildProtectedResourceMetadata(bad)).toThrow(AuthConfigError);
    });
});

describe('protected resource metadata endpoint', () => {
    const handle = protectedResourceMetadataHandler(options);

    it('serves the document on the path-aware and the root URL with CORS', async () => {
        for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
            const response = handle(new Request(`https://rs.example${path}`));
            expect(response.status).toBe(200);
            expect(response.headers.get('access-control-allow-origin')).toBe('*');
            expect(response.headers.get('content-type')).toBe('application/json');
            expect((await response.json()).resource).toBe('https://rs.example/mcp');
        }
    });

    it('answers a CORS preflight with 204', () => {
        const response = handle(
            new Request('https://rs.example/.well-known/oauth-protected-resource/mcp', { method: 'OPTIONS' })
        );
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    });

    it('answers other methods with 405 and other paths with 404', () => {
        expect(
            handle(new Request('https://rs.example/.well-known/oauth-protected-resource', { method: 'POST' })).status
        ).toBe(405);
        expect(handle(new Request('https://rs.example/.well-known/oauth-protected-resource/other')).status).toBe(404);
    });

    it('exposes the path-aware URL to advertise in challenges', () => {
        expect(createProtectedResourceMetadataEndpoint(options).url.href).toBe(
            'https://rs.example/.well-known/oauth-protected-resource/mcp'
        );
    });
});
