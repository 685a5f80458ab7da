/**
 * The transports with a minimal `AuthProvider` (`{ token, onUnauthorized }`) against a real server on loopback, and
 * completing a redirect-flow authorization with the official `finishAuth` call shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AuthProvider, UnauthorizedContext } from '../../src/client/auth/authProvider.js';
import { AuthSession } from '../../src/client/auth/authSession.js';
import { InsufficientScopeError, IssuerMismatchError, UnauthorizedError } from '../../src/client/auth/errors.js';
import { SSEClientTransport } from '../../src/client/sse.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, post, startHarness } from './stepUpHarness.js';

const NOTIFICATION = { jsonrpc: '2.0' as const, method: 'notifications/initialized' };

describe('a transport with a minimal AuthProvider', () => {
    let server: LoopbackServer;
    /** Tokens the server accepts. */
    let valid: Set<string>;
    beforeEach(async () => {
        valid = new Set(['good']);
        server = await startServer((request, response) => {
            const token = request.headers.authorization?.replace(/^Bearer /, '');
            if (token === 'narrow') {
                return send(response, 403, 'no', {
                    'WWW-Authenticate':
                        'Bearer error="insufficient_scope", scope="admin", error_description="admins only"'
                });
            }
            if (token === undefined || !valid.has(token)) {
                return send(response, 401, 'no', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
            }
            response.writeHead(202).end();
        });
    });
    afterEach(async () => {
        await server.close();
    });

    const transport = (authProvider: AuthProvider) =>
        new StreamableHTTPClientTransport(new URL(`${server.origin}/mcp`), { authProvider });

    it('sends its token as a Bearer token on every request', async () => {
        const t = transport({ token: async () => 'good' });
        await t.send(NOTIFICATION);
        await t.send(NOTIFICATION);
        const posts = server.requests.filter(request => request.method === 'POST');
        expect(posts).toHaveLength(2);
        // Every request (the transport may also open its GET stream) carries it.
        expect(new Set(server.requests.map(request => request.headers.authorization))).toEqual(
            new Set(['Bearer good'])
        );
        await t.close();
    });

    it('at a 401, awaits onUnauthorized with the response, then resends once with the new token', async () => {
        let current = 'stale';
        const contexts: UnauthorizedContext[] = [];
        const t = transport({
            token: async () => current,
            onUnauthorized: async context => {
                contexts.push(context);
                current = 'good';
            }
        });
        await t.send(NOTIFICATION);
        const posts = server.requests.filter(request => request.method === 'POST');
        expect(posts.map(request => request.headers.authorization)).toEqual(['Bearer stale', 'Bearer good']);
        expect(contexts).toHaveLength(1);
        expect(contexts[0]!.response.status).toBe(401);
        expect(contexts[0]!.response.headers.get('www-authenticate')).toContain('invalid_token');
        expect(contexts[0]!.serverUrl.href).toBe(`${server.origin}/mcp`);
        expect(typeof contexts[0]!.fetchFn).toBe('function');
        await t.close();
    });

    it('rejects with UnauthorizedError at a second 401, or at a 401 without onUnauthorized', async () => {
        let calls = 0;
        const retrying = transport({ token: async () => 'stale', onUnauthorized: async () => void calls++ });
        await expect(retrying.send(NOTIFICATION)).rejects.toBeInstanceOf(UnauthorizedError);
        expect(calls).toBe(1);
        expect(server.requests).toHaveLength(2);
        const plain = transport({ token: async () => undefined });
        await expect(plain.send(NOTIFICATION)).rejects.toBeInstanceOf(UnauthorizedError);
        expect(server.requests[2]?.headers.authorization).toBeUndefined();
        await Promise.all([retrying.close(), plain.close()]);
    });

    it('rejects at 403 insufficient_scope with the challenge (a minimal provider cannot step up)', async () => {
        const t = transport({ token: async () => 'narrow', onUnauthorized: async () => undefined });
        const failure = t.send(NOTIFICATION);
        await expect(failure).rejects.toBeInstanceOf(InsufficientScopeError);
        await expect(failure).rejects.toMatchObject({ requiredScope: 'admin', errorDescription: 'admins only' });
        await t.close();
    });

    it('has no authorization to finish, and nothing to reset', async () => {
        for (const t of [
            transport({ token: async () => 'good' }),
            new SSEClientTransport(new URL(`${server.origin}/sse`), { authProvider: { token: async () => 'good' } })
        ]) {
            await expect(t.finishAuth('code')).rejects.toBeInstanceOf(UnauthorizedError);
            await expect(t.resetScopeState()).resolves.toBeUndefined();
            await t.close();
        }
    });
});

describe('finishAuth call shapes', () => {
    let harness: Harness;
    afterEach(async () => {
        await harness.close();
    });

    /** Starts a redirect-flow authorization and returns the callback the authorization server redirected to. */
    async function redirected(provider: MemoryProvider, session: AuthSession): Promise<URL> {
        await expect(session.fetch(harness.mcpUrl, post('init'))).rejects.toBeInstanceOf(UnauthorizedError);
        const approved = await fetch(provider.redirects[0]!, { redirect: 'manual' });
        return new URL(approved.headers.get('location')!);
    }

    it('takes the callback query parameters: code, state and iss are checked', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('redirect');
        const session = new AuthSession({ provider, serverUrl: harness.mcpUrl });
        const callback = await redirected(provider, session);
        await session.finishAuth(callback.searchParams);
        expect(provider.stored?.access_token).toMatch(/^at-/);
        expect((await session.fetch(harness.mcpUrl, post('init'))).status).toBe(200);
    });

    it('takes the code with the callback iss, refusing an iss of another server before redeeming the code', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('redirect');
        const session = new AuthSession({ provider, serverUrl: harness.mcpUrl });
        const callback = await redirected(provider, session);
        const code = callback.searchParams.get('code')!;
        await expect(session.finishAuth(code, 'https://attacker.example')).rejects.toBeInstanceOf(IssuerMismatchError);
        expect(harness.tokenRequests).toHaveLength(0);
        await session.finishAuth(code, callback.searchParams.get('iss')!);
        expect(provider.stored?.access_token).toMatch(/^at-/);
    });

    it('is reachable through the transports', async () => {
        harness = await startHarness();
        const provider = new MemoryProvider('redirect');
        const transport = new StreamableHTTPClientTransport(harness.mcpUrl, { authProvider: provider });
        await expect(transport.send(NOTIFICATION)).rejects.toBeInstanceOf(UnauthorizedError);
        const approved = await fetch(provider.redirects[0]!, { redirect: 'manual' });
        const callback = new URL(approved.headers.get('location')!);
        await transport.finishAuth(callback.searchParams.get('code')!, callback.searchParams.get('iss')!);
        expect(provider.stored?.access_token).toMatch(/^at-/);
        await transport.close();
    });
});
