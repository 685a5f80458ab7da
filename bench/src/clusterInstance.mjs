// @ts-check
/**
 * Child-process entry of `bench/cluster.mjs`: `node clusterInstance.mjs <id> <mode> [redisUrl]`. One stateful MCP
 * endpoint (`createNodeMcpRoute`, the built packages) with an `add` tool, on 127.0.0.1, port 0:
 *
 * - `local`: sessions in this process only (no directory, in-memory event store);
 * - `shared`: sessions claimed in a `RedisSessionDirectory`, events in a `RedisEventStore`, requests for another
 *   instance's session forwarded to it.
 *
 * IPC: sends `{ type: 'ready', port }`; answers `{ type: 'mark' }` (starts a CPU window) and `{ type: 'report' }`
 * (CPU µs and tool calls since the mark); exits on `{ type: 'exit' }` or when the parent goes away.
 *
 * @module
 */
import { createServer } from 'node:http';
import { createNodeMcpRoute } from '@modelcontextprotocol/node';
import { RedisEventStore, RedisSessionDirectory } from '@modelcontextprotocol/redis';
import { InMemoryEventStore, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

const [id = 'i1', mode = 'local', redisUrl] = process.argv.slice(2);
if (process.send === undefined) throw new Error('clusterInstance.mjs must be started with an IPC channel');
const send = process.send.bind(process);
let calls = 0;

function buildServer() {
    const server = new McpServer({ name: `bench-${id}`, version: '1.0.0' });
    server.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => {
        calls++;
        return { content: [{ type: 'text', text: String(a + b) }] };
    });
    return server;
}

/** @type {import('@modelcontextprotocol/node').NodeMcpRoute | undefined} */
let route;
const http = createServer((req, res) => {
    if (route === undefined) return void res.writeHead(503).end();
    void route.handle(req, res);
});
http.keepAliveTimeout = 60_000;
await new Promise(resolve => http.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = http.address();
if (address === null || typeof address === 'string') throw new Error('no TCP address');
const url = `http://127.0.0.1:${address.port}/mcp`;

if (mode === 'shared') {
    if (redisUrl === undefined) throw new Error('shared mode needs a Redis URL');
    route = createNodeMcpRoute({
        createServer: buildServer,
        sessionDirectory: new RedisSessionDirectory({ url: redisUrl }),
        instance: { instanceId: id, url },
        transportOptions: { eventStore: new RedisEventStore({ url: redisUrl }) }
    });
} else {
    route = createNodeMcpRoute({
        createServer: buildServer,
        transportOptions: { eventStore: new InMemoryEventStore() }
    });
}

let mark = { cpu: process.cpuUsage(), calls: 0 };
process.on('message', message => {
    const type = /** @type {{ type?: unknown }} */ (message).type;
    if (type === 'mark') {
        mark = { cpu: process.cpuUsage(), calls };
        send({ type: 'marked' });
    } else if (type === 'report') {
        const cpu = process.cpuUsage(mark.cpu);
        send({ type: 'report', cpuUs: cpu.user + cpu.system, calls: calls - mark.calls });
    } else if (type === 'exit') {
        http.closeAllConnections();
        void route?.close().finally(() => process.exit(0));
        setTimeout(() => process.exit(0), 2000).unref();
    }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', port: address.port });
