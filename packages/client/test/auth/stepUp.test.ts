import { afterEach, describe, expect, it } from 'vitest';

import { InsufficientScopeError, UnauthorizedError } from '../../src/client/auth/errors.js';
import { AuthSession } from '../../src/client/auth/authSession.js';
import { readChallenge } from '../../src/client/auth/wwwAuthenticate.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, post, startHarness } from './stepUpHarness.js';
import { send, startServer } from './loopbackServer.js';
import type { LoopbackServer } from './loopbackServer.js';

let harness: Harness | undefined;
const extra: LoopbackServer[] = [];

afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await Promise.all(extra.splice(0).map(server => server.close()));
});

async function setup(options: Parameters<typeof startHarness>[0] = {}, provider = new MemoryProvider()) {
    harness = await startHarness(options);
    const session = new AuthSession({ provider, serverUrl: harness.mcpUrl });
    return { h: harness, provider, session };
}

describe('readChallenge', () => {
    const response = (status: number, header?: string) =>
        new Response(null, { status, headers: header === undefined ? {} : { 'WWW-Authenticate': header } });

    it('reads a 403 insufficient_scope with its scope and resource_metadata', () => {
        const challenge = readChallenge(
            response(403, 'Bearer error="insufficient_scope", scope="a b", resource_metadata="https://rs/x"')
        );
        expect(challenge?.kind).toBe('insufficient-scope');
        expect(challenge?.scopes.toString()).toBe('a b');
        expect(challenge?.resourceMetadata?.href).toBe('https://rs/x');
    });

    it('ignores a 403 without insufficient_scope and a 401 with only another scheme', () => {
        expect(readChallenge(response(403, 'Bearer error="invalid_request"'))).toBeUndefined();
        expect(readChallenge(response(403))).toBeUndefined();
        expect(readChallenge(response(401, 'Basic realm="x"'))).toBeUndefined();
    });

    it('treats a 401 without WWW-Authenticate as a bare Bearer challenge and a malformed scope as empty', () => {
        expect(readChallenge(response(401))?.kind).toBe('unauthorized');
        expect(readChallenge(response(403, 'Bearer error="insufficient_scope", scope="a\\"b"'))?.scopes.size).toBe(0);
    });

    it('reads RFC 9470 insufficient_user_authentication with acr_values and max_age', () => {
        const challenge = readChallenge(
            response(401, 'Bearer error="insufficient_user_authentication", acr_values="mfa", max_age="60"')
        );
        expect(challenge).toMatchObject({ kind: 'user-authentication', acrValues: 'mfa', maxAge: 60 });
    });
});

describe('AuthSession scope accumulation', () => {
    it('issue-1582: unions requested, granted and challenged scope — 3 authorizations for the per-operation workload', async () => {
        const { h, session } = await setup();
        for (const need of ['init', 'mcp:tools:read', 'init', 'mcp:tools:write', 'init', 'mcp:tools:read']) {
            expect((await session.fetch(h.mcpUrl, post(need))).status).toBe(200);
        }
        expect(h.authorizations).toEqual(['init', 'init mcp:tools:read', 'init mcp:tools:read mcp:tools:write']);
        expect(session.scopeState).toMatchObject({ granted: 'init mcp:tools:read mcp:tools:write', denied: '' });
    });

    it('records the first authorization scope taken from protected resource metadata and keeps it on step-up', async () => {
        const { h, session } = await setup({ prmScopes: ['init', 'extra'] });
        expect((await session.fetch(h.mcpUrl, post(''))).status).toBe(200);
        expect((await session.fetch(h.mcpUrl, post('mcp:tools:read'))).status).toBe(200);
        expect(h.authorizations).toEqual(['init extra', 'init extra mcp:tools:read']);
    });

    it('falls back to the client metadata scope when neither the challenge nor the metadata names one', async () => {
        const provider = new MemoryProvider('complete', { scope: 'base' });
        const { h, session } = await setup({}, provider);
        await session.fetch(h.mcpUrl, post(''));
        await session.fetch(h.mcpUrl, post('mcp:tools:read'));
        expect(h.authorizations).toEqual(['base', 'base mcp:tools:read']);
    });

    it('treats a token response without scope as granting the requested scope', async () => {
        const { h, session } = await setup({ omitScope: true });
        for (const need of ['init', 'mcp:tools:read', 'mcp:tools:write', 'init', 'mcp:tools:read']) {
            expect((await session.fetch(h.mcpUrl, post(need))).status).toBe(200);
        }
        expect(h.authorizations).toHaveLength(3);
        expect(session.scopeState.granted).toBe('init mcp:tools:read mcp:tools:write');
    });

    it('adds offline_access only when the authorization server lists it, and keeps it out of the recorded scope', async () => {
        const { h, session } = await setup({ asScopes: ['init', 'offline_access'] });
        await session.fetch(h.mcpUrl, post('init'));
        expect(h.authorizations).toEqual(['init offline_access']);
        expect(h.authorizationUrls[0]?.searchParams.get('prompt')).toBe('consent');
        expect(session.scopeState.requested).toBe('init');
    });

    it('loads and saves the scope state through the provider', async () => {
        const provider = new MemoryProvider();
        const { h, session } = await setup({}, provider);
        await session.fetch(h.mcpUrl, post('init'));
        expect(provider.scopes).toMatchObject({ requested: 'init', granted: 'init' });
        const again = new AuthSession({ provider, serverUrl: h.mcpUrl });
        await again.fetch(h.mcpUrl, post('mcp:tools:read'));
        expect(h.authorizations).toEqual(['init', 'init mcp:tools:read']);
    });
});

describe('AuthSession denied scopes and bounds', () => {
    it('rejects with the missing scopes after one authorization, and does not ask again', async () => {
        const { h, session } = await setup({ deny: ['mcp:tools:write'] });
        await session.fetch(h.mcpUrl, post('init'));
        const first = await session.fetch(h.mcpUrl, post('mcp:tools:write')).catch((error: unknown) => error);
        expect(first).toBeInstanceOf(InsufficientScopeError);
        expect((first as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
        expect(h.authorizations).toEqual(['init', 'init mcp:tools:write']);
        await expect(session.fetch(h.mcpUrl, post('mcp:tools:write'))).rejects.toMatchObject({
            code: 'INSUFFICIENT_SCOPE',
            missingScopes: ['mcp:tools:write']
        });
        expect(h.authorizations).toHaveLength(2);
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        expect(session.scopeState.denied).toBe('mcp:tools:write');
    });

    it('bounds a resource that keeps refusing a scope the authorization server grants', async () => {
        const { h, session } = await setup();
        h.rs.handle((request, response) => {
            if (request.path.startsWith('/.well-known/')) {
                return send(response, 200, { resource: h.mcpUrl.href, authorization_servers: [h.as.origin] });
            }
            send(response, 403, {}, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="x"' });
        });
        await expect(session.fetch(h.mcpUrl, post(''))).rejects.toBeInstanceOf(InsufficientScopeError);
        await expect(session.fetch(h.mcpUrl, post(''))).rejects.toBeInstanceOf(InsufficientScopeError);
        expect(h.authorizations.length).toBeGreaterThan(0);
        expect(h.authorizations.length).toBeLessThanOrEqual(2);
    });

    it('bounds a resource that answers 401 to every token, across requests', async () => {
        const { h, session } = await setup({ refresh: false });
        h.rs.handle((request, response) => {
            if (request.path.startsWith('/.well-known/')) {
                return send(response, 200, { resource: h.mcpUrl.href, authorization_servers: [h.as.origin] });
            }
            send(response, 401, {}, { 'WWW-Authenticate': 'Bearer error="invalid_token", scope="init"' });
        });
        await expect(session.fetch(h.mcpUrl, post(''))).rejects.toBeInstanceOf(UnauthorizedError);
        await expect(session.fetch(h.mcpUrl, post(''))).rejects.toBeInstanceOf(UnauthorizedError);
        expect(h.authorizations).toHaveLength(2);
    });

    it('retries a request at most maxAuthRetries times', async () => {
        harness = await startHarness();
        const h = harness;
        const session = new AuthSession({ provider: new MemoryProvider(), serverUrl: h.mcpUrl, maxAuthRetries: 0 });
        await expect(session.fetch(h.mcpUrl, post('init'))).rejects.toBeInstanceOf(UnauthorizedError);
        expect(h.authorizations).toHaveLength(0);
    });

    it("rejects at the first 403 with onInsufficientScope: 'throw'", async () => {
        harness = await startHarness();
        const h = harness;
        const session = new AuthSession({
            provider: new MemoryProvider(),
            serverUrl: h.mcpUrl,
            onInsufficientScope: 'throw'
        });
        await session.fetch(h.mcpUrl, post('init'));
        await expect(session.fetch(h.mcpUrl, post('mcp:tools:read'))).rejects.toMatchObject({
            missingScopes: ['mcp:tools:read']
        });
        expect(h.authorizations).toEqual(['init']);
    });

    it('returns a 403 without insufficient_scope untouched', async () => {
        const { h, session } = await setup();
        h.rs.handle((_request, response) => send(response, 403, { error: 'forbidden' }));
        const response = await session.fetch(h.mcpUrl, post('init'));
        expect(response.status).toBe(403);
        expect(h.authorizations).toHaveLength(0);
    });
});

describe('AuthSession tokens', () => {
    it('sends the token only to the MCP server origin', async () => {
        const { h, session } = await setup();
        const other = await startServer((_request, response) => send(response, 200, { ok: true }));
        extra.push(other);
        await session.fetch(h.mcpUrl, post('init'));
        await session.fetch(new URL('/elsewhere', other.origin), post('init'));
        expect(h.rs.requests.at(-1)?.headers.authorization).toMatch(/^Bearer at-/);
        expect(other.requests[0]?.headers.authorization).toBeUndefined();
    });

    it('refreshes on 401 invalid_token with resource and the granted scope, without a new authorization', async () => {
        const { h, session } = await setup();
        await session.fetch(h.mcpUrl, post('init'));
        await session.fetch(h.mcpUrl, post('mcp:tools:read'));
        for (const token of h.tokens.values()) token.expired = true;
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        expect(h.authorizations).toHaveLength(2);
        const refresh = h.tokenRequests.at(-1);
        expect(refresh?.get('grant_type')).toBe('refresh_token');
        expect(refresh?.get('scope')).toBe('init mcp:tools:read');
        expect(refresh?.get('resource')).toBe(h.mcpUrl.href);
    });

    it('never answers insufficient_scope with a refresh', async () => {
        const { h, session } = await setup();
        await session.fetch(h.mcpUrl, post('init'));
        await session.fetch(h.mcpUrl, post('mcp:tools:read'));
        expect(h.tokenRequests.map(form => form.get('grant_type'))).toEqual([
            'authorization_code',
            'authorization_code'
        ]);
    });

    it('refreshes an access token whose expires_at has passed before sending', async () => {
        const provider = new MemoryProvider();
        const { h, session } = await setup({ expiresIn: 0 }, provider);
        await session.fetch(h.mcpUrl, post('init'));
        expect(provider.stored?.expires_at).toBeTypeOf('number');
        const before = h.rs.requests.length;
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        expect(h.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token');
        expect(h.rs.requests.length - before).toBe(1);
    });

    it('shares one proactive refresh among concurrent requests', async () => {
        const { h, session } = await setup({ expiresIn: 0 });
        await session.fetch(h.mcpUrl, post('init'));
        const results = await Promise.all([1, 2, 3].map(() => session.fetch(h.mcpUrl, post('init'))));
        expect(results.map(response => response.status)).toEqual([200, 200, 200]);
        expect(h.tokenRequests.map(form => form.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    });

    it('passes acr_values and max_age of insufficient_user_authentication to the authorization request', async () => {
        const { h, session } = await setup();
        await session.fetch(h.mcpUrl, post('init'));
        let stepped = false;
        h.rs.handle((request, response) => {
            if (!stepped) {
                stepped = true;
                return send(
                    response,
                    401,
                    {},
                    {
                        'WWW-Authenticate':
                            'Bearer error="insufficient_user_authentication", acr_values="mfa", max_age="0"'
                    }
                );
            }
            h.resource(request, response);
        });
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        const url = h.authorizationUrls.at(-1);
        expect(url?.searchParams.get('acr_values')).toBe('mfa');
        expect(url?.searchParams.get('max_age')).toBe('0');
        expect(url?.searchParams.get('scope')).toBe('init');
    });
});

describe('AuthSession concurrency and discovery', () => {
    it('shares one authorization among requests challenged at the same time, for the union of their scopes', async () => {
        const { h, session } = await setup();
        await session.fetch(h.mcpUrl, post('init'));
        const results = await Promise.all([
            session.fetch(h.mcpUrl, post('mcp:tools:read')),
            session.fetch(h.mcpUrl, post('mcp:tools:write')),
            session.fetch(h.mcpUrl, post('init'))
        ]);
        expect(results.map(response => response.status)).toEqual([200, 200, 200]);
        expect(h.authorizations).toHaveLength(2);
        expect(h.authorizations[1]?.split(' ').sort()).toEqual(['init', 'mcp:tools:read', 'mcp:tools:write']);
    });

    it('re-reads resource_metadata from each challenge and keeps it when a challenge omits it', async () => {
        const { h, session } = await setup();
        const prm = { resource: h.mcpUrl.href, authorization_servers: [h.as.origin] };
        let metadata: string | undefined = '/meta/one';
        h.rs.handle((request, response) => {
            if (request.path.startsWith('/meta/')) return send(response, 200, prm);
            const token = h.tokens.get(request.headers.authorization?.replace('Bearer ', '') ?? '');
            const need = (JSON.parse(request.body) as { need: string }).need;
            if (token?.scopes.includes(need)) return send(response, 200, {});
            const params = [`scope="${need}"`];
            if (token !== undefined) params.unshift('error="insufficient_scope"');
            if (metadata !== undefined) params.push(`resource_metadata="${h.rs.origin}${metadata}"`);
            send(response, token === undefined ? 401 : 403, {}, { 'WWW-Authenticate': `Bearer ${params.join(', ')}` });
        });
        await session.fetch(h.mcpUrl, post('a'));
        metadata = undefined; // the known URL is kept: no new discovery
        await session.fetch(h.mcpUrl, post('c'));
        metadata = '/meta/two'; // a new URL: discovered again
        await session.fetch(h.mcpUrl, post('b'));
        const metadataRequests = h.rs.requests.filter(request => request.path.startsWith('/meta/')).map(r => r.path);
        expect(metadataRequests).toEqual(['/meta/one', '/meta/two']);
        expect(h.authorizations).toEqual(['a', 'a c', 'a c b']);
    });

    it('stops at a resource mismatch before any authorization request', async () => {
        const { h, session } = await setup({ prmResource: 'http://127.0.0.1:1/other' });
        await expect(session.fetch(h.mcpUrl, post('init'))).rejects.toMatchObject({ code: 'RESOURCE_MISMATCH' });
        expect(h.authorizations).toHaveLength(0);
        expect(h.as.requests).toHaveLength(0);
    });
});

describe('AuthSession redirect flow', () => {
    it('redirects once for concurrent requests: the first rejects, the other waits for finishAuth and completes', async () => {
        const provider = new MemoryProvider('redirect');
        const { h, session } = await setup({}, provider);
        const first = session.fetch(h.mcpUrl, post('init'));
        const second = session.fetch(h.mcpUrl, post('init'));
        await expect(first).rejects.toBeInstanceOf(UnauthorizedError);
        expect(provider.redirects).toHaveLength(1);
        const approved = await fetch(provider.redirects[0]!, { redirect: 'manual' });
        const callback = new URL(approved.headers.get('location')!);
        await session.finishAuth(callback);
        expect((await second).status).toBe(200);
        expect((await session.fetch(h.mcpUrl, post('init'))).status).toBe(200);
        expect(provider.redirects).toHaveLength(1);
        expect(session.scopeState).toMatchObject({ requested: 'init', granted: 'init' });
        expect(session.scopeState.pending).toBeUndefined();
    });

    it('a finishAuth that fails (forged state) rejects the waiting requests with UnauthorizedError', async () => {
        const provider = new MemoryProvider('redirect');
        const { h, session } = await setup({}, provider);
        const first = session.fetch(h.mcpUrl, post('init'));
        const second = session.fetch(h.mcpUrl, post('init'));
        await expect(first).rejects.toBeInstanceOf(UnauthorizedError);
        const approved = await fetch(provider.redirects[0]!, { redirect: 'manual' });
        const forged = new URL(approved.headers.get('location')!);
        forged.searchParams.set('state', 'forged');
        await expect(session.finishAuth(forged)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
        const waited = await second.then(
            () => undefined,
            (error: unknown) => error
        );
        expect(waited).toBeInstanceOf(UnauthorizedError);
        expect((waited as UnauthorizedError).cause).toMatchObject({ code: 'STATE_MISMATCH' });
    });
});
