/**
 * `@modelcontextprotocol/node`: MCP servers on Node's `http` / `https` and the frameworks built on them — the
 * Streamable HTTP transport on `IncomingMessage` / `ServerResponse` (without building web `Request` / `Response`
 * objects on its hot path), `toNodeHandler` for web-standard handlers such as `createMcpHandler`'s, bearer
 * authorization and body reading through the server's one parse, and `Host` / `Origin` checks.
 *
 * @module
 */
export {
    NodeStreamableHTTPServerTransport,
    StreamableHTTPServerTransport,
    authorizeNodeRequest,
    readNodeJsonBody,
    writeNodeReply
} from './transport.js';
export type { NodeMcpRequest, StreamableHTTPServerTransportOptions } from './transport.js';
export { createNodeMcpRoute } from './sessionRoute.js';
export type { McpRouteFactory, NodeMcpRoute } from './sessionRoute.js';
export { toNodeHandler, toWebRequest } from './handler.js';
export type {
    FetchLikeMcpHandler,
    NodeIncomingMessageLike,
    NodeMcpRequestHandler,
    NodeServerResponseLike,
    ToNodeHandlerOptions,
    ToWebRequestOptions
} from './handler.js';
export {
    hostHeaderValidation,
    localhostHostValidation,
    localhostOriginValidation,
    originValidation
} from './validation.js';
export { NodeFetchError, createNodeFetch } from './nodeFetch.js';
export type { NodeFetch, NodeFetchOptions } from './nodeFetch.js';
