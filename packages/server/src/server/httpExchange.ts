/**
 * The framework-neutral view of one HTTP exchange that the Streamable HTTP server transport works on
 * (MCP 2025-11-25, Basic › Transports › Streamable HTTP): a {@link RequestView} it reads, and a {@link Reply}
 * it answers with — a status, headers, and either a complete body or an {@link SseWriter} that streams events.
 *
 * Keeping web `Request` / `Response` out of the transport's core lets the Node adapter serve a call without
 * building either: it reads the body with Node APIs and writes each reply with as few socket writes as it can.
 * The web-standard entry point converts with {@link WebRequestView} and {@link toResponse}.
 *
 * @module
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/core';
import type { JSONRPCMessage, RequestId, RequestInfo } from '@modelcontextprotocol/core';
import type { EventId, StreamId } from './eventStore.js';
import { TRANSPORT_ERROR_CODE, errorReply } from './replies.js';
import type { BodyReply } from './replies.js';
import { contentTypeRejection } from './requestBody.js';
import type { BodyAccumulator, BodyRead, BodySource } from './requestBody.js';

/** What the transport reads of an HTTP request (its body through the one parse, `requestBody.ts`). */
export interface RequestView extends BodySource {
    /** The HTTP method, upper case. */
    readonly method: string;
    /** Every header, lower-case names (computed on demand: only handlers that look at it pay for it). */
    headerRecord(): Record<string, string>;
    /** The request URL (computed on demand). */
    url(): URL;
}

/** An answer whose body is an SSE stream, written through {@link SseReply.sse}. */
export interface SseReply {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly sse: SseWriter;
}

/** The transport's answer to one HTTP request. */
export type Reply = BodyReply | SseReply;

/** Where an {@link SseWriter} sends its text once a connection is attached. */
export interface SseSink {
    write(text: string): void;
    end(): void;
}

/** A serialised event waiting to be written. */
export interface HeldEvent {
    eventId: EventId | undefined;
    data: string;
}

/** One SSE stream (a POST's, or the standalone GET one) or, in JSON mode, one POST awaiting its responses. */
export interface StreamState {
    readonly id: StreamId;
    /** Writer of the connected client's body; `undefined` while no client is attached. */
    writer: SseWriter | undefined;
    /** Request ids still awaiting a response (POST streams; empty for the standalone stream). */
    readonly pending: Set<RequestId>;
    /** While a reconnecting client is being replayed to, live events wait here. */
    held: HeldEvent[] | undefined;
    /** JSON-response mode: the responses so far and the resolver of the HTTP response. */
    readonly json: { responses: JSONRPCMessage[]; resolve: () => void } | undefined;
    /**
     * A modern request's stream before its first message: that message decides the answer (the response alone:
     * one JSON body with its status; anything else first: an SSE stream). Cleared once called.
     */
    lazy?: ((message: JSONRPCMessage) => void) | undefined;
    /** A modern request's stream: its events are never stored (modern streams are not resumable). */
    modern?: boolean;
    /** Called when the client goes away (a modern stream's requests are then cancelled). */
    onClientGone?: (() => void) | undefined;
}

/** One client connection attached to a stream by a resume. */
export interface Attachment {
    readonly stream: StreamState;
    readonly writer: SseWriter;
    readonly reply: SseReply;
}

/** Writes to the attachment's connection unless it was cancelled or replaced. */
export function writeIfAttached(target: Attachment, eventId: EventId | undefined, data: string): void {
    if (target.stream.writer === target.writer) target.writer.write(sseEvent(eventId, data));
}

/**
 * The writer of one SSE response body of a stream. Text written before a connection is attached is kept and
 * handed over on {@link SseWriter.attach}; after {@link SseWriter.end} or a client disconnect
 * ({@link SseWriter.cancel}) writes are ignored.
 */
export class SseWriter {
    private _buffered = '';
    private _sink: SseSink | undefined;
    private _ended = false;

    /** @param stream - The stream this writer is the connection of. */
    constructor(private readonly _stream: StreamState) {}

    /** True once ended or cancelled. */
    get ended(): boolean {
        return this._ended;
    }

    /** Writes SSE text (one or more complete events). */
    write(text: string): void {
        if (this._ended) return;
        if (this._sink) this._sink.write(text);
        else this._buffered += text;
    }

    /** Ends the body. */
    end(): void {
        if (this._ended) return;
        this._ended = true;
        this._sink?.end();
    }

    /**
     * Connects the writer to a connection. Returns the text written so far, which the caller sends first;
     * when {@link ended} is already true the caller then ends the connection itself.
     */
    attach(sink: SseSink): string {
        this._sink = sink;
        const text = this._buffered;
        this._buffered = '';
        return text;
    }

    /**
     * The client went away: later writes are dropped, and the stream forgets this connection unless a newer
     * one replaced it already (its state survives for a later resume).
     */
    cancel(): void {
        if (this._ended) return;
        this._ended = true;
        this._sink = undefined;
        const stream = this._stream;
        if (stream.writer === this) {
            stream.writer = undefined;
            stream.held = undefined;
            stream.onClientGone?.();
        }
    }
}

/** Formats one SSE `message` event carrying `data` (with `id` when the stream is resumable). */
export function sseEvent(eventId: string | undefined, data: string): string {
    return eventId === undefined
        ? `event: message\ndata: ${data}\n\n`
        : `event: message\nid: ${eventId}\ndata: ${data}\n\n`;
}

const encoder = new TextEncoder();

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>): void {
    try {
        controller.close();
    } catch {
        // already closed or cancelled by the client
    }
}

/** Converts a reply to a web `Response` (an SSE reply's body streams as the writer writes). */
export function toResponse(reply: Reply): Response {
    if (!('sse' in reply)) return new Response(reply.body, { status: reply.status, headers: reply.headers });
    const writer = reply.sse;
    const body = new ReadableStream<Uint8Array>({
        start(controller) {
            const text = writer.attach({
                write: chunk => controller.enqueue(encoder.encode(chunk)),
                end: () => closeQuietly(controller)
            });
            if (text) controller.enqueue(encoder.encode(text));
            if (writer.ended) closeQuietly(controller);
        },
        cancel() {
            writer.cancel();
        }
    });
    return new Response(body, { status: reply.status, headers: reply.headers });
}

/** A {@link RequestView} of a web-standard `Request`. */
export class WebRequestView implements RequestView {
    constructor(private readonly _request: Request) {}

    get carrier(): object {
        return this._request;
    }

    get method(): string {
        return this._request.method;
    }

    header(name: string): string | null {
        return this._request.headers.get(name);
    }

    /** Web `Headers` join a repeated header into one value, so at most one value is seen here. */
    headerValues(name: string): readonly string[] {
        const value = this._request.headers.get(name);
        return value === null ? [] : [value];
    }

    headerRecord(): Record<string, string> {
        return Object.fromEntries(this._request.headers);
    }

    url(): URL {
        return new URL(this._request.url);
    }

    bodyConsumed(): boolean {
        return this._request.bodyUsed;
    }

    frameworkBody(): unknown {
        return undefined;
    }

    async readBody(accumulator: BodyAccumulator): Promise<BodyRead> {
        if (!this._request.body) return accumulator.finish();
        const reader = this._request.body.getReader();
        for (;;) {
            const { done, value } = await reader.read();
            if (done) return accumulator.finish();
            const verdict = accumulator.add(value);
            if (verdict) {
                // Stop reading but do not cancel: on Node bridges a cancel destroys the socket before the refusal
                // can be sent. The refusal says `Connection: close`, which ends the rest of the body.
                reader.releaseLock();
                return verdict;
            }
        }
    }
}

const REQUEST_INFO_STATE = Symbol('mcp.requestInfo');

interface RequestInfoState {
    readonly view: RequestView;
    headers: RequestInfo['headers'] | undefined;
    url: URL | undefined;
}

type WithRequestInfoState = { readonly [REQUEST_INFO_STATE]: RequestInfoState };

/**
 * `headers` and `url` of a `requestInfo`: own enumerable accessors (as on a plain object) whose getters and setters
 * are defined once and shared. Per-call getters in an object literal would give each request's object a hidden
 * class of its own, which keeps the request alive until a full GC.
 */
const REQUEST_INFO_ACCESSORS: PropertyDescriptorMap = {
    headers: {
        get(this: WithRequestInfoState): RequestInfo['headers'] {
            const state = this[REQUEST_INFO_STATE];
            return (state.headers ??= state.view.headerRecord());
        },
        set(this: WithRequestInfoState, value: RequestInfo['headers']) {
            this[REQUEST_INFO_STATE].headers = value;
        },
        enumerable: true,
        configurable: true
    },
    url: {
        get(this: WithRequestInfoState): URL {
            const state = this[REQUEST_INFO_STATE];
            return (state.url ??= state.view.url());
        },
        set(this: WithRequestInfoState, value: URL) {
            this[REQUEST_INFO_STATE].url = value;
        },
        enumerable: true,
        configurable: true
    }
};

/**
 * The `requestInfo` handlers receive: headers and URL are computed on first access (and then kept), so a call
 * whose handler never looks at them does not pay for copying the headers or parsing the URL.
 */
export function lazyRequestInfo(view: RequestView): RequestInfo {
    const info = {};
    const state: RequestInfoState = { view, headers: undefined, url: undefined };
    Object.defineProperty(info, REQUEST_INFO_STATE, { value: state });
    return Object.defineProperties(info, REQUEST_INFO_ACCESSORS) as RequestInfo;
}

/**
 * `Accept` must list JSON and SSE (else 406); `Content-Type` must be exactly one JSON media type (400 when
 * repeated, 415 otherwise).
 */
export function postHeadersRejection(view: Pick<RequestView, 'header' | 'headerValues'>): BodyReply | undefined {
    const accept = view.header('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
        return errorReply(
            406,
            TRANSPORT_ERROR_CODE,
            'Not Acceptable: Accept must list both application/json and text/event-stream'
        );
    }
    return contentTypeRejection(view);
}

/**
 * 400 when `MCP-Protocol-Version` is repeated, or present but not a supported revision (absent is fine: the
 * transport then assumes the negotiated revision).
 */
export function protocolVersionRejection(
    view: Pick<RequestView, 'header' | 'headerValues'>,
    supported: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS
): BodyReply | undefined {
    if (view.headerValues('mcp-protocol-version').length > 1) {
        return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: more than one MCP-Protocol-Version header');
    }
    const version = view.header('mcp-protocol-version');
    if (version === null || supported.includes(version)) return undefined;
    return errorReply(
        400,
        TRANSPORT_ERROR_CODE,
        `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)} (supported: ${supported.join(', ')})`
    );
}
