/**
 * `PerRequestHTTPServerTransport` (official v2 name): a transport whose whole life is one HTTP exchange carrying one
 * already-decoded 2026-07-28 message — for code that classifies requests itself (`classifyInboundRequest`) and
 * connects a server per request. The response is one JSON body, or an SSE stream once something comes before the
 * result (`responseMode: 'auto'`), always a stream (`'sse'`), or never (`'json'`: mid-call notifications dropped).
 * `createMcpHandler` and the session routes use the Streamable HTTP transport, which does the same for modern
 * requests; this one is for hand-wired entries.
 *
 * @module
 */
import type {
    AuthInfo,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    MessageClassification,
    MessageExtraInfo,
    RequestId,
    Transport,
    TransportSendOptions
} from '@modelcontextprotocol/core';
import { modernErrorStatus } from './modernExchange.js';
import { ServerTransportError } from './transportErrors.js';

/** How the response of the exchange is shaped. */
export type PerRequestResponseMode = 'auto' | 'sse' | 'json';

/** Options of {@link PerRequestHTTPServerTransport}. */
export interface PerRequestHTTPServerTransportOptions {
    /** The era the message was classified into. */
    classification: MessageClassification;
    /** Default `auto`. */
    responseMode?: PerRequestResponseMode;
    /** SSE keep-alive comment interval in ms (`0`: none). Default 15 000. */
    keepAliveMs?: number;
}

/** What {@link PerRequestHTTPServerTransport.handleMessage} is told about the exchange. */
export interface PerRequestMessageExtra {
    /** The HTTP request (its headers reach handlers as `ctx.http.req`). */
    request?: Request;
    /** The verified token. */
    authInfo?: AuthInfo;
}

const encoder = new TextEncoder();

/** A transport for one HTTP exchange carrying one decoded message (see the module documentation). */
export class PerRequestHTTPServerTransport implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    /** The era the message was classified into. */
    readonly classification: MessageClassification;
    private readonly _mode: PerRequestResponseMode;
    private readonly _keepAliveMs: number;
    private _used = false;
    private _closed = false;
    private _requestId: RequestId | undefined;
    private _settle: ((response: Response) => void) | undefined;
    private _stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    private _keepAlive: ReturnType<typeof setInterval> | undefined;

    constructor(options: PerRequestHTTPServerTransportOptions) {
        this.classification = options.classification;
        this._mode = options.responseMode ?? 'auto';
        this._keepAliveMs = options.keepAliveMs ?? 15_000;
    }

    async start(): Promise<void> {}

    /**
     * Dispatches the message and resolves with the HTTP response: `202` for a notification, else the request's
     * answer as the response mode shapes it.
     *
     * @throws {@link ServerTransportError} `ALREADY_STARTED` when called a second time (one exchange per transport).
     */
    handleMessage(
        message: JSONRPCRequest | JSONRPCNotification,
        extra: PerRequestMessageExtra = {}
    ): Promise<Response> {
        if (this._used) throw new ServerTransportError('ALREADY_STARTED', 'A per-request transport serves one message');
        this._used = true;
        const info: MessageExtraInfo = {};
        if (extra.authInfo !== undefined) info.authInfo = extra.authInfo;
        if (extra.request !== undefined) {
            const request = extra.request;
            info.requestInfo = { headers: Object.fromEntries(request.headers), url: new URL(request.url) };
        }
        if (!('id' in message)) {
            this.onmessage?.(message, info);
            return Promise.resolve(new Response(null, { status: 202 }));
        }
        this._requestId = message.id;
        const answered = new Promise<Response>(resolve => (this._settle = resolve));
        if (this._mode === 'sse') this._openStream();
        this.onmessage?.(message, info);
        return answered;
    }

    async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
        if (this._closed) throw new ServerTransportError('TRANSPORT_CLOSED', 'Transport is closed');
        const isResponse = 'result' in message || 'error' in message;
        if (isResponse && message.id !== this._requestId) {
            throw new ServerTransportError('NO_STREAM_FOR_REQUEST', `No pending request with id ${String(message.id)}`);
        }
        if (!isResponse && options?.relatedRequestId !== this._requestId) return; // nowhere to deliver it
        if (this._stream === undefined && isResponse) {
            const status = 'error' in message ? modernErrorStatus(message.error.code) : 200;
            this._respond(
                new Response(JSON.stringify(message), { status, headers: { 'content-type': 'application/json' } })
            );
            return;
        }
        if (this._stream === undefined) {
            if (this._mode === 'json') return; // mid-call notifications are dropped in JSON mode
            this._openStream();
        }
        this._stream?.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`));
        if (isResponse) this._endStream();
    }

    /** Writes an SSE comment frame (keep-alive), when the response is a stream. */
    writeCommentFrame(comment: string): void {
        this._stream?.enqueue(encoder.encode(`: ${comment.replaceAll(/[\r\n]/g, ' ')}\n\n`));
    }

    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        this._endStream();
        this._respond(new Response(null, { status: 499 }));
        this.onclose?.();
    }

    private _respond(response: Response): void {
        const settle = this._settle;
        this._settle = undefined;
        settle?.(response);
    }

    private _openStream(): void {
        const body = new ReadableStream<Uint8Array>({
            start: controller => {
                this._stream = controller;
            },
            cancel: () => {
                // The client closed the stream: cancellation of the request (2026-07-28).
                this._stream = undefined;
                this._stopKeepAlive();
                if (this._requestId !== undefined) {
                    this.onmessage?.({
                        jsonrpc: '2.0',
                        method: 'notifications/cancelled',
                        params: { requestId: this._requestId, reason: 'The client closed the response stream' }
                    });
                }
            }
        });
        if (this._keepAliveMs > 0)
            this._keepAlive = setInterval(() => this.writeCommentFrame('keep-alive'), this._keepAliveMs);
        this._respond(
            new Response(body, {
                status: 200,
                headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' }
            })
        );
    }

    private _endStream(): void {
        this._stopKeepAlive();
        const stream = this._stream;
        this._stream = undefined;
        try {
            stream?.close();
        } catch {
            // already closed by the client
        }
    }

    private _stopKeepAlive(): void {
        if (this._keepAlive !== undefined) clearInterval(this._keepAlive);
        this._keepAlive = undefined;
    }
}
