/**
 * Hostile and broken servers against the client's OAuth: every case must end in a typed, named error (or a
 * well-defined response) within a bounded number of requests, with no hang and no token sent where it does not
 * belong. Each test asserts the error class and `code`, and an upper bound on the requests every server received;
 * the short per-test timeout turns a hang into a failure.
 */
import { InvalidAuthOptionsError } from '../../src/client/auth/errors.js';
import { afterEach, describe, expect, it } from 'vitest';

import {
    AuthorizationResponseError,
    AuthorizationServerChangedError,
    DiscoveryError,
    InsecureEndpointError,
    InsufficientScopeError,
    InvalidResponseError,
    IssuerMismatchError,
    OAuthError,
    RegistrationError,
    RequestFailedError,
    ResourceMismatchError,
    StateMismatchError,
    UnauthorizedError
} from '../../src/client/auth/errors.js';
import { AuthSession } from '../../src/client/auth/authSession.js';
import { Client } from '../../src/client/index.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import { ConnectionError, StreamableHTTPError } from '../../src/client/transportErrors.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';
import type { World } from './hostileServers.js';
import { approve, asMetadata, POST, provider, rawResponse, redirect, startWorld } from './hostileServers.js';

/** Per-test timeout: a hang fails the test instead of stalling the run. */
const T = 3000;

let world: World | undefined;
const extra: LoopbackServer[] = [];
const worlds: World[] = [];

afterEach(async () => {
    await world?.close();
    world = undefined;
    await Promise.all(worlds.splice(0).map(other => other.close()));
    await Promise.all(extra.splice(0).map(server => server.close()));
});

async function setup(p = provider()) {
    world = await startWorld();
    const session = new AuthSession({ provider: p, serverUrl: world.mcpUrl });
    return { w: world, p, session };
}

async function other(): Promise<LoopbackServer> {
    const server = await startServer();
    extra.push(server);
    return server;
}

/** Awaits a rejection and checks its class and `code`. */
async function rejects<E extends OAuthError>(
    promise: Promise<unknown>,
    ErrorClass: abstract new (...args: never[]) => E,
    code: string
): Promise<E> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as E).code).toBe(code);
    expect((error as E).message).not.toBe('');
    return error as E;
}

/** Every request any server received carried no token, or only one the world's AS issued, and only to the RS. */
function expectNoTokenOutsideRs(w: World, ...servers: LoopbackServer[]) {
    for (const server of [w.as, ...servers]) {
        for (const request of server.requests) expect(request.headers.authorization ?? '').not.toMatch(/^Bearer /i);
    }
}

describe('hostile resource server: WWW-Authenticate', () => {
    it(
        'returns a 401 whose only challenge is another scheme untouched, after one request and no OAuth',
        async () => {
            const { w, session } = await setup();
            w.mcp = (_q, res) => send(res, 401, 'no', { 'WWW-Authenticate': 'Basic realm="x"' });
            const response = await session.fetch(w.mcpUrl, POST);
            expect(response.status).toBe(401);
            expect(w.rs.requests).toHaveLength(1);
            expect(w.as.requests).toHaveLength(0);
        },
        T
    );

    for (const [name, header] of [
        ['garbage', '",,,=== "'],
        ['an unterminated Bearer challenge', 'Bearer scope="a b, resource_metadata='],
        ['empty', ''],
        ['15 KB (below the fetch header limit, above the parser cap)', `Bearer scope="${'a '.repeat(7700)}"`],
        ['a scope with a quote', 'Bearer scope="a\\"b"'],
        ['a resource_metadata that is not a URL', 'Bearer resource_metadata="::not a url::", scope="s"']
    ] as const) {
        it(
            `treats a 401 with ${name} WWW-Authenticate as a bare challenge: bounded, then UnauthorizedError`,
            async () => {
                const { w, session } = await setup();
                w.mcp = (_q, res) => rawResponse(res, 401, [`www-authenticate: ${header}`]);
                await rejects(session.fetch(w.mcpUrl, POST), UnauthorizedError, 'UNAUTHORIZED');
                expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(3);
                expect(w.authorizations.length).toBeLessThanOrEqual(2);
                expectNoTokenOutsideRs(w);
            },
            T
        );
    }

    for (const [name, header] of [
        ['20 KB', `Bearer scope="${'a'.repeat(20 * 1024)}"`],
        ['a control character', 'Bearer scope="a\u0007b"']
    ] as const) {
        it(
            `fails a 401 whose WWW-Authenticate has ${name} (refused by fetch) with ConnectionError, no OAuth`,
            async () => {
                const { w, p } = await setup();
                w.mcp = (_q, res) => rawResponse(res, 401, [`www-authenticate: ${header}`]);
                const transport = new StreamableHTTPClientTransport(w.mcpUrl, { authProvider: p });
                const client = new Client({ name: 'hostile-test', version: '1.0.0' });
                const error = await client.connect(transport).then(
                    () => undefined,
                    (e: unknown) => e
                );
                await client.close();
                expect(error).toBeInstanceOf(ConnectionError);
                expect((error as ConnectionError).code).toBe('CONNECTION_FAILED');
                expect(w.count(w.rs, '/mcp')).toBe(1);
                expect(w.as.requests).toHaveLength(0);
            },
            T
        );
    }

    it(
        'Client + StreamableHTTPClientTransport: a 401 with only a Basic challenge is an HTTP_STATUS error, no OAuth',
        async () => {
            const { w, p } = await setup();
            w.mcp = (_q, res) => send(res, 401, 'no', { 'WWW-Authenticate': 'Basic realm="x"' });
            const transport = new StreamableHTTPClientTransport(w.mcpUrl, { authProvider: p });
            const client = new Client({ name: 'hostile-test', version: '1.0.0' });
            const error = await client.connect(transport).then(
                () => undefined,
                (e: unknown) => e
            );
            await client.close();
            expect(error).toBeInstanceOf(StreamableHTTPError);
            expect((error as StreamableHTTPError).code).toBe('HTTP_STATUS');
            expect(w.count(w.rs, '/mcp')).toBe(1);
            expect(w.as.requests).toHaveLength(0);
        },
        T
    );

    it(
        'rejects a 403 insufficient_scope with an unparsable scope without authorizing for it',
        async () => {
            const { w, session } = await setup();
            w.mcp = (q, res) =>
                w.hasIssuedToken(q)
                    ? send(res, 403, 'no', {
                          'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: 'a\\"b' })
                      })
                    : send(res, 401, 'no', { 'WWW-Authenticate': w.challenge() });
            await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(w.authorizations).toHaveLength(1);
            expect(w.rs.requests.filter(r => r.path === '/mcp').length).toBeLessThanOrEqual(2);
        },
        T
    );

    it(
        'never sends the token to a cross-origin resource_metadata host, even one claiming our resource',
        async () => {
            const { w, session } = await setup();
            const evil = await other();
            evil.handle((q, res) => {
                if (q.path === '/.well-known/oauth-authorization-server')
                    return send(res, 200, asMetadata(evil.origin));
                if (q.path === '/prm')
                    return send(res, 200, { resource: w.mcpUrl.href, authorization_servers: [evil.origin] });
                return send(res, 400, { error: 'invalid_grant' });
            });
            // First a legitimate authorization, then the resource points at the other origin.
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            w.mcp = (_q, res) =>
                send(res, 401, 'no', {
                    'WWW-Authenticate': `Bearer error="invalid_token", resource_metadata="${evil.origin}/prm"`
                });
            await expect(session.fetch(w.mcpUrl, POST)).rejects.toBeInstanceOf(OAuthError);
            expect(evil.requests.length).toBeLessThanOrEqual(4);
            for (const request of evil.requests) {
                expect(request.headers.authorization).toBeUndefined();
                for (const token of w.issued) expect(`${request.path} ${request.body}`).not.toContain(token);
            }
            // The access token still goes to the MCP server only.
            expect(w.rs.requests.filter(r => r.headers.authorization !== undefined).every(r => r.path === '/mcp')).toBe(
                true
            );
        },
        T
    );

    // When a later challenge's resource_metadata names another authorization server, the tokens and the dynamically
    // registered client of the first one are forgotten, never presented to the second.
    it(
        'does not send the refresh token issued by one authorization server to another one the resource names',
        async () => {
            const { w, session } = await setup();
            const evil = await other();
            evil.handle((q, res) => {
                if (q.path === '/.well-known/oauth-authorization-server')
                    return send(res, 200, asMetadata(evil.origin));
                if (q.path === '/prm')
                    return send(res, 200, { resource: w.mcpUrl.href, authorization_servers: [evil.origin] });
                return send(res, 400, { error: 'invalid_grant' });
            });
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            w.mcp = (_q, res) =>
                send(res, 401, 'no', {
                    'WWW-Authenticate': `Bearer error="invalid_token", resource_metadata="${evil.origin}/prm"`
                });
            await session.fetch(w.mcpUrl, POST).catch(() => undefined);
            const leaked = evil.requests.filter(r => r.body.includes('rt-'));
            expect(leaked).toEqual([]);
        },
        T
    );

    /** A second authorization server the resource moves to; its registrations get `client_id` `as2-client`. */
    async function moveToSecondServer(w: World): Promise<World> {
        const w2 = await startWorld();
        worlds.push(w2);
        w2.prm = (_q, res) => send(res, 200, { resource: w.mcpUrl.href, authorization_servers: [w2.as.origin] });
        w2.asRoutes['POST /register'] = (q, res) =>
            send(res, 201, { ...(JSON.parse(q.body) as object), client_id: 'as2-client' });
        w.mcp = (q, res) =>
            w2.hasIssuedToken(q)
                ? send(res, 200, { ok: true })
                : send(res, 401, 'no', {
                      'WWW-Authenticate': `Bearer error="invalid_token", resource_metadata="${w2.prmUrl}"`
                  });
        return w2;
    }

    it(
        'on a move to another authorization server forgets the old tokens and client, registers and authorizes there',
        async () => {
            const { w, p, session } = await setup();
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            const oldClient = p.clientInformation()?.client_id;
            const w2 = await moveToSecondServer(w);
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            expect(w2.count(w2.as, '/register')).toBe(1);
            expect(w2.tokenRequests.map(f => f.get('grant_type'))).toEqual(['authorization_code']);
            expect(w2.tokenRequests.map(f => f.get('client_id'))).toEqual(['as2-client']);
            expect(w2.authorizations.map(u => u.searchParams.get('client_id'))).toEqual(['as2-client']);
            for (const request of w2.as.requests) expect(request.path + request.body).not.toContain(`${oldClient}"`);
            expect(p.clientInformation()?.client_id).toBe('as2-client');
            expect(w.tokenRequests).toHaveLength(1); // nothing more went to the first server
        },
        T
    );

    it(
        'fails with AuthorizationServerChangedError when the provider cannot forget a client of the old server',
        async () => {
            const p = provider(approve, { clientId: 'pre-registered' });
            const forget = p.invalidateCredentials.bind(p);
            p.invalidateCredentials = scope => (scope === 'client' ? undefined : forget(scope));
            const { w, session } = await setup(p);
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            const w2 = await moveToSecondServer(w);
            const error = await rejects(
                session.fetch(w.mcpUrl, POST),
                AuthorizationServerChangedError,
                'AUTHORIZATION_SERVER_CHANGED'
            );
            expect(error.previousIssuer).toBe(w.as.origin);
            expect(error.issuer).toBe(w2.as.origin);
            expect(w2.as.requests.every(r => r.method === 'GET' && r.path.startsWith('/.well-known/'))).toBe(true);
            expect(p.tokens()).toBeUndefined();
            // The next attempt is refused the same way, never presenting the client.
            await rejects(
                session.fetch(w.mcpUrl, POST),
                AuthorizationServerChangedError,
                'AUTHORIZATION_SERVER_CHANGED'
            );
            expect(w2.as.requests.every(r => r.method === 'GET')).toBe(true);
        },
        T
    );
});

describe('hostile resource server: endless challenges', () => {
    it(
        'gives up on a server answering 401 to every token after maxAuthRetries authorizations, across requests',
        async () => {
            const { w, session } = await setup();
            w.mcp = (_q, res) => send(res, 401, 'no', { 'WWW-Authenticate': w.challenge({ error: 'invalid_token' }) });
            await rejects(session.fetch(w.mcpUrl, POST), UnauthorizedError, 'UNAUTHORIZED');
            expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(3);
            expect(w.authorizations.length).toBeLessThanOrEqual(2);
            const before = { rs: w.count(w.rs, '/mcp'), authorizations: w.authorizations.length };
            await rejects(session.fetch(w.mcpUrl, POST), UnauthorizedError, 'UNAUTHORIZED');
            expect(w.count(w.rs, '/mcp') - before.rs).toBeLessThanOrEqual(1);
            expect(w.authorizations.length).toBe(before.authorizations);
        },
        T
    );

    it(
        'bounds the authorizations of one request when 401 and 403 alternate with ever-new scopes',
        async () => {
            const { w, session } = await setup();
            let n = 0;
            w.mcp = (q, res) => {
                n++;
                if (!w.hasIssuedToken(q) || n % 2 === 0) {
                    return send(res, 401, 'no', {
                        'WWW-Authenticate': w.challenge({ error: 'invalid_token', scope: `s${n}` })
                    });
                }
                return send(res, 403, 'no', {
                    'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: `s${n}` })
                });
            };
            await expect(session.fetch(w.mcpUrl, POST)).rejects.toBeInstanceOf(OAuthError);
            expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(3);
            expect(w.authorizations.length).toBeLessThanOrEqual(2);
            for (let i = 0; i < 5; i++) await session.fetch(w.mcpUrl, POST).catch(() => undefined);
            // Each request is bounded (maxAuthRetries resends); across requests the step-up count of the operation
            // never resets (no success), and each 401 streak is cut by the 403 that follows it.
            expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(6 * 3);
            expect(w.authorizations.length).toBeLessThanOrEqual(6 * 2);
        },
        T
    );

    it(
        'bounds 403 insufficient_scope with an ever-new scope: at most maxAuthRetries authorizations per request',
        async () => {
            const { w, session } = await setup();
            let n = 0;
            w.mcp = (q, res) =>
                w.hasIssuedToken(q)
                    ? send(res, 403, 'no', {
                          'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: `s${++n}` })
                      })
                    : send(res, 401, 'no', { 'WWW-Authenticate': w.challenge() });
            await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(3);
            expect(w.authorizations.length).toBeLessThanOrEqual(2);
        },
        T
    );

    // The bound is not per request only: a server demanding a new scope at every 403 would otherwise get
    // maxAuthRetries authorizations out of every request, forever.
    it(
        'bounds 403 step-ups with an ever-new scope across requests, not only per request',
        async () => {
            const { w, session } = await setup();
            let n = 0;
            w.mcp = (q, res) =>
                w.hasIssuedToken(q)
                    ? send(res, 403, 'no', {
                          'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: `s${++n}` })
                      })
                    : send(res, 401, 'no', { 'WWW-Authenticate': w.challenge() });
            for (let i = 0; i < 5; i++) await session.fetch(w.mcpUrl, POST).catch(() => undefined);
            expect(w.authorizations.length).toBeLessThanOrEqual(4);
        },
        T
    );

    it(
        'after maxAuthRetries step-ups for an operation refuses its further 403s at once, until it succeeds',
        async () => {
            const { w, session } = await setup();
            let n = 0;
            let serve = false;
            w.mcp = (q, res) => {
                if (!w.hasIssuedToken(q)) return send(res, 401, 'no', { 'WWW-Authenticate': w.challenge() });
                if (serve) return send(res, 200, { ok: true });
                return send(res, 403, 'no', {
                    'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: `s${++n}` })
                });
            };
            // The first request: the 401 (the first authorization), one step-up, then its own resend bound.
            await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(w.authorizations).toHaveLength(2);
            // The next request gets the operation's second step-up, and no more.
            await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(w.authorizations).toHaveLength(3);
            const rsBefore = w.count(w.rs, '/mcp');
            const error = await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(error.message).toMatch(/still refused after 2 authorizations for ping/);
            expect(error.operation).toBe('ping');
            expect(error.authorizations).toBe(2);
            expect(w.count(w.rs, '/mcp') - rsBefore).toBe(1);
            expect(w.authorizations).toHaveLength(3);
            serve = true;
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            serve = false;
            await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(w.authorizations).toHaveLength(5); // the success reset the count: two more step-ups
        },
        T
    );

    it(
        'rejects a 403 insufficient_scope for a scope the token holds, without authorizing again',
        async () => {
            const { w, session } = await setup();
            w.mcp = (q, res) =>
                w.hasIssuedToken(q)
                    ? send(res, 403, 'no', {
                          'WWW-Authenticate': w.challenge({ error: 'insufficient_scope', scope: 'init' })
                      })
                    : send(res, 401, 'no', { 'WWW-Authenticate': w.challenge({ scope: 'init' }) });
            const error = await rejects(session.fetch(w.mcpUrl, POST), InsufficientScopeError, 'INSUFFICIENT_SCOPE');
            expect(error.missingScopes).toEqual(['init']);
            expect(w.authorizations).toHaveLength(1);
            expect(w.count(w.rs, '/mcp')).toBe(2);
        },
        T
    );

    it(
        'Client + StreamableHTTPClientTransport: connect rejects with UnauthorizedError against a 401-forever server',
        async () => {
            const { w, p } = await setup();
            w.mcp = (_q, res) => send(res, 401, 'no', { 'WWW-Authenticate': w.challenge({ error: 'invalid_token' }) });
            const transport = new StreamableHTTPClientTransport(w.mcpUrl, { authProvider: p });
            const client = new Client({ name: 'hostile-test', version: '1.0.0' });
            await rejects(client.connect(transport), UnauthorizedError, 'UNAUTHORIZED');
            await client.close();
            expect(w.count(w.rs, '/mcp')).toBeLessThanOrEqual(3);
            expect(w.authorizations.length).toBeLessThanOrEqual(2);
        },
        T
    );
});

describe('hostile authorization server metadata', () => {
    const metadataRoute = 'GET /.well-known/oauth-authorization-server' as const;

    async function expectMetadataFailure<E extends OAuthError>(
        w: World,
        session: AuthSession,
        ErrorClass: abstract new (...args: never[]) => E,
        code: string
    ): Promise<E> {
        const error = await rejects(session.fetch(w.mcpUrl, POST), ErrorClass, code);
        expect(w.count(w.rs, '/mcp')).toBe(1);
        expect(w.count(w.as, '/.well-known/')).toBeLessThanOrEqual(2);
        expect(w.count(w.as, '/register') + w.authorizations.length + w.tokenRequests.length).toBe(0);
        return error;
    }

    it(
        'rejects metadata that is not JSON with InvalidResponseError',
        async () => {
            const { w, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) => send(res, 200, '<html>hello</html>');
            await expectMetadataFailure(w, session, InvalidResponseError, 'INVALID_RESPONSE');
        },
        T
    );

    it(
        'rejects metadata that is a JSON array with InvalidResponseError',
        async () => {
            const { w, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) => send(res, 200, [asMetadata(w.as.origin)]);
            await expectMetadataFailure(w, session, InvalidResponseError, 'INVALID_RESPONSE');
        },
        T
    );

    it(
        'does not follow a redirect of the metadata to another host: DiscoveryError',
        async () => {
            const { w, session } = await setup();
            const elsewhere = await other();
            elsewhere.handle((_q, res) => send(res, 200, asMetadata(elsewhere.origin)));
            w.asRoutes[metadataRoute] = (_q, res) =>
                redirect(res, `${elsewhere.origin}/.well-known/oauth-authorization-server`);
            const error = await expectMetadataFailure(w, session, DiscoveryError, 'DISCOVERY_FAILED');
            expect(error.status).toBe(302);
            expect(elsewhere.requests).toHaveLength(0);
        },
        T
    );

    it(
        'rejects metadata naming another issuer with IssuerMismatchError',
        async () => {
            const { w, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) => send(res, 200, asMetadata('http://127.0.0.1:9'));
            await expectMetadataFailure(w, session, IssuerMismatchError, 'ISSUER_MISMATCH');
        },
        T
    );

    it(
        'rejects metadata without token_endpoint with DiscoveryError',
        async () => {
            const { w, session } = await setup();
            const { token_endpoint: _, ...rest } = asMetadata(w.as.origin);
            w.asRoutes[metadataRoute] = (_q, res) => send(res, 200, rest);
            await expectMetadataFailure(w, session, DiscoveryError, 'DISCOVERY_FAILED');
        },
        T
    );

    it(
        'refuses an http authorization_endpoint on a non-loopback host before any authorization request',
        async () => {
            const { w, p, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) =>
                send(res, 200, { ...asMetadata(w.as.origin), authorization_endpoint: 'http://as.example/authorize' });
            const error = await rejects(session.fetch(w.mcpUrl, POST), InsecureEndpointError, 'INSECURE_ENDPOINT');
            expect(error.url).toBe('http://as.example/authorize');
            expect(p.completions).toHaveLength(0);
            expect(w.tokenRequests).toHaveLength(0);
            expect(w.count(w.as)).toBeLessThanOrEqual(2); // metadata (+ registration, which precedes the check)
        },
        T
    );

    it(
        'refuses an http token_endpoint on a non-loopback host without sending the code',
        async () => {
            const { w, p, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) =>
                send(res, 200, { ...asMetadata(w.as.origin), token_endpoint: 'http://as.example/token' });
            await rejects(session.fetch(w.mcpUrl, POST), InsecureEndpointError, 'INSECURE_ENDPOINT');
            expect(p.completions.length).toBeLessThanOrEqual(1);
            expect(w.tokenRequests).toHaveLength(0);
        },
        T
    );

    it(
        'caps a 10 MB metadata body with InvalidResponseError',
        async () => {
            const { w, session } = await setup();
            w.asRoutes[metadataRoute] = (_q, res) => {
                res.writeHead(200, { 'content-type': 'application/json' });
                res.on('error', () => undefined);
                res.end(`{"issuer":"${w.as.origin}","x":"${'x'.repeat(10 * 1024 * 1024)}"}`);
            };
            const error = await expectMetadataFailure(w, session, InvalidResponseError, 'INVALID_RESPONSE');
            expect(error.message).toMatch(/exceeds/);
        },
        T
    );

    it(
        'bounds a metadata body that never ends when authFetch carries a timeout signal',
        async () => {
            world = await startWorld();
            const w = world;
            w.asRoutes[metadataRoute] = (_q, res) => {
                res.writeHead(200, { 'content-type': 'application/json' });
                res.write('{"issuer":');
            };
            const session = new AuthSession({
                provider: provider(),
                serverUrl: w.mcpUrl,
                authFetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(300) })
            });
            await expectMetadataFailure(w, session, InvalidResponseError, 'INVALID_RESPONSE');
        },
        T
    );

    // Every request of discovery, registration and the token endpoint has a timeout covering headers and body, so a
    // server that sends headers and then stalls the body cannot hang the authorization.
    it('bounds a metadata body that never ends with the default fetch (oauthRequestTimeoutMs)', async () => {
        world = await startWorld();
        const w = world;
        const session = new AuthSession({ provider: provider(), serverUrl: w.mcpUrl, oauthRequestTimeoutMs: 200 });
        w.asRoutes[metadataRoute] = (_q, res) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"issuer":');
        };
        const pending = session.fetch(w.mcpUrl, POST);
        pending.catch(() => undefined); // settles when afterEach closes the server
        await rejects(pending, OAuthError, 'REQUEST_FAILED');
    }, 1000);

    it('fails a token endpoint that never answers with RequestFailedError after oauthRequestTimeoutMs', async () => {
        world = await startWorld();
        const w = world;
        const session = new AuthSession({ provider: provider(), serverUrl: w.mcpUrl, oauthRequestTimeoutMs: 200 });
        w.asRoutes['POST /token'] = () => undefined; // headers never come
        const error = await rejects(session.fetch(w.mcpUrl, POST), RequestFailedError, 'REQUEST_FAILED');
        expect(error.message).toMatch(/timed out after 200 ms/);
        expect(w.tokenRequests).toHaveLength(1);
    }, 1000);

    it('rejects an oauthRequestTimeoutMs that is not a positive integer', () => {
        for (const bad of [0, -1, 1.5, Number.NaN]) {
            expect(
                () =>
                    new AuthSession({
                        provider: provider(),
                        serverUrl: 'http://127.0.0.1:1/mcp',
                        oauthRequestTimeoutMs: bad
                    })
            ).toThrow(InvalidAuthOptionsError);
        }
    });
});

describe('hostile protected resource metadata', () => {
    it(
        'stops at metadata for another resource with ResourceMismatchError, before the authorization server',
        async () => {
            const { w, session } = await setup();
            w.prm = (_q, res) =>
                send(res, 200, { resource: 'http://127.0.0.1:9/mcp', authorization_servers: [w.as.origin] });
            await rejects(session.fetch(w.mcpUrl, POST), ResourceMismatchError, 'RESOURCE_MISMATCH');
            expect(w.as.requests).toHaveLength(0);
            expect(w.count(w.rs, '/mcp')).toBe(1);
        },
        T
    );

    it(
        'refuses an authorization server on http non-loopback without contacting it',
        async () => {
            const { w, session } = await setup();
            w.prm = (_q, res) =>
                send(res, 200, { resource: w.mcpUrl.href, authorization_servers: ['http://as.example'] });
            await rejects(session.fetch(w.mcpUrl, POST), InsecureEndpointError, 'INSECURE_ENDPOINT');
            expect(w.as.requests).toHaveLength(0);
        },
        T
    );
});

describe('hostile registration endpoint', () => {
    const cases = [
        ['500', RegistrationError, 'REGISTRATION_FAILED', (res: Parameters<typeof send>[0]) => send(res, 500, 'oops')],
        [
            'non-JSON',
            InvalidResponseError,
            'INVALID_RESPONSE',
            (res: Parameters<typeof send>[0]) => send(res, 201, '<html/>')
        ],
        [
            'JSON without client_id',
            InvalidResponseError,
            'INVALID_RESPONSE',
            (res: Parameters<typeof send>[0]) => send(res, 201, { client_name: 'x' })
        ]
    ] as const;
    for (const [name, ErrorClass, code, answer] of cases) {
        it(
            `fails with ${ErrorClass.name} on a ${name} registration response, after one registration request`,
            async () => {
                const { w, session } = await setup();
                w.asRoutes['POST /register'] = (_q, res) => answer(res);
                await rejects<OAuthError>(session.fetch(w.mcpUrl, POST), ErrorClass, code);
                expect(w.count(w.as, '/register')).toBe(1);
                expect(w.authorizations.length + w.tokenRequests.length).toBe(0);
                expect(w.count(w.rs, '/mcp')).toBe(1);
            },
            T
        );
    }
});

describe('hostile token endpoint', () => {
    const bodies: [string, unknown][] = [
        ['no access_token', { token_type: 'Bearer' }],
        ['a negative expires_in', { access_token: 'x', token_type: 'Bearer', expires_in: -5 }],
        ['a non-numeric string expires_in', { access_token: 'x', token_type: 'Bearer', expires_in: 'soon' }],
        ['a scope with a quote', { access_token: 'x', token_type: 'Bearer', scope: 'a"b' }],
        ['a scope with a control character', { access_token: 'x', token_type: 'Bearer', scope: 'a\u0001b' }],
        ['a JSON array', [{ access_token: 'x', token_type: 'Bearer' }]]
    ];
    for (const [name, body] of bodies) {
        it(
            `rejects a 200 token response with ${name} with InvalidResponseError, saving nothing`,
            async () => {
                const { w, p, session } = await setup();
                w.asRoutes['POST /token'] = (_q, res) => send(res, 200, body);
                await rejects(session.fetch(w.mcpUrl, POST), InvalidResponseError, 'INVALID_RESPONSE');
                expect(w.tokenRequests).toHaveLength(1);
                expect(w.authorizations).toHaveLength(1);
                expect(w.count(w.rs, '/mcp')).toBe(1);
                expect(p.tokens()).toBeUndefined();
            },
            T
        );
    }

    it(
        'fails an HTML 500 error page with RequestFailedError carrying the status',
        async () => {
            const { w, session } = await setup();
            w.asRoutes['POST /token'] = (_q, res) => {
                res.writeHead(500, { 'content-type': 'text/html' });
                res.end('<html><body>Internal Server Error</body></html>');
            };
            const error = await rejects(session.fetch(w.mcpUrl, POST), RequestFailedError, 'REQUEST_FAILED');
            expect(error.status).toBe(500);
            expect(w.tokenRequests).toHaveLength(1);
        },
        T
    );

    it(
        'does not follow a token endpoint redirect (the code and verifier stay put)',
        async () => {
            const { w, session } = await setup();
            const elsewhere = await other();
            w.asRoutes['POST /token'] = (_q, res) => {
                res.writeHead(307, { location: `${elsewhere.origin}/token` });
                res.end();
            };
            await rejects(session.fetch(w.mcpUrl, POST), RequestFailedError, 'REQUEST_FAILED');
            expect(elsewhere.requests).toHaveLength(0);
        },
        T
    );

    // RFC 6749 §7.1: a client must not use a token type it does not understand, so a non-Bearer token is refused
    // rather than sent as `Authorization: Bearer`.
    it(
        'refuses a token whose token_type is not Bearer instead of sending it as Bearer',
        async () => {
            const { w, session } = await setup();
            w.asRoutes['POST /token'] = (_q, res) => send(res, 200, { access_token: 'mac-token', token_type: 'mac' });
            await rejects(session.fetch(w.mcpUrl, POST), InvalidResponseError, 'INVALID_RESPONSE');
            expect(w.rs.requests.some(r => r.headers.authorization === 'Bearer mac-token')).toBe(false);
        },
        T
    );

    it(
        'accepts token_type bearer in any case',
        async () => {
            const { w, session } = await setup();
            const token = w.asRoutes['POST /token'];
            const sent: string[] = [];
            w.asRoutes['POST /token'] = (q, res, server) => {
                const original = res.end.bind(res);
                res.end = ((body: string) => {
                    sent.push(body.replace('"Bearer"', '"bEaReR"'));
                    return original(sent.at(-1));
                }) as typeof res.end;
                return token(q, res, server);
            };
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            expect(sent).toHaveLength(1);
            expect(sent[0]).toContain('"token_type":"bEaReR"');
        },
        T
    );

    it(
        'on invalid_grant at refresh falls back to one new authorization',
        async () => {
            const { w, session } = await setup();
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            w.issued.length = 0; // the resource now rejects every token issued so far
            const token = w.asRoutes['POST /token'];
            w.asRoutes['POST /token'] = (q, res, s) =>
                new URLSearchParams(q.body).get('grant_type') === 'refresh_token'
                    ? send(res, 400, { error: 'invalid_grant' })
                    : token(q, res, s);
            w.mcp = (q, res) =>
                w.hasIssuedToken(q)
                    ? send(res, 200, { ok: true })
                    : send(res, 401, 'no', { 'WWW-Authenticate': w.challenge({ error: 'invalid_token' }) });
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            const grants = w.tokenRequests.map(f => f.get('grant_type'));
            expect(grants).toEqual(['authorization_code', 'refresh_token', 'authorization_code']);
            expect(w.authorizations).toHaveLength(2);
            expect(w.count(w.rs, '/mcp')).toBe(4); // 401 + retry, then invalid_token + retry
        },
        T
    );

    it(
        'on invalid_grant at every refresh and every code exchange ends with InvalidGrantError, bounded',
        async () => {
            const { w, session } = await setup();
            expect((await session.fetch(w.mcpUrl, POST)).status).toBe(200);
            w.issued.length = 0;
            w.asRoutes['POST /token'] = (_q, res) => send(res, 400, { error: 'invalid_grant' });
            w.mcp = (_q, res) => send(res, 401, 'no', { 'WWW-Authenticate': w.challenge({ error: 'invalid_token' }) });
            await rejects(session.fetch(w.mcpUrl, POST), OAuthError, 'invalid_grant');
            expect(w.tokenRequests.length).toBeLessThanOrEqual(1 + 2);
            expect(w.authorizations.length).toBeLessThanOrEqual(2);
        },
        T
    );
});

describe('hostile authorization response', () => {
    const forged = (edit: (callback: URL) => void) => async (url: URL) => {
        const callback = await approve(url);
        edit(callback);
        return callback;
    };

    it(
        'rejects a callback whose state differs with StateMismatchError, exchanging nothing',
        async () => {
            const { w, session } = await setup(provider(forged(c => c.searchParams.set('state', 'forged'))));
            await rejects(session.fetch(w.mcpUrl, POST), StateMismatchError, 'STATE_MISMATCH');
            expect(w.tokenRequests).toHaveLength(0);
            expect(w.authorizations).toHaveLength(1);
        },
        T
    );

    it(
        'rejects a callback from another issuer with IssuerMismatchError, exchanging nothing',
        async () => {
            const { w, session } = await setup(provider(forged(c => c.searchParams.set('iss', 'http://127.0.0.1:9'))));
            await rejects(session.fetch(w.mcpUrl, POST), IssuerMismatchError, 'ISSUER_MISMATCH');
            expect(w.tokenRequests).toHaveLength(0);
        },
        T
    );

    it(
        'rejects a callback without the promised iss with IssuerMismatchError',
        async () => {
            const { w, session } = await setup(provider(forged(c => c.searchParams.delete('iss'))));
            await rejects(session.fetch(w.mcpUrl, POST), IssuerMismatchError, 'ISSUER_MISMATCH');
            expect(w.tokenRequests).toHaveLength(0);
        },
        T
    );

    it(
        'surfaces error=access_denied as AuthorizationResponseError, authorizing once',
        async () => {
            const p = provider(async url => {
                const callback = new URL(REDIRECT);
                callback.searchParams.set('error', 'access_denied');
                callback.searchParams.set('error_description', 'user said no');
                callback.searchParams.set('state', url.searchParams.get('state') ?? '');
                callback.searchParams.set('iss', world!.as.origin);
                return callback;
            });
            const { w, session } = await setup(p);
            const error = await rejects(
                session.fetch(w.mcpUrl, POST),
                AuthorizationResponseError,
                'AUTHORIZATION_RESPONSE_ERROR'
            );
            expect(error.error).toBe('access_denied');
            expect(p.completions).toHaveLength(1);
            expect(w.tokenRequests).toHaveLength(0);
            expect(w.count(w.rs, '/mcp')).toBe(1);
        },
        T
    );
});

const REDIRECT = 'http://127.0.0.1:1/callback';
