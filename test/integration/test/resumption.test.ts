/**
 * Resumability and SSE polling (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Resumability and
 * Redelivery): a tool closes its own response stream mid-way with `extra.closeSSEStream()`; our client
 * reconnects with `Last-Event-ID`, is sent what it missed from the `InMemoryEventStore`, then follows the live
 * stream to the result — every event exactly once.
 */
import { describe, expect, test } from 'vitest';
import type { JSONRPCMessage, Progress } from '@modelcontextprotocol/client';
import { InMemoryEventStore, McpServer } from '@modelcontextprotocol/server';
import type { EventId, StreamId } from '@modelcontextprotocol/server';
import type { RequestHandlerExtra } from '@modelcontextprotocol/core';
import * as z from 'zod';
import { connectClient, deferred, firstText, serveMcp, useCleanup } from './helpers.js';

const defer = useCleanup();

/** Counts what the transport replays to reconnecting clients. */
class CountingEventStore extends InMemoryEventStore {
    replayed = 0;
    /** Called after each message is stored. */
    onstored: ((message: JSONRPCMessage) => void) | undefined;

    override async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
        const eventId = await super.storeEvent(streamId, message);
        this.onstored?.(message);
        return eventId;
    }

    override replayEventsAfter(
        lastEventId: EventId,
        sink: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }
    ): Promise<StreamId> {
        return super.replayEventsAfter(lastEventId, {
            send: (eventId, message) => {
                this.replayed++;
                return sink.send(eventId, message);
            }
        });
    }
}

/** One progress notification and one log message per step, about the current request. */
async function emitSteps(extra: RequestHandlerExtra, from: number, to: number): Promise<void> {
    const progressToken = extra._meta?.progressToken;
    if (progressToken === undefined) throw new Error('the client sent no progress token');
    for (let step = from; step <= to; step++) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step } });
        await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: step } });
    }
}

interface Scenario {
    /** Resolves when the client may reconnect (its resuming GET is held until then). */
    readonly mayReconnect: Promise<void>;
    /** Resolves once the resuming GET was answered (replay written, stream attached). */
    readonly resumed: Promise<void>;
}

async function setUp(tool: (extra: RequestHandlerExtra, scenario: Scenario) => Promise<void>) {
    const store = new CountingEventStore();
    const mayReconnect = deferred();
    const resumed = deferred();
    const scenario: Scenario = { mayReconnect: mayReconnect.promise, resumed: resumed.promise };
    const build = () => {
        const server = new McpServer({ name: 'resumable', version: '1.0.0' }, { capabilities: { logging: {} } });
        server.registerTool('stream', { inputSchema: { label: z.string() } }, async ({ label }, extra) => {
            await tool(extra, scenario);
            return { content: [{ type: 'text', text: `finished ${label}` }] };
        });
        return server;
    };
    const served = await serveMcp(build, {
        mode: { stateless: false, json: false },
        transportOptions: { eventStore: store, retryInterval: 5 }
    });
    defer(() => served.close());
    const logs: unknown[] = [];
    const conn = await connectClient(served.url, defer, {
        gate: async (method, headers) => {
            if (method === 'GET' && headers.has('last-event-id')) await scenario.mayReconnect;
        },
        onExchange: exchange => {
            if (exchange.method === 'GET' && exchange.headers.has('last-event-id')) resumed.resolve();
        },
        setup: client => client.setNotificationHandler('notifications/message', n => void logs.push(n.params.data))
    });
    return { store, served, conn, logs, mayReconnect };
}

describe('resumption after the server closes the SSE stream (SSE polling)', () => {
    test('events sent before, during and after the disconnection, and the result, each arrive exactly once', async () => {
        const { store, served, conn, logs, mayReconnect } = await setUp(async (extra, scenario) => {
            if (!extra.closeSSEStream) throw new Error('closeSSEStream is not offered');
            await emitSteps(extra, 1, 3); // live on the POST stream
            extra.closeSSEStream();
            await emitSteps(extra, 4, 6); // stored while the client is away
            mayReconnect.resolve();
            await scenario.resumed;
            await emitSteps(extra, 7, 9); // live on the resumed stream
        });
        const progress: Progress[] = [];
        const tokens: string[] = [];
        const result = await conn.client.callTool({ name: 'stream', arguments: { label: 'A' } }, undefined, {
            onprogress: p => progress.push(p),
            onresumptiontoken: token => tokens.push(token)
        });

        expect(firstText(result)).toBe('finished A');
        const steps = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        expect(progress.map(p => p.progress)).toEqual(steps);
        expect(logs).toEqual(steps);
        expect(store.replayed).toBe(6); // steps 4–6: a progress and a log each
        const resumes = conn.exchanges.filter(e => e.method === 'GET' && e.headers.has('last-event-id'));
        expect(resumes).toHaveLength(1);
        expect(resumes[0]!.status).toBe(200);
        // The client resumed from the last event it had seen: step 3's log message.
        expect(resumes[0]!.headers.get('last-event-id')).toBe(tokens[6]);
        expect(new Set(tokens).size).toBe(tokens.length);
        expect(conn.errors).toEqual([]);
        expect(served.errors).toEqual([]);
    });

    test('a result produced while the client is disconnected is delivered by the replay', async () => {
        const { store, conn, logs, mayReconnect } = await setUp(async extra => {
            await emitSteps(extra, 1, 2);
            extra.closeSSEStream!();
            await emitSteps(extra, 3, 4);
        });
        // The client may come back once the result is stored.
        store.onstored = message => {
            if ('result' in message) mayReconnect.resolve();
        };
        const progress: number[] = [];
        const result = await conn.client.callTool({ name: 'stream', arguments: { label: 'B' } }, undefined, {
            onprogress: p => progress.push(p.progress)
        });
        expect(firstText(result)).toBe('finished B');
        expect(progress).toEqual([1, 2, 3, 4]);
        expect(logs).toEqual([1, 2, 3, 4]);
        expect(store.replayed).toBe(5); // steps 3–4 and the response
        // The session is still usable afterwards.
        await expect(conn.client.ping()).resolves.toEqual({});
        expect(conn.errors).toEqual([]);
    });
});
