/**
 * Errors a caller of the core may catch, in the official v2 SDK's two families:
 * - {@link ProtocolError}: a JSON-RPC error (numeric `code` from {@link ProtocolErrorCode}, optional `data`),
 *   received from the peer or thrown by a handler (its code, message and data are then sent to the peer
 *   unchanged). {@link McpError} is the same family under its v1 name: every `McpError` is a `ProtocolError`.
 * - {@link SdkError}: local errors with a stable string `code` ({@link SdkErrorCode}) — not connected, a request
 *   that timed out or whose connection closed, a result that does not match its schema — never sent on the wire.
 *
 * @see https://www.jsonrpc.org/specification#error_object
 * @module
 */
import { ErrorCode } from './types/constants.js';
import type { ElicitRequestURLParams } from './types/elicitation.js';
import type { ClientCapabilities } from './types/initialize.js';
import type { JSONRPCErrorObject } from './types/jsonrpc.js';

/** The JSON-RPC error codes MCP uses (official v2 name; {@link ErrorCode} holds the same values and more). */
export const ProtocolErrorCode = {
    /** JSON-RPC: invalid JSON was received. */
    ParseError: -32700,
    /** JSON-RPC: the JSON sent is not a valid request object. */
    InvalidRequest: -32600,
    /** JSON-RPC: the method does not exist or is not available. */
    MethodNotFound: -32601,
    /** JSON-RPC: invalid method parameters. */
    InvalidParams: -32602,
    /** JSON-RPC: internal error. */
    InternalError: -32603,
    /** MCP: the requested resource does not exist. */
    ResourceNotFound: -32002,
    /** MCP 2026-07-28 (this SDK's addition to the enum): HTTP headers do not match the body. */
    HeaderMismatch: -32020,
    /** MCP 2026-07-28: the client lacks a capability the request needs. */
    MissingRequiredClientCapability: -32021,
    /** MCP 2026-07-28: the protocol version is not supported. */
    UnsupportedProtocolVersion: -32022,
    /** MCP: URL-mode elicitation is required before the request can proceed. */
    UrlElicitationRequired: -32042
} as const;
/** A value of {@link ProtocolErrorCode}. */
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/** A JSON-RPC error: received in an error response, or thrown by a handler to answer with its code. */
export class ProtocolError extends Error {
    override name = 'ProtocolError';
    /** The JSON-RPC error code (see {@link ProtocolErrorCode}). */
    readonly code: number;
    /** Additional error information from the error object. */
    readonly data?: unknown;

    constructor(code: number, message: string, data?: unknown, options?: ErrorOptions) {
        super(message, options);
        this.code = code;
        if (data !== undefined) this.data = data;
    }

    /** True when `value` is a {@link ProtocolError} (or a subclass, when called on one). */
    static isInstance<T extends abstract new (...args: never[]) => unknown>(
        this: T,
        value: unknown
    ): value is InstanceType<T> {
        return value instanceof this;
    }

    /**
     * Builds the most specific error for a JSON-RPC error: a {@link UrlElicitationRequiredError} for `-32042`
     * with well-formed `data.elicitations`, else an {@link McpError}. Takes the error object, or (v2 shape) its
     * code, message and data.
     */
    static fromError(errorOrCode: JSONRPCErrorObject | number, message?: string, data?: unknown): McpError {
        const error: JSONRPCErrorObject =
            typeof errorOrCode === 'number'
                ? { code: errorOrCode, message: message ?? '', ...(data === undefined ? {} : { data }) }
                : errorOrCode;
        if (error.code === ErrorCode.UrlElicitationRequired) {
            const elicitations = readElicitations(error.data);
            if (elicitations) return new UrlElicitationRequiredError(elicitations, error.message);
        }
        if (error.code === ProtocolErrorCode.UnsupportedProtocolVersion && isVersionData(error.data)) {
            return new UnsupportedProtocolVersionError(error.data, error.message);
        }
        if (error.code === ProtocolErrorCode.MissingRequiredClientCapability && isCapabilityData(error.data)) {
            return new MissingRequiredClientCapabilityError(error.data, error.message);
        }
        return new McpError(error.code, error.message, error.data);
    }

    /** The JSON-RPC error object to send for this error. */
    toJSONRPCError(): JSONRPCErrorObject {
        return this.data === undefined
            ? { code: this.code, message: this.message }
            : { code: this.code, message: this.message, data: this.data };
    }
}

/**
 * A `completion/complete` request's `ref` was not of the type a handler expected (thrown by
 * `assertCompleteRequestPrompt` / `assertCompleteRequestResourceTemplate`); answered as `-32602` Invalid Params.
 */
export class CompletionReferenceError extends ProtocolError {
    override name = 'CompletionReferenceError';
    constructor(
        /** The reference type that was expected. */
        readonly expected: string,
        /** The reference type the request carried. */
        readonly actual: string
    ) {
        super(ProtocolErrorCode.InvalidParams, `Expected a completion reference of type ${expected}, got ${actual}`);
    }
}

/** A {@link ProtocolError} under its v1 name: what received error responses are raised as. */
export class McpError extends ProtocolError {
    override name = 'McpError';
}

/** A resource that does not exist (`-32002`, MCP 2025-11-25 Resources › Error Handling). */
export class ResourceNotFoundError extends ProtocolError {
    override name = 'ResourceNotFoundError';
    constructor(uri: string, message = `Resource ${uri} not found`) {
        super(ProtocolErrorCode.ResourceNotFound, message, { uri });
    }

    /** The URI that was not found. */
    get uri(): string {
        return (this.data as { uri: string }).uri;
    }
}

function readElicitations(data: unknown): ElicitRequestURLParams[] | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const list = (data as { elicitations?: unknown }).elicitations;
    if (!Array.isArray(list)) return undefined;
    for (const item of list) {
        if (typeof item !== 'object' || item === null) return undefined;
        const { mode, elicitationId, url, message } = item as Record<string, unknown>;
        if (mode !== 'url' || typeof elicitationId !== 'string' || typeof url !== 'string') return undefined;
        if (typeof message !== 'string') return undefined;
    }
    return list as ElicitRequestURLParams[];
}

/**
 * The server cannot proceed until the user completes one or more URL-mode elicitations (`-32042`).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#url-elicitation-required-error
 */
export class UrlElicitationRequiredError extends McpError {
    override name = 'UrlElicitationRequiredError';
    /** The URL-mode elicitations the user must complete. */
    readonly elicitations: ElicitRequestURLParams[];

    constructor(elicitations: ElicitRequestURLParams[], message = 'URL elicitation required') {
        super(ErrorCode.UrlElicitationRequired, message, { elicitations });
        this.elicitations = elicitations;
    }
}

/** The `data` of an {@link UnsupportedProtocolVersionError}. */
export interface UnsupportedProtocolVersionErrorData {
    /** The versions the server supports. */
    supported: string[];
    /** The version the request asked for. */
    requested: string;
}

function isVersionData(data: unknown): data is UnsupportedProtocolVersionErrorData {
    if (typeof data !== 'object' || data === null) return false;
    const { supported, requested } = data as Record<string, unknown>;
    return Array.isArray(supported) && supported.every(v => typeof v === 'string') && typeof requested === 'string';
}

/**
 * The request's protocol version is not one the server supports (`-32022`, MCP 2026-07-28 Versioning); `supported`
 * lists the versions to retry with. On HTTP it comes with status 400.
 */
export class UnsupportedProtocolVersionError extends McpError {
    override name = 'UnsupportedProtocolVersionError';
    declare readonly data: UnsupportedProtocolVersionErrorData;

    constructor(data: UnsupportedProtocolVersionErrorData, message = 'Unsupported protocol version') {
        super(ProtocolErrorCode.UnsupportedProtocolVersion, message, data);
    }

    /** The versions the server supports. */
    get supported(): string[] {
        return this.data.supported;
    }

    /** The version the request asked for. */
    get requested(): string {
        return this.data.requested;
    }
}

/** The `data` of a {@link MissingRequiredClientCapabilityError}. */
export interface MissingRequiredClientCapabilityErrorData {
    /** The client capabilities the request needs. */
    requiredCapabilities: ClientCapabilities;
}

function isCapabilityData(data: unknown): data is MissingRequiredClientCapabilityErrorData {
    if (typeof data !== 'object' || data === null) return false;
    const required = (data as { requiredCapabilities?: unknown }).requiredCapabilities;
    return typeof required === 'object' && required !== null && !Array.isArray(required);
}

/**
 * Serving the request needs a client capability its `_meta` did not declare (`-32021`, MCP 2026-07-28); on HTTP it
 * comes with status 400.
 */
export class MissingRequiredClientCapabilityError extends McpError {
    override name = 'MissingRequiredClientCapabilityError';
    declare readonly data: MissingRequiredClientCapabilityErrorData;

    constructor(data: MissingRequiredClientCapabilityErrorData, message = 'Missing required client capability') {
        super(ProtocolErrorCode.MissingRequiredClientCapability, message, data);
    }

    /** The client capabilities the request needs. */
    get requiredCapabilities(): ClientCapabilities {
        return this.data.requiredCapabilities;
    }
}

/** Stable string codes of {@link SdkError}s (official v2 values, plus this SDK's own). */
export const SdkErrorCode = {
    /** Transport is not connected. */
    NotConnected: 'NOT_CONNECTED',
    /** Transport is already connected. */
    AlreadyConnected: 'ALREADY_CONNECTED',
    /** Protocol is not initialized. */
    NotInitialized: 'NOT_INITIALIZED',
    /** A required capability is not supported. */
    CapabilityNotSupported: 'CAPABILITY_NOT_SUPPORTED',
    /** A request timed out waiting for its response. */
    RequestTimeout: 'REQUEST_TIMEOUT',
    /** The connection closed before the response. */
    ConnectionClosed: 'CONNECTION_CLOSED',
    /** A message could not be sent. */
    SendFailed: 'SEND_FAILED',
    /** A response's result failed its schema. */
    InvalidResult: 'INVALID_RESULT',
    /** A list walk hit its page cap without the server's pagination converging. */
    ListPaginationExceeded: 'LIST_PAGINATION_EXCEEDED',
    /** A result's `resultType` (2026-07-28) is one this client does not consume here (`data.resultType`). */
    UnsupportedResultType: 'UNSUPPORTED_RESULT_TYPE',
    /** A multi-round request still asked for input after `inputRequired.maxRounds` rounds (`data.rounds`). */
    InputRequiredRoundsExceeded: 'INPUT_REQUIRED_ROUNDS_EXCEEDED',
    /** A method the negotiated era does not have (e.g. `ping` toward a 2026-07-28 server; `data.method`, `data.era`). */
    MethodNotSupportedByProtocolVersion: 'METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION',
    /** `connect()` could not settle on an era (a pinned version the server does not offer, …). */
    EraNegotiationFailed: 'ERA_NEGOTIATION_FAILED',
    /** This SDK: a request handler for the method is already registered. */
    HandlerAlreadyRegistered: 'HANDLER_ALREADY_REGISTERED',
    /** This SDK: a transport was used after it closed. */
    TransportClosed: 'TRANSPORT_CLOSED',
    /** This SDK: a stdio line grew past the read buffer's limit without a newline. */
    MessageTooLarge: 'MESSAGE_TOO_LARGE',
    /** This SDK: a handler was registered with something that is not a Standard Schema (or no handler). */
    InvalidHandlerSchema: 'INVALID_HANDLER_SCHEMA',
    /** This SDK (client transports): an HTTP request failed before any response. */
    ConnectionFailed: 'CONNECTION_FAILED',
    /** This SDK (client transports): the server answered with a non-2xx HTTP status (an {@link SdkHttpError}). */
    HttpStatus: 'HTTP_STATUS',
    /** This SDK (client transports): the server no longer knows the session (HTTP 404). */
    SessionExpired: 'SESSION_EXPIRED',
    /** This SDK (client transports): a response's `Content-Type` cannot be read. */
    UnsupportedContentType: 'UNSUPPORTED_CONTENT_TYPE',
    /** This SDK (client transports): a received body is not JSON, or not JSON-RPC 2.0. */
    InvalidMessage: 'INVALID_MESSAGE',
    /** This SDK (client transports): a response stream ended before the response, with nothing to resume from. */
    StreamInterrupted: 'STREAM_INTERRUPTED',
    /** This SDK (client transports): reconnecting an SSE stream failed too many times in a row. */
    ReconnectExhausted: 'RECONNECT_EXHAUSTED',
    /** This SDK (client transports): the legacy HTTP+SSE transport failed. */
    SseFailed: 'SSE_ERROR',
    /** This SDK (client transports): the legacy `endpoint` event was missing, invalid or cross-origin. */
    SseEndpoint: 'SSE_ENDPOINT',
    /** This SDK (client transports): the stdio child process could not be spawned or failed. */
    ProcessFailed: 'PROCESS_ERROR',
    /** This SDK (client transports): a redirect the transport's `redirectPolicy` does not follow. */
    RedirectRefused: 'REDIRECT_REFUSED',
    /** This SDK (client transports): a transport option has a value it cannot use. */
    InvalidOptions: 'INVALID_OPTIONS'
} as const;
/** A value of {@link SdkErrorCode}. */
export type SdkErrorCode = (typeof SdkErrorCode)[keyof typeof SdkErrorCode];

/** A local error (never sent on the wire) with a stable string `code`; `switch (err.code)` narrows. */
export class SdkError extends Error {
    override name = 'SdkError';
    /** The stable error code. */
    readonly code: SdkErrorCode;
    /** Structured details, when there are any. */
    readonly data?: unknown;

    constructor(code: SdkErrorCode, message: string, data?: unknown, options?: ErrorOptions) {
        super(message, options);
        this.code = code;
        if (data !== undefined) this.data = data;
    }

    /** True when `value` is a {@link SdkError} (or a subclass, when called on one). */
    static isInstance<T extends abstract new (...args: never[]) => unknown>(
        this: T,
        value: unknown
    ): value is InstanceType<T> {
        return value instanceof this;
    }
}

/** The HTTP details an {@link SdkHttpError} carries in `data`. */
export interface SdkHttpErrorData {
    /** The HTTP status code. */
    status: number;
    /** The HTTP status text, when the response had one. */
    statusText?: string;
    [key: string]: unknown;
}

function isHttpErrorData(data: unknown): data is SdkHttpErrorData {
    if (typeof data !== 'object' || data === null) return false;
    const status = (data as { status?: unknown }).status;
    return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
}

/**
 * An {@link SdkError} caused by an HTTP response: `data.status` (and `status`) is the HTTP status.
 *
 * `error instanceof SdkHttpError` is true for this class and for every other `SdkError` that carries an HTTP status
 * in `data` — in this SDK, the client transports' `StreamableHTTPError`, `SessionExpiredError` and `SSEError` (when
 * a status caused it) — so code written against the official v2 packages' `SdkHttpError` catches ours.
 */
export class SdkHttpError extends SdkError {
    override name = 'SdkHttpError';
    declare readonly data: SdkHttpErrorData;

    constructor(code: SdkErrorCode, message: string, data: SdkHttpErrorData, options?: ErrorOptions) {
        super(code, message, data, options);
    }

    /** The HTTP status code. */
    get status(): number {
        return this.data.status;
    }

    /** The HTTP status text, when there was one. */
    get statusText(): string | undefined {
        return this.data.statusText;
    }

    /** Real instances, and (on `SdkHttpError` itself) any {@link SdkError} whose `data` carries an HTTP status. */
    static override [Symbol.hasInstance](value: unknown): boolean {
        if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
        return this === SdkHttpError && value instanceof SdkError && isHttpErrorData(value.data);
    }
}

/**
 * A request got no response within its timeout (`data.timeout`, in ms), or within its `maxTotalTimeout`
 * (`data.maxTotalTimeout`, `data.elapsed`); the request was cancelled.
 */
export class RequestTimeoutError extends SdkError {
    override name = 'RequestTimeoutError';
    override readonly code = 'REQUEST_TIMEOUT' as const;
    constructor(message: string, data: Record<string, unknown>) {
        super('REQUEST_TIMEOUT', message, data);
    }
}

/** The connection closed before a request's response arrived. */
export class ConnectionClosedError extends SdkError {
    override name = 'ConnectionClosedError';
    override readonly code = 'CONNECTION_CLOSED' as const;
    constructor(message = 'Connection closed') {
        super('CONNECTION_CLOSED', message);
    }
}

/** A response's `result` did not match the schema the request expected. */
export class InvalidResultError extends SdkError {
    override name = 'InvalidResultError';
    override readonly code = 'INVALID_RESULT' as const;
    /** The request method whose result was invalid. */
    readonly method: string;

    constructor(method: string, detail: string) {
        super('INVALID_RESULT', `Invalid result for ${method}: ${detail}`, { method });
        this.method = method;
    }
}

/** An operation needs a connected transport and there is none. */
export class NotConnectedError extends SdkError {
    override name = 'NotConnectedError';
    override readonly code = 'NOT_CONNECTED' as const;
    constructor(message = 'Not connected') {
        super('NOT_CONNECTED', message);
    }
}

/** `connect()` was called while already connected; close first or use another instance. */
export class AlreadyConnectedError extends SdkError {
    override name = 'AlreadyConnectedError';
    override readonly code = 'ALREADY_CONNECTED' as const;
    constructor(
        message = 'Already connected to a transport; call close() first or use a separate instance per connection'
    ) {
        super('ALREADY_CONNECTED', message);
    }
}

/** A method needs a capability the peer (or this side) did not advertise. */
export class CapabilityNotSupportedError extends SdkError {
    override name = 'CapabilityNotSupportedError';
    override readonly code = 'CAPABILITY_NOT_SUPPORTED' as const;
    /** The method that was attempted. */
    readonly method: string;
    /** The capability that is missing, e.g. `"tools"` or `"sampling.tools"`. */
    readonly capability: string;

    constructor(method: string, capability: string, message?: string) {
        super(
            'CAPABILITY_NOT_SUPPORTED',
            message ?? `Capability "${capability}" is not supported (required for ${method})`
        );
        this.method = method;
        this.capability = capability;
    }
}

/** A handler for the method is already registered (see `Protocol.assertCanSetRequestHandler`). */
export class HandlerAlreadyRegisteredError extends SdkError {
    override name = 'HandlerAlreadyRegisteredError';
    override readonly code = 'HANDLER_ALREADY_REGISTERED' as const;
    /** The method. */
    readonly method: string;

    constructor(method: string) {
        super('HANDLER_ALREADY_REGISTERED', `A request handler for ${method} already exists and would be overridden`);
        this.method = method;
    }
}

/** A transport was used after it closed. */
export class TransportClosedError extends SdkError {
    override name = 'TransportClosedError';
    override readonly code = 'TRANSPORT_CLOSED' as const;
    constructor(message = 'Transport is closed') {
        super('TRANSPORT_CLOSED', message);
    }
}

/**
 * A stdio line grew past `ReadBuffer`'s `maxBufferSize` before its newline arrived. The buffer drops that line
 * (and the rest of it as it keeps arriving) and resumes at the next newline; memory stays bounded.
 */
export class StdioMessageTooLargeError extends SdkError {
    override name = 'StdioMessageTooLargeError';
    override readonly code = 'MESSAGE_TOO_LARGE' as const;
    constructor(
        /** The limit that was exceeded, in bytes. */
        readonly maxBufferSize: number
    ) {
        super('MESSAGE_TOO_LARGE', `A stdio message exceeded the maximum size of ${maxBufferSize} bytes`);
    }
}
