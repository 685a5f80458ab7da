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
import { ErrorCode, SUPPORTED_PROTOCOL_VERSIONS, parseJSONRPCMessage } from '@modelcontextprotocol/core';
import type { JSONRPCMessage, RequestId, RequestInfo } from '@modelcontextprotocol/core';
import type { EventId, StreamId } from './eventStore.js';

/** JSON-RPC error code used for transport-level HTTP rejections (the implementation-defined server error). */
export const TRANSPORT_ERROR_CODE = -32000;

/** What the transport reads of an HTTP request. */
export interface RequestView {
    /** The HTTP method, upper case. */
    readonly method: string;
    /** One header's value (lower-case name; repeated headers joined with `, `), `null` when absent. */
    header(name: string): string | null;
    /** Every header, lower-case names (computed on demand: only handlers that look at it pay for it). */
    headerRecord(): Record<string, string>;
    /** The request URL (computed on demand). */
    url(): URL;
    /** Reads at most `limit` bytes of body as UTF-8: `undefined` when larger; throws on invalid UTF-8. */
    readBody(limit: number): Promise<string | undefined>;
}

/** An answer with a complete body (`null`: none). */
export interface BodyReply {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: string | null;
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
        }
    }
}

/** Formats one SSE `message` event carrying `data` (with `id` when the stream is resumable). */
export function sseEvent(eventId: string | undefined, data: string): string {
    return eventId === undefined
        ? `event: message\ndata: ${data}\n\n`
        : `event: message\nid: ${eventId}\ndata: ${data}\n\n`;
}

/**
 * The reply a Streamable HTTP server gives when it rejects a request: a JSON-RPC error object whose `id` is
 * `null`, as JSON-RPC 2.0 §5 requires when the request id is unknown.
 */
export function errorReply(status: number, code: number, message: string, headers?: Record<string, string>): BodyReply {
    const body = `{"jsonrpc":"2.0","error":{"code":${code},"message":${JSON.stringify(message)}},"id":null}`;
    return { status, headers: { ...headers, 'content-type': 'application/json' }, body };
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes collected body chunks as UTF-8 (throws on invalid UTF-8). */
export function decodeUtf8(chunks: Uint8Array[], size: number): string {
    if (chunks.length === 1) return utf8.decode(chunks[0]);
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return utf8.decode(bytes);
}

/** A {@link RequestView} of a web-standard `Request`. */
export class WebRequestView implements RequestView {
    constructor(private readonly _request: Request) {}

    get method(): string {
        return this._request.method;
    }

    header(name: string): string | null {
        return this._request.headers.get(name);
    }

    headerRecord(): Record<string, string> {
        return Object.fromEntries(this._request.headers);
    }

    url(): URL {
        return new URL(this._request.url);
    }

    async readBody(limit: number): Promise<string | undefined> {
        const declared = this._request.headers.get('content-length');
        if (declared !== null && Number(declared) > limit) return undefined;
        if (!this._request.body) return '';
        const reader = this._request.body.getReader();
        const chunks: Uint8Array[] = [];
        let size = 0;
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            size += value.byteLength;
            if (size > limit) {
                reader.cancel().catch(() => {});
                return undefined;
            }
            chunks.push(value);
        }
        return decodeUtf8(chunks, size);
    }
}

/**
 * The `requestInfo` handlers receive: headers and URL are computed on first access (and then kept), so a
 * call whose handler never looks at them does not pay for copying the headers or parsing the URL.
 */
export function lazyRequestInfo(view: RequestView): RequestInfo {
    let headers: Record<string, string | string[] | undefined> | undefined;
    let url: URL | undefined;
    return {
        get headers() {
            return (headers ??= view.headerRecord());
        },
        set headers(value) {
            headers = value;
        },
        get url() {
            return (url ??= view.url());
        },
        set url(value) {
            url = value;
        }
    };
}

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;

/** `Accept` must list JSON and SSE (else 406) and `Content-Type` must be JSON (else 415). */
export function postHeadersRejection(view: Pick<RequestView, 'header'>): BodyReply | undefined {
    const accept = view.header('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
        return errorReply(
            406,
            TRANSPORT_ERROR_CODE,
            'Not Acceptable: Accept must list both application/json and text/event-stream'
        );
    }
    if (!JSON_CONTENT_TYPE.test(view.header('content-type') ?? '')) {
        return errorReply(415, TRANSPORT_ERROR_CODE, 'Unsupported Media Type: use application/json');
    }
    return undefined;
}

/** 400 when `MCP-Protocol-Version` is present but not a supported revision (absent is fine). */
export function protocolVersionRejection(view: Pick<RequestView, 'header'>): BodyReply | undefined {
    const version = view.header('mcp-protocol-version');
    if (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
    return errorReply(
        400,
        TRANSPORT_ERROR_CODE,
        `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`
    );
}

/** The JSON-RPC message(s) of a POST. */
export interface DecodedBody {
    readonly messages: JSONRPCMessage[];
    readonly isBatch: boolean;
}

/**
 * Decodes the message(s) a POST carries: reads the body within `limit` bytes (413 beyond), parses JSON
 * (400 ParseError) and checks each envelope (400 InvalidRequest; an empty batch too). `parsedBody`, when a
 * framework already parsed the body, is used instead of reading it.
 */
export async function decodeMessages(
    view: Pick<RequestView, 'readBody'>,
    parsedBody: unknown,
    limit: number
): Promise<DecodedBody | BodyReply> {
    let body = parsedBody;
    if (body === undefined) {
        let text: string | undefined;
        try {
            text = await view.readBody(limit);
            if (text !== undefined) body = JSON.parse(text);
        } catch {
            return errorReply(400, ErrorCode.ParseError, 'Parse error: body is not valid JSON');
        }
        if (text === undefined) {
            return errorReply(413, TRANSPORT_ERROR_CODE, `Payload Too Large: body exceeds ${limit} bytes`);
        }
    }
    const isBatch = Array.isArray(body);
    const raw: unknown[] = isBatch ? (body as unknown[]) : [body];
    if (raw.length === 0) return errorReply(400, ErrorCode.InvalidRequest, 'Invalid Request: empty batch');
    try {
        return { messages: raw.map(parseJSONRPCMessage), isBatch };
    } catch (error) {
        return errorReply(400, ErrorCode.InvalidRequest, `Invalid Request: ${(error as Error).message}`);
    }
}
