/**
 * The demo behind `pnpm demo`: the per-operation-scope MCP server in front of a real authorization server
 * (oidc-provider), and a client that runs initialize → tools/list → tools/call → more operations, printing every
 * challenge the server sends, every authorization the client makes with the scope it asks for, and a summary.
 *
 * @module
 */
import {
    Client,
    InMemoryOAuthClientProvider,
    StreamableHTTPClientTransport,
    parseScope
} from '@modelcontextprotocol/client';

import { approveAuthorization } from './authServer/index.js';
import { startPerOperationServer } from './perOperationServer.js';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const dim = paint(2);
const yellow = paint(33);
const cyan = paint(36);
const green = paint(32);
const red = paint(31);

async function main(): Promise<void> {
    console.log('Starting the per-operation-scope MCP server and its authorization server (oidc-provider)…');
    const server = await startPerOperationServer({ authServer: 'oidc' });
    console.log(dim(`  MCP server:           ${server.url.href}`));
    console.log(dim(`  authorization server: ${server.authServer.issuer}`));
    console.log(dim('  policy: initialize/ping → init, tools/list → mcp:tools:read, tools/call → mcp:tools:write\n'));

    let seenChallenges = 0;
    const printChallenges = () => {
        for (const challenge of server.challenges.slice(seenChallenges)) {
            const what = challenge.method || `${challenge.httpMethod} stream`;
            const error = challenge.error ? ` error="${challenge.error}"` : '';
            console.log(`    ${red(`← ${challenge.status}`)} for ${what}:${error} scope="${challenge.scope ?? ''}"`);
        }
        seenChallenges = server.challenges.length;
    };
    // The client package's in-memory provider, completing each authorization in-process (the test authorization
    // server approves automatically), so the transport finishes a step-up and retries the request by itself.
    const authorizations: string[] = [];
    const provider = new InMemoryOAuthClientProvider({
        redirectUrl: REDIRECT_URI,
        clientName: 'progressive-authorization-demo',
        completeAuthorization: async url => {
            printChallenges();
            const scope = url.searchParams.get('scope') ?? '(none)';
            authorizations.push(scope);
            console.log(`    ${yellow(`→ authorization #${authorizations.length}`)} requesting scope ${cyan(scope)}`);
            return approveAuthorization(url);
        },
        onRedirect: url => {
            throw new Error(`The demo completes authorizations in-process; unexpected redirect to ${url.href}`);
        }
    });
    const transport = new StreamableHTTPClientTransport(server.url, { authProvider: provider });
    const client = new Client({ name: 'progressive-authorization-demo', version: '1.0.0' });

    const operations: Array<[string, () => Promise<string>]> = [
        [
            'initialize',
            async () => (await client.connect(transport), `connected to ${client.getServerVersion()?.name}`)
        ],
        ['tools/list', async () => (await client.listTools()).tools.map(tool => tool.name).join(', ')],
        ['tools/call echo', async () => textOf(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))],
        ['tools/call add', async () => textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))],
        ['ping', async () => (await client.ping(), 'pong')],
        ['tools/list', async () => `${(await client.listTools()).tools.length} tools`],
        ['tools/call add', async () => textOf(await client.callTool({ name: 'add', arguments: { a: 40, b: 2 } }))],
        ['tools/call echo', async () => textOf(await client.callTool({ name: 'echo', arguments: { text: 'bye' } }))]
    ];

    let failed = false;
    try {
        for (const [index, [name, run]] of operations.entries()) {
            console.log(`${index + 1}. ${name}`);
            const outcome = await run();
            printChallenges();
            console.log(`    ${green('✓')} ${outcome}`);
        }
    } catch (error) {
        failed = true;
        printChallenges();
        console.log(`    ${red('✗')} ${(error as Error).name}: ${(error as Error).message}`);
    } finally {
        await client.close().catch(() => {});
        await server.close();
    }

    const granted = parseScope(provider.tokens()?.scope)
        .toArray()
        .filter(scope => scope !== 'offline_access');
    console.log('\nSummary');
    console.log(`  operations:     ${operations.length}`);
    console.log(`  challenges:     ${server.challenges.length}`);
    console.log(`  authorizations: ${authorizations.length}`);
    authorizations.forEach((scope, i) => console.log(dim(`    #${i + 1}: ${scope}`)));
    console.log(`  final scope:    ${granted.join(' ')}`);
    const minimum = authorizations.length === 3;
    console.log(
        minimum && !failed
            ? green('  ✓ the minimum of 3 authorizations, however many operations follow')
            : red('  ✗ expected exactly 3 authorizations')
    );
    if (failed || !minimum) process.exitCode = 1;
}

function textOf(result: { content: Array<{ type: string; text?: string }> }): string {
    return result.content.map(block => block.text ?? `[${block.type}]`).join(' ');
}

main().catch(error => {
    console.error(error);
    process.exit(1);
});
