/**
 * The official SDK's small OAuth helpers: scope union and strict superset, the RFC 9207 issuer check, the DPoP
 * access token hash, URL-based client IDs, the client metadata the SDK registers, and resource identifiers.
 */
import { checkResourceAllowed, OAuthErrorCode, resourceUrlFromServerUrl } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';

import { validateAuthorizationResponseIssuer } from '../../src/client/auth/authorizationRequest.js';
import { selectClientAuthMethod } from '../../src/client/auth/clientAuth.js';
import { InsufficientScopeError, InvalidScopeError, IssuerMismatchError } from '../../src/client/auth/errors.js';
import { InvalidClientMetadataError } from '../../src/client/auth/flowErrors.js';
import { accessTokenHash } from '../../src/client/auth/pkce.js';
import { isHttpsUrl, resolveClientMetadata, validateClientMetadataUrl } from '../../src/client/auth/registration.js';
import { computeScopeUnion, isStrictScopeSuperset } from '../../src/client/auth/scope.js';

describe('computeScopeUnion', () => {
    it('joins each distinct token once, in first-seen order', () => {
        expect(computeScopeUnion('a b', undefined, 'b c', '', '  d  a')).toBe('a b c d');
    });

    it('is undefined when there is no token at all', () => {
        expect(computeScopeUnion()).toBeUndefined();
        expect(computeScopeUnion(undefined, '', ' ')).toBeUndefined();
    });

    it('refuses a malformed token (RFC 6749 §3.3)', () => {
        expect(() => computeScopeUnion('a "b"')).toThrow(InvalidScopeError);
    });
});

describe('isStrictScopeSuperset', () => {
    it.each([
        ['a b', 'a', true],
        ['a b', 'b a', false],
        ['a', 'a b', false],
        ['a', undefined, true],
        ['a', '', true],
        [undefined, 'a', false],
        ['', undefined, false]
    ])('%j over %j: %s', (union, current, expected) => {
        expect(isStrictScopeSuperset(union, current)).toBe(expected);
    });
});

describe('validateAuthorizationResponseIssuer (RFC 9207 §2.4)', () => {
    const issuer = 'https://as.example';

    it('accepts the exact issuer, and a missing iss when the server does not promise one', () => {
        expect(() =>
            validateAuthorizationResponseIssuer({ iss: issuer, expectedIssuer: issuer, issParameterSupported: true })
        ).not.toThrow();
        expect(() =>
            validateAuthorizationResponseIssuer({
                iss: undefined,
                expectedIssuer: issuer,
                issParameterSupported: false
            })
        ).not.toThrow();
    });

    it.each([
        ['another issuer', 'https://attacker.example', issuer, false],
        ['a trailing slash (simple string comparison)', `${issuer}/`, issuer, false],
        ['a missing iss the server promised', undefined, issuer, true],
        ['an iss that cannot be checked', issuer, undefined, false]
    ])('refuses %s', (_name, iss, expectedIssuer, issParameterSupported) => {
        let caught: unknown;
        try {
            validateAuthorizationResponseIssuer({ iss, expectedIssuer, issParameterSupported });
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(IssuerMismatchError);
        expect(caught).toMatchObject({ kind: 'authorization_response', received: iss });
    });
});

describe('accessTokenHash', () => {
    it('is the base64url SHA-256 of the token (the RFC 9449 example)', async () => {
        expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
            'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo'
        );
    });
});

describe('URL-based client IDs', () => {
    it.each([
        ['https://app.example/client.json', true],
        ['https://app.example/', false],
        ['http://app.example/client.json', false],
        ['https://app.example/client.json#frag', false],
        ['not a url', false],
        [undefined, false]
    ])('isHttpsUrl(%j) is %s', (value, expected) => {
        expect(isHttpsUrl(value)).toBe(expected);
    });

    it('validateClientMetadataUrl accepts nothing or a valid URL, and refuses the rest with invalid_client_metadata', () => {
        expect(() => validateClientMetadataUrl(undefined)).not.toThrow();
        expect(() => validateClientMetadataUrl('')).not.toThrow();
        expect(() => validateClientMetadataUrl('https://app.example/client.json')).not.toThrow();
        let caught: unknown;
        try {
            validateClientMetadataUrl('http://app.example/client.json');
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(InvalidClientMetadataError);
        expect(caught).toMatchObject({ code: OAuthErrorCode.InvalidClientMetadata });
    });
});

describe('resolveClientMetadata', () => {
    it('defaults grant_types for an interactive client and derives application_type from the redirect URIs', () => {
        const provider = {
            redirectUrl: 'http://127.0.0.1:9/callback',
            clientMetadata: { client_name: 'cli', redirect_uris: ['http://127.0.0.1:9/callback'] }
        };
        expect(resolveClientMetadata(provider)).toEqual({
            client_name: 'cli',
            redirect_uris: ['http://127.0.0.1:9/callback'],
            grant_types: ['authorization_code', 'refresh_token'],
            application_type: 'native'
        });
        expect(provider.clientMetadata).not.toHaveProperty('grant_types');
    });

    it('never changes what the provider set, and adds no grant_types for a non-interactive client', () => {
        const set = {
            redirectUrl: 'https://app.example/cb',
            clientMetadata: {
                redirect_uris: ['https://app.example/cb'],
                grant_types: ['authorization_code'],
                application_type: 'native'
            }
        };
        expect(resolveClientMetadata(set)).toEqual(set.clientMetadata);
        const machine = { redirectUrl: undefined, clientMetadata: { redirect_uris: ['https://app.example/cb'] } };
        expect(resolveClientMetadata(machine)).toEqual({
            redirect_uris: ['https://app.example/cb'],
            application_type: 'web'
        });
    });
});

describe('resource identifiers (core)', () => {
    it('resourceUrlFromServerUrl drops only the fragment', () => {
        expect(resourceUrlFromServerUrl('HTTPS://MCP.example:443/Path?q=1#frag').href).toBe(
            'https://mcp.example/Path?q=1'
        );
    });

    it('checkResourceAllowed takes the two URLs or the official object form', () => {
        expect(checkResourceAllowed('https://mcp.example/v1/mcp', 'https://mcp.example/v1')).toBe(true);
        expect(
            checkResourceAllowed({
                requestedResource: 'https://mcp.example/v1/mcp',
                configuredResource: 'https://mcp.example/v1'
            })
        ).toBe(true);
        expect(
            checkResourceAllowed({
                requestedResource: 'https://mcp.example/v10',
                configuredResource: 'https://mcp.example/v1'
            })
        ).toBe(false);
        expect(
            checkResourceAllowed({ requestedResource: 'nonsense', configuredResource: 'https://mcp.example/' })
        ).toBe(false);
    });
});

describe('selectClientAuthMethod with the official arguments', () => {
    it.each([
        [{ client_id: 'c', client_secret: 's' }, ['client_secret_post', 'client_secret_basic'], 'client_secret_basic'],
        [{ client_id: 'c', client_secret: 's' }, ['client_secret_post'], 'client_secret_post'],
        [{ client_id: 'c', client_secret: 's' }, [], 'client_secret_basic'],
        [{ client_id: 'c' }, ['client_secret_basic', 'none'], 'none']
    ])('%j with %j: %s', (clientInformation, supportedMethods, expected) => {
        expect(selectClientAuthMethod(clientInformation, supportedMethods)).toBe(expected);
    });
});

describe('InsufficientScopeError with the official init', () => {
    it('takes requiredScope, resourceMetadataUrl and errorDescription alone', () => {
        const error = new InsufficientScopeError({
            requiredScope: 'files:write',
            resourceMetadataUrl: new URL('https://mcp.example/prm'),
            errorDescription: 'write access needed'
        });
        expect(error).toMatchObject({
            requiredScope: 'files:write',
            errorDescription: 'write access needed',
            missingScopes: [],
            requestedScopes: [],
            grantedScopes: []
        });
        expect(error.message).toContain('files:write');
    });
});
