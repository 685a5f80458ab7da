/**
 * Errors a caller of the core may catch.
 *
 * Two families:
 * - {@link McpError}: a JSON-RPC error (numeric `code` from {@link ErrorCode}, optional `data`), either received
 *   from the peer or raised locally with protocol meaning (timeout, connection closed). A request handler that
 *   throws one has its code, message and data sent to the peer unchanged.
 * - {@link SdkError}: local misuse or state errors with a stable string `code` ({@link SdkErrorCode}); these are
 *   never sent on the wire as such.
 *
 * @see https://www.jsonrpc.org/specification#error_object
 * @module
 */
import { ErrorCode } from './types/constants.js';
import type { ElicitRequestURLParams } from './types/elicitation.js';
import type { JSONRPCErrorObject } from './types/jsonrpc.js';

/** A JSON-RPC error: received in an error response, or raised locally with a JSON-RPC / MCP error code. */
export class McpError extends Error {
    override name = 'McpError';
    /** The JSON-RPC error code (see {@link ErrorCode}). */
    readonly code: number;
    /** Additional error information from the error object. */
    readonly data?: unknown;

    constructor(code: number, message: string, data?: unknown, options?: ErrorOptions) {
        super(message, options);
        this.code = code;
        if (data !== undefined) this.data = data;
    }

    /**
     * Builds the most specific error for a received JSON-RPC error object: a {@link UrlElicitationRequiredError}
     * for `-32042` with well-formed `data.elicitations`, else an {@link McpError}.
     */
    static fromError(error: JSONRPCErrorObject): McpError {
        if (error.code === ErrorCode.UrlElicitationRequired) {
            const elicitations = readElicitations(error.data);
            if (elicitations) return new UrlElicitationRequiredError(elicitations, error.message);
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

/**
 * A response's `result` did not match the schema the request expected. Carries code `-32602` (invalid params,
 * by convention for schema mismatches) so it surfaces like other validation failures.
 */
export class InvalidResultError extends McpError {
    override name = 'InvalidResultError';
    /** The request method whose result was invalid. */
    readonly method: string;

    constructor(method: string, detail: string) {
        super(ErrorCode.InvalidParams, `Invalid result for ${method}: ${detail}`);
        this.method = method;
    }
}

/** Stable string codes of {@link SdkError}s. */
export type SdkErrorCode =
    | 'NOT_CONNECTED'
    | 'ALREADY_CONNECTED'
    | 'CAPABILITY_NOT_SUPPORTED'
    | 'HANDLER_ALREADY_REGISTERED'
    | 'TRANSPORT_CLOSED';

/** Base class of local (non-JSON-RPC) errors; `code` narrows with `switch`. */
export abstract class SdkError extends Error {
    /** The stable error code. */
    abstract readonly code: SdkErrorCode;
}

/** An operation needs a connected transport and there is none. */
export class NotConnectedError extends SdkError {
    override name = 'NotConnectedError';
    readonly code = 'NOT_CONNECTED' as const;
    constructor(message = 'Not connected') {
        super(message);
    }
}

/** `connect()` was called while already connected; close first or use another instance. */
export class AlreadyConnectedError extends SdkError {
    override name = 'AlreadyConnectedError';
    readonly code = 'ALREADY_CONNECTED' as const;
    constructor(
        message = 'Already connected to a transport; call close() first or use a separate instance per connection'
    ) {
        super(message);
    }
}

/** A method needs a capability the peer (or this side) did not advertise. */
export class CapabilityNotSupportedError extends SdkError {
    override name = 'CapabilityNotSupportedError';
    readonly code = 'CAPABILITY_NOT_SUPPORTED' as const;
    /** The method that was attempted. */
    readonly method: string;
    /** The capability that is missing, e.g. `"tools"` or `"sampling.tools"`. */
    readonly capability: string;

    constructor(method: string, capability: string, message?: string) {
        super(message ?? `Capability "${capability}" is not supported (required for ${method})`);
        this.method = method;
        this.capability = capability;
    }
}

/** A handler for the method is already registered (see `Protocol.assertCanSetRequestHandler`). */
export class HandlerAlreadyRegisteredError extends SdkError {
    override name = 'HandlerAlreadyRegisteredError';
    readonly code = 'HANDLER_ALREADY_REGISTERED' as const;
    /** The method. */
    readonly method: string;

    constructor(method: string) {
        super(`A request handler for ${method} already exists and would be overridden`);
        this.method = method;
    }
}

/** A transport was used after it closed. */
export class TransportClosedError extends SdkError {
    override name = 'TransportClosedError';
    readonly code = 'TRANSPORT_CLOSED' as const;
    constructor(message = 'Transport is closed') {
        super(message);
    }
}
