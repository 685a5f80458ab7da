/**
 * One MCP server instance, run as a child process: `node --conditions=mcp-source --import tsx instance.ts <id>`.
 * Listens on 127.0.0.1, on `PORT` (default: an ephemeral port), and prints one JSON line,
 * `{"instance":"<id>","port":<port>}`, once it accepts connections. It keeps nothing shared with other instances:
 *
 * - `/mcp`: `createMcpHandler` through `toNodeHandler` — 2025-11-25 stateless (a fresh server per request, no
 *   session ids) and 2026-07-28 on one endpoint;
 * - `/session`: `createNodeMcpRoute`, stateful 2025-11-25 — sessions live in this process, their ids are
 *   `<id>.<uuid>` so a balancer can route a session to the instance that owns it;
 * - `/shared` (only with `REDIS_URL` set): `createNodeMcpRoute`, stateful 2025-11-25 sessions that any instance
 *   serves — claimed in a `RedisSessionDirectory`, their streams' events in a `RedisEventStore` (both on
 *   `REDIS_URL`), a request for another instance's session forwarded to its owner; every tool run is counted in
 *   that Redis by its input (`RUNS_KEY_PREFIX<x>`), so a test can see that none ran twice;
 * - `/stats`: how many tool calls this process ran, its open sessions, the resumptions it received and its heap
 *   (`?gc`: after a garbage collection, when run with `--expose-gc`), as JSON.
 *
 * Every response carries `x-mcp-instance: <id>` (a forwarded request's response: the owner's id). The process exits on SIGTERM or SIGINT, and when the IPC
 * channel of the test process that spawned it closes (that process went away).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createNodeMcpRoute, toNodeHandler } from '@modelcontextprotocol/node';
import type { NodeMcpRoute } from '@modelcontextprotocol/node';
import { RedisEventStore, RedisSessionDirectory } from '@modelcontextprotocol/redis';
import { createClient } from 'redis';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import type { ServerContext } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { INSTANCE_HEADER, PATHS, RUNS_KEY_PREFIX, TOOL, computeValue } from './tools.js';
import type { InstanceStats, ToolAnswer } from './tools.js';

function instanceId(arg: string | undefined): string {
    if (arg !== undefined && /^[a-z0-9-]{1,32}$/.test(arg)) return arg;
    console.error('usage: instance.ts <id>  (lower-case letters, digits, dashes)');
    return process.exit(2);
}

const instance = instanceId(process.argv[2]);

let served = 0;

const answerShape = { instance: z.string(), x: z.number(), value: z.number() };

/** With `REDIS_URL`: a client that counts each tool run by its input, across every instance (`RUNS_KEY_PREFIX`). */
const runs = process.env.REDIS_URL ? createClient({ url: process.env.REDIS_URL }) : undefined;
runs?.on('error', () => {});
await runs?.connect();

/** Counts a run of the tool for input `x` in Redis (when there is one) before it answers. */
async function recordRun(x: number): Promise<void> {
    await runs?.incr(`${RUNS_KEY_PREFIX}${x}`);
}

function answer(x: number) {
    served++;
    const structuredContent: ToolAnswer = { instance, x, value: computeValue(x) };
    return { content: [{ type: 'text' as const, text: JSON.stringify(structuredContent) }], structuredContent };
}

/** The server of one request (stateless) or one session (stateful): the same two tools either way. */
function buildServer(): McpServer {
    const server = new McpServer({ name: `deployment-${instance}`, version: '1.0.0' });
    server.registerTool(
        TOOL.compute,
        {
            description: 'Answers with this instance id and a value computed from x',
            inputSchema: { x: z.number().int() },
            outputSchema: answerShape
        },
        async ({ x }) => {
            await recordRun(x);
            return answer(x);
        }
    );
    server.registerTool(
        TOOL.progress,
        {
            description: 'Sends `steps` progress notifications, `delayMs` apart, then answers like compute',
            inputSchema: {
                x: z.number().int(),
                steps: z.number().int().min(1).max(100),
                delayMs: z.number().int().min(0).max(1000)
            },
            outputSchema: answerShape
        },
        async ({ x, steps, delayMs }, ctx: ServerContext) => {
            const progressToken = ctx.mcpReq._meta?.progressToken;
            for (let step = 1; step <= steps; step++) {
                if (delayMs > 0) await sleep(delayMs, undefined, { signal: ctx.mcpReq.signal });
                if (progressToken !== undefined) {
                    await ctx.mcpReq.notify({
                        method: 'notifications/progress',
                        params: { progressToken, progress: step, total: steps, message: `${instance} step ${step}` }
                    });
                }
            }
            await recordRun(x);
            return answer(x);
        }
    );
    return server;
}

const stateless = toNodeHandler(createMcpHandler(() => buildServer()));
const stateful = createNodeMcpRoute({
    createServer: buildServer,
    transportOptions: { sessionIdGenerator: () => `${instance}.${randomUUID()}` }
});

/** The `/shared` route, made once the port is known (other instances forward to this instance's URL). */
let shared: NodeMcpRoute | undefined;
let resumed = 0;

function sharedRoute(redisUrl: string, port: number): NodeMcpRoute {
    const ttlMs = Number(process.env.DIRECTORY_TTL_MS ?? 3000);
    return createNodeMcpRoute({
        createServer: buildServer,
        sessionDirectory: new RedisSessionDirectory({ url: redisUrl, ttlMs }),
        instance: { instanceId: instance, url: `http://127.0.0.1:${port}${PATHS.shared}` },
        transportOptions: { eventStore: new RedisEventStore({ url: redisUrl }) }
    });
}

function stats(collect: boolean): InstanceStats {
    if (collect) (globalThis as { gc?: () => void }).gc?.();
    return {
        instance,
        served,
        sessions: shared?.sessionCount ?? stateful.sessionCount,
        resumed,
        heapUsed: process.memoryUsage().heapUsed
    };
}

const http = createServer((req, res) => {
    res.setHeader(INSTANCE_HEADER, instance);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === PATHS.stateless) return void stateless(req, res);
    if (path === PATHS.stateful) return void stateful.handle(req, res);
    if (path === PATHS.shared && shared !== undefined) {
        // A resumption that reached this instance from the balancer (a forwarded one is counted where it arrived).
        if (req.headers['last-event-id'] !== undefined && req.headers['mcp-forwarded-by'] === undefined) resumed++;
        return void shared.handle(req, res);
    }
    if (path === PATHS.stats && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify(stats(url.searchParams.has('gc')))
        );
        return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
});

function shutdown(): void {
    http.closeAllConnections();
    http.close();
    void Promise.all([stateful.close(), shared?.close()]).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
}

process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
// Spawned by the tests with an IPC channel: exit when they go away, even if they could not stop this process.
if (process.connected) process.once('disconnect', shutdown);

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = http.address() as AddressInfo;
    if (process.env.REDIS_URL) shared = sharedRoute(process.env.REDIS_URL, port);
    process.stdout.write(`${JSON.stringify({ instance, port })}\n`);
});
