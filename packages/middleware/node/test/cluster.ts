/**
 * Several MCP server instances in one process for the forwarding tests: each a real `node:http` server on
 * 127.0.0.1 with its own session route (`createNodeMcpRoute`), all sharing one session directory, and a `fetch`
 * that sends a client's consecutive requests to the instances in turn (a round-robin balancer without stickiness).
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/v4';
import type { AuthInfo, FetchLike, SessionDirectory } from '@modelcontextprotocol/server';
import { InvalidTokenError, McpServer } from '@modelcontextprotocol/server';
import { authorizeNodeRequest, createNodeMcpRoute, writeNodeReply } from '../src/index.js';
import type { McpRouteFactory, NodeMcpRequest, NodeMcpRoute } from '../src/index.js';

/** One instance: its listener, route, and what it received. */
export interface Instance {
    readonly name: string;
    readonly url: URL;
    readonly route: NodeMcpRoute;
    /** Headers of every request this instance received, in order. */
    readonly received: { method: string; headers: IncomingHttpHeaders }[];
    /** The servers of the sessions this instance opened. */
    readonly servers: McpServer[];
    /** Tool calls this instance ran. */
    toolRuns: number;
    /** Stops listening and drops every connection, leaving the route (and its directory entries) as they are. */
    crash(): Promise<void>;
    /** Closes the route (sessions closed and released) and the listener. */
    close(): Promise<void>;
}

/** Tokens the test verifier accepts: the token is the client id. */
const TOKENS = new Set(['alice', 'bob']);

/** A verifier over {@link TOKENS}. */
export const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
        if (!TOKENS.has(token)) throw new InvalidTokenError('unknown token');
        return { token, clientId: token, scopes: [] };
    }
};

function buildServer(instance: Instance): McpServer {
    const mcp = new McpServer({ name: `instance-${instance.name}`, version: '1.0.0' });
    mcp.registerTool('whoami', { inputSchema: {} }, (_args, ctx) => {
        instance.toolRuns++;
        const text = `${instance.name}:${ctx.http?.authInfo?.clientId ?? 'anonymous'}`;
        return { content: [{ type: 'text', text }] };
    });
    mcp.registerTool('hang', { inputSchema: {} }, () => {
        instance.toolRuns++;
        return new Promise<never>(() => {});
    });
    mcp.registerTool('count', { inputSchema: { n: z.number() } }, async ({ n }, ctx) => {
        instance.toolRuns++;
        for (let i = 1; i <= n; i++) {
            await ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken: ctx.mcpReq._meta?.progressToken ?? 0, progress: i, total: n }
            });
        }
        return { content: [{ type: 'text', text: `${instance.name} counted ${n}` }] };
    });
    mcp.registerTool('ask', { inputSchema: {} }, async (_args, ctx) => {
        instance.toolRuns++;
        const answer = await ctx.mcpReq.elicitInput({
            message: 'Your name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }
        });
        return { content: [{ type: 'text', text: `${instance.name} heard ${String(answer.content?.name)}` }] };
    });
    instance.servers.push(mcp);
    return mcp;
}

/**
 * Starts an instance named `name` on the shared `directory`. With `edgeAuth` (the default) every request is
 * bearer-authorized before the route, as behind `requireBearerAuth`; without, the route gets it unauthenticated
 * and only the owner's own check applies to what it forwards. With `parseBody`, POST bodies are decoded before the
 * route (as Express's and Fastify's apps do) and handed over as `parsedBody`. With `forwardFetch`, the route
 * forwards through it instead of its own `node:http` proxying. With `json`, responses are JSON bodies (sent only once
 * the result is known), not SSE streams.
 */
export async function startInstance(
    name: string,
    directory: SessionDirectory,
    options: {
        edgeAuth?: boolean | undefined;
        parseBody?: boolean | undefined;
        forwardFetch?: FetchLike | undefined;
        ondirectoryerror?: McpRouteFactory['ondirectoryerror'];
        json?: boolean | undefined;
        transportOptions?: McpRouteFactory['transportOptions'];
    } = {}
): Promise<Instance> {
    const http: Server = createServer();
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
    const instance = {
        name,
        url,
        received: [],
        servers: [],
        toolRuns: 0
    } as unknown as Instance & { route: NodeMcpRoute };
    instance.route = createNodeMcpRoute({
        createServer: () => buildServer(instance),
        sessionDirectory: directory,
        instance: { instanceId: name, url: url.href },
        forwardFetch: options.forwardFetch,
        ondirectoryerror: options.ondirectoryerror,
        transportOptions: { ...options.transportOptions, ...(options.json ? { enableJsonResponse: true } : {}) }
    });
    http.on('request', (req, res) => {
        instance.received.push({ method: req.method ?? '', headers: req.headers });
        void (async () => {
            if (options.edgeAuth !== false || req.headers['mcp-forwarded-by'] !== undefined) {
                const result = await authorizeNodeRequest(req, { verifier });
                if (!result.ok) return writeNodeReply(req, res, result);
                (req as NodeMcpRequest).auth = result.authInfo;
            }
            if (!options.parseBody || req.method !== 'POST') return instance.route.handle(req, res);
            // As a framework would: the body decoded before the route, handed over as `parsedBody`.
            const chunks: Buffer[] = [];
            for await (const chunk of req) chunks.push(chunk as Buffer);
            await instance.route.handle(req, res, JSON.parse(Buffer.concat(chunks).toString('utf8')));
        })();
    });
    const stop = async () => {
        http.closeAllConnections();
        await new Promise<void>(resolve => http.close(() => resolve()));
    };
    instance.crash = stop;
    instance.close = async () => {
        await instance.route.close();
        if (http.listening) await stop();
    };
    return instance;
}

/**
 * A `fetch` that sends each request to the next of `targets()` in turn (the request's path and query kept), as a
 * round-robin balancer would; `first` picks where the first request (the `initialize`) goes. With `refuseGet`, a
 * GET is answered `405` without reaching any instance (the client then opens no standalone stream).
 */
export function roundRobin(
    targets: () => readonly Instance[],
    options: { first?: number; refuseGet?: boolean } = {}
): FetchLike & { readonly sent: string[] } {
    let next = options.first ?? 0;
    const sent: string[] = [];
    const rotating = (async (input: string | URL | Request, init?: RequestInit) => {
        if (options.refuseGet && init?.method === 'GET') return new Response(null, { status: 405 });
        const list = targets();
        const target = list[next++ % list.length]!;
        sent.push(target.name);
        const url = new URL(input instanceof Request ? input.url : input);
        return fetch(new URL(url.pathname + url.search, target.url), init);
    }) as FetchLike & { sent: string[] };
    rotating.sent = sent;
    return rotating;
}

/**
 * Opens a session on `instance` as a client would (`initialize`, then `notifications/initialized`) with raw requests
 * (so no standalone GET stream of a client is under way), and resolves with its id.
 */
export async function rawInitialize(instance: Instance, token = 'alice'): Promise<string> {
    const headers = {
        authorization: `Bearer ${token}`,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json'
    };
    const params = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
    const init = await fetch(instance.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params })
    });
    const sessionId = init.headers.get('mcp-session-id');
    await init.text();
    if (init.status !== 200 || sessionId === null) throw new Error(`initialize failed: ${init.status}`);
    const done = await fetch(instance.url, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })
    });
    await done.text();
    return sessionId;
}
