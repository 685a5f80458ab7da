/**
 * Errors raised by the server transports, and the HTTP rejections of the Streamable HTTP transport
 * (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Sending Messages to the Server): header checks,
 * bounded body decoding, and the JSON-RPC error bodies it answers with.
 *
 * @module
 */
import { ErrorCode, SUPPORTED_PROTOCOL_VERSIONS, parseJSONRPCMessage } from '@modelcontextprotocol/core';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';

/** Stable codes of {@link ServerTransportError}. */
export type ServerTransportErrorCode =
    /** `start()` was called twice. */
    | 'ALREADY_STARTED'
    /** `send()` was called after `close()`. */
    | 'TRANSPORT_CLOSED'
    /** A response was sent for a request id this transport has no open HTTP request for. */
    | 'NO_STREAM_FOR_REQUEST'
    /** The transport options are contradictory or out of range (checked once, at construction). */
    | 'INVALID_OPTIONS'
    /** A line read by the stdio transport is not a JSON-RPC message. */
    | 'INVALID_MESSAGE'
    /** An event store was asked to replay from an event id it does not know. */
    | 'UNKNOWN_EVENT_ID';

/** An error raised by a server transport (Streamable HTTP, stdio) or the in-memory event store. */
export class ServerTransportError extends Error {
    override readonly name = 'ServerTransportError';

    /**
     * @param code - Stable machine-readable code.
     * @param message - Human-readable explanation.
     * @param options - Standard `cause`, carrying the underlying error when there is one.
     */
    constructor(
        readonly code: ServerTransportErrorCode,
        message: string,
        options?: { cause?: unknown }
    ) {
        super(message, options);
    }
}

/** JSON-RPC error code used for transport-level HTTP rejections (the implementation-defined server error). */
export const TRANSPORT_ERROR_CODE = -32000;

/**
 * Builds the HTTP response a Streamable HTTP server gives when it rejects a request at the transport level:
 * a JSON-RPC error object whose `id` is `null`, as JSON-RPC 2.0 §5 requires when the request id is unknown.
 *
 * @param status - The HTTP status code.
 * @param code - The JSON-RPC error code.
 * @param message - The error message.
 * @param headers - Extra response headers (e.g. `Allow`, `Mcp-Session-Id`).
 */
export function jsonRpcErrorResponse(
    status: number,
    code: number,
    message: string,
    headers?: Record<string, string>
): Response {
    const body = `{"jsonrpc":"2.0","error":{"code":${code},"message":${JSON.stringify(message)}},"id":null}`;
    return new Response(body, { status, headers: { ...headers, 'content-type': 'application/json' } });
}

const JSON_CONTENT_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks the headers of a POST to the MCP endpoint: `Accept` must list both `application/json` and
 * `text/event-stream` (else 406) and `Content-Type` must be `application/json` (else 415).
 */
export function checkPostHeaders(request: Request): Response | undefined {
    const accept = request.headers.get('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
        return jsonRpcErrorResponse(
            406,
            TRANSPORT_ERROR_CODE,
            'Not Acceptable: Accept must list both application/json and text/event-stream'
        );
    }
    if (!JSON_CONTENT_TYPE.test(request.headers.get('content-type') ?? '')) {
        return jsonRpcErrorResponse(415, TRANSPORT_ERROR_CODE, 'Unsupported Media Type: use application/json');
    }
    return undefined;
}

/** Answers 400 when `MCP-Protocol-Version` is present but not a supported revision (absent is fine). */
export function checkProtocolVersionHeader(request: Request): Response | undefined {
    const version = request.headers.get('mcp-protocol-version');
    if (version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
    return jsonRpcErrorResponse(
        400,
        TRANSPORT_ERROR_CODE,
        `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`
    );
}

/** Reads at most `limit` bytes of body as UTF-8; `undefined` when larger; throws on invalid UTF-8. */
async function readBody(request: Request, limit: number): Promise<string | undefined> {
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) > limit) return undefined;
    if (!request.body) return '';
    const reader = request.body.getReader();
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
    if (chunks.length === 1) return utf8.decode(chunks[0]);
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return utf8.decode(bytes);
}

/**
 * Decodes the JSON-RPC message(s) a POST carries: reads the body within `limit` bytes (413 beyond), parses
 * JSON (400 ParseError) and checks each envelope (400 InvalidRequest; an empty batch too). `parsedBody`, when
 * a framework already parsed the body, is used instead of reading it.
 */
export async function decodePostBody(
    request: Request,
    parsedBody: unknown,
    limit: number
): Promise<{ messages: JSONRPCMessage[]; isBatch: boolean } | Response> {
    let body = parsedBody;
    if (body === undefined) {
        let text: string | undefined;
        try {
            text = await readBody(request, limit);
            if (text !== undefined) body = JSON.parse(text);
        } catch {
            return jsonRpcErrorResponse(400, ErrorCode.ParseError, 'Parse error: body is not valid JSON');
        }
        if (text === undefined) {
            return jsonRpcErrorResponse(413, TRANSPORT_ERROR_CODE, `Payload Too Large: body exceeds ${limit} bytes`);
        }
    }
    const isBatch = Array.isArray(body);
    const raw: unknown[] = Array.isArray(body) ? body : [body];
    if (raw.length === 0) return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, 'Invalid Request: empty batch');
    try {
        return { messages: raw.map(parseJSONRPCMessage), isBatch };
    } catch (error) {
        return jsonRpcErrorResponse(400, ErrorCode.InvalidRequest, `Invalid Request: ${(error as Error).message}`);
    }
}
