/**
 * The official SDK v1 client (`@modelcontextprotocol/sdk` 1.32.2) against our server.
 */
import { Client } from 'official-sdk/client/index.js';
import { StreamableHTTPClientTransport } from 'official-sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from 'official-sdk/types.js';
import { describeOfficialClientAgainstOurServer } from './officialClientScenario.js';

describeOfficialClientAgainstOurServer({
    label: 'official-sdk 1.32.2',
    connect: async (url, fetch) => {
        const client = new Client({ name: 'official-sdk-v1-client', version: '1.32.2' });
        const transport = new StreamableHTTPClientTransport(url, { fetch });
        const errors: Error[] = [];
        client.onerror = error => errors.push(error);
        await client.connect(transport);
        return {
            errors,
            negotiatedVersion: () => transport.protocolVersion,
            serverName: () => client.getServerVersion()?.name,
            serverCapabilities: () => client.getServerCapabilities(),
            sessionId: () => transport.sessionId,
            ping: () => client.ping(),
            listTools: async () => (await client.listTools()).tools,
            callTool: async (name, args, onprogress) => {
                const result = await client.callTool(
                    { name, arguments: args },
                    undefined,
                    onprogress === undefined ? undefined : { onprogress }
                );
                return result as { content?: unknown; structuredContent?: unknown; isError?: boolean };
            },
            readResource: async uri => (await client.readResource({ uri })).contents,
            getPrompt: async (name, args) => (await client.getPrompt({ name, arguments: args })).messages,
            onToolListChanged: handler => client.setNotificationHandler(ToolListChangedNotificationSchema, handler),
            terminateSession: () => transport.terminateSession(),
            close: () => client.close()
        };
    }
});
