/**
 * The v2 transport options beyond the basics, against real `node:http` servers: `redirectPolicy` (a redirect
 * leaves neither the origin nor the method, so the body and the bearer token stay where they were sent),
 * `protocolVersion`, `reconnectionScheduler` and `resumeStream`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REDIRECTS } from '../../src/client/redirects.js';
import { SSEClientTransport } from '../../src/client/sse.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import { InvalidTransportOptionsError, RedirectRefusedError } from '../../src/client/transportErrors.js';
import { until } from '../fixtures/until.js';

interface Seen {
    method: string;
    path: string;
    authorization: string | undefined;
    protocolVersion: string | undefined;
    lastEventId: string | undefined;
}

type Route = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const servers: Server[] = [];
const transports: { close(): Promise<void> }[] = [];

afterEach(async () => {
    await Promise.all(transports.splice(0).map(t => t.close()));
    await Promise.all(
        servers.splice(0).map(
            server =>
                new Promise<void>(resolve => {
                    server.closeAllConnections();
                    server.close(() => resolve());
                })
        )
    );
});

async function serve(route: Route): Promise<{ origin: string; seen: Seen[] }> {
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
        const entry: Seen = {
            method: req.method ?? '',
            path: req.url ?? '',
            authorization: req.headers.authorization,
            protocolVersion: req.headers['mcp-protocol-version'] as string | undefined,
            lastEventId: req.headers['last-event-id'] as string | undefined
        };
        seen.push(entry);
        req.resume();
        req.on('end', () => route(req, res, entry));
    });
    servers.push(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const answer = (res: ServerResponse) => {
    res.writeHead(202).end();
};
const redirect = (res: ServerResponse, status: number, location: string) => {
    res.writeHead(status, { location }).end();
};
const PING: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/ping' };

function transport(url: string, options: ConstructorParameters<typeof StreamableHTTPClientTransport>[1] = {}) {
    const t = new StreamableHTTPClientTransport(new URL(url), {
        authProvider: { token: async () => 'secret-token' },
        ...options
    });
    transports.push(t);
    return t;
}

describe('redirectPolicy', () => {
    it('follows a 307 within the origin, with the method, body and token', async () => {
        const { origin, seen } = await serve((req, res) =>
            req.url === '/mcp' ? redirect(res, 307, '/moved') : answer(res)
        );
        await transport(`${origin}/mcp`).send(PING);
        expect(seen.map(s => [s.method, s.path, s.authorization])).toEqual([
            ['POST', '/mcp', 'Bearer secret-token'],
            ['POST', '/moved', 'Bearer secret-token']
        ]);
    });

    it('refuses a redirect to another origin: nothing, and no token, reaches it', async () => {
        const other = await serve((_req, res) => answer(res));
        const { origin } = await serve((_req, res) => redirect(res, 307, `${other.origin}/mcp`));
        const error = await transport(`${origin}/mcp`)
            .send(PING)
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedirectRefusedError);
        expect(error).toMatchObject({ code: 'REDIRECT_REFUSED' });
        expect(other.seen).toEqual([]);
    });

    it('refuses a 302 / 303 that would turn the POST into a GET', async () => {
        for (const status of [301, 302, 303]) {
            const { origin, seen } = await serve((req, res) =>
                req.url === '/mcp' ? redirect(res, status, '/moved') : answer(res)
            );
            const error = await transport(`${origin}/mcp`)
                .send(PING)
                .catch((e: unknown) => e);
            expect(error).toBeInstanceOf(RedirectRefusedError);
            expect(seen).toHaveLength(1);
        }
    });

    it(`stops a redirect loop after ${MAX_REDIRECTS} hops`, async () => {
        const { origin, seen } = await serve((req, res) => redirect(res, 307, req.url === '/a' ? '/b' : '/a'));
        const error = await transport(`${origin}/a`)
            .send(PING)
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedirectRefusedError);
        expect(seen).toHaveLength(MAX_REDIRECTS + 1);
    });

    it("leaves redirects to fetch with 'follow'", async () => {
        const other = await serve((_req, res) => answer(res));
        const { origin } = await serve((_req, res) => redirect(res, 307, `${other.origin}/mcp`));
        await transport(`${origin}/mcp`, { redirectPolicy: 'follow' }).send(PING);
        expect(other.seen.map(s => [s.method, s.path])).toEqual([['POST', '/mcp']]);
    });

    it('refuses an unknown policy at construction', () => {
        expect(
            () => new StreamableHTTPClientTransport(new URL('http://127.0.0.1/'), { redirectPolicy: 'any' as never })
        ).toThrow(InvalidTransportOptionsError);
    });
});

describe('protocolVersion, reconnectionScheduler and resumeStream', () => {
    it('sends the configured protocol version from the first request', async () => {
        const { origin, seen } = await serve((_req, res) => answer(res));
        await transport(`${origin}/mcp`, { protocolVersion: '2025-06-18', sessionId: 'kept' }).send(PING);
        expect(seen[0]?.protocolVersion).toBe('2025-06-18');
    });

    it('resumes a stream from Last-Event-ID and reconnects through the scheduler', async () => {
        let gets = 0;
        const { origin, seen } = await serve((req, res) => {
            if (req.method !== 'GET') return answer(res);
            gets++;
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.end(`id: ev-${gets + 1}\ndata: {"jsonrpc":"2.0","method":"notifications/n${gets}"}\n\n`);
        });
        const scheduled: { delay: number; attempt: number; reconnect: () => void }[] = [];
        const t = transport(`${origin}/mcp`, {
            reconnectionOptions: {
                initialReconnectionDelay: 7,
                maxReconnectionDelay: 50,
                reconnectionDelayGrowFactor: 2,
                maxRetries: 3
            },
            reconnectionScheduler: (reconnect, delay, attempt) => void scheduled.push({ reconnect, delay, attempt })
        });
        const messages: JSONRPCMessage[] = [];
        const tokens: string[] = [];
        t.onmessage = message => void messages.push(message);
        await t.start();
        await t.resumeStream('ev-1', { onresumptiontoken: token => void tokens.push(token) });
        await until(() => scheduled.length === 1, 'the first reconnection to be scheduled');
        expect(seen[0]).toMatchObject({ method: 'GET', lastEventId: 'ev-1' });
        expect(messages).toEqual([{ jsonrpc: '2.0', method: 'notifications/n1' }]);
        expect(tokens).toEqual(['ev-2']);
        expect(scheduled[0]).toMatchObject({ delay: 7, attempt: 0 });
        // Nothing is reconnected until the scheduler says so.
        await new Promise(resolve => setTimeout(resolve, 30));
        expect(seen).toHaveLength(1);
        scheduled[0]!.reconnect();
        await until(() => messages.length === 2, 'the resumed stream');
        expect(seen[1]).toMatchObject({ method: 'GET', lastEventId: 'ev-2' });
    });
});

describe('redirectPolicy on the legacy SSE transport', () => {
    it('refuses a POST redirected to another origin: the message, headers and token stay home', async () => {
        const other = await serve((_req, res) => answer(res));
        const { origin } = await serve((req, res) => {
            if (req.method === 'GET') {
                res.writeHead(200, { 'content-type': 'text/event-stream' });
                res.write('event: endpoint\ndata: /messages\n\n');
                return;
            }
            redirect(res, 307, `${other.origin}/steal`);
        });
        const t = new SSEClientTransport(new URL(`${origin}/sse`), {
            authProvider: { token: async () => 'secret-token' },
            requestInit: { headers: { 'x-api-key': 'APIKEY' } }
        });
        transports.push(t);
        await t.start();
        const error = await t
            .send({
                jsonrpc: '2.0',
                id: 1,
                method: 'tools/call',
                params: { name: 'x', arguments: { password: 'hunter2' } }
            })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedirectRefusedError);
        expect(other.seen).toEqual([]);
    });

    it('refuses a stream GET redirected to another origin', async () => {
        const other = await serve((_req, res) => answer(res));
        const { origin } = await serve((_req, res) => redirect(res, 302, `${other.origin}/sse`));
        const t = new SSEClientTransport(new URL(`${origin}/sse`), {
            requestInit: { headers: { 'x-api-key': 'APIKEY' } }
        });
        transports.push(t);
        await expect(t.start()).rejects.toBeInstanceOf(RedirectRefusedError);
        expect(other.seen).toEqual([]);
    });
});
