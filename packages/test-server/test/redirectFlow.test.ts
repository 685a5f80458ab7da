/**
 * Step-up through the redirect flow, the way interactive hosts drive it (see `fixtures/redirectApp.ts`): a
 * provider with the official method set only, `UnauthorizedError` → the user approves → `finishAuth(code)` → the
 * application retries. Against the per-operation-scope server and a real authorization server over loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { InsufficientScopeError } from '@modelcontextprotocol/client';

import { startPerOperationServer } from '../src/perOperationServer.js';
import type { PerOperationServer } from '../src/perOperationServer.js';
import { requestedScopes, SEED_AUTHORIZATIONS } from './fixtures/progressiveClient.js';
import { RedirectApp } from './fixtures/redirectApp.js';

const EXTRA_SCOPES = Array.from({ length: 40 }, (_, i) => `extra:${i + 1}`);
const MCP_SCOPES = ['init', 'mcp:tools:read', 'mcp:tools:write'];

let server: PerOperationServer | undefined;
let app: RedirectApp | undefined;

afterEach(async () => {
    await app?.close();
    await server?.close();
    app = undefined;
    server = undefined;
});

/** The seed workload through the application: connect, tools/list, tools/call, then ten mixed operations. */
async function seed(target: RedirectApp): Promise<void> {
    await target.connect();
    await target.run(() => target.client.listTools());
    await target.callTool('echo', { text: 'hello' });
    for (let i = 0; i < 10; i++) {
        if (i % 3 === 0) await target.run(() => target.client.ping());
        else if (i % 3 === 1) await target.run(() => target.client.listTools());
        else await target.callTool('add', { a: i, b: 1 });
    }
}

async function escalatingServer(options: { omitScope?: boolean } = {}): Promise<PerOperationServer> {
    return startPerOperationServer({
        authServer: 'simple',
        escalating: true,
        simpleOptions: {
            supportedScopes: [...MCP_SCOPES, ...EXTRA_SCOPES],
            ...(options.omitScope ? { omitScopeInTokenResponse: true } : {})
        }
    });
}

describe.each([
    ['in one page', false],
    ['finishing every authorization in a new transport and client (reload / restart)', true]
])('the redirect flow, %s', (_name, restart) => {
    it('the seed workload costs exactly 3 authorizations', async () => {
        server = await startPerOperationServer();
        app = new RedirectApp(server.url, { restart });
        await seed(app);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(app.redirectsHandled).toBe(3);
    });

    it('without refresh tokens and with token responses that omit scope: still exactly 3', async () => {
        server = await startPerOperationServer({
            authServer: 'simple',
            simpleOptions: { omitScopeInTokenResponse: true, issueRefreshTokens: false }
        });
        app = new RedirectApp(server.url, { restart, refreshTokens: false });
        await seed(app);
        expect(requestedScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
    });

    it('an authorization server that never grants mcp:tools:write: InsufficientScopeError after at most 3 authorizations', async () => {
        server = await startPerOperationServer({
            authServer: 'simple',
            simpleOptions: { denyScopes: ['mcp:tools:write'] }
        });
        app = new RedirectApp(server.url, { restart });
        await app.connect();
        await app.run(() => app!.client.listTools());
        const error = await app.callTool('echo', { text: 'x' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InsufficientScopeError);
        expect((error as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
        const again = await app.callTool('echo', { text: 'y' }).catch((e: unknown) => e);
        expect(again).toBeInstanceOf(InsufficientScopeError);
        expect(server.authServer.stats.authorizations.length).toBeLessThanOrEqual(3);
        await app.run(() => app!.client.listTools()); // other operations keep working
        expect(server.authServer.stats.authorizations.length).toBeLessThanOrEqual(3);
    });

    it('a server that names a new scope at every tools/call: at most 4 authorizations, then InsufficientScopeError without a redirect', async () => {
        server = await escalatingServer();
        app = new RedirectApp(server.url, { restart });
        await app.connect();
        await app.run(() => app!.client.listTools());
        const error = await app.callTool('echo', { text: 'x' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InsufficientScopeError);
        expect((error as InsufficientScopeError).operation).toBe('tools/call echo');
        expect(server.authServer.stats.authorizations.length).toBeLessThanOrEqual(4);
        // The application keeps trying, with successful pings in between: no further authorization.
        const before = server.authServer.stats.authorizations.length;
        for (let i = 0; i < 3; i++) {
            await app.run(() => app!.client.ping());
            const next = await app.callTool('echo', { text: 'x' }).catch((e: unknown) => e);
            expect(next).toBeInstanceOf(InsufficientScopeError);
        }
        expect(server.authServer.stats.authorizations.length).toBe(before);
    });
});

describe('the redirect flow with concurrent requests', () => {
    it('tools/list + tools/call + ping together for 5 rounds: all complete, at most 3 authorizations in all', async () => {
        server = await startPerOperationServer();
        app = new RedirectApp(server.url);
        await app.connect();
        for (let round = 0; round < 5; round++) {
            const results = await Promise.all([
                app.run(() => app!.client.listTools()),
                app.callTool('echo', { text: `round ${round}` }),
                app.run(() => app!.client.ping())
            ]);
            expect(results).toHaveLength(3);
        }
        const authorizations = server.authServer.stats.authorizations.length;
        expect(authorizations).toBeGreaterThanOrEqual(2);
        expect(authorizations).toBeLessThanOrEqual(3);
        // Only the request that caught the redirect saw UnauthorizedError; the others waited for finishAuth.
        expect(app.redirectsHandled).toBe(authorizations);
    });
});

describe('the application decides each step-up (onStepUp)', () => {
    it('denying mcp:tools:write: tools/call fails with InsufficientScopeError naming it, no authorization for it', async () => {
        server = await startPerOperationServer();
        const asked: string[][] = [];
        app = new RedirectApp(server.url, {
            onStepUp: request => {
                asked.push(request.missingScopes);
                return request.missingScopes.includes('mcp:tools:write') ? 'deny' : 'authorize';
            }
        });
        await app.connect();
        await app.run(() => app!.client.listTools());
        const error = await app.callTool('echo', { text: 'x' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InsufficientScopeError);
        expect((error as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
        expect((error as InsufficientScopeError).message).toMatch(/declined/);
        expect(requestedScopes(server.authServer.stats)).toEqual(['init', 'init mcp:tools:read']);
        expect(asked).toEqual([['mcp:tools:read'], ['mcp:tools:write']]);
        // Declined is remembered: no second question, no authorization; other operations keep working.
        await expect(app.callTool('echo', { text: 'y' })).rejects.toBeInstanceOf(InsufficientScopeError);
        expect(asked).toHaveLength(2);
        await app.run(() => app!.client.listTools());
        await app.run(() => app!.client.ping());
        expect(server.authServer.stats.authorizations).toHaveLength(2);
    });
});
