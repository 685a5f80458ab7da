/**
 * The plain-data answers the Streamable HTTP server transport and its adapters give when they refuse a request:
 * a status, headers, and a JSON-RPC error body (MCP 2025-11-25, Basic › Transports › Streamable HTTP).
 *
 * @module
 */

/** JSON-RPC error code used for transport-level HTTP rejections (the implementation-defined server error). */
export const TRANSPORT_ERROR_CODE = -32000;

/** An answer with a complete body (`null`: none). */
export interface BodyReply {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: string | null;
}

/**
 * The reply a Streamable HTTP server gives when it rejects a request: a JSON-RPC error object whose `id` is
 * `null`, as JSON-RPC 2.0 §5 requires when the request id is unknown.
 */
export function errorReply(status: number, code: number, message: string, headers?: Record<string, string>): BodyReply {
    const body = `{"jsonrpc":"2.0","error":{"code":${code},"message":${JSON.stringify(message)}},"id":null}`;
    return { status, headers: { ...headers, 'content-type': 'application/json' }, body };
}

/**
 * A refusal sent before the request body was read to its end: `Connection: close`, so the server does not read
 * (or make the client send) the rest of a body it will never use (RFC 9112 §9.6).
 */
export function earlyErrorReply(status: number, code: number, message: string): BodyReply {
    return errorReply(status, code, message, { connection: 'close' });
}
