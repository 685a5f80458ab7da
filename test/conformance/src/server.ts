/**
 * The server fixture of the official MCP conformance suite: our `McpServer` with the suite's tools, resources
 * and prompts, behind our stateful Streamable HTTP transport (event store for SSE polling and resumption),
 * mounted on Express with DNS-rebinding protection.
 *
 * Listens on `HOST` (default 127.0.0.1) and `PORT` (default 0: ephemeral) and prints the endpoint URL on stdout.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp, mountMcp } from '@modelcontextprotocol/express';
import { InMemoryEventStore, McpServer } from '@modelcontextprotocol/server';
import { fixtureEventBus, registerModernFixtures, requestStateCodec } from './fixtures/modernTools.js';
import { registerConformancePrompts, registerConformanceResources } from './fixtures/resourcesAndPrompts.js';
import { registerConformanceTools } from './fixtures/tools.js';

/** Advertised to clients in the SSE `retry` field (ms): how long to wait before resuming a closed stream. */
const RETRY_INTERVAL_MS = 500;

function createConformanceServer(): McpServer {
    const server = new McpServer(
        { name: 'mcp-stepup-conformance-server', version: '0.0.0' },
        {
            capabilities: { logging: {}, completions: {}, resources: { subscribe: true } },
            requestState: { verify: (state, ctx) => requestStateCodec.verify(state, ctx) },
            eventBus: fixtureEventBus
        }
    );
    registerConformanceTools(server);
    registerModernFixtures(server);
    registerConformanceResources(server);
    registerConformancePrompts(server);
    return server;
}

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const app = createMcpExpressApp({ host });
const endpoint = mountMcp(app, '/mcp', {
    createServer: createConformanceServer,
    transportOptions: {
        sessionIdGenerator: () => crypto.randomUUID(),
        eventStore: new InMemoryEventStore(),
        retryInterval: RETRY_INTERVAL_MS
    }
});

const listener = app.listen(port, host, () => {
    const { port: actual } = listener.address() as AddressInfo;
    console.log(`http://${host}:${actual}/mcp`);
});

async function shutdown(): Promise<void> {
    listener.close();
    listener.closeAllConnections();
    await endpoint.close();
    process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
