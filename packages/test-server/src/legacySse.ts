/**
 * A minimal server side of the legacy HTTP+SSE transport (MCP 2024-11-05, "HTTP with SSE") for the test server:
 * `GET <sse path>` opens the stream and announces the message endpoint; `POST <messages path>?sessionId=…`
 * delivers one message (202) whose answer goes out on the stream. Enough for integration tests; not hardened.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import type { AuthInfo, JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/core';
import type { RequestHandler } from 'express';

/** One legacy SSE connection: a {@link Transport} writing to the GET response. */
export class LegacySseServerTransport implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    readonly sessionId = randomUUID();
    #closed = false;

    constructor(
        private readonly endpoint: string,
        private readonly res: ServerResponse
    ) {}

    /** Writes the SSE headers and the `endpoint` event. */
    async start(): Promise<void> {
        this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        this.res.write(`event: endpoint\ndata: ${this.endpoint}?sessionId=${this.sessionId}\n\n`);
        this.res.on('close', () => this.#finish());
    }

    /** Sends a message as a `message` event. */
    async send(message: JSONRPCMessage): Promise<void> {
        if (this.#closed) throw new Error('SSE stream closed');
        this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    }

    /** Ends the stream. */
    async close(): Promise<void> {
        this.res.end();
        this.#finish();
    }

    /** Delivers a POSTed message. */
    receive(message: JSONRPCMessage, authInfo: AuthInfo | undefined): void {
        this.onmessage?.(message, authInfo === undefined ? undefined : { authInfo });
    }

    #finish(): void {
        if (this.#closed) return;
        this.#closed = true;
        this.onclose?.();
    }
}

/** What {@link legacySseHandlers} needs of a server. */
interface Connectable {
    connect(transport: Transport): Promise<void>;
    close(): Promise<void>;
}

/**
 * Express handlers for the two legacy endpoints: `stream` for the GET, `messages` for the POSTs (mount
 * `express.json()` and bearer auth before them). `close()` ends every open stream.
 */
export function legacySseHandlers(
    messagesPath: string,
    createServer: () => Connectable
): { stream: RequestHandler; messages: RequestHandler; close(): Promise<void> } {
    const sessions = new Map<string, { transport: LegacySseServerTransport; server: Connectable }>();
    return {
        stream: (_req, res) => {
            const transport = new LegacySseServerTransport(messagesPath, res);
            const server = createServer();
            sessions.set(transport.sessionId, { transport, server });
            transport.onclose = () => {
                sessions.delete(transport.sessionId);
                void server.close().catch(() => {});
            };
            server.connect(transport).catch(() => res.end());
        },
        messages: (req, res) => {
            const session = sessions.get(String(req.query.sessionId ?? ''));
            if (session === undefined) return void res.status(404).json({ error: 'unknown session' });
            res.status(202).end();
            session.transport.receive(req.body as JSONRPCMessage, req.auth);
        },
        close: async () => {
            const open = [...sessions.values()];
            sessions.clear();
            await Promise.allSettled(open.map(session => session.transport.close()));
        }
    };
}
