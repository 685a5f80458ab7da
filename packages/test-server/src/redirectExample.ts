/**
 * A runnable example of the redirect flow as interactive hosts write it (`pnpm --filter @mcp-stepup/test-server
 * redirect-example`): an `OAuthClientProvider` with the official method set only, whose state lives in a storage
 * that outlives the page (here a `Map`, in a browser `sessionStorage`); operations that reject with
 * `UnauthorizedError` send the user to the authorization server, the transport that started it calls
 * `finishAuth(code)`, and the operation is retried. Parallel tool calls wait for the one redirect; after a reload
 * a new transport and client carry on from what the provider stored.
 *
 * Prints each redirect and the scopes each authorization asked for; ends with 3 authorizations.
 *
 * @module
 */
import type {
    OAuthClientInformationFull,
    OAuthClientInformationMixed,
    OAuthClientMetadata,
    OAuthClientProvider,
    StoredOAuthTokens
} from '@modelcontextprotocol/client';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';

import { approveAuthorization } from './authServer/index.js';
import { startPerOperationServer } from './perOperationServer.js';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** What a browser page keeps across navigations (`sessionStorage`), or a CLI in a file. */
const storage = new Map<string, string>();
/** Where `redirectToAuthorization` sent the "browser" (a page would do `location.assign(url)`). */
let pendingRedirect: URL | undefined;

/** The official provider interface, nothing more: client information, tokens and the PKCE verifier. */
const provider: OAuthClientProvider = {
    redirectUrl: REDIRECT_URI,
    clientMetadata: {
        client_name: 'redirect-example',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none'
    } satisfies OAuthClientMetadata,
    clientInformation: () => read<OAuthClientInformationMixed>('client'),
    saveClientInformation: (info: OAuthClientInformationFull) => void storage.set('client', JSON.stringify(info)),
    tokens: () => read<StoredOAuthTokens>('tokens'),
    saveTokens: tokens => void storage.set('tokens', JSON.stringify(tokens)),
    redirectToAuthorization: url => void (pendingRedirect = url),
    saveCodeVerifier: verifier => void storage.set('verifier', verifier),
    codeVerifier: () => storage.get('verifier') ?? ''
};

function read<T>(key: string): T | undefined {
    const text = storage.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** A "page load": a new transport and client over the same provider (and storage). */
function load(url: URL): { client: Client; transport: StreamableHTTPClientTransport } {
    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    return { client: new Client({ name: 'redirect-example', version: '1.0.0' }), transport };
}

async function main(): Promise<void> {
    const server = await startPerOperationServer({ authServer: 'simple' });
    let page = load(server.url);
    let connected = false;

    /**
     * Runs one operation; on `UnauthorizedError` the user approves (in a popup, say: the page stays), the
     * transport that started the authorization finishes it, and the operation is retried. Requests that were
     * challenged together wait for that same `finishAuth` and complete by themselves.
     */
    async function run<T>(operation: (client: Client) => Promise<T>): Promise<T> {
        for (let tries = 1; ; tries++) {
            try {
                if (!connected) {
                    await page.client.connect(page.transport);
                    connected = true;
                }
                return await operation(page.client);
            } catch (error) {
                if (!(error instanceof UnauthorizedError) || pendingRedirect === undefined || tries === 6) throw error;
                const url = pendingRedirect;
                pendingRedirect = undefined;
                console.log(`  → redirect, asking for scope "${url.searchParams.get('scope')}"`);
                const callback = await approveAuthorization(url); // the user approves
                await page.transport.finishAuth(callback.searchParams.get('code') ?? '');
                if (!connected) page = load(server.url); // a failed connect closed its transport
            }
        }
    }

    try {
        const { tools } = await run(client => client.listTools());
        console.log(`  tools: ${tools.map(tool => tool.name).join(', ')}`);
        const results = await Promise.all([
            run(client => client.callTool({ name: 'echo', arguments: { text: 'in parallel' } })),
            run(client => client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })),
            run(client => client.ping())
        ]);
        console.log(`  parallel calls: ${results.length} completed`);
        // A reload (or a restart): everything in memory is gone; the provider's storage carries on.
        await page.client.close();
        page = load(server.url);
        connected = false;
        await run(client => client.callTool({ name: 'echo', arguments: { text: 'after a reload' } }));
        console.log('  after a reload: no new authorization');
        const authorizations = server.authServer.stats.authorizations;
        console.log(`authorizations: ${authorizations.length}`);
        for (const record of authorizations) console.log(`  ${record.requestedScope}`);
    } finally {
        await page.client.close().catch(() => undefined);
        await server.close();
    }
}

main().catch(error => {
    console.error(error);
    process.exitCode = 1;
});
