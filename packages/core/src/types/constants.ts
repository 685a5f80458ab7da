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

// ----- protocol revision 2026-07-28 (per-request metadata) -------------------------------------------------

/** The modern revision this SDK speaks: stateless requests that carry their version in `_meta`. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Every modern (per-request `_meta`) revision this SDK speaks, newest first. */
export const SUPPORTED_MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];

/**
 * True for a modern revision: one that carries version, identity and capabilities in every request's `_meta`
 * (2026-07-28 and later), as opposed to the `initialize`-handshake revisions (2025-11-25 and earlier).
 */
export function isModernProtocolVersion(version: unknown): version is string {
    return typeof version === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_PROTOCOL_VERSION;
}

/** `_meta` key: the protocol version of a request (required in 2026-07-28). */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
/** `_meta` key: the client's name and version on a request. */
export const CLIENT_INFO_META_KEY = 'io.modelcontextprotocol/clientInfo';
/** `_meta` key: the client's capabilities for this request (required in 2026-07-28). */
export const CLIENT_CAPABILITIES_META_KEY = 'io.modelcontextprotocol/clientCapabilities';
/** `_meta` key: the level of log messages the client wants for this request (absent: none). */
export const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel';
/** `_meta` key: the server's name and version on a result. */
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';
/** `_meta` key: the `subscriptions/listen` request a notification was delivered for. */
export const SUBSCRIPTION_ID_META_KEY = 'io.modelcontextprotocol/subscriptionId';
/** `_meta` key: W3C Trace Context `traceparent`. */
export const TRACEPARENT_META_KEY = 'traceparent';
/** `_meta` key: W3C Trace Context `tracestate`. */
export const TRACESTATE_META_KEY = 'tracestate';
/** `_meta` key: W3C Baggage. */
export const BAGGAGE_META_KEY = 'baggage';

/** MCP 2026-07-28 error code: HTTP headers do not match the body, or a required header is missing or malformed. */
export const HEADER_MISMATCH = -32020;
/** MCP 2026-07-28 error code: the request needs a client capability it did not declare. */
export const MISSING_REQUIRED_CLIENT_CAPABILITY = -32021;
/** MCP 2026-07-28 error code: the request's protocol version is not supported. */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;
