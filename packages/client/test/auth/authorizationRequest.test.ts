import { InvalidAuthOptionsError } from '../../src/client/auth/errors.js';
import { describe, expect, it } from 'vitest';

import { buildAuthorizationUrl, parseAuthorizationResponse } from '../../src/client/auth/authorizationRequest.js';
import {
    AuthorizationResponseError,
    InsecureEndpointError,
    InvalidResponseError,
    IssuerMismatchError,
    StateMismatchError
} from '../../src/client/auth/errors.js';

const base = {
    authorizationEndpoint: 'https://as.example/authorize?tenant=t1',
    clientId: 'client-1',
    redirectUri: 'http://127.0.0.1:3000/callback',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    state: 'state-1'
};

describe('buildAuthorizationUrl', () => {
    it('sets the code flow parameters, keeps the endpoint query, and adds scope and resource', () => {
        const url = buildAuthorizationUrl({
            ...base,
            scope: 'init  mcp:tools:read',
            resource: 'https://mcp.example/mcp'
        });
        expect(url.origin + url.pathname).toBe('https://as.example/authorize');
        expect(Object.fromEntries(url.searchParams)).toEqual({
            tenant: 't1',
            response_type: 'code',
            client_id: 'client-1',
            redirect_uri: 'http://127.0.0.1:3000/callback',
            code_challenge: base.codeChallenge,
            code_challenge_method: 'S256',
            state: 'state-1',
            scope: 'init mcp:tools:read',
            resource: 'https://mcp.example/mcp'
        });
    });

    it.each([undefined, '', '   ', []])('omits scope when it is empty (%j)', scope => {
        const url = buildAuthorizationUrl({ ...base, scope });
        expect(url.searchParams.has('scope')).toBe(false);
        expect(url.searchParams.has('prompt')).toBe(false);
    });

    it('adds prompt=consent when offline_access is requested, unless a prompt is given', () => {
        expect(buildAuthorizationUrl({ ...base, scope: 'init offline_access' }).searchParams.get('prompt')).toBe(
            'consent'
        );
        expect(
            buildAuthorizationUrl({ ...base, scope: 'init offline_access', prompt: 'login' }).searchParams.get('prompt')
        ).toBe('login');
    });

    it('passes RFC 9470 acr_values and max_age through', () => {
        const url = buildAuthorizationUrl({ ...base, acrValues: 'urn:mace:incommon:iap:silver', maxAge: 300 });
        expect(url.searchParams.get('acr_values')).toBe('urn:mace:incommon:iap:silver');
        expect(url.searchParams.get('max_age')).toBe('300');
    });

    it('does not let extra parameters override the protocol ones', () => {
        const url = buildAuthorizationUrl({
            ...base,
            extraParams: { state: 'forged', code_challenge_method: 'plain', ui_locales: 'de' }
        });
        expect(url.searchParams.get('state')).toBe('state-1');
        expect(url.searchParams.getAll('code_challenge_method')).toEqual(['S256']);
        expect(url.searchParams.get('ui_locales')).toBe('de');
    });

    it('refuses an insecure authorization endpoint', () => {
        expect(() => buildAuthorizationUrl({ ...base, authorizationEndpoint: 'http://as.example/authorize' })).toThrow(
            InsecureEndpointError
        );
        expect(buildAuthorizationUrl({ ...base, authorizationEndpoint: 'http://localhost:9000/auth' }).host).toBe(
            'localhost:9000'
        );
    });
});

function thrown(fn: () => unknown): unknown {
    try {
        fn();
    } catch (error) {
        return error;
    }
    throw new Error('expected a throw');
}

describe('parseAuthorizationResponse', () => {
    const callback = (query: string) => `http://127.0.0.1:3000/callback?${query}`;
    const issuer = 'https://as.example';

    it('returns the code when state (and iss, when sent) match', () => {
        expect(parseAuthorizationResponse(callback('code=abc&state=s1'), { expectedState: 's1' })).toEqual({
            code: 'abc',
            state: 's1'
        });
        expect(
            parseAuthorizationResponse(new URLSearchParams({ code: 'abc', state: 's1', iss: issuer }), {
                expectedState: 's1',
                expectedIssuer: issuer,
                issuerParameterSupported: true
            })
        ).toEqual({ code: 'abc', state: 's1', iss: issuer });
    });

    it('rejects a wrong or missing state', () => {
        expect(
            thrown(() => parseAuthorizationResponse(callback('code=abc&state=other'), { expectedState: 's1' }))
        ).toBeInstanceOf(StateMismatchError);
        const missing = thrown(() => parseAuthorizationResponse(callback('code=abc'), { expectedState: 's1' }));
        expect(missing).toMatchObject({ code: 'STATE_MISMATCH' });
    });

    it('rejects an iss that differs, even when the server did not promise one', () => {
        const error = thrown(() =>
            parseAuthorizationResponse(callback('code=abc&state=s1&iss=https%3A%2F%2Fevil.example'), {
                expectedState: 's1',
                expectedIssuer: issuer
            })
        );
        expect(error).toBeInstanceOf(IssuerMismatchError);
        expect(error).toMatchObject({ expected: issuer, actual: 'https://evil.example' });
    });

    it('requires iss when the server advertises authorization_response_iss_parameter_supported', () => {
        const error = thrown(() =>
            parseAuthorizationResponse(callback('code=abc&state=s1'), {
                expectedState: 's1',
                expectedIssuer: issuer,
                issuerParameterSupported: true
            })
        );
        expect(error).toBeInstanceOf(IssuerMismatchError);
        expect(error).toMatchObject({ actual: undefined });
        expect(
            parseAuthorizationResponse(callback('code=abc&state=s1'), { expectedState: 's1', expectedIssuer: issuer })
                .code
        ).toBe('abc');
    });

    it('checks iss before state, and state before error', () => {
        expect(
            thrown(() =>
                parseAuthorizationResponse(callback('error=access_denied&state=x&iss=https%3A%2F%2Fevil'), {
                    expectedState: 's1',
                    expectedIssuer: issuer
                })
            )
        ).toBeInstanceOf(IssuerMismatchError);
        expect(
            thrown(() => parseAuthorizationResponse(callback('error=access_denied&state=x'), { expectedState: 's1' }))
        ).toBeInstanceOf(StateMismatchError);
    });

    it('turns an error response into AuthorizationResponseError', () => {
        const error = thrown(() =>
            parseAuthorizationResponse(
                callback('error=access_denied&error_description=User+said+no&error_uri=https%3A%2F%2Fas%2Fe&state=s1'),
                { expectedState: 's1' }
            )
        );
        expect(error).toBeInstanceOf(AuthorizationResponseError);
        expect(error).toMatchObject({
            code: 'AUTHORIZATION_RESPONSE_ERROR',
            error: 'access_denied',
            errorDescription: 'User said no',
            errorUri: 'https://as/e'
        });
    });

    it('rejects a missing code and repeated parameters', () => {
        expect(thrown(() => parseAuthorizationResponse(callback('state=s1'), { expectedState: 's1' }))).toBeInstanceOf(
            InvalidResponseError
        );
        expect(
            thrown(() => parseAuthorizationResponse(callback('code=a&code=b&state=s1'), { expectedState: 's1' }))
        ).toBeInstanceOf(InvalidResponseError);
        expect(
            thrown(() => parseAuthorizationResponse(callback('code=a&state=s1&state=s1'), { expectedState: 's1' }))
        ).toBeInstanceOf(InvalidResponseError);
    });

    it('refuses issuerParameterSupported without an expected issuer (a caller bug)', () => {
        expect(() =>
            parseAuthorizationResponse(callback('code=a&state=s1'), {
                expectedState: 's1',
                issuerParameterSupported: true
            })
        ).toThrow(InvalidAuthOptionsError);
    });
});
