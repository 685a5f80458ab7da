import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, InvalidTokenError, ServerError } from '../../src/server/auth/errors.js';
import { createIntrospectionVerifier } from '../../src/server/auth/introspectionVerifier.js';
import { createJwtVerifier } from '../../src/server/auth/jwtVerifier.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string; requests: () => number }> {
    let count = 0;
    const server = createServer((req, res) => {
        count++;
        let body = '';
        req.setEncoding('utf8');
        req.on('data', chunk => (body += chunk));
        req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { server, url: `http://127.0.0.1:${port}`, requests: () => count };
}

const close = (server: Server) => new Promise<void>(resolve => server.close(() => resolve()));

const ISSUER = 'https://as.example';
const AUDIENCE = 'https://rs.example/mcp';

describe('createJwtVerifier', () => {
    let server: Server;
    let jwksUrl: string;
    let jwksRequests: () => number;
    let privateKey: CryptoKey;
    let otherKey: CryptoKey;
    let publicJwk: JWK;

    beforeAll(async () => {
        const pair = await generateKeyPair('ES256');
        privateKey = pair.privateKey;
        otherKey = (await generateKeyPair('ES256')).privateKey;
        publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
        const started = await listen((req, _body, res) => {
            if (req.url === '/jwks') {
                res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
            } else {
                res.writeHead(500).end();
            }
        });
        server = started.server;
        jwksUrl = `${started.url}/jwks`;
        jwksRequests = started.requests;
    });
    afterAll(() => close(server));

    function sign(claims: Record<string, unknown>, options: { key?: CryptoKey; exp?: number | string } = {}) {
        const jwt = new SignJWT({
            iss: ISSUER,
            aud: AUDIENCE,
            sub: 'user-1',
            client_id: 'client-1',
            scope: 'init mcp:tools:read',
            ...claims
        })
            .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
            .setIssuedAt();
        if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
        else jwt.setExpirationTime('5m');
        return jwt.sign(options.key ?? privateKey);
    }

    async function rejection(promise: Promise<unknown>): Promise<unknown> {
        try {
            await promise;
        } catch (error) {
            return error;
        }
        throw new Error('expected a rejection');
    }

    it('verifies a token against a JWKS served over HTTP and maps its claims', async () => {
        const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' });
        const token = await sign({});
        const info = await verifier.verifyAccessToken(token);
        expect(info.token).toBe(token);
        expect(info.clientId).toBe('client-1');
        expect(info.scopes).toEqual(['init', 'mcp:tools:read']);
        expect(info.resource?.href).toBe(AUDIENCE);
        expect(typeof info.expiresAt).toBe('number');
        expect(info.expiresAt! * 1000).toBeGreaterThan(Date.now());
        expect(jwksRequests()).toBeGreaterThan(0);
    });

    it('reads scp arrays, and falls back from client_id to azp then sub', async () => {
        const verifier = createJwtVerifier({
            jwks: { keys: [publicJwk] },
            issuer: ISSUER,
            audience: AUDIENCE,
            scopeClaim: 'scp'
        });
        const info = await verifier.verifyAccessToken(
            await sign({ client_id: undefined, scope: undefined, azp: 'azp-client', scp: ['a', 'b', 'a', 'bad scope'] })
        );
        expect(info.scopes).toEqual(['a', 'b']);
        expect(info.clientId).toBe('azp-client');
        const bySub = await verifier.verifyAccessToken(await sign({ client_id: undefined, scp: [] }));
        expect(bySub.clientId).toBe('user-1');
    });

    it('accepts an audience list that includes this resource', async () => {
        const verifier = createJwtVerifier({
            jwks: { keys: [publicJwk] },
            issuer: ISSUER,
            audience: new URL(AUDIENCE)
        });
        const token = await new SignJWT({ client_id: 'c', scope: 'x' })
            .setProtectedHeader({ alg: 'ES256' })
            .setIssuer(ISSUER)
            .setAudience(['https://other.example', AUDIENCE])
            .setExpirationTime('1m')
            .sign(privateKey);
        expect((await verifier.verifyAccessToken(token)).scopes).toEqual(['x']);
    });

    const invalid: [string, () => Promise<string>, string][] = [
        ['a wrong issuer', () => sign({ iss: 'https://evil.example' }), 'iss'],
        ['a wrong audience', () => sign({ aud: 'https://other.example/mcp' }), 'aud'],
        ['an expired token', () => sign({}, { exp: Math.floor(Date.now() / 1000) - 120 }), 'expired'],
        ['a signature by an unknown key', () => sign({}, { key: otherKey }), 'invalid'],
        [
            'a token without exp',
            async () => {
                return new SignJWT({ client_id: 'c' })
                    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
                    .setIssuer(ISSUER)
                    .setAudience(AUDIENCE)
                    .sign(privateKey);
            },
            'exp'
        ],
        ['garbage', async () => 'not.a.jwt', 'invalid'],
        ['an unsigned token', async () => `${btoa('{"alg":"none"}')}.${btoa('{}')}.`, 'invalid']
    ];
    it.each(invalid)('rejects %s with InvalidTokenError', async (_name, make, hint) => {
        const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
        const error = await rejection(verifier.verifyAccessToken(await make()));
        expect(error).toBeInstanceOf(InvalidTokenError);
        expect((error as InvalidTokenError).code).toBe('INVALID_TOKEN');
        expect((error as Error).message).toContain(hint);
    });

    it('rejects a token naming no client at all', async () => {
        const verifier = createJwtVerifier({ jwks: { keys: [publicJwk] }, issuer: ISSUER, audience: AUDIENCE });
        const token = await new SignJWT({})
            .setProtectedHeader({ alg: 'ES256' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime('1m')
            .sign(privateKey);
        expect(await rejection(verifier.verifyAccessToken(token))).toBeInstanceOf(InvalidTokenError);
    });

    it('tolerates clock skew within clockTolerance', async () => {
        const verifier = createJwtVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, clockTolerance: 300 });
        const token = await sign({}, { exp: Math.floor(Date.now() / 1000) - 60 });
        expect((await verifier.verifyAccessToken(token)).clientId).toBe('client-1');
    });

    it('reports an unreachable key set as ServerError, not as an invalid token', async () => {
        const verifier = createJwtVerifier({
            jwksUrl: jwksUrl.replace('/jwks', '/broken'),
            issuer: ISSUER,
            audience: AUDIENCE
        });
        expect(await rejection(verifier.verifyAccessToken(await sign({})))).toBeInstanceOf(ServerError);
    });

    it('uses the injected fetch for the key set', async () => {
        const seen: string[] = [];
        const verifier = createJwtVerifier({
            jwksUrl: 'https://as.example/jwks',
            issuer: ISSUER,
            audience: AUDIENCE,
            fetch: async (url, init) => {
                seen.push(url);
                return fetch(jwksUrl, init);
            }
        });
        expect((await verifier.verifyAccessToken(await sign({}))).clientId).toBe('client-1');
        expect(seen).toEqual(['https://as.example/jwks']);
    });

    it.each([
        ['neither jwksUrl nor jwks', { issuer: ISSUER, audience: AUDIENCE }],
        [
            'both jwksUrl and jwks',
            { jwksUrl: 'https://as.example/jwks', jwks: { keys: [] }, issuer: ISSUER, audience: AUDIENCE }
        ],
        ['an http jwksUrl off loopback', { jwksUrl: 'http://as.example/jwks', issuer: ISSUER, audience: AUDIENCE }],
        ['a missing issuer', { jwksUrl: 'https://as.example/jwks', issuer: '', audience: AUDIENCE }],
        ['a missing audience', { jwksUrl: 'https://as.example/jwks', issuer: ISSUER, audience: '' }],
        ['alg none', { jwksUrl: 'https://as.example/jwks', issuer: ISSUER, audience: AUDIENCE, algorithms: ['none'] }]
    ])('rejects a configuration with %s', (_name, options) => {
        expect(() => createJwtVerifier(options as never)).toThrow(AuthConfigError);
    });
});

describe('createIntrospectionVerifier', () => {
    let server: Server | undefined;
    afterEach(async () => {
        if (server) await close(server);
        server = undefined;
    });

    interface Seen {
        authorization: string | undefined;
        contentType: string | undefined;
        form: URLSearchParams;
    }

    async function endpoint(answer: (form: URLSearchParams) => { status?: number; body: unknown }) {
        const seen: Seen[] = [];
        const started = await listen((req, body, res) => {
            const form = new URLSearchParams(body);
            seen.push({ authorization: req.headers.authorization, contentType: req.headers['content-type'], form });
            const { status = 200, body: out } = answer(form);
            res.writeHead(status, { 'content-type': 'application/json' }).end(
                typeof out === 'string' ? out : JSON.stringify(out)
            );
        });
        server = started.server;
        return { url: `${started.url}/introspect`, seen };
    }

    const active = {
        active: true,
        client_id: 'client-1',
        scope: 'init mcp:tools:read',
        exp: Math.floor(Date.now() / 1000) + 300,
        aud: [AUDIENCE]
    };

    it('POSTs the token with client_secret_basic and maps an active response', async () => {
        const { url, seen } = await endpoint(form => ({
            body: form.get('token') === 'good' ? active : { active: false }
        }));
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs client',
            clientSecret: 's:e/c',
            resource: AUDIENCE
        });
        const info = await verifier.verifyAccessToken('good');
        expect(info).toMatchObject({
            token: 'good',
            clientId: 'client-1',
            scopes: ['init', 'mcp:tools:read'],
            expiresAt: active.exp
        });
        expect(info.resource?.href).toBe(AUDIENCE);
        expect(seen).toHaveLength(1);
        expect(seen[0]?.contentType).toBe('application/x-www-form-urlencoded');
        expect(seen[0]?.form.get('token_type_hint')).toBe('access_token');
        expect(seen[0]?.authorization).toBe(`Basic ${btoa('rs+client:s%3Ae%2Fc')}`);
    });

    it('sends client_secret_post credentials in the form when asked', async () => {
        const { url, seen } = await endpoint(() => ({ body: active }));
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs',
            clientSecret: 'sec',
            clientAuthMethod: 'client_secret_post'
        });
        await verifier.verifyAccessToken('good');
        expect(seen[0]?.authorization).toBeUndefined();
        expect(seen[0]?.form.get('client_id')).toBe('rs');
        expect(seen[0]?.form.get('client_secret')).toBe('sec');
    });

    const rejected: [string, unknown][] = [
        ['active: false', { active: false }],
        ['active as a string', { ...active, active: 'true' }],
        ['an exp in the past', { ...active, exp: Math.floor(Date.now() / 1000) - 10 }],
        ['an audience for another resource', { ...active, aud: 'https://other.example/mcp' }],
        ['no audience', { ...active, aud: undefined }]
    ];
    it.each(rejected)('rejects %s with InvalidTokenError', async (_name, body) => {
        const { url } = await endpoint(() => ({ body }));
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs',
            clientSecret: 'sec',
            resource: AUDIENCE
        });
        await expect(verifier.verifyAccessToken('t')).rejects.toBeInstanceOf(InvalidTokenError);
    });

    it('skips the audience check when no resource is configured', async () => {
        const { url } = await endpoint(() => ({ body: { active: true, sub: 'user-1' } }));
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs',
            clientSecret: 'sec'
        });
        expect(await verifier.verifyAccessToken('t')).toMatchObject({ clientId: 'user-1', scopes: [] });
    });

    const broken: [string, { status?: number; body: unknown }][] = [
        ['a 401 answer', { status: 401, body: { error: 'invalid_client' } }],
        ['a body that is not JSON', { body: '<html>' }],
        ['a JSON array', { body: [] }],
        ['an oversized body', { body: { active: true, padding: 'x'.repeat(100_000) } }]
    ];
    it.each(broken)('reports %s as ServerError', async (_name, answer) => {
        const { url } = await endpoint(() => answer);
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs',
            clientSecret: 'sec'
        });
        await expect(verifier.verifyAccessToken('t')).rejects.toBeInstanceOf(ServerError);
    });

    it('reports an unreachable endpoint as ServerError', async () => {
        const { url } = await endpoint(() => ({ body: active }));
        await close(server!);
        server = undefined;
        const verifier = createIntrospectionVerifier({
            introspectionEndpoint: url,
            clientId: 'rs',
            clientSecret: 'sec'
        });
        await expect(verifier.verifyAccessToken('t')).rejects.toBeInstanceOf(ServerError);
    });

    it('refuses an http endpoint off loopback at construction', () => {
        expect(() =>
            createIntrospectionVerifier({
                introspectionEndpoint: 'http://as.example/introspect',
                clientId: 'a',
                clientSecret: 'b'
            })
        ).toThrow(AuthConfigError);
    });
});
