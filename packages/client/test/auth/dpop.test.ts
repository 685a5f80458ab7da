/**
 * DPoP (RFC 9449): proofs a resource server can verify (signature by the embedded key, claims bound to the request
 * and token, a fresh `jti` each time), nonces kept per origin, and the nonce challenge answered once over real HTTP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DpopSession, generateDpopKeyPair, isDpopNonceChallenge, withDpop } from '../../src/index.js';

function decode(part: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

const VERIFY: Record<string, { key: EcKeyImportParams | RsaHashedImportParams | Algorithm; sign: Algorithm }> = {
    ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
    PS256: { key: { name: 'RSA-PSS', hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams },
    EdDSA: { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } }
};

/** Verifies a proof the way a resource server does: with the key in its own header. */
async function verify(proof: string): Promise<{ header: Record<string, unknown>; payload: Record<string, unknown> }> {
    const [h, p, s] = proof.split('.');
    const header = decode(h!);
    const payload = decode(p!);
    const algorithms = VERIFY[header.alg as string]!;
    const key = await crypto.subtle.importKey('jwk', header.jwk as JsonWebKey, algorithms.key, false, ['verify']);
    const ok = await crypto.subtle.verify(
        algorithms.sign,
        key,
        Buffer.from(s!, 'base64url'),
        new TextEncoder().encode(`${h}.${p}`)
    );
    if (!ok) throw new Error('bad signature');
    return { header, payload };
}

describe('DPoP proofs', () => {
    it.each(['ES256', 'PS256', 'EdDSA'] as const)(
        '%s: signed by the embedded public key, bound to the request',
        async alg => {
            const session = await DpopSession.create({ alg });
            const proof = await session.buildProof({
                htm: 'post',
                htu: 'https://mcp.example.com/mcp?x=1#frag',
                accessToken: 'token-123'
            });
            const { header, payload } = await verify(proof);
            expect(header).toMatchObject({ typ: 'dpop+jwt', alg });
            expect((header.jwk as JsonWebKey).d).toBeUndefined();
            expect(payload).toMatchObject({ htm: 'POST', htu: 'https://mcp.example.com/mcp' });
            const ath = Buffer.from(
                await crypto.subtle.digest('SHA-256', new TextEncoder().encode('token-123'))
            ).toString('base64url');
            expect(payload.ath).toBe(ath);
            expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
            const again = await verify(await session.buildProof({ htm: 'POST', htu: 'https://mcp.example.com/mcp' }));
            expect(again.payload.jti).not.toBe(payload.jti);
        }
    );

    it('binds the RFC 7638 thumbprint of the key and keeps the private key non-extractable', async () => {
        const pair = await generateDpopKeyPair();
        expect(pair.privateKey.extractable).toBe(false);
        const { crv, kty, x, y } = pair.publicJwk;
        const canonical = JSON.stringify({ crv, kty, x, y });
        const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
        expect(pair.thumbprint).toBe(Buffer.from(digest).toString('base64url'));
        await expect(generateDpopKeyPair({ alg: 'HS256' as never })).rejects.toThrow(/Unsupported DPoP algorithm/);
    });

    it('keeps the nonce of each origin apart and puts it into that origin’s proofs', async () => {
        const session = await DpopSession.create();
        session.observeNonce(
            new Response(null, { headers: { 'DPoP-Nonce': 'as-nonce' } }),
            'https://as.example.com/token'
        );
        session.rememberNonce('https://rs.example.com/mcp', 'rs-nonce');
        const toAs = decode(
            (await session.buildProof({ htm: 'POST', htu: 'https://as.example.com/token' })).split('.')[1]!
        );
        const toRs = decode(
            (await session.buildProof({ htm: 'POST', htu: 'https://rs.example.com/x' })).split('.')[1]!
        );
        const elsewhere = decode(
            (await session.buildProof({ htm: 'GET', htu: 'https://other.example.com/' })).split('.')[1]!
        );
        expect([toAs.nonce, toRs.nonce, elsewhere.nonce]).toEqual(['as-nonce', 'rs-nonce', undefined]);
    });
});

describe('withDpop over real HTTP', () => {
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
        while (closers.length > 0) await closers.pop()!();
    });

    it('presents the token with the DPoP scheme and answers a use_dpop_nonce challenge once with a new proof', async () => {
        const seen: Array<{ authorization: string | undefined; payload: Record<string, unknown> }> = [];
        const server = createServer(async (req, res) => {
            const proof = String(req.headers.dpop ?? '');
            const { payload } = await verify(proof);
            seen.push({ authorization: req.headers.authorization, payload });
            if (payload.nonce !== 'rs-nonce-1') {
                res.writeHead(401, {
                    'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce required"',
                    'DPoP-Nonce': 'rs-nonce-1'
                });
                res.end();
                return;
            }
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end('ok');
        });
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        closers.push(() => new Promise<void>(resolve => server.close(() => resolve())));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
        const session = await DpopSession.create();
        const dpopFetch = withDpop(session, () => 'access-1')(fetch);
        const response = await dpopFetch(url, { method: 'POST', body: '{}' });
        expect(response.status).toBe(200);
        expect(seen).toHaveLength(2);
        expect(seen.map(entry => entry.authorization)).toEqual(['DPoP access-1', 'DPoP access-1']);
        expect(seen[1]!.payload.jti).not.toBe(seen[0]!.payload.jti);
        expect(
            isDpopNonceChallenge(
                new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"' } })
            )
        ).toBe(true);
        expect(
            isDpopNonceChallenge(
                new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })
            )
        ).toBe(false);
    });
});
