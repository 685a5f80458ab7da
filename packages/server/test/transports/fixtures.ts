/**
 * Test helpers for the server transports: a tiny echo "protocol", a loopback HTTP server, and an SSE reader.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage, JSONRPCRequest, MessageExtraInfo, Transport } from '@modelcontextprotocol/core';

/** Headers a conforming client sends on POST. */
export const POST_HEADERS = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream'
} as const;

/** An `initialize` request. */
export function initializeRequest(id: number | string = 0, protocolVersion = '2025-11-25'): JSONRPCRequest {
    return {
        jsonrpc: '2.0',
        id,
        method: 'initialize',
        params: { protocolVersion, capabilities: {}, clientInfo: { name: 'test', version: '1' } }
    };
}

/** A request the echo protocol answers with `{ echo: method, params }`. */
export function request(id: number | string, method = 'echo', params: Record<string, unknown> = {}): JSONRPCRequest {
    return { jsonrpc: '2.0', id, method, params };
}

/** What the echo protocol saw. */
export interface EchoLog {
    messages: Array<{ message: JSONRPCMessage; extra: MessageExtraInfo | undefined }>;
}

/**
 * Wires a transport to a minimal protocol: every request is answered on its own stream with
 * `{ echo: method, params }`. Methods with special behaviour:
 * - `ask`: first sends a server→client request `ping` (id `s-<id>`) and a notification, both related to the request;
 * - `hold`: answered only when `release(id)` is called (the returned function);
 * - `close-stream`: calls `extra.closeSSEStream()`, then notifies and answers after `release(id)`.
 */
export function echo(transport: Transport): EchoLog & { release(id: number | string): Promise<void> } {
    const log: EchoLog = { messages: [] };
    const held = new Map<number | string, () => Promise<void>>();
    transport.onmessage = (message, extra) => {
        log.messages.push({ message, extra });
        if (!('method' in message) || !('id' in message)) return;
        const id = message.id;
        const answer = () =>
            transport.send(
                { jsonrpc: '2.0', id, result: { echo: message.method, params: message.params ?? {} } },
                { relatedRequestId: id }
            );
        switch (message.method) {
            case 'ask':
                void (async () => {
                    await transport.send({ jsonrpc: '2.0', id: `s-${id}`, method: 'ping' }, { relatedRequestId: id });
                    await transport.send(
                        { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } },
                        { relatedRequestId: id }
                    );
                    await answer();
                })();
                return;
            case 'hold':
                held.set(id, answer);
                return;
            case 'close-stream':
                extra?.closeSSEStream?.();
                held.set(id, async () => {
                    await transport.send(
                        { jsonrpc: '2.0', method: 'notifications/message', params: { data: 'while away' } },
                        { relatedRequestId: id }
                    );
                    await answer();
                });
                return;
            default:
                void answer();
        }
    };
    return {
        messages: log.messages,
        release: async id => {
            const fn = held.get(id);
            if (!fn) throw new Error(`nothing held for ${id}`);
            held.delete(id);
            await fn();
        }
    };
}

/** A listening loopback HTTP server. */
export interface TestServer {
    url: URL;
    close(): Promise<void>;
}

/** Starts a `node:http` server on 127.0.0.1, port 0. */
export async function listen(handler: Parameters<typeof createServer>[1]): Promise<TestServer> {
    const server: Server = createServer(handler);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: new URL(`http://127.0.0.1:${port}/mcp`),
        close: () =>
            new Promise<void>(resolve => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}

/** One parsed SSE event. */
export interface SseEvent {
    id: string | undefined;
    event: string | undefined;
    data: string;
    retry: string | undefined;
}

/** Reads SSE events from a body as they arrive (a tiny test-only parser: LF line endings, no comments). */
export class SseReader {
    private readonly _reader: ReadableStreamDefaultReader<Uint8Array>;
    private readonly _decoder = new TextDecoder();
    private _buffer = '';
    private _done = false;

    constructor(body: ReadableStream<Uint8Array> | null) {
        if (!body) throw new Error('no body');
        this._reader = body.getReader();
    }

    /** The next event, or `undefined` when the stream ended. */
    async next(): Promise<SseEvent | undefined> {
        for (;;) {
            const end = this._buffer.indexOf('\n\n');
            if (end >= 0) {
                const block = this._buffer.slice(0, end);
                this._buffer = this._buffer.slice(end + 2);
                const event: SseEvent = { id: undefined, event: undefined, data: '', retry: undefined };
                const data: string[] = [];
                for (const line of block.split('\n')) {
                    const colon = line.indexOf(':');
                    const field = line.slice(0, colon);
                    const value = line.slice(colon + 1).replace(/^ /, '');
                    if (field === 'data') data.push(value);
                    else if (field === 'id') event.id = value;
                    else if (field === 'event') event.event = value;
                    else if (field === 'retry') event.retry = value;
                }
                event.data = data.join('\n');
                return event;
            }
            if (this._done) return undefined;
            const { done, value } = await this._reader.read();
            if (done) this._done = true;
            else this._buffer += this._decoder.decode(value, { stream: true });
        }
    }

    /** The next event's data parsed as a JSON-RPC message (skips priming events). */
    async nextMessage(): Promise<JSONRPCMessage | undefined> {
        for (;;) {
            const event = await this.next();
            if (!event) return undefined;
            if (event.data !== '') return JSON.parse(event.data) as JSONRPCMessage;
        }
    }

    /** Every remaining event, until the stream ends. */
    async rest(): Promise<SseEvent[]> {
        const events: SseEvent[] = [];
        for (let event = await this.next(); event; event = await this.next()) events.push(event);
        return events;
    }

    /** Stops reading (disconnects). */
    async cancel(): Promise<void> {
        await this._reader.cancel();
    }
}
