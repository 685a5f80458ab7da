/**
 * Protocol revision constants and JSON-RPC error codes.
 *
 * @module
 */

/** The newest MCP protocol revision this SDK speaks. */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/** The revision assumed when a Streamable HTTP request carries no `MCP-Protocol-Version` header. */
export const DEFAULT_NEGOTIATED_PROTOCOL_VERSION = '2025-03-26';

/** Every revision this SDK can negotiate, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

/** The JSON-RPC version string carried by every message. */
export const JSONRPC_VERSION = '2.0';

/** JSON-RPC 2.0 and MCP error codes. */
export const ErrorCode = {
    /** MCP: the connection was closed before a response arrived. */
    ConnectionClosed: -32000,
    /** MCP: a request timed out. */
    RequestTimeout: -32001,
    /** MCP: URL-mode elicitation is required before the request can proceed. */
    UrlElicitationRequired: -32042,
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
    ResourceNotFound: -32002
} as const;

/** A JSON-RPC / MCP error code value. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** JSON-RPC error code: invalid JSON was received. */
export const PARSE_ERROR = -32700;
/** JSON-RPC error code: the JSON sent is not a valid request object. */
export const INVALID_REQUEST = -32600;
/** JSON-RPC error code: the method does not exist or is not available. */
export const METHOD_NOT_FOUND = -32601;
/** JSON-RPC error code: invalid method parameters. */
export const INVALID_PARAMS = -32602;
/** JSON-RPC error code: internal error. */
export const INTERNAL_ERROR = -32603;
