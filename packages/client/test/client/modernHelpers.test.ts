import { describe, expect, it } from 'vitest';
import {
    buildDiscoveryUrls,
    CallToolResultSchema,
    getSupportedElicitationModes,
    withInputRequired
} from '../../src/index.js';

describe('2026-07-28 helpers of the official v2 client API', () => {
    it('reads the elicitation modes a capability supports (empty object means form)', () => {
        expect(getSupportedElicitationModes(undefined)).toEqual({ supportsFormMode: false, supportsUrlMode: false });
        expect(getSupportedElicitationModes({})).toEqual({ supportsFormMode: true, supportsUrlMode: false });
        expect(getSupportedElicitationModes({ url: {} })).toEqual({ supportsFormMode: false, supportsUrlMode: true });
        expect(getSupportedElicitationModes({ form: {}, url: {} })).toEqual({
            supportsFormMode: true,
            supportsUrlMode: true
        });
    });

    it('withInputRequired parses either the result or an input_required result, nothing else', () => {
        const schema = withInputRequired(CallToolResultSchema);
        expect(schema.safeParse({ content: [] }).success).toBe(true);
        expect(schema.safeParse({ resultType: 'input_required', requestState: 'abc' }).success).toBe(true);
        expect(
            schema.safeParse({ resultType: 'input_required', inputRequests: { x: { method: 'nope' } } }).success
        ).toBe(false);
    });

    it('lists the authorization server metadata URLs in discovery order, with their kind', () => {
        expect(
            buildDiscoveryUrls('https://as.example.com/tenant1').map(({ url, type }) => `${type} ${url.href}`)
        ).toEqual([
            'oauth https://as.example.com/.well-known/oauth-authorization-server/tenant1',
            'oidc https://as.example.com/.well-known/openid-configuration/tenant1',
            'oidc https://as.example.com/tenant1/.well-known/openid-configuration'
        ]);
    });
});
