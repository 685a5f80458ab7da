/**
 * A session that ends while a call is under way (the instance holding it dies: every connection to it drops, and
 * a new process that never knew the session answers `404`). The client resumes the call's broken stream, meets the
 * 404, and — because the server had accepted the call and may have run it — fails it with
 * `SessionExpiredError.afterDispatch`, even with `sessionRecovery: 'reinitialize'`: never sent twice. The next call
 * recovers the session, and the new session gets its own standalone stream (server notifications arrive again).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, SessionExpiredError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InMemoryEventStore, McpServer } from '@modelcontextprotocol/server';
import { createNodeMcpRoute } from '../src/index.js';
import type { NodeMcpRoute } from '../src/index.js';

interface Deployment {
    readonly url: URL;
    /** JSON-RPC methods of the POSTs received, in order. */
    readonly posts: string[];
    /** The servers of every session opened, newest last. */
    readonly servers: McpServer[];
    /** How many times `slow` started. */
    slowRuns: number;
    /** The instance holding the sessions dies: a fresh route takes over and every open connection drops. */
    die(): void;
    close(): Promise<void>;
}

const open: Deployment[] = [];
const clients: Client[] = [];

afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.close().catch(() => {})));
    await Promise.all(open.splice(0).map(deployment => deployment.close()));
});

async function deploy(): Promise<Deployment> {
    const never = new Promise<never>(() => {});
    const routes: NodeMcpRoute[] = [];
    const deployment = {
        posts: [] as string[],
        servers: [] as McpServer[],
        slowRuns: 0
    };
    const newRoute = () =>
        createNodeMcpRoute({
            createServer: () => {
                const mcp = new McpServer({ name: 'mid-call', version: '1.0.0' });
                mcp.registerTool('slow', { inputSchema: {} }, async () => {
                    deployment.slowRuns++;
                    return never;
                });
                mcp.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
                    content: [{ type: 'text', text: String(a + b) }]
                }));
                deployment.servers.push(mcp);
                return mcp;
            },
            transportOptions: { eventStore: new InMemoryEventStore() }
        });
    routes.push(newRoute());
    const http: Server = createServer((req, res) => {
        const route = routes.at(-1)!;
        if (req.method !== 'POST') return void route.handle(req, res);
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            for (const message of Array.isArray(body) ? body : [body]) {
                deployment.posts.push(String((message as { method?: unknown }).method ?? 'response'));
            }
            void route.handle(req, res, body);
        });
    });
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const result: Deployment = Object.assign(deployment, {
        url: new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`),
        die() {
            routes.push(newRoute());
            http.closeAllConnections();
        },
        async close() {
            http.closeAllConnections();
            await new Promise<void>(resolve => http.close(() => resolve()));
            await Promise.all(routes.map(route => route.close()));
        }
    });
    open.push(result);
    return result;
}

async function connect(deployment: Deployment): Promise<Client> {
    const client = new Client({ name: 'c', version: '1' }, { sessionRecovery: 'reinitialize' });
    clients.push(client);
    const transport = new StreamableHTTPClientTransport(deployment.url, {
        reconnectionOptions: { initialReconnectionDelay: 10, maxReconnectionDelay: 50, maxRetries: 3 }
    });
    await client.connect(transport);
    return client;
}

/** Calls `slow`; `streaming` resolves once its response stream is open and primed (the server accepted it). */
function callSlow(client: Client): { streaming: Promise<void>; outcome: Promise<unknown> } {
    let primed!: () => void;
    const streaming = new Promise<void>(resolve => (primed = resolve));
    const outcome = client
        .callTool({ name: 'slow', arguments: {} }, { onresumptiontoken: () => primed() })
        .catch((error: unknown) => error);
    return { streaming, outcome };
}

describe('a session that ends while a call is under way', () => {
    it('fails the call with SessionExpiredError afterDispatch, sends it only once, and the next call recovers', async () => {
        const deployment = await deploy();
        const client = await connect(deployment);
        const before = client.transport!.sessionId!;
        let recovered = 0;
        client.onsessionrecovered = () => recovered++;
        const call = callSlow(client);
        await call.streaming;
        deployment.die();

        const failure = await call.outcome;
        expect(failure).toBeInstanceOf(SessionExpiredError);
        expect((failure as SessionExpiredError).afterDispatch).toBe(true);
        expect((failure as SessionExpiredError).sessionId).toBe(before);
        expect(deployment.posts.filter(method => method === 'tools/call')).toHaveLength(1);
        expect(deployment.slowRuns).toBe(1);
        expect(recovered).toBe(0);

        const next = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
        expect(next.content).toEqual([{ type: 'text', text: '5' }]);
        expect(recovered).toBe(1);
        expect(client.transport!.sessionId).not.toBe(before);
        expect(deployment.slowRuns).toBe(1);
    });

    it('the recovered session gets its own standalone stream: a server notification arrives', async () => {
        const deployment = await deploy();
        const client = await connect(deployment);
        const call = callSlow(client);
        await call.streaming;
        deployment.die();
        await call.outcome;
        await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });

        const heard = new Promise<void>(resolve =>
            client.setNotificationHandler('notifications/tools/list_changed', () => resolve())
        );
        // The standalone stream of the new session may still be opening: notify until it is heard (bounded).
        const server = deployment.servers.at(-1)!;
        let delivered = false;
        void heard.then(() => (delivered = true));
        for (let attempt = 0; attempt < 100 && !delivered; attempt++) {
            await server.sendToolListChanged();
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        expect(delivered).toBe(true);
    });
});
