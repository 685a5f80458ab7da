/**
 * Our client's era negotiation against the official SDKs: with `versionNegotiation: { mode: 'auto' }` it speaks
 * protocol revision 2026-07-28 to an official 2.4.0 `createMcpHandler` server (probe, then stateless requests with
 * per-request `_meta` and the mirrored headers), and falls back to `initialize` (2025-11-25) against the official
 * v1 1.32.2 server, which does not know `server/discover`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, McpServer as OfficialMcpServer } from 'official-server';
import { ADD_TOOL } from './fixtures.js';
import { Cleanup, listen, recordingFetch, toWebRequest, writeWebResponse } from './helpers.js';
import { serveOfficialV1 } from './servers/officialV1.js';

function officialModernServer(): OfficialMcpServer {
    const server = new OfficialMcpServer(
        { name: 'official-modern', version: '2.4.0' },
        { supportedProtocolVersions: ['2026-07-28', '2025-11-25'] }
    );
    server.registerTool(
        ADD_TOOL,
        { description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }) },
        ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] })
    );
    return server;
}

describe('our Client with versionNegotiation auto', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    it('negotiates 2026-07-28 with an official 2.4.0 createMcpHandler server and calls statelessly', async () => {
        const handler = createMcpHandler(() => officialModernServer());
        const host = await listen(async (req, res) => writeWebResponse(await handler.fetch(toWebRequest(req)), res));
        cleanup.add(() => host.close());
        const { fetch, exchanges } = recordingFetch();
        const client = new Client({ name: 'ours', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
        cleanup.add(() => client.close());
        await client.connect(new StreamableHTTPClientTransport(host.url, { fetch }));
        expect(client.getProtocolEra()).toBe('modern');
        expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
        const { tools } = await client.listTools();
        expect(tools.map(tool => tool.name)).toContain(ADD_TOOL);
        const result = await client.callTool({ name: ADD_TOOL, arguments: { a: 40, b: 2 } });
        expect(result.content).toEqual([{ type: 'text', text: '42' }]);
        expect(exchanges.map(exchange => exchange.rpcMethod)).toEqual(['server/discover', 'tools/list', 'tools/call']);
        for (const exchange of exchanges) {
            expect(exchange.status).toBe(200);
            expect(exchange.requestHeaders['mcp-protocol-version']).toBe('2026-07-28');
            expect(exchange.requestHeaders['mcp-method']).toBe(exchange.rpcMethod);
        }
        expect(exchanges[2]?.requestHeaders['mcp-name']).toBe(ADD_TOOL);
    });

    it('falls back to initialize (2025-11-25) against the official v1 1.32.2 server', async () => {
        const host = await serveOfficialV1({ stateless: false, json: false });
        cleanup.add(() => host.close());
        const { fetch, exchanges } = recordingFetch();
        const client = new Client({ name: 'ours', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
        cleanup.add(() => client.close());
        await client.connect(new StreamableHTTPClientTransport(host.url, { fetch }));
        expect(client.getProtocolEra()).toBe('legacy');
        expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
        const [probe, initialize] = exchanges;
        expect(probe).toMatchObject({ rpcMethod: 'server/discover' });
        expect(probe?.status).toBeGreaterThanOrEqual(400);
        expect(initialize).toMatchObject({ rpcMethod: 'initialize', status: 200 });
        const result = await client.callTool({ name: ADD_TOOL, arguments: { a: 1, b: 2 } });
        expect(result.structuredContent).toEqual({ sum: 3 });
    });

    it('a pinned client refuses to fall back and reports the legacy answer', async () => {
        const host = await serveOfficialV1({ stateless: false, json: false });
        cleanup.add(() => host.close());
        const client = new Client(
            { name: 'ours', version: '1.0.0' },
            { versionNegotiation: { mode: { pin: '2026-07-28' } } }
        );
        await expect(client.connect(new StreamableHTTPClientTransport(host.url))).rejects.toThrow();
        expect(client.getProtocolEra()).toBeUndefined();
    });
});
