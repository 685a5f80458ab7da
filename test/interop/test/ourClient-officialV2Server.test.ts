/**
 * Our client against the official SDK v2 server (`@modelcontextprotocol/server` 2.4.0).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ToolOutputValidationError } from '@modelcontextprotocol/client';
import type { McpServer } from 'official-server';
import { Server } from 'official-server';
import { Cleanup } from './helpers.js';
import { connectOurClient, describeOurClientAgainst } from './ourClientScenario.js';
import {
    addOfficialV2ResumeTool,
    buildOfficialV2Server,
    OFFICIAL_V2_SERVER_NAME,
    serveOfficialV2
} from './servers/officialV2.js';

describeOurClientAgainst({
    label: '@modelcontextprotocol/server 2.4.0',
    serverName: OFFICIAL_V2_SERVER_NAME,
    serve: mode => serveOfficialV2(mode),
    serveResumable: () =>
        serveOfficialV2({ stateless: false, json: false, resumable: true }, () =>
            addOfficialV2ResumeTool(buildOfficialV2Server())
        ),
    serveWithToolAdder: async mode => {
        const servers: McpServer[] = [];
        const host = await serveOfficialV2(mode, () => {
            const server = buildOfficialV2Server();
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

describe('our Client → @modelcontextprotocol/server 2.4.0 low-level Server', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    it('rejects structuredContent that breaks the 2020-12 outputSchema the server listed', async () => {
        const host = await serveOfficialV2({ stateless: false, json: false }, () => {
            const server = new Server(
                { name: 'official-low-level', version: '2.4.0' },
                { capabilities: { tools: {} } }
            );
            server.setRequestHandler('tools/list', () => ({
                tools: [
                    {
                        name: 'liar',
                        inputSchema: { type: 'object' },
                        outputSchema: {
                            $schema: 'https://json-schema.org/draft/2020-12/schema',
                            type: 'object',
                            properties: { sum: { type: 'number' } },
                            required: ['sum']
                        }
                    }
                ]
            }));
            server.setRequestHandler('tools/call', () => ({
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
