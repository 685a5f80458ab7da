/**
 * Progressive authorization, direction B: OUR client runs the seed workload (issue #1582) against an MCP server
 * built with the official v2 server package and ITS bearer gate — `requireBearerAuth` with one static
 * `requiredScopes` per gate, the gate chosen per JSON-RPC method — in front of oidc-provider.
 *
 * The official gate's challenges differ from our server's in one way: the 401 for a request without any token
 * carries `error="invalid_token"` (RFC 6750 §3.1 says a request lacking authentication should get no error code).
 * Its 403 names only the gate's `requiredScopes`, as ours does. Our client must still take exactly the three
 * accumulating authorizations. The same holds when `tools/call` is guarded by the v2 server's own per-tool
 * `scopeChallenge` (`requireScopes`) instead of a gate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
    bearerChallenge,
    Client,
    parseWWWAuthenticate,
    StreamableHTTPClientTransport
} from '@modelcontextprotocol/client';

import { Cleanup } from './helpers.js';
import { startOfficialBearerServer } from './auth/officialBearerServer.js';
import type { OfficialBearerServer, OfficialBearerServerOptions } from './auth/officialBearerServer.js';
import { InProcessProvider } from './auth/ourProvider.js';
import { mcpScopes, requestedMcpScopes, SEED_AUTHORIZATIONS } from './auth/scopes.js';
import { SEED_WORKLOAD } from './auth/workload.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function startServer(options?: OfficialBearerServerOptions): Promise<OfficialBearerServer> {
    const server = await startOfficialBearerServer(options);
    cleanup.add(() => server.close());
    cleanup.add(() => expect(server.errors).toEqual([]));
    return server;
}

async function connect(server: OfficialBearerServer, provider: InProcessProvider): Promise<Client> {
    const client = new Client({ name: 'mcp-stepup-interop', version: '1.0.0' });
    cleanup.add(() => client.close());
    await client.connect(new StreamableHTTPClientTransport(server.url, { authProvider: provider }));
    return client;
}

async function runWorkload(client: Client): Promise<void> {
    for (const operation of SEED_WORKLOAD) await operation.run(client);
}

describe('our client → official v2 McpServer behind its requireBearerAuth, one gate per operation', () => {
    it('takes exactly 3 authorizations, accumulating, and none for 10 more operations', async () => {
        const server = await startServer();
        const provider = new InProcessProvider();
        const client = await connect(server, provider);

        await runWorkload(client);

        expect(requestedMcpScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        expect(provider.completed.map(url => mcpScopes(url.searchParams.get('scope') ?? ''))).toEqual(
            SEED_AUTHORIZATIONS
        );
        // Step-ups are new authorizations; nothing was refreshed.
        expect(server.authServer.stats.tokenRequests.map(t => t.grantType)).toEqual(
            Array(3).fill('authorization_code')
        );
        expect(mcpScopes(provider.tokens()?.scope)).toBe(SEED_AUTHORIZATIONS.at(-1));
    });

    it('copes with the official challenges: 401 invalid_token without a token, 403s naming only the gate scope', async () => {
        const server = await startServer();
        await runWorkload(await connect(server, new InProcessProvider()));

        const resourceMetadata = new URL('/.well-known/oauth-protected-resource/mcp', server.url).href;
        const seen = server.challenges.map(challenge => {
            const bearer = bearerChallenge(parseWWWAuthenticate(challenge.wwwAuthenticate));
            return {
                status: challenge.status,
                rpcMethod: challenge.rpcMethod,
                error: bearer?.error,
                scope: bearer?.scope,
                resourceMetadata: bearer?.resourceMetadata?.href
            };
        });
        expect(seen).toEqual([
            { status: 401, rpcMethod: 'initialize', error: 'invalid_token', scope: 'init', resourceMetadata },
            {
                status: 403,
                rpcMethod: 'tools/list',
                error: 'insufficient_scope',
                scope: 'mcp:tools:read',
                resourceMetadata
            },
            {
                status: 403,
                rpcMethod: 'tools/call',
                error: 'insufficient_scope',
                scope: 'mcp:tools:write',
                resourceMetadata
            }
        ]);
    });

    it("with tools/call guarded by the v2 server's per-tool scopeChallenge: still exactly 3 authorizations", async () => {
        const server = await startServer({ toolsCall: 'scopeChallenge' });
        const provider = new InProcessProvider();

        await runWorkload(await connect(server, provider));

        expect(requestedMcpScopes(server.authServer.stats)).toEqual(SEED_AUTHORIZATIONS);
        const toolChallenge = server.challenges.find(challenge => challenge.rpcMethod === 'tools/call');
        expect(toolChallenge?.status).toBe(403);
        expect(bearerChallenge(parseWWWAuthenticate(toolChallenge?.wwwAuthenticate))).toMatchObject({
            error: 'insufficient_scope',
            scope: 'mcp:tools:write'
        });
        expect(server.challenges).toHaveLength(3);
    });

    it('a second connection with the same provider reuses the accumulated grant: no authorization at all', async () => {
        const server = await startServer();
        const provider = new InProcessProvider();
        await runWorkload(await connect(server, provider));
        const challengesBefore = server.challenges.length;

        await runWorkload(await connect(server, provider));

        expect(server.authServer.stats.authorizations).toHaveLength(3);
        expect(server.challenges).toHaveLength(challengesBefore);
    });
});
