/**
 * Errors raised by the server transports, and the HTTP rejections of the Streamable HTTP transport
 * (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Sending Messages to the Server): header checks,
 * bounded body decoding, and the JSON-RPC error bodies it answers with.
 *
 * @module
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { WebRequestView, postHeadersRejection, protocolVersionRejection, toResponse } from './httpExchange.js';
import { errorReply } from './replies.js';
import { decodeMcpPost } from './requestBody.js';

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
    | 'UNKNOWN_EVENT_ID'
    /**
     * A session pool was asked to register a session under an id it already holds, or a session directory to
     * claim an id another instance holds.
     */
    | 'SESSION_ID_IN_USE'
    /** A session directory was given a session id that is empty, longer than 256 or not visible ASCII. */
    | 'INVALID_SESSION_ID'
    /**
     * The session directory could not be reached to claim a new session: raised from `onsessioninitialized`, it
     * makes the transport answer the `initialize` `503` with `Retry-After` (no session is opened).
     */
    | 'SESSION_DIRECTORY_UNAVAILABLE';

/** An error raised by a server transport (Streamable HTTP, stdio), the in-memory event store or a session pool. */
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
export { TRANSPORT_ERROR_CODE } from './replies.js';

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
    return toResponse(errorReply(status, code, message, headers));
}

/**
 * Checks the headers of a POST to the MCP endpoint: `Accept` must list both `application/json` and
 * `text/event-stream` (else 406) and `Content-Type` must be `application/json` (else 415).
 */
export function checkPostHeaders(request: Request): Response | undefined {
    const rejection = postHeadersRejection(new WebRequestView(request));
    return rejection && toResponse(rejection);
}

/** Answers 400 when `MCP-Protocol-Version` is present but not a supported revision (absent is fine). */
export function checkProtocolVersionHeader(request: Request): Response | undefined {
    const rejection = protocolVersionRejection(new WebRequestView(request));
    return rejection && toResponse(rejection);
}

/**
 * Decodes the JSON-RPC message(s) a POST carries, through the one parse the transport and bearer authorization
 * share (a second call for the same `Request` returns the same messages): `Content-Type` must be JSON (415),
 * the body is read within `limit` bytes (413 beyond), parsed as JSON (400 ParseError) and each envelope checked
 * (400 InvalidRequest; an empty batch too). `parsedBody`, when a framework already parsed the body, is used
 * instead of reading it.
 */
export async function decodePostBody(
    request: Request,
    parsedBody: unknown,
    limit: number
): Promise<{ messages: JSONRPCMessage[]; isBatch: boolean } | Response> {
    const decoded = await decodeMcpPost(new WebRequestView(request), { parsedBody, maxBodyBytes: limit });
    return 'messages' in decoded ? { messages: [...decoded.messages], isBatch: decoded.isBatch } : toResponse(decoded);
}
