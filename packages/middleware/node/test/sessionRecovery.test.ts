/**
 * The client's `sessionRecovery: 'reinitialize'` against a real stateful server on `node:http` whose sessions are
 * lost (the route is replaced, as when the instance holding them restarts): the requests that meet the 404 wait for
 * one new `initialize` and are each sent once more; with the default, `SessionExpiredError` surfaces as before.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, SessionExpiredError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { SessionRecoveredEvent } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { createNodeMcpRoute } from '../src/index.js';
import type { NodeMcpRoute } from '../src/index.js';

let http: Server;
let url: URL;
let route: NodeMcpRoute;
/** JSON-RPC methods of the POSTs the server received, in order. */
let methods: string[] = [];
let toolRuns = 0;
const clients: Client[] = [];

function newRoute(): NodeMcpRoute {
    return createNodeMcpRoute({
        createServer: () => {
            const mcp = new McpServer({ name: 'recovering', version: '1.0.0' });
            mcp.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => {
                toolRuns++;
                return { content: [{ type: 'text', text: String(a + b) }] };
            });
            return mcp;
        }
    });
}

/** Loses every session, as a restarted instance would. */
async function restart(): Promise<void> {
    const old = route;
    route = newRoute();
    await old.close();
}

beforeAll(async () => {
    route = newRoute();
    http = createServer((req, res) => {
        if (req.method !== 'POST') return void route.handle(req, res);
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            for (const message of Array.isArray(body) ? body : [body]) {
                methods.push(String((message as { method?: unknown }).method ?? 'response'));
            }
            void route.handle(req, res, body);
        });
    });
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});
afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.close().catch(() => {})));
    await restart();
    methods = [];
    toolRuns = 0;
});
afterAll(async () => {
    await route.close();
    http.closeAllConnections();
    await new Promise<void>(resolve => http.close(() => resolve()));
});

async function connect(options: ConstructorParameters<typeof Client>[1] = {}): Promise<Client> {
    const client = new Client({ name: 'c', version: '1' }, options);
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(url));
    return client;
}

describe("sessionRecovery: 'reinitialize'", () => {
    it('re-initializes once for 8 parallel calls that met the 404, then runs each call exactly once', async () => {
        const client = await connect({ sessionRecovery: 'reinitialize' });
        const events: SessionRecoveredEvent[] = [];
        client.onsessionrecovered = event => events.push(event);
        const before = client.transport!.sessionId!;
        await restart();
        methods = [];
        const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) => client.callTool({ name: 'add', arguments: { a: i, b: 100 } }))
        );
        expect(results.map(result => result.content)).toEqual(
            Array.from({ length: 8 }, (_, i) => [{ type: 'text', text: String(i + 100) }])
        );
        expect(methods.filter(method => method === 'initialize')).toHaveLength(1);
        expect(methods.filter(method => method === 'tools/call')).toHaveLength(16); // 8 refused with 404, 8 served
        expect(toolRuns).toBe(8);
        expect(events).toEqual([{ expiredSessionId: before, sessionId: client.transport!.sessionId }]);
        expect(client.transport!.sessionId).not.toBe(before);
    });

    it('recovers again after a second loss, and a call made after recovery needs no retry', async () => {
        const client = await connect({ sessionRecovery: 'reinitialize' });
        let recovered = 0;
        client.onsessionrecovered = () => recovered++;
        for (let round = 1; round <= 2; round++) {
            await restart();
            expect((await client.callTool({ name: 'add', arguments: { a: round, b: 1 } })).content).toEqual([
                { type: 'text', text: String(round + 1) }
            ]);
            expect(recovered).toBe(round);
        }
        methods = [];
        await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
        expect(methods).toEqual(['tools/call']);
    });

    it('fails the waiting calls with the re-initialization error when no new session can start, without a loop', async () => {
        const client = await connect({ sessionRecovery: 'reinitialize' });
        await restart();
        const answer = route.handle;
        route.handle = async (req, res, body) => {
            const method = (body as { method?: unknown } | undefined)?.method;
            if (method === 'initialize') {
                res.writeHead(503, { 'content-type': 'text/plain' }).end('draining');
                return;
            }
            await answer(req, res, body);
        };
        methods = [];
        const failure = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(Error);
        expect(failure).not.toBeInstanceOf(SessionExpiredError);
        expect((failure as { status?: number }).status).toBe(503);
        expect(methods).toEqual(['tools/call', 'initialize']);
        expect(toolRuns).toBe(0);
    });
});

/** Waits (bounded) until the transport forgot its session: the standalone GET stream met the 404 first. */
async function sessionForgotten(client: Client): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (client.transport!.sessionId !== undefined) {
        if (Date.now() > deadline) throw new Error('the standalone stream never met the 404');
        await new Promise(resolve => setTimeout(resolve, 20));
    }
}

describe('when the standalone GET stream meets the 404 before any request', () => {
    it("'reinitialize' still recovers on the next call (never sent without a session id)", async () => {
        const client = await connect({ sessionRecovery: 'reinitialize' });
        let recovered = 0;
        client.onsessionrecovered = () => recovered++;
        await restart();
        await sessionForgotten(client);
        methods = [];
        const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
        expect(result.content).toEqual([{ type: 'text', text: '5' }]);
        expect(methods).toEqual(['initialize', 'notifications/initialized', 'tools/call']);
        expect(recovered).toBe(1);
    });

    it('by default the next call rejects with SessionExpiredError at once, and nothing is sent', async () => {
        const client = await connect();
        const before = client.transport!.sessionId!;
        await restart();
        await sessionForgotten(client);
        methods = [];
        const failure = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(SessionExpiredError);
        expect((failure as SessionExpiredError).sessionId).toBe(before);
        expect(methods).toEqual([]);
    });
});

describe('sessionRecovery by default', () => {
    it('rejects with SessionExpiredError, as the official client does, and sends nothing more', async () => {
        const client = await connect();
        const before = client.transport!.sessionId!;
        await restart();
        methods = [];
        const failure = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(SessionExpiredError);
        expect((failure as SessionExpiredError).sessionId).toBe(before);
        expect(methods).toEqual(['tools/call']);
    });
});
