/**
 * Resumption through our server (MCP 2025-11-25, Streamable HTTP › Resumability and Redelivery) with the Redis
 * store: a `tools/call` that emits progress has its SSE response cut by the proxy in front of the server; our
 * `StreamableHTTPClientTransport` reconnects by itself with `Last-Event-ID`, and every progress notification and
 * the result arrive exactly once.
 *
 * - Same instance: the resume reaches the instance running the tool, which replays what the client missed from
 *   Redis and then streams the rest live.
 * - Another instance: the instance that ran the tool dies after Redis acknowledged its last event; the resume
 *   reaches a second instance (its own transport, server and Redis connection), which replays from Redis. The
 *   server package has no API to open a transport on an existing session, so the second instance adopts the
 *   session the only way the current transport allows: a test-only `initialize` whose `sessionIdGenerator` returns
 *   the first instance's session id. (Deployments do not need this: with a session directory, a resumption reaching
 *   another instance is forwarded to the owner — see `test/deployment/test/sharedSessions.test.ts`.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { connectClient, startRedis, uniquePrefix } from './redisServer.js';
import type { RedisServer, TestClient } from './redisServer.js';
import { deferred, startBalancer, startInstance } from './httpHarness.js';
import type { Instance } from './httpHarness.js';

let redis: RedisServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
    redis = await startRedis();
});
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(async () => {
    await redis?.stop();
});

async function redisClient(): Promise<TestClient> {
    const client = await connectClient(redis);
    cleanups.push(() => client.close());
    return client;
}

/** What a tool does between its progress notifications: `emit(from, to)` sends progress `from`…`to`. */
type Script = (emit: (from: number, to: number) => Promise<void>) => Promise<void>;

/** A server whose `count` tool runs `script`, then answers `counted <label>`. */
function buildServer(script: Script): () => McpServer {
    return () => {
        const server = new McpServer({ name: 'redis-resume', version: '1.0.0' });
        server.registerTool('count', { inputSchema: { label: z.string() } }, async ({ label }, extra) => {
            const progressToken = extra._meta?.progressToken;
            if (progressToken === undefined) throw new Error('no progress token');
            await script(async (from, to) => {
                for (let progress = from; progress <= to; progress++) {
                    await extra.sendNotification({
                        method: 'notifications/progress',
                        params: { progressToken, progress }
                    });
                }
            });
            return { content: [{ type: 'text', text: `counted ${label}` }] };
        });
        return server;
    };
}

async function instance(...args: Parameters<typeof startInstance>): Promise<Instance> {
    const started = await startInstance(...args);
    cleanups.push(() => started.close());
    return started;
}

async function connect(url: URL) {
    const client = new Client({ name: 'redis-resume-client', version: '1.0.0' });
    const errors: Error[] = [];
    client.onerror = error => errors.push(error);
    const transport = new StreamableHTTPClientTransport(url, { reconnectionOptions: { initialReconnectionDelay: 10 } });
    await client.connect(transport);
    cleanups.push(() => client.close());
    return { client, transport, errors };
}

/** The MCP stream id an event id of the store names (its middle part, base64url). */
function streamOf(eventId: string): string {
    return Buffer.from(eventId.split('.')[1]!, 'base64url').toString('utf8');
}

function textOf(result: unknown): string | undefined {
    return (result as { content?: { type: string; text?: string }[] }).content?.[0]?.text;
}

describe('a cut SSE stream resumed with Last-Event-ID, events in Redis', () => {
    test('same instance: progress before, during and after the cut, and the result, each arrive once', async () => {
        const cut = deferred();
        const storedWhileAway = deferred();
        const resumed = deferred();
        const a = await instance({
            name: 'A',
            redis: { client: await redisClient() },
            keyPrefix: uniquePrefix(),
            build: buildServer(async emit => {
                await emit(1, 3); // live
                await cut.promise;
                await emit(4, 6); // stored while the client is away
                storedWhileAway.resolve();
                await resumed.promise;
                await emit(7, 9); // live on the resumed stream
            })
        });
        const balancer = await startBalancer(async req => {
            if (req.headers['last-event-id'] !== undefined) await storedWhileAway.promise;
            return a;
        });
        cleanups.push(() => balancer.close());
        const { client, errors } = await connect(balancer.url);

        const progress: number[] = [];
        const tokens: string[] = [];
        const result = await client.callTool({ name: 'count', arguments: { label: 'once' } }, undefined, {
            onprogress: p => {
                progress.push(p.progress);
                if (p.progress === 3) {
                    expect(balancer.cutStreamingPosts()).toBe(1);
                    cut.resolve();
                }
            },
            onresumptiontoken: token => {
                tokens.push(token);
                if (balancer.log.some(r => r.lastEventId !== undefined && r.status === 200)) resumed.resolve();
            }
        });

        expect(textOf(result)).toBe('counted once');
        expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(a.store.replayed).toBe(3); // progress 4–6
        const resumes = balancer.log.filter(r => r.lastEventId !== undefined);
        expect(resumes).toEqual([{ method: 'GET', lastEventId: tokens[3], to: 'A', status: 200 }]); // after progress 3
        expect(new Set(tokens).size).toBe(tokens.length);
        await expect(client.ping()).resolves.toEqual({});
        expect(errors).toEqual([]);
        expect(a.errors).toEqual([]);
    });

    test('another instance: the writer dies after Redis acknowledged, the resume is served by a second instance', async () => {
        const keyPrefix = uniquePrefix();
        const cut = deferred();
        const resultStored = deferred();
        const a = await instance({
            name: 'A',
            redis: { client: await redisClient() },
            keyPrefix,
            build: buildServer(async emit => {
                await emit(1, 3);
                await cut.promise;
                await emit(4, 6); // stored by A only: the client is gone
            })
        });
        a.store.onstored = message => {
            if ('result' in message) resultStored.resolve();
        };
        let aAlive = true;
        const peer: { b?: Instance } = {}; // started once the session exists
        const balancer = await startBalancer(async req => {
            if (req.headers['last-event-id'] === undefined) return aAlive ? a : peer.b!;
            await resultStored.promise; // A acknowledged everything …
            if (aAlive) {
                aAlive = false;
                await a.kill(); // … then dies
            }
            return peer.b!;
        });
        cleanups.push(() => balancer.close());
        const { client, transport, errors } = await connect(balancer.url);

        // B: its own transport, server and Redis connection (a URL: the store connects its own client).
        const sessionId = transport.sessionId!;
        const b = await instance({
            name: 'B',
            redis: { url: redis.url },
            keyPrefix,
            sessionId,
            build: buildServer(async () => expect.unreachable('B runs no tool'))
        });
        peer.b = b;
        await adoptSession(b, transport.protocolVersion ?? '2025-11-25');

        const progress: number[] = [];
        const result = await client.callTool({ name: 'count', arguments: { label: 'elsewhere' } }, undefined, {
            onprogress: p => {
                progress.push(p.progress);
                if (p.progress === 3) {
                    expect(balancer.cutStreamingPosts()).toBe(1);
                    cut.resolve();
                }
            }
        });

        expect(textOf(result)).toBe('counted elsewhere');
        expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
        // The standalone GET stream, which died with A, is resumed at B too.
        const resumes = () =>
            balancer.log
                .filter(r => r.lastEventId !== undefined)
                .map(r => ({ stream: streamOf(r.lastEventId!), to: r.to, status: r.status }));
        await expect.poll(() => resumes().length).toBe(2);
        const [postStream, standalone] = resumes();
        expect(postStream).toMatchObject({ to: 'B', status: 200 });
        expect(postStream!.stream).toMatch(new RegExp(`^${sessionId}:\\d+$`));
        expect(standalone).toEqual({ stream: `${sessionId}:get`, to: 'B', status: 200 });
        expect(a.store.replayed).toBe(0);
        expect(b.store.replayed).toBe(4); // progress 4–6 and the result, all written by A
        // The session goes on at B (whose server was initialized by the adoption above).
        await expect(client.ping()).resolves.toEqual({});
        expect(balancer.log.at(-1)).toMatchObject({ method: 'POST', to: 'B', status: 200 });
        expect(errors).toEqual([]);
        expect(a.errors).toEqual([]);
        expect(b.errors).toEqual([]);
    });

    test('a hostile Last-Event-ID is answered 400 by the transport, with no server error', async () => {
        const a = await instance({
            name: 'A',
            redis: { client: await redisClient() },
            keyPrefix: uniquePrefix(),
            build: buildServer(async () => {})
        });
        const { transport } = await connect(a.url);
        const headers = {
            accept: 'text/event-stream',
            'mcp-session-id': transport.sessionId!,
            'mcp-protocol-version': transport.protocolVersion ?? '2025-11-25'
        };
        const hostile = ['*', '+', '-', '0-0', 'x'.repeat(8000), 'AAAAAAAA.*.1-0', 'AAAAAAAA.c2Vzc2lvbjox.1-0'];
        for (const lastEventId of hostile) {
            const response = await fetch(a.url, { headers: { ...headers, 'last-event-id': lastEventId } });
            expect(response.status, lastEventId).toBe(400);
            await response.body?.cancel();
        }
        expect(a.errors).toEqual([]);
    });
});

/**
 * Makes `b` serve the session its `sessionIdGenerator` names: the current transport opens a session only on
 * `initialize`, so this sends one (test-only; a real deployment needs a session-restore API in the server).
 */
async function adoptSession(b: Instance, protocolVersion: string): Promise<void> {
    const response = await fetch(b.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
            jsonrpc: '2.0',
            id: 'adopt',
            method: 'initialize',
            params: { protocolVersion, capabilities: {}, clientInfo: { name: 'adoption', version: '1' } }
        })
    });
    expect(response.status).toBe(200);
    await response.text();
    expect(b.transport.sessionId).toBeDefined();
}
