/**
 * Cancellation and timeouts end to end (MCP 2025-11-25, Basic › Utilities › Cancellation; Basic › Lifecycle ›
 * Timeouts): an aborted or timed-out call rejects at once, the client sends `notifications/cancelled`, the
 * server aborts the handler's `extra.signal`, and no late result reaches the client. Progress can keep a long
 * call alive (`resetTimeoutOnProgress`), up to `maxTotalTimeout`.
 */
import { describe, expect, test } from 'vitest';
import { EmptyResultSchema, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { ConnectedClient, ServedMcp, ServeMode } from './helpers.js';
import { connectClient, deferred, firstText, SERVE_MODES, serveMcp, sleep, useCleanup } from './helpers.js';

const defer = useCleanup();

/** What the server saw of one `slow` call. */
interface SlowCall {
    /** Resolves with the abort reason when the handler's signal aborts. */
    aborted: Promise<unknown>;
    /** Resolves when the handler returned, with whether it had been aborted. */
    finished: Promise<boolean>;
}

interface Setup {
    served: ServedMcp;
    conn: ConnectedClient;
    /** Resolves with the next `slow` call once its handler started. */
    nextSlowCall: () => Promise<SlowCall>;
}

async function setUp(mode: Pick<ServeMode, 'stateless' | 'json'>): Promise<Setup> {
    let started = deferred<SlowCall>();
    const build = () => {
        const server = new McpServer({ name: 'slow-server', version: '1.0.0' });
        server.registerTool('slow', { inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
            const aborted = deferred<unknown>();
            const finished = deferred<boolean>();
            extra.signal.addEventListener('abort', () => aborted.resolve(extra.signal.reason), { once: true });
            started.resolve({ aborted: aborted.promise, finished: finished.promise });
            await sleep(ms, extra.signal);
            finished.resolve(extra.signal.aborted);
            return { content: [{ type: 'text', text: 'late result' }] };
        });
        server.registerTool(
            'ticker',
            { inputSchema: { ticks: z.number(), intervalMs: z.number(), flush: z.boolean().optional() } },
            async ({ ticks, intervalMs, flush }, extra) => {
                const progressToken = extra._meta?.progressToken;
                for (let tick = 1; tick <= ticks && !extra.signal.aborted; tick++) {
                    await sleep(intervalMs, extra.signal);
                    if (progressToken !== undefined && !extra.signal.aborted) {
                        await extra.sendNotification({
                            method: 'notifications/progress',
                            params: { progressToken, progress: tick, total: ticks }
                        });
                    }
                }
                // JSON responses: progress travels on the GET stream; a ping queued behind it flushes it.
                if (flush) await extra.sendRequest({ method: 'ping' }, EmptyResultSchema);
                return { content: [{ type: 'text', text: `ticked ${ticks}` }] };
            }
        );
        return server;
    };
    const served = await serveMcp(build, { mode });
    defer(() => served.close());
    const conn = await connectClient(served.url, defer);
    await conn.standaloneReady;
    return {
        served,
        conn,
        nextSlowCall: async () => {
            const call = await started.promise;
            started = deferred<SlowCall>();
            return call;
        }
    };
}

/** The JSON-RPC id of the last `tools/call` the client POSTed. */
function lastToolCallId(conn: ConnectedClient): unknown {
    const bodies = conn.exchanges.flatMap(e => (e.body === undefined ? [] : [JSON.parse(e.body) as JSONRPCMessage]));
    const call = bodies.filter(m => 'method' in m && m.method === 'tools/call').at(-1);
    return call && 'id' in call ? call.id : undefined;
}

/** The `notifications/cancelled` params the client POSTed. */
function cancellationsSent(conn: ConnectedClient): unknown[] {
    return conn.exchanges
        .flatMap(e => (e.body === undefined ? [] : [JSON.parse(e.body) as JSONRPCMessage]))
        .filter(m => 'method' in m && m.method === 'notifications/cancelled')
        .map(m => (m as { params?: unknown }).params);
}

function responsesTo(conn: ConnectedClient, id: unknown): JSONRPCMessage[] {
    return conn.received.filter(m => 'id' in m && m.id === id && ('result' in m || 'error' in m));
}

describe.each(SERVE_MODES.filter(m => !m.stateless))('$name: cancellation and timeouts', mode => {
    test('aborting a call rejects it, aborts the server handler, and no late result is sent', async () => {
        const { served, conn, nextSlowCall } = await setUp(mode);
        const controller = new AbortController();
        const pending = conn.client.callTool({ name: 'slow', arguments: { ms: 5000 } }, undefined, {
            signal: controller.signal
        });
        const call = await nextSlowCall();
        const reason = new Error('user gave up');
        controller.abort(reason);
        await expect(pending).rejects.toBe(reason);
        expect(await call.aborted).toBe('user gave up');
        expect(await call.finished).toBe(true);
        const id = lastToolCallId(conn);
        expect(cancellationsSent(conn)).toEqual([{ requestId: id, reason: 'user gave up' }]);
        expect(id).toEqual(expect.any(Number));
        // The session still works, and the handler's result never went out.
        await expect(conn.client.callTool({ name: 'ticker', arguments: { ticks: 0, intervalMs: 0 } })).resolves.toEqual(
            { content: [{ type: 'text', text: 'ticked 0' }] }
        );
        expect(responsesTo(conn, id)).toEqual([]);
        expect(conn.errors).toEqual([]);
        expect(served.errors).toEqual([]);
    });

    test('a request timeout rejects with SdkError REQUEST_TIMEOUT and the server sees notifications/cancelled', async () => {
        const { conn, nextSlowCall } = await setUp(mode);
        const pending = conn.client.callTool({ name: 'slow', arguments: { ms: 5000 } }, undefined, { timeout: 100 });
        const call = await nextSlowCall();
        const error = await pending.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SdkError);
        expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
        expect(await call.aborted).toBe('Request tools/call timed out');
        expect(cancellationsSent(conn)).toEqual([
            { requestId: lastToolCallId(conn), reason: 'Request tools/call timed out' }
        ]);
    });

    test('resetTimeoutOnProgress keeps a call alive past its timeout while progress arrives', async () => {
        const { conn } = await setUp(mode);
        // 20 ticks of 20 ms: longer than the 300 ms timeout, with progress 15× more often than it.
        const args = { name: 'ticker', arguments: { ticks: 20, intervalMs: 20, flush: true } };
        const progress: number[] = [];
        const result = await conn.client.callTool(args, undefined, {
            timeout: 300,
            resetTimeoutOnProgress: true,
            onprogress: p => progress.push(p.progress)
        });
        expect(firstText(result)).toBe('ticked 20');
        expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        // The same call without resetting times out.
        await expect(
            conn.client.callTool(args, undefined, { timeout: 300, onprogress: () => {} })
        ).rejects.toMatchObject({ code: SdkErrorCode.RequestTimeout });
    });

    test('maxTotalTimeout caps a call even while progress keeps resetting its timeout', async () => {
        const { conn } = await setUp(mode);
        const error = await conn.client
            .callTool({ name: 'ticker', arguments: { ticks: 100, intervalMs: 20 } }, undefined, {
                timeout: 300,
                resetTimeoutOnProgress: true,
                maxTotalTimeout: 400,
                onprogress: () => {}
            })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SdkError);
        expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
        expect((error as SdkError).message).toMatch(/maximum total timeout/);
        await expect.poll(() => cancellationsSent(conn)).toHaveLength(1);
    });
});

describe.each(SERVE_MODES.filter(m => m.stateless))('$name: cancellation', mode => {
    test('the call rejects at once; the client drops its HTTP exchange, so the per-request server aborts the handler and no late result is sent', async () => {
        const { served, conn, nextSlowCall } = await setUp(mode);
        const controller = new AbortController();
        const pending = conn.client.callTool({ name: 'slow', arguments: { ms: 5000 } }, undefined, {
            signal: controller.signal
        });
        const call = await nextSlowCall();
        controller.abort(new Error('stop'));
        await expect(pending).rejects.toThrow('stop');
        // The notification reaches a fresh server; only the dropped connection can stop this handler.
        expect(await call.aborted).toMatchObject({ code: SdkErrorCode.ConnectionClosed });
        expect(await call.finished).toBe(true);
        await expect.poll(() => cancellationsSent(conn)).toHaveLength(1);
        await conn.client.ping();
        expect(responsesTo(conn, lastToolCallId(conn))).toEqual([]);
        expect(conn.errors).toEqual([]);
        expect(served.errors).toEqual([]);
    });
});

describe('a cancelled request releases its HTTP exchange on the server', () => {
    /** POSTs a message to the session with plain `fetch`, as any client could. */
    function rawPost(conn: ConnectedClient, url: URL, message: object): Promise<Response> {
        return fetch(url, {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                'mcp-session-id': conn.transport.sessionId!,
                'mcp-protocol-version': '2025-11-25'
            },
            body: JSON.stringify(message)
        });
    }

    /** Calls `slow` with a raw POST, then cancels it with another; resolves with the call's HTTP response. */
    async function callThenCancel(setup: Setup): Promise<{ response: Promise<Response>; call: SlowCall }> {
        const { served, conn, nextSlowCall } = setup;
        const response = rawPost(conn, served.url, {
            jsonrpc: '2.0',
            id: 'raw-1',
            method: 'tools/call',
            params: { name: 'slow', arguments: { ms: 5000 } }
        });
        const call = await nextSlowCall();
        const cancel = await rawPost(conn, served.url, {
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: 'raw-1', reason: 'stop' }
        });
        expect(cancel.status).toBe(202);
        return { response, call };
    }

    test('stateful+JSON: the POST of a cancelled tools/call is answered with 202 and no body', async () => {
        const setup = await setUp({ stateless: false, json: true });
        const { response, call } = await callThenCancel(setup);
        expect(await call.aborted).toBe('stop');
        const answer = await response;
        expect(answer.status).toBe(202);
        expect(await answer.text()).toBe('');
        expect(setup.served.errors).toEqual([]);
    });

    test('stateful+SSE: the SSE stream of a cancelled tools/call ends without a response', async () => {
        const setup = await setUp({ stateless: false, json: false });
        const { response, call } = await callThenCancel(setup);
        expect(await call.aborted).toBe('stop');
        const answer = await response;
        expect(answer.headers.get('content-type')).toBe('text/event-stream');
        expect(await answer.text()).toBe('');
        expect(setup.served.errors).toEqual([]);
    });
});
