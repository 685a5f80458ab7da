/**
 * `@modelcontextprotocol/client`: the MCP client, its browser-safe transports (Streamable HTTP, legacy HTTP+SSE)
 * and OAuth. Re-exports the public API of `@modelcontextprotocol/core` (schemas, types, errors, `Protocol`,
 * `InMemoryTransport`) so applications import everything from this one package. The stdio transport is in the
 * `@modelcontextprotocol/client/stdio` entry.
 *
 * @module
 */
export * from '@modelcontextprotocol/core';

export { Client } from './client/index.js';
export type { ClientContext, ClientOptions } from './client/index.js';
export {
    ClientError,
    PaginationError,
    ToolOutputValidationError,
    UnsupportedProtocolVersionError
} from './client/clientErrors.js';
export type { ClientErrorCode } from './client/clientErrors.js';
export type {
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorFn,
    JsonSchemaValidatorResult
} from './client/jsonSchemaValidator.js';
export type { ListChangedHandler, ListChangedHandlers } from './client/listChanged.js';
export { DEFAULT_MAX_PAGES } from './client/pagination.js';
export type { ListAllOptions } from './client/pagination.js';
export { applyElicitationDefaults } from './client/elicitation.js';

export { DEFAULT_RECONNECTION_OPTIONS, StreamableHTTPClientTransport } from './client/streamableHttp.js';
export type {
    StreamableHTTPClientTransportOptions,
    StreamableHTTPReconnectionOptions
} from './client/streamableHttp.js';
export { SSEClientTransport } from './client/sse.js';
export type { SSEClientTransportOptions } from './client/sse.js';
// The transports' "closed" error is `ClientTransportClosedError` (a `TransportError`); core's
// `TransportClosedError` (an `SdkError`, thrown by `InMemoryTransport`) keeps its name. Both have code
// `TRANSPORT_CLOSED`.
export {
    ClientTransportClosedError,
    ConnectionError,
    DEFAULT_MAX_MESSAGE_BYTES,
    InvalidMessageError,
    MessageTooLargeError,
    ProcessError,
    ReconnectionExhaustedError,
    SessionExpiredError,
    SSEEndpointError,
    SSEError,
    StreamableHTTPError,
    StreamInterruptedError,
    TransportError,
    UnsupportedContentTypeError
} from './client/transportErrors.js';
export type { TransportErrorCode } from './client/transportErrors.js';

export * from './client/auth/index.js';
