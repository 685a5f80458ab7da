/**
 * The one parse of an MCP POST body. The scope policy decides on the message this module decodes, and the
 * transport dispatches that same message: the body is read (size-bounded) and parsed once per HTTP request and
 * remembered on the request object, so whichever part comes first — a framework body parser, bearer
 * authorization, the transport — does the reading, and every later part gets the very same decoded value.
 * A POST whose body cannot be decoded (wrong media type, consumed by someone else and not left parsed,
 * too large, not JSON, not JSON-RPC) is refused; it is never treated as a request without a body.
 *
 * @see RFC 9110 §8.3 (Content-Type), §15.5.14 (413), §15.5.16 (415); RFC 8259 §8.1 (UTF-8);
 *   MCP 2025-11-25, Basic › Transports › Streamable HTTP; MCP 2025-06-18 changelog (JSON-RPC batching removed).
 * @module
 */
import {
    concatBytes,
    declaredContentLength,
    ErrorCode,
    isJsonContentType,
    parseJSONRPCMessage,
    parseJsonText,
    readBoundedBytes
} from '@modelcontextprotocol/core';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { TRANSPORT_ERROR_CODE, earlyErrorReply, errorReply } from './replies.js';
import type { BodyReply } from './replies.js';
import { requestSlot } from './requestSlot.js';

/** Default largest request body, in bytes: 4 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The same default under the name the official SDK uses. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = DEFAULT_MAX_BODY_BYTES;
/** Default largest JSON-RPC batch accepted from clients on a revision that has batches (2025-03-26). */
export const DEFAULT_MAX_BATCH_SIZE = 100;
/** The first revision without JSON-RPC batching. */
const BATCHLESS_SINCE = '2025-06-18';

/**
 * True when a protocol revision has no JSON-RPC batching (2025-06-18 and later, and any revision string that
 * sorts after them). `undefined` (no revision known: the spec's default 2025-03-26) allows batches.
 */
export function refusesBatches(protocolVersion: string | null | undefined): boolean {
    return typeof protocolVersion === 'string' && protocolVersion >= BATCHLESS_SINCE;
}

/** How reading a body ended. */
export type BodyRead =
    | { readonly kind: 'complete'; readonly chunks: readonly Uint8Array[]; readonly size: number }
    | { readonly kind: 'too-large' }
    | { readonly kind: 'batch' };

const TOO_LARGE: BodyRead = { kind: 'too-large' };
const BATCH: BodyRead = { kind: 'batch' };

/**
 * Collects body chunks up to a byte limit; optionally stops at the first non-whitespace byte when it opens a JSON
 * array (a batch, where the revision has none), so such a body is refused without reading or parsing the rest.
 */
export class BodyAccumulator {
    private readonly _chunks: Uint8Array[] = [];
    private _size = 0;
    private _lookingForStart: boolean;

    /**
     * @param _limit - Largest accepted size in bytes.
     * @param refuseArray - Stop with `batch` when the JSON text starts with `[`.
     */
    constructor(
        private readonly _limit: number,
        refuseArray: boolean
    ) {
        this._lookingForStart = refuseArray;
    }

    /** Adds a chunk; returns the verdict when reading must stop now, `undefined` to read on. */
    add(chunk: Uint8Array): BodyRead | undefined {
        this._size += chunk.byteLength;
        if (this._size > this._limit) return TOO_LARGE;
        if (this._lookingForStart) {
            for (const byte of chunk) {
                // JSON insignificant whitespace (RFC 8259 §2): SP, HTAB, LF, CR.
                if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
                this._lookingForStart = false;
                if (byte === 0x5b) return BATCH;
                break;
            }
        }
        this._chunks.push(chunk);
        return undefined;
    }

    /** The body, read to its end. */
    finish(): BodyRead {
        return { kind: 'complete', chunks: this._chunks, size: this._size };
    }
}

/** What the one parse needs of an HTTP request; the Node and web-standard request views implement it. */
export interface BodySource {
    /** The object the decoded body is remembered on: the Node `IncomingMessage` or the web `Request`. */
    readonly carrier: object;
    /** One header's value (lower-case name; a repeated header's values joined with `, `), `null` when absent. */
    header(name: string): string | null;
    /** Every value of a header, in order: a header sent twice has two. */
    headerValues(name: string): readonly string[];
    /** True when the body stream was already read by someone else (a framework's body parser). */
    bodyConsumed(): boolean;
    /** What a framework's parser left (`req.body`) once it consumed the body; `undefined` when nothing. */
    frameworkBody(): unknown;
    /** Reads the body through `accumulator` until the body ends or the accumulator stops it. */
    readBody(accumulator: BodyAccumulator): Promise<BodyRead>;
}

/** A request body read and parsed as JSON, once. */
export interface ParsedJsonBody {
    /** The JSON value. */
    readonly value: unknown;
    /** Its size in bytes, when known (a body parsed by a framework reports its `Content-Length`, if any). */
    readonly bytes: number | undefined;
}

/** The outcome of {@link readJsonBody}: the parsed body, or the refusal to answer with. */
export type JsonBodyOutcome =
    { readonly ok: true; readonly body: ParsedJsonBody } | { readonly ok: false; readonly reply: BodyReply };

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions {
    /** Largest body read from the stream, in bytes; larger → 413. Default {@link DEFAULT_MAX_BODY_BYTES}. */
    maxBodyBytes?: number | undefined;
    /** A value a framework already parsed (the official `parsedBody` argument), used when nothing was read yet. */
    parsedBody?: unknown;
}

const parsedBodies = requestSlot<Promise<JsonBodyOutcome>>('mcp.parsedBody');
// `ignoreBOM`: a byte order mark is kept, so JSON.parse refuses it (RFC 8259 §8.1: JSON text has none), and
// the early batch check, which looks at the first byte, cannot be stepped around with one.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes collected body chunks as UTF-8 (throws on invalid UTF-8). */
export function decodeUtf8(chunks: readonly Uint8Array[], size: number): string {
    return utf8.decode(concatBytes(chunks, size));
}

function parseError(): JsonBodyOutcome {
    return { ok: false, reply: errorReply(400, ErrorCode.ParseError, 'Parse error: body is not valid JSON') };
}

function declaredLength(source: BodySource): number | undefined {
    const value = source.header('content-length');
    if (value === null || !/^[0-9]+$/.test(value)) return undefined;
    return Number(value);
}

/**
 * Raw bytes are read as JSON only when nothing but framing encodes them: a `Content-Encoding` other than
 * `identity` is 415 (RFC 9110 §8.4: the server decodes no coding), a transfer coding other than `chunked` is
 * 501 (RFC 9112 §6.1). Otherwise a proxy honouring the coding and this server would see different messages.
 */
function codingRejection(source: BodySource): BodyReply | undefined {
    for (const coding of codings(source.headerValues('content-encoding'))) {
        if (coding !== 'identity') {
            return earlyErrorReply(
                415,
                TRANSPORT_ERROR_CODE,
                `Unsupported Media Type: Content-Encoding ${JSON.stringify(coding)} is not supported`
            );
        }
    }
    for (const coding of codings(source.headerValues('transfer-encoding'))) {
        if (coding !== 'chunked' && coding !== 'identity') {
            return earlyErrorReply(
                501,
                TRANSPORT_ERROR_CODE,
                `Not Implemented: transfer coding ${JSON.stringify(coding)} is not supported`
            );
        }
    }
    return undefined;
}

/** The codings of a repeated, comma-separated coding header, lower case. */
function codings(values: readonly string[]): string[] {
    const out: string[] = [];
    for (const value of values) {
        for (const part of value.split(',')) {
            const coding = part.trim().toLowerCase();
            if (coding !== '') out.push(coding);
        }
    }
    return out;
}

/** A framework's parsed value as JSON: strings and bytes (text / raw parsers) are parsed here. */
function fromFramework(value: unknown, bytes: number | undefined): JsonBodyOutcome {
    try {
        if (typeof value === 'string') return { ok: true, body: { value: parseJsonText(value), bytes } };
        if (value instanceof Uint8Array) {
            return { ok: true, body: { value: parseJsonText(decodeUtf8([value], value.byteLength)), bytes } };
        }
    } catch {
        return parseError();
    }
    return { ok: true, body: { value, bytes } };
}

async function parseJsonBody(source: BodySource, options: ReadJsonBodyOptions): Promise<JsonBodyOutcome> {
    const declared = declaredLength(source);
    if (options.parsedBody !== undefined) return fromFramework(options.parsedBody, declared);
    if (source.bodyConsumed()) {
        const value = source.frameworkBody();
        if (value !== undefined) return fromFramework(value, declared);
        return {
            ok: false,
            reply: errorReply(
                400,
                ErrorCode.InvalidRequest,
                'Invalid Request: the body was consumed before it was decoded'
            )
        };
    }
    const coding = codingRejection(source);
    if (coding) return { ok: false, reply: coding };
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const tooLarge = (): JsonBodyOutcome => ({
        ok: false,
        reply: earlyErrorReply(413, TRANSPORT_ERROR_CODE, `Payload Too Large: body exceeds ${limit} bytes`)
    });
    if (declared !== undefined && declared > limit) return tooLarge();
    const version = source.header('mcp-protocol-version');
    let read: BodyRead;
    try {
        read = await source.readBody(new BodyAccumulator(limit, refusesBatches(version)));
    } catch {
        // The client went away (or the stream failed) before the body ended: nothing to decode.
        return {
            ok: false,
            reply: earlyErrorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: the request body could not be read')
        };
    }
    if (read.kind === 'too-large') return tooLarge();
    if (read.kind === 'batch') {
        const message = `Invalid Request: JSON-RPC batches are not supported in protocol revision ${version}`;
        return { ok: false, reply: earlyErrorReply(400, ErrorCode.InvalidRequest, message) };
    }
    try {
        return { ok: true, body: { value: parseJsonText(decodeUtf8(read.chunks, read.size)), bytes: read.size } };
    } catch {
        return parseError();
    }
}

/**
 * Reads and parses a request's JSON body once: the first call reads (bounded by `maxBodyBytes`, refused early
 * when `Content-Length` says it is too large, stopped at the limit when chunked) or takes what a framework
 * parsed; every later call for the same request returns the same outcome. A body that was consumed by someone
 * else and left nothing parsed is refused (400), never read as empty.
 */
export function readJsonBody(source: BodySource, options: ReadJsonBodyOptions = {}): Promise<JsonBodyOutcome> {
    let outcome = parsedBodies.get(source.carrier);
    if (outcome === undefined) {
        outcome = parseJsonBody(source, options);
        parsedBodies.set(source.carrier, outcome);
    }
    return outcome;
}

/** The JSON-RPC message(s) of a POST, decoded once: what the scope policy saw and the transport dispatches. */
export interface DecodedPost {
    /** The messages, in order; the very objects the scope policy was given. */
    readonly messages: readonly JSONRPCMessage[];
    /** True when the body was a JSON array (a JSON-RPC batch). */
    readonly isBatch: boolean;
    /** The body's size in bytes, when known. */
    readonly bytes: number | undefined;
}

/** Options of {@link decodeMcpPost}. */
export interface DecodeMcpPostOptions extends ReadJsonBodyOptions {
    /** Largest batch accepted, in messages; larger → 400 `-32600`. Default {@link DEFAULT_MAX_BATCH_SIZE}. */
    maxBatchSize?: number | undefined;
}

/** 400 when `Content-Type` is repeated, 415 when it is not strictly JSON (see `isJsonContentType`). */
export function contentTypeRejection(source: Pick<BodySource, 'header' | 'headerValues'>): BodyReply | undefined {
    if (source.headerValues('content-type').length > 1) {
        return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: more than one Content-Type header');
    }
    if (!isJsonContentType(source.header('content-type'))) {
        return errorReply(415, TRANSPORT_ERROR_CODE, 'Unsupported Media Type: use application/json');
    }
    return undefined;
}

const decodedPosts = requestSlot<DecodedPost | BodyReply>('mcp.decodedPost');

function toMessages(body: ParsedJsonBody): DecodedPost | BodyReply {
    const isBatch = Array.isArray(body.value);
    const raw: unknown[] = isBatch ? (body.value as unknown[]) : [body.value];
    if (raw.length === 0) return errorReply(400, ErrorCode.InvalidRequest, 'Invalid Request: empty batch');
    try {
        return { messages: raw.map(parseJSONRPCMessage), isBatch, bytes: body.bytes };
    } catch (error) {
        return errorReply(400, ErrorCode.InvalidRequest, `Invalid Request: ${(error as Error).message}`);
    }
}

/**
 * Decodes the JSON-RPC message(s) of an MCP POST, once per request: exactly one `Content-Type` (else 400) that
 * is JSON (else 415), the body through {@link readJsonBody}, then each envelope checked (400 `-32600` for an
 * empty batch, one larger than `maxBatchSize`, or an element that is not a JSON-RPC message). An explicit
 * `maxBodyBytes` is also checked against a body another part already read under a larger limit.
 */
export async function decodeMcpPost(
    source: BodySource,
    options: DecodeMcpPostOptions = {}
): Promise<DecodedPost | BodyReply> {
    const rejection = contentTypeRejection(source);
    if (rejection) return rejection;
    const outcome = await readJsonBody(source, options);
    if (!outcome.ok) return outcome.reply;
    const body = outcome.body;
    const limit = options.maxBodyBytes;
    if (limit !== undefined && body.bytes !== undefined && body.bytes > limit) {
        return errorReply(413, TRANSPORT_ERROR_CODE, `Payload Too Large: body exceeds ${limit} bytes`);
    }
    const maxBatch = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (Array.isArray(body.value) && body.value.length > maxBatch) {
        return errorReply(400, ErrorCode.InvalidRequest, `Invalid Request: batch exceeds ${maxBatch} messages`);
    }
    let decoded = decodedPosts.get(body);
    if (decoded === undefined) {
        decoded = toMessages(body);
        decodedPosts.set(body, decoded);
    }
    return decoded;
}

/**
 * Reads a web `Request`'s body as UTF-8 text, up to `maxBytes` (default {@link DEFAULT_MAX_REQUEST_BODY_SIZE}): a
 * declared `Content-Length` over the limit is refused before anything is read, and reading stops (the stream is
 * cancelled) as soon as more than the limit has arrived. Stream failures reject.
 */
export async function readRequestBody(
    request: Request,
    maxBytes: number = DEFAULT_MAX_REQUEST_BODY_SIZE
): Promise<{ tooLarge: true } | { tooLarge: false; text: string }> {
    const read = await readBoundedBytes(request.body, maxBytes, {
        declaredLength: declaredContentLength(request.headers)
    });
    if (read.tooLarge) return read;
    // Lenient (invalid sequences become U+FFFD): this returns text to the caller, it does not decide on JSON-RPC.
    return { tooLarge: false, text: new TextDecoder().decode(read.bytes) };
}
