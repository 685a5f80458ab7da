/**
 * Errors raised by the client transports, and the one place a received message body is decoded.
 *
 * Every error extends {@link TransportError} and carries a stable string {@link TransportError.code}, so
 * `switch (err.code)` narrows. HTTP responses kept on errors are non-enumerable (they do not show up when an
 * error is logged or serialized).
 *
 * @module
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import {
    declaredContentLength,
    parseJSONRPCMessage,
    parseJsonText,
    readBoundedBytes,
    SdkError
} from '@modelcontextprotocol/core';

/** Every {@link TransportError} code. */
export type TransportErrorCode =
    | 'TRANSPORT_CLOSED'
    | 'CONNECTION_FAILED'
    | 'HTTP_STATUS'
    | 'SESSION_EXPIRED'
    | 'UNSUPPORTED_CONTENT_TYPE'
    | 'INVALID_MESSAGE'
    | 'STREAM_INTERRUPTED'
    | 'RECONNECT_EXHAUSTED'
    | 'SSE_ERROR'
    | 'SSE_ENDPOINT'
    | 'PROCESS_ERROR'
    | 'MESSAGE_TOO_LARGE'
    | 'REDIRECT_REFUSED'
    | 'INVALID_OPTIONS';

/**
 * Base class of every error a client transport raises. It is an `SdkError` (its codes are `SdkErrorCode` values);
 * those caused by an HTTP status carry `{ status, statusText }` in `data`, so `instanceof SdkHttpError` holds for
 * them as it does for the official v2 packages' HTTP errors.
 */
export abstract class TransportError extends SdkError {
    /** Stable, machine-readable error code. */
    declare readonly code: TransportErrorCode;

    protected constructor(code: TransportErrorCode, message: string, options?: ErrorOptions, data?: unknown) {
        super(code, message, data, options);
    }
}

function keepResponse(error: Error, response: Response | undefined): void {
    Object.defineProperty(error, 'response', { value: response, enumerable: false, writable: false });
}

function httpData(status: number, response: Response | undefined): { status: number; statusText?: string } {
    return response?.statusText ? { status, statusText: response.statusText } : { status };
}

/**
 * The server answered with a redirect the transport's `redirectPolicy` does not follow: to another origin, one that
 * would change the request's method, one the runtime hides (a browser's opaque redirect), or too many in a row.
 * The request is not re-sent anywhere; its credentials stay with the origin they were meant for.
 */
export class RedirectRefusedError extends TransportError {
    declare readonly code: 'REDIRECT_REFUSED';
    override readonly name = 'RedirectRefusedError';
    constructor(
        message: string,
        /** The redirect response. */
        response?: Response
    ) {
        super('REDIRECT_REFUSED', message);
        keepResponse(this, response);
    }
}

/** A transport option has a value it cannot use (checked once, in the constructor). */
export class InvalidTransportOptionsError extends TransportError {
    declare readonly code: 'INVALID_OPTIONS';
    override readonly name = 'InvalidTransportOptionsError';
    constructor(message: string, options?: ErrorOptions) {
        super('INVALID_OPTIONS', message, options);
    }
}

/** The transport was closed (or never connected) when a message was sent; also the abort reason on close. */
export class ClientTransportClosedError extends TransportError {
    declare readonly code: 'TRANSPORT_CLOSED';
    override readonly name = 'ClientTransportClosedError';
    constructor(message = 'Transport is closed') {
        super('TRANSPORT_CLOSED', message);
    }
}

/** An HTTP request failed before any response (DNS, refused connection, reset). `cause` holds the fetch error. */
export class ConnectionError extends TransportError {
    declare readonly code: 'CONNECTION_FAILED';
    override readonly name = 'ConnectionError';
    constructor(message: string, options?: ErrorOptions) {
        super('CONNECTION_FAILED', message, options);
    }
}

/**
 * A Streamable HTTP request got a non-2xx status (MCP 2025-11-25, Transports, "Sending Messages to the Server").
 * `body` is the beginning of the response body, for diagnostics; `response` is non-enumerable.
 */
export class StreamableHTTPError extends TransportError {
    declare readonly code: 'HTTP_STATUS';
    override readonly name = 'StreamableHTTPError';
    /** The HTTP response (non-enumerable). */
    declare readonly response: Response | undefined;
    constructor(
        /** HTTP status code. */
        readonly status: number,
        /** The beginning of the response body (at most a few KiB). */
        readonly body: string,
        message: string,
        response?: Response
    ) {
        super('HTTP_STATUS', message, undefined, httpData(status, response));
        keepResponse(this, response);
    }

    /** The HTTP status text, when the response had one. */
    get statusText(): string | undefined {
        return (this.data as { statusText?: string } | undefined)?.statusText;
    }
}

/**
 * The server answered 404 to a request carrying `Mcp-Session-Id`: the session is gone and the client must
 * initialize a new one (MCP 2025-11-25, Transports, "Session Management" item 4). The transport has already
 * forgotten the session id.
 *
 * `afterDispatch` tells the two cases apart: `false` when the 404 answered the request itself (the server never
 * acted on it, so it can be sent again on a new session), `true` when the request had been accepted and the 404
 * answered the resumption of its broken response stream (the server may have acted on it: sending it again could
 * act twice, so `sessionRecovery: 'reinitialize'` does not).
 */
export class SessionExpiredError extends TransportError {
    declare readonly code: 'SESSION_EXPIRED';
    override readonly name = 'SessionExpiredError';
    /** HTTP status (404). */
    readonly status = 404;
    /** The HTTP response (non-enumerable). */
    declare readonly response: Response | undefined;
    /** `true` when the request had been accepted before the session ended (see the class description). */
    readonly afterDispatch: boolean;
    constructor(
        /** The session id the server no longer knows. */
        readonly sessionId: string,
        /** The HTTP response that said so, when there was one. */
        response?: Response,
        /** `afterDispatch`: the request had been accepted before the session ended (default `false`). */
        options?: { afterDispatch?: boolean }
    ) {
        super(
            'SESSION_EXPIRED',
            `Session ${sessionId} expired (HTTP 404); initialize a new session`,
            undefined,
            httpData(404, response)
        );
        this.afterDispatch = options?.afterDispatch ?? false;
        keepResponse(this, response);
    }

    /** The HTTP status text, when the response had one. */
    get statusText(): string | undefined {
        return (this.data as { statusText?: string } | undefined)?.statusText;
    }
}

/** A response carried a `Content-Type` the transport cannot read. */
export class UnsupportedContentTypeError extends TransportError {
    declare readonly code: 'UNSUPPORTED_CONTENT_TYPE';
    override readonly name = 'UnsupportedContentTypeError';
    constructor(
        /** The `Content-Type` received (empty when absent). */
        readonly contentType: string
    ) {
        super(
            'UNSUPPORTED_CONTENT_TYPE',
            `Unsupported response content type: ${contentType === '' ? '(none)' : contentType}`
        );
    }
}

/** A received body or line is not JSON, or not a JSON-RPC 2.0 message; `cause` holds the underlying error. */
export class InvalidMessageError extends TransportError {
    declare readonly code: 'INVALID_MESSAGE';
    override readonly name = 'InvalidMessageError';
    constructor(message: string, options?: ErrorOptions) {
        super('INVALID_MESSAGE', message, options);
    }
}

/**
 * An SSE stream carrying a request's response ended before the response, and the server gave no event id to
 * resume from (MCP 2025-11-25, Transports, "Resumability and Redelivery").
 */
export class StreamInterruptedError extends TransportError {
    declare readonly code: 'STREAM_INTERRUPTED';
    override readonly name = 'StreamInterruptedError';
    constructor(message: string, options?: ErrorOptions) {
        super('STREAM_INTERRUPTED', message, options);
    }
}

/** Reconnecting an SSE stream failed `attempts` times in a row; the transport stopped trying. */
export class ReconnectionExhaustedError extends TransportError {
    declare readonly code: 'RECONNECT_EXHAUSTED';
    override readonly name = 'ReconnectionExhaustedError';
    constructor(
        /** Reconnection attempts made. */
        readonly attempts: number
    ) {
        super('RECONNECT_EXHAUSTED', `SSE stream reconnection gave up after ${attempts} attempt(s)`);
    }
}

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) failed: the stream could not be opened, a POST was refused, or
 * the stream ended. `status` is set when an HTTP status caused it; `response` is non-enumerable.
 */
export class SSEError extends TransportError {
    declare readonly code: 'SSE_ERROR';
    override readonly name = 'SSEError';
    /** The HTTP response (non-enumerable). */
    declare readonly response: Response | undefined;
    constructor(
        message: string,
        /** HTTP status, when one caused the failure. */
        readonly status?: number,
        response?: Response,
        cause?: unknown
    ) {
        super(
            'SSE_ERROR',
            message,
            cause === undefined ? undefined : { cause },
            status === undefined ? undefined : httpData(status, response)
        );
        keepResponse(this, response);
    }

    /** The HTTP status text, when the response had one. */
    get statusText(): string | undefined {
        return (this.data as { statusText?: string } | undefined)?.statusText;
    }
}

/**
 * The legacy `endpoint` event was missing, not a URL, or on another origin than the SSE stream (a hostile server
 * must not redirect the client's POSTs; MCP 2024-11-05, Transports, "HTTP with SSE").
 */
export class SSEEndpointError extends TransportError {
    declare readonly code: 'SSE_ENDPOINT';
    override readonly name = 'SSEEndpointError';
    constructor(message: string, options?: ErrorOptions) {
        super('SSE_ENDPOINT', message, options);
    }
}

/**
 * A JSON response body, or a single SSE event's data, exceeded the transport's `maxMessageBytes`. The transport
 * stopped reading it (the HTTP request is aborted) instead of buffering it, so a hostile or broken server
 * cannot exhaust the client's memory.
 */
export class MessageTooLargeError extends TransportError {
    declare readonly code: 'MESSAGE_TOO_LARGE';
    override readonly name = 'MessageTooLargeError';
    constructor(
        /** The limit that was exceeded, in bytes. */
        readonly limit: number
    ) {
        super('MESSAGE_TOO_LARGE', `Received a message larger than the limit of ${limit} bytes; stopped reading it`);
    }
}

/** The stdio child process could not be spawned or failed. `cause` holds the system error. */
export class ProcessError extends TransportError {
    declare readonly code: 'PROCESS_ERROR';
    override readonly name = 'ProcessError';
    constructor(message: string, options?: ErrorOptions) {
        super('PROCESS_ERROR', message, options);
    }
}

/**
 * Decodes one JSON text into a JSON-RPC message.
 *
 * @throws {@link InvalidMessageError} when the text is not JSON or not a JSON-RPC 2.0 message.
 */
export function decodeMessage(text: string): JSONRPCMessage {
    let value: unknown;
    try {
        value = parseJsonText(text);
    } catch (cause) {
        throw new InvalidMessageError(`Received invalid JSON: ${snippet(text)}`, { cause });
    }
    try {
        return parseJSONRPCMessage(value);
    } catch (cause) {
        throw new InvalidMessageError(`Received a non-JSON-RPC message: ${(cause as Error).message}`, { cause });
    }
}

/**
 * Decodes a JSON body holding one message or a batch (array) of messages. All or nothing: one bad element
 * rejects the whole body.
 *
 * @throws {@link InvalidMessageError}
 */
export function decodeMessages(text: string): JSONRPCMessage[] {
    let value: unknown;
    try {
        value = parseJsonText(text);
    } catch (cause) {
        throw new InvalidMessageError(`Received invalid JSON: ${snippet(text)}`, { cause });
    }
    try {
        return Array.isArray(value) ? value.map(parseJSONRPCMessage) : [parseJSONRPCMessage(value)];
    } catch (cause) {
        throw new InvalidMessageError(`Received a non-JSON-RPC message: ${(cause as Error).message}`, { cause });
    }
}

function snippet(text: string): string {
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Default `maxMessageBytes` of the HTTP client transports: 4 MiB, the server transport's body limit too. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Checks a `maxMessageBytes` option once, at construction.
 *
 * @throws RangeError when it is not an integer >= 1.
 */
export function checkMaxMessageBytes(value: number | undefined): number {
    if (value === undefined) return DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isInteger(value) || value < 1)
        throw new InvalidTransportOptionsError(`maxMessageBytes must be an integer >= 1`);
    return value;
}

/**
 * Reads a whole response body as UTF-8 text, refusing one over `maxBytes`: a larger `Content-Length` is refused
 * before reading, and an undeclared body as soon as it grows past the limit. Either way the body is cancelled.
 *
 * @throws {@link MessageTooLargeError} when the body exceeds `maxBytes`.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
    const read = await readBoundedBytes(response.body, maxBytes, {
        declaredLength: declaredContentLength(response.headers)
    });
    if (read.tooLarge) throw new MessageTooLargeError(maxBytes);
    return new TextDecoder().decode(read.bytes);
}

const BODY_SNIPPET_BYTES = 2048;

/** Reads at most a few KiB of a response body for an error message, then releases the rest. Never throws. */
export async function readBodySnippet(response: Response): Promise<string> {
    const body = response.body;
    if (body === null) return '';
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
        while (text.length < BODY_SNIPPET_BYTES) {
            const { done, value } = await reader.read();
            if (done) break;
            text += decoder.decode(value, { stream: true });
        }
        text += decoder.decode();
    } catch {
        // A body that fails mid-way still yields what was read.
    } finally {
        reader.cancel().catch(() => {});
    }
    return text.length > BODY_SNIPPET_BYTES ? text.slice(0, BODY_SNIPPET_BYTES) : text;
}
