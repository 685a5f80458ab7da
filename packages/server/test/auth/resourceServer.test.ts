import { describe, expect, it } from 'vitest';
import type { AuthInfo } from '@modelcontextprotocol/core';
import {
    InvalidTokenError,
    bearerAuthChallengeResponse,
    buildOAuthProtectedResourceMetadata,
    getOAuthProtectedResourceMetadataUrl,
    oauthMetadataResponse,
    requireBearerAuth,
    verifyBearerToken
} from '@modelcontextprotocol/server';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/server';

const resource = new URL('https://mcp.example.com/mcp');
const tokens: Record<string, AuthInfo> = {
    good: { token: 'good', clientId: 'c', scopes: ['read'], resource },
    elsewhere: { token: 'elsewhere', clientId: 'c', scopes: ['read'], resource: new URL('https://other.example/mcp') }
};
const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
        const info = tokens[token];
        if (!info) throw new InvalidTokenError('unknown token');
        return info;
    }
};
const oauthMetadata = {
    issuer: 'https://as.example.com',
    authorization_endpoint: 'https://as.example.com/authorize',
    token_endpoint: 'https://as.example.com/token',
    response_types_supported: ['code']
};

describe('the official v2 resource-server helpers', () => {
    it('verifyBearerToken checks the token, its scopes and its resource', async () => {
        await expect(verifyBearerToken('Bearer good', { verifier, requiredScopes: ['read'] })).resolves.toMatchObject({
            clientId: 'c'
        });
        await expect(verifyBearerToken('Bearer good', { verifier, requiredScopes: ['write'] })).rejects.toMatchObject({
            code: 'INSUFFICIENT_SCOPE'
        });
        await expect(
            verifyBearerToken('Bearer elsewhere', {
                verifier,
                expectedResource: new URL('https://mcp.example.com/mcp/')
            })
        ).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
        await expect(verifyBearerToken(undefined, { verifier })).rejects.toMatchObject({ code: 'MISSING_TOKEN' });
    });

    it('bearerAuthChallengeResponse answers with the status and challenge of the error', async () => {
        const error = await verifyBearerToken('Bearer nope', { verifier }).catch((e: unknown) => e);
        const response = bearerAuthChallengeResponse(error, { resourceMetadataUrl: 'https://mcp.example.com/prm' });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
        expect(bearerAuthChallengeResponse(new Error('boom')).status).toBe(500);
    });

    it('the web-standard requireBearerAuth gate resolves to AuthInfo or a Response', async () => {
        const gate = requireBearerAuth({ verifier, requiredScopes: ['read'] });
        const ok = await gate(new Request(resource, { headers: { authorization: 'Bearer good' } }));
        expect(ok).toMatchObject({ clientId: 'c' });
        const refused = await gate(new Request(resource));
        expect(refused).toBeInstanceOf(Response);
        expect((refused as Response).status).toBe(401);
    });

    it('serves both discovery documents from AuthMetadataOptions', async () => {
        const options = { oauthMetadata, resourceServerUrl: resource, scopesSupported: ['read'] };
        expect(getOAuthProtectedResourceMetadataUrl(resource)).toBe(
            'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
        );
        expect(buildOAuthProtectedResourceMetadata(options)).toMatchObject({
            resource: resource.href,
            authorization_servers: ['https://as.example.com'],
            scopes_supported: ['read']
        });
        const prm = oauthMetadataResponse(
            new Request('https://mcp.example.com/.well-known/oauth-protected-resource/mcp'),
            options
        );
        expect(await prm?.json()).toMatchObject({ resource: resource.href });
        const as = oauthMetadataResponse(
            new Request('https://mcp.example.com/.well-known/oauth-authorization-server'),
            options
        );
        expect(await as?.json()).toEqual(oauthMetadata);
        expect(oauthMetadataResponse(new Request('https://mcp.example.com/mcp'), options)).toBeUndefined();
    });
});
