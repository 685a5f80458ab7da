/**
 * Helpers for requests a `Protocol` receives: the {@link RequestHandlerExtra} a handler is given, and the
 * JSON-RPC error object a handler failure is answered with.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic#responses
 * @see https://www.jsonrpc.org/specification#error_object
 * @module
 */
import { McpError } from '../errors.js';
import { ErrorCode } from '../types/constants.js';
import type { JSONRPCRequest } from '../types/jsonrpc.js';
import type { Protocol } from './protocol.js';
import type { RequestHandlerExtra } from './protocolTypes.js';
import type { MessageExtraInfo, Transport } from './transport.js';

/**
 * The context for handling `request` on `session`: its abort signal and id, senders bound to it (so that
 * transports can route them to the request's stream), and whatever the transport knows about the message.
 */
export function buildRequestHandlerExtra(
    session: Protocol,
    transport: Transport,
    request: JSONRPCRequest,
    signal: AbortSignal,
    info: MessageExtraInfo | undefined
): RequestHandlerExtra {
    const requestId = request.id;
    const extra: RequestHandlerExtra = {
        signal,
        requestId,
        sendNotification: notification => session.notification(notification, { relatedRequestId: requestId }),
        sendRequest: (req, schema, options) => session.request(req, schema, { ...options, relatedRequestId: requestId })
    };
    if (transport.sessionId !== undefined) extra.sessionId = transport.sessionId;
    if (info?.authInfo) extra.authInfo = info.authInfo;
    if (info?.requestInfo) extra.requestInfo = info.requestInfo;
    if (info?.closeSSEStream) extra.closeSSEStream = info.closeSSEStream;
    if (info?.closeStandaloneSSEStream) extra.closeStandaloneSSEStream = info.closeStandaloneSSEStream;
    const meta = request.params?._meta;
    if (meta) extra._meta = meta;
    return extra;
}

/**
 * The JSON-RPC error object for something a handler threw: an {@link McpError}'s own code and data, else
 * `-32603 Internal error` with the thrown message.
 */
export function toErrorObject(error: unknown): { code: number; message: string; data?: unknown } {
    if (error instanceof McpError) return error.toJSONRPCError();
    const message = error instanceof Error ? error.message : String(error);
    return { code: ErrorCode.InternalError, message: message || 'Internal error' };
}
