/**
 * Our client against the official SDK v1 server (`@modelcontextprotocol/sdk` 1.32.2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ToolOutputValidationError } from '@modelcontextprotocol/client';
import type { McpServer } from 'official-sdk/server/mcp.js';
import { Server } from 'official-sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from 'official-sdk/types.js';
import { Cleanup } from './helpers.js';
import { connectOurClient, describeOurClientAgainst } from './ourClientScenario.js';
import {
    addOfficialV1ResumeTool,
    buildOfficialV1Server,
    OFFICIAL_V1_SERVER_NAME,
    serveOfficialV1
} from './servers/officialV1.js';

describeOurClientAgainst({
    label: 'official-sdk 1.32.2',
    serverName: OFFICIAL_V1_SERVER_NAME,
    serve: mode => serveOfficialV1(mode),
    serveResumable: () =>
        serveOfficialV1({ stateless: false, json: false, resumable: true }, () =>
            addOfficialV1ResumeTool(buildOfficialV1Server())
        ),
    serveWithToolAdder: async mode => {
        const servers: McpServer[] = [];
        const host = await serveOfficialV1(mode, () => {
            const server = buildOfficialV1Server();
            servers.push(server);
            return server;
        });
        return {
            host,
            addTool: name => {
                for (const server of servers) {
                    server.registerTool(name, { description: 'registered after connect' }, () => ({ content: [] }));
                }
            }
        };
    }
});

describe('our Client → official-sdk 1.32.2 low-level Server', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    it('rejects structuredContent that breaks the draft-07 outputSchema the server listed', async () => {
        const host = await serveOfficialV1({ stateless: false, json: false }, () => {
            const server = new Server(
                { name: 'official-low-level', version: '1.32.2' },
                { capabilities: { tools: {} } }
            );
            server.setRequestHandler(ListToolsRequestSchema, () => ({
                tools: [
                    {
                        name: 'liar',
                        inputSchema: { type: 'object' },
                        outputSchema: {
                            $schema: 'http://json-schema.org/draft-07/schema#',
                            type: 'object',
                            properties: { sum: { type: 'number' } },
                            required: ['sum']
                        }
                    }
                ]
            }));
            server.setRequestHandler(CallToolRequestSchema, () => ({
                content: [{ type: 'text', text: 'not a number' }],
                structuredContent: { sum: 'not a number' }
            }));
            return server;
        });
        cleanup.add(() => host.close());
        const { client } = await connectOurClient(host.url, cleanup);
        await client.listTools();
        const call = client.callTool({ name: 'liar', arguments: {} });
        await expect(call).rejects.toBeInstanceOf(ToolOutputValidationError);
        await expect(call).rejects.toThrow(/sum/);
    });
});
