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
    isModernProtocolVersion,
    JwtBearerProvider,
    CrossAppAccessProvider,
    PrivateKeyJwtProvider,
    StreamableHTTPClientTransport
} from '@modelcontextprotocol/client';
import type { ClientOptions, OAuthClientProvider } from '@modelcontextprotocol/client';
import { conformanceOAuthProvider } from './fixtures/oauthProvider.js';

/** The Client ID Metadata Document URL the suite's authorization servers expect (`auth/basic-cimd`). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

type Context = Record<string, unknown>;

function required(context: Context, name: string): string {
    const value = context[name];
    if (typeof value !== 'string') throw new Error(`MCP_CONFORMANCE_CONTEXT lacks ${name}`);
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
        case 'auth/wif-jwt-bearer':
            return new JwtBearerProvider({
                clientId: required(context, 'client_id'),
                assertion: required(context, 'valid_jwt')
            });
        case 'auth/enterprise-managed-authorization':
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
        case 'auth/dpop':
        case 'auth/dpop-nonce':
            return conformanceOAuthProvider({ clientMetadataUrl: CLIENT_METADATA_URL, dpop: true });
        default:
            return conformanceOAuthProvider({ clientMetadataUrl: CLIENT_METADATA_URL });
    }
}

/**
 * Client options per scenario: capabilities, the request handlers the scenario's server will call, and — when the
 * suite runs at protocol revision 2026-07-28 (`MCP_CONFORMANCE_PROTOCOL_VERSION`) — that revision, pinned.
 */
function clientFor(scenario: string, protocolVersion: string | undefined): Client {
    const options: ClientOptions =
        scenario === 'elicitation-sep1034-client-defaults'
            ? { capabilities: { elicitation: { form: { applyDefaults: true } } } }
            : {};
    if (isModernProtocolVersion(protocolVersion)) {
        options.versionNegotiation = { mode: { pin: protocolVersion } };
        options.capabilities = { ...options.capabilities, elicitation: {}, sampling: {}, roots: {} };
    }
    const client = new Client({ name: 'mcp-stepup-conformance-client', version: '0.0.0' }, options);
    if (scenario === 'elicitation-sep1034-client-defaults') {
        // Accept without filling anything in: the SDK fills the schema's defaults (SEP-1034).
        client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: {} }));
    } else if (isModernProtocolVersion(protocolVersion)) {
        // Input the 2026-07-28 servers ask for (input_required), answered the way a user would.
        client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { confirmed: true } }));
        client.setRequestHandler('sampling/createMessage', () => ({
            role: 'assistant',
            content: { type: 'text', text: 'ok' },
            model: 'conformance-model'
        }));
        client.setRequestHandler('roots/list', () => ({ roots: [] }));
    }
    return client;
}

/** What the client does once connected: list the tools and call what the scenario's server offers. */
async function exercise(client: Client, scenario: string, context: Context): Promise<void> {
    const { tools } = await client.listTools();
    switch (scenario) {
        case 'initialize':
        case 'json-schema-ref-no-deref':
            return;
        case 'tools_call':
            await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
            return;
        case 'http-custom-headers': {
            const calls = (context as { toolCalls?: Array<{ name: string; arguments?: Record<string, unknown> }> })
                .toolCalls;
            for (const call of calls ?? []) await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
            return;
        }
        case 'http-invalid-tool-headers':
        case 'sep-2322-client-request-state':
            // Every tool the client kept (invalid x-mcp-header tools are dropped from the list).
            for (const tool of tools) await client.callTool({ name: tool.name, arguments: {} });
            return;
        case 'http-standard-headers': {
            const tool = tools[0];
            if (tool !== undefined) await client.callTool({ name: tool.name, arguments: {} });
            const { resources } = await client.listResources();
            if (resources[0] !== undefined) await client.readResource({ uri: resources[0].uri });
            const { prompts } = await client.listPrompts();
            if (prompts[0] !== undefined) await client.getPrompt({ name: prompts[0].name });
            return;
        }
        default: {
            const tool = tools[0];
            if (tool !== undefined) await client.callTool({ name: tool.name, arguments: {} });
        }
    }
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
    const client = clientFor(scenario, process.env.MCP_CONFORMANCE_PROTOCOL_VERSION);
    await client.connect(transport);
    try {
        await exercise(client, scenario, context);
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
