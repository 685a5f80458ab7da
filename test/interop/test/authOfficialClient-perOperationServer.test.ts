/**
 * Progressive authorization, direction A: the official clients run the seed workload (issue #1582) against OUR
 * per-operation-scope server (`initialize`/`ping` → `init`, `tools/list` → `mcp:tools:read`, `tools/call` →
 * `mcp:tools:write`, each challenge naming only its own scope) in front of oidc-provider, through the redirect flow
 * an application drives (`UnauthorizedError` → approve → `finishAuth` → retry, at most 5 times per operation).
 *
 * Observed (and asserted below):
 * - v2 (`@modelcontextprotocol/client` 2.4.0) accumulates scope: with a client registered beforehand for all the
 *   MCP scopes it takes exactly 3 authorizations. With dynamic registration it sends the FIRST challenge's scope as
 *   the registration's `scope` (RFC 7591 §2: the scopes the client may request), so oidc-provider, which enforces a
 *   registered `scope`, refuses the first step-up with `invalid_scope` and the workload stops at `tools/list`.
 * - v1 (`@modelcontextprotocol/sdk` 1.32.2) answers a 403 with a refresh (which cannot widen scope, RFC 6749 §6)
 *   when it holds a refresh token, and fails with "Server returned 403 after trying upscoping". Without refresh
 *   tokens it re-authorizes for the challenge's scope alone (replace on challenge), so each operation whose scope
 *   differs from the previous one's takes another authorization: 11 for this workload, growing with every operation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPerOperationServer } from '@mcp-stepup/test-server';
import type { PerOperationServer } from '@mcp-stepup/test-server';

import { Cleanup } from './helpers.js';
import { officialV1Session, officialV2Session, runSeedWorkload } from './auth/officialClients.js';
import type { OfficialSession, OperationAuthorizations } from './auth/officialClients.js';
import { AuthorizationRefusedError, preRegisterClient } from './auth/redirectFlow.js';
import type { RecordingProvider } from './auth/redirectFlow.js';
import { mcpScopes, requestedMcpScopes, SEED_AUTHORIZATIONS } from './auth/scopes.js';
import { replaceOnChallengeAuthorizations, SEED_WORKLOAD } from './auth/workload.js';

/** Every MCP scope of the per-operation server. */
const ALL_MCP_SCOPES = 'init mcp:tools:read mcp:tools:write';

/** `SEED_WORKLOAD.length` more operations after the three that step up. */
const FURTHER_OPERATIONS = SEED_WORKLOAD.length - 2;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function startServer(): Promise<PerOperationServer> {
    const server = await startPerOperationServer({ authServer: 'oidc' });
    cleanup.add(() => server.close());
    return server;
}

function track<S extends OfficialSession<RecordingProvider<unknown, unknown>>>(session: S): S {
    cleanup.add(() => session.close());
    return session;
}

/**
 * Registers the session's client beforehand, for every MCP scope and `offline_access` (which v2 adds to its
 * requests), so the client skips dynamic registration.
 */
async function preRegister(server: PerOperationServer, provider: RecordingProvider<unknown, unknown>): Promise<void> {
    const metadata = { ...provider.clientMetadata, scope: `${ALL_MCP_SCOPES} offline_access` };
    provider.saveClientInformation(await preRegisterClient(server.authServer.issuer, metadata));
}

function challengeSummary(server: PerOperationServer): string[] {
    return server.challenges.map(c => `${c.status} ${c.method} ${c.scope ?? ''}`.trim());
}

describe('official client 2.4.0 (official-client) → our per-operation-scope server', () => {
    it('with a pre-registered client: exactly 3 authorizations, accumulating, and none for 10 more operations', async () => {
        const server = await startServer();
        const session = track(officialV2Session(server.url));
        await preRegister(server, session.provider);
        const log: OperationAuthorizations[] = [];

        await runSeedWorkload(session, log);

        expect(log.map(op => op.authorizations)).toEqual([1, 1, 1, ...Array<number>(FURTHER_OPERATIONS).fill(0)]);
        expect(requestedMcpScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        // v2 adds offline_access (oidc-provider lists it in scopes_supported) to every request.
        expect(server.authServer.stats.authorizations.map(a => a.requestedScope)).toEqual(
            SEED_AUTHORIZATIONS.map(scope => `${scope} offline_access`)
        );
        // A 403 step-up is a new authorization, never a refresh.
        expect(server.authServer.stats.tokenRequests.map(t => t.grantType)).toEqual(
            Array(3).fill('authorization_code')
        );
        expect(challengeSummary(server)).toEqual([
            '401 initialize init',
            '403 tools/list mcp:tools:read',
            '403 tools/call mcp:tools:write'
        ]);
    });

    it('with dynamic registration: registers only the first challenge scope, so the step-up at tools/list is refused', async () => {
        const server = await startServer();
        const session = track(officialV2Session(server.url));
        const log: OperationAuthorizations[] = [];

        const failure = await runSeedWorkload(session, log).then(
            () => undefined,
            (error: unknown) => error
        );

        expect(failure).toBeInstanceOf(AuthorizationRefusedError);
        expect(failure).toMatchObject({ operation: 'tools/list', error: 'invalid_scope' });
        expect(log).toEqual([{ method: 'initialize', authorizations: 1 }]);
        // The registration names the scope of the 401 challenge (plus offline_access), not all the resource's scopes…
        expect(mcpScopes((session.provider.registered as { scope?: string } | undefined)?.scope)).toBe('init');
        // …so the accumulated step-up request (which is right) asks for a scope the client is not registered for.
        expect(session.provider.redirects.map(url => mcpScopes(url.searchParams.get('scope') ?? ''))).toEqual([
            'init',
            'init mcp:tools:read'
        ]);
        expect(requestedMcpScopes(server.authServer.stats)).toEqual(['init']);
    });
});

describe('official-sdk 1.32.2 client → our per-operation-scope server', () => {
    it('with refresh tokens: answers the first 403 with a refresh and fails after 1 authorization', async () => {
        const server = await startServer();
        const session = track(officialV1Session(server.url));
        const log: OperationAuthorizations[] = [];

        await expect(runSeedWorkload(session, log)).rejects.toThrow(/Server returned 403 after trying upscoping/);

        expect(log).toEqual([{ method: 'initialize', authorizations: 1 }]);
        expect(requestedMcpScopes(server.authServer.stats)).toEqual(['init']);
        // The refresh cannot widen the grant (RFC 6749 §6): the retried tools/list is refused again.
        expect(server.authServer.stats.tokenRequests.map(t => t.grantType)).toEqual([
            'authorization_code',
            'refresh_token'
        ]);
        expect(challengeSummary(server)).toEqual([
            '401 initialize init',
            '403 tools/list mcp:tools:read',
            '403 tools/list mcp:tools:read'
        ]);
    });

    it('without refresh tokens: replaces its scope at each challenge, re-authorizing at every change of scope', async () => {
        const server = await startServer();
        // Pre-registered for every scope, so the authorization server grants whatever the client asks for.
        const session = track(officialV1Session(server.url, { refreshTokens: false }));
        await preRegister(server, session.provider);
        const log: OperationAuthorizations[] = [];

        await runSeedWorkload(session, log);

        const expected = replaceOnChallengeAuthorizations();
        expect(expected).toHaveLength(11);
        // Each authorization asks for the challenged scope alone, dropping what the last one had.
        expect(requestedMcpScopes(server.authServer.stats)).toEqual(expected);
        expect(server.authServer.stats.authorizations.map(a => a.requestedScope)).toEqual(expected);
        expect(log.reduce((sum, op) => sum + op.authorizations, 0)).toBe(expected.length);
        expect(server.authServer.stats.authorizations.length).toBeGreaterThan(SEED_AUTHORIZATIONS.length);
    });
});
