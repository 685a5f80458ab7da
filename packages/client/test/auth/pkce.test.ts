import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { PkceUnsupportedError } from '../../src/client/auth/errors.js';
import {
    assertPkceSupported,
    base64url,
    computeCodeChallenge,
    generatePkce,
    generateState
} from '../../src/client/auth/pkce.js';

describe('pkce', () => {
    it('matches the RFC 7636 Appendix B example', async () => {
        expect(await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
            'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
        );
        const octets = new Uint8Array([
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
            240, 91, 88, 5, 88, 83, 132, 141, 121
        ]);
        expect(base64url(octets)).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    });

    it('generates a 43-character base64url verifier with its S256 challenge', async () => {
        const pkce = await generatePkce();
        expect(pkce.method).toBe('S256');
        expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(pkce.codeChallenge).toBe(createHash('sha256').update(pkce.codeVerifier).digest('base64url'));
    });

    it('generates a different verifier and state every time', async () => {
        const verifiers = new Set<string>();
        const states = new Set<string>();
        for (let i = 0; i < 50; i++) {
            verifiers.add((await generatePkce()).codeVerifier);
            states.add(generateState());
        }
        expect(verifiers.size).toBe(50);
        expect(states.size).toBe(50);
        expect([...states][0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('requires the server to advertise S256', () => {
        expect(() =>
            assertPkceSupported({ issuer: 'https://as', code_challenge_methods_supported: ['S256'] })
        ).not.toThrow();
        for (const methods of [undefined, [], ['plain']]) {
            expect(() =>
                assertPkceSupported(
                    methods === undefined
                        ? { issuer: 'https://as' }
                        : { issuer: 'https://as', code_challenge_methods_supported: methods }
                )
            ).toThrow(PkceUnsupportedError);
        }
    });
});
