/**
 * `@modelcontextprotocol/server/adapter`: what framework adapters (`@modelcontextprotocol/node`, Express,
 * Hono, Fastify, …) build on, so they never re-implement a decision: the framework-neutral request view and reply of
 * the Streamable HTTP transport (with the view of a web `Request` and the conversion of a reply to a `Response`), the
 * one parse of a POST body, the JSON-RPC refusal every entry point answers with, bearer authorization over a
 * request view, the routing of a request to a pooled session (and, across instances, to its owner), and the end of a web `Response`. Application code uses the adapters, not this entry.
 *
 * @module
 */
export { BodyAccumulator, readJsonBody } from './server/requestBody.js';
export type {
    BodyRead,
    BodySource,
    DecodedPost,
    JsonBodyOutcome,
    ParsedJsonBody,
    ReadJsonBodyOptions
} from './server/requestBody.js';
export { WebRequestView, toResponse } from './server/httpExchange.js';
export type { Reply, RequestView, SseReply, SseSink, SseWriter } from './server/httpExchange.js';
export { errorReply } from './server/replies.js';
export type { BodyReply } from './server/replies.js';
export { authorizeHttpRequest } from './server/auth/bearerAuth.js';
export type { HttpRequestSource } from './server/auth/bearerAuth.js';
export { routeSessionRequest } from './server/sessionRouting.js';
export type { SessionRoute } from './server/sessionRouting.js';
export {
    SessionForwarder,
    createSessionForwarder,
    isHopByHopHeader,
    routeSessionRequestAcrossInstances
} from './server/sessionForwarding.js';
export type { DistributedSessionRoute, ForwardedHeaders, ForwardedRequest } from './server/sessionForwarding.js';
export { whenResponseDone } from './server/responseDone.js';
