/**
 * The client fixture of the official MCP conformance suite: our `Client` over our Streamable HTTP transport, with
 * our OAuth providers. The suite runs it as `<command> <server URL>` with `MCP_CONFORMANCE_SCENARIO` set and, for
 * scenarios with credentials, `MCP_CONFORMANCE_CONTEXT` (JSON). It only wires SDK behaviour together: every
 * protocol and authorization decision is the SDK's.
 *
 * Exits 0 when the scenario's client steps succeeded, 1 otherwise (some auth scenarios expect a refusal).
 *
 * @module
 */
import { createPrivateKey } from 'node:crypto';
import {
    Client,
    ClientCredentialsProvider,
    CrossAppAccessProvider,
    PrivateKeyJwtProvider,
    StreamableHTTPClientTransport
} from '@modelcontextprotocol/client';
import type { ClientOptions, OAuthClientProvider } from '@modelcontextprotocol/client';
import { conformanceOAuthProvider } from './fixtures/oauthProvider.js';

/** The Client ID Metadata Document URL the suite's authorization servers expect (`auth/basic-cimd`). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

type Context = Record<string, string | undefined>;

function required(context: Context, name: string): string {
    const value = context[name];
    if (value === undefined) throw new Error(`MCP_CONFORMANCE_CONTEXT lacks ${name}`);
    return value;
}

/** The OAuth provider a scenario calls for (every `auth/*` scenario has one). */
function providerFor(scenario: string, context: Context): OAuthClientProvider {
    switch (scenario) {
        case 'auth/client-credentials-basic':
            return new ClientCredentialsProvider({
                clientId: required(context, 'client_id'),
                clientSecret: required(context, 'client_secret')
            });
        case 'auth/client-credentials-jwt':
            return new PrivateKeyJwtProvider({
                clientId: required(context, 'client_id'),
                privateKey: {
                    key: createPrivateKey(required(context, 'private_key_pem')),
                    algorithm: required(context, 'signing_algorithm')
                }
            });
        case 'auth/cross-app-access-complete-flow':
            return new CrossAppAccessProvider({
                clientId: required(context, 'client_id'),
                clientSecret: required(context, 'client_secret'),
                idpTokenEndpoint: required(context, 'idp_token_endpoint'),
                idpClientId: required(context, 'idp_client_id'),
                idToken: required(context, 'idp_id_token')
            });
        case 'auth/pre-registration':
            return conformanceOAuthProvider({
                clientInformation: {
                    client_id: required(context, 'client_id'),
                    client_secret: required(context, 'client_secret')
                }
            });
        default:
            return conformanceOAuthProvider({ clientMetadataUrl: CLIENT_METADATA_URL });
    }
}

/** Client options per scenario: capabilities, and the request handlers the scenario's server will call. */
function clientFor(scenario: string): Client {
    const options: ClientOptions =
        scenario === 'elicitation-sep1034-client-defaults'
            ? { capabilities: { elicitation: { form: { applyDefaults: true } } } }
            : {};
    const client = new Client({ name: 'mcp-stepup-conformance-client', version: '0.0.0' }, options);
    if (scenario === 'elicitation-sep1034-client-defaults') {
        // Accept without filling anything in: the SDK fills the schema's defaults (SEP-1034).
        client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: {} }));
    }
    return client;
}

/** What the client does once connected: list the tools and call the one the scenario's server offers. */
async function exercise(client: Client, scenario: string): Promise<void> {
    const { tools } = await client.listTools();
    if (scenario === 'initialize') return;
    if (scenario === 'tools_call') {
        await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
        return;
    }
    const tool = tools[0];
    if (tool !== undefined) await client.callTool({ name: tool.name, arguments: {} });
}

async function main(): Promise<void> {
    const serverUrl = process.argv.at(-1);
    const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
    if (serverUrl === undefined || !URL.canParse(serverUrl)) throw new Error('usage: client.ts <server URL>');
    const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Context;

    const authProvider = scenario.startsWith('auth/') ? providerFor(scenario, context) : undefined;
    const transport = new StreamableHTTPClientTransport(
        new URL(serverUrl),
        authProvider === undefined ? {} : { authProvider }
    );
    const client = clientFor(scenario);
    await client.connect(transport);
    try {
        await exercise(client, scenario);
    } finally {
        await client.close();
    }
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        process.exit(1);
    }
);
