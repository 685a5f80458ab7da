/**
 * Helpers for requests a `Protocol` receives: the {@link RequestHandlerExtra} a handler is given, and the
 * JSON-RPC error object a handler failure is answered with.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic#responses
 * @see https://www.jsonrpc.org/specification#error_object
 * @module
 */
import { ProtocolError } from '../errors.js';
import { ErrorCode } from '../types/constants.js';
import type { JSONRPCRequest } from '../types/jsonrpc.js';
import type { Protocol } from './protocol.js';

/** The part of a `Protocol` the handler context calls back into (independent of its context type). */
type Session = Pick<Protocol, 'notification' | 'request' | '_requestContext'>;
import type * as z from 'zod/mini';
import type {
    HttpRequestContext,
    McpReqContext,
    OutgoingMessage,
    RequestHandlerExtra,
    RequestOptions
} from './protocolTypes.js';
import type { MessageExtraInfo, Transport } from './transport.js';

/**
 * The context for handling `request` on `session`: its abort signal (read from `abort` when first used) and id, senders bound to it (so that
 * transports can route them to the request's stream), and whatever the transport knows about the message. The v2
 * views (`mcpReq`, `http`) are built on first access, so handlers that do not use them do not pay for them.
 */
export function buildRequestHandlerExtra(
    session: Session,
    transport: Transport,
    request: JSONRPCRequest,
    abort: { readonly signal: AbortSignal },
    info: MessageExtraInfo | undefined
): RequestHandlerExtra {
    const requestId = request.id;
    let mcpReq: McpReqContext | undefined;
    let http: HttpRequestContext | undefined | null = null;
    const extra = {
        get signal(): AbortSignal {
            return abort.signal;
        },
        requestId,
        sendNotification: (notification: OutgoingMessage) =>
            session.notification(notification, { relatedRequestId: requestId }),
        sendRequest: <S extends z.core.$ZodType>(req: OutgoingMessage, schema: S, options?: RequestOptions) =>
            session.request(req, schema, { ...options, relatedRequestId: requestId }),
        get mcpReq(): McpReqContext {
            return (mcpReq ??= session._requestContext(extra as RequestHandlerExtra, request));
        },
        get http(): HttpRequestContext | undefined {
            if (http === null) http = httpContext(info);
            return http;
        }
    } as RequestHandlerExtra;
    if (transport.sessionId !== undefined) extra.sessionId = transport.sessionId;
    if (info?.authInfo) extra.authInfo = info.authInfo;
    if (info?.requestInfo) extra.requestInfo = info.requestInfo;
    if (info?.closeSSEStream) extra.closeSSEStream = info.closeSSEStream;
    if (info?.closeStandaloneSSEStream) extra.closeStandaloneSSEStream = info.closeStandaloneSSEStream;
    const meta = request.params?._meta;
    if (meta) extra._meta = meta;
    return extra;
}

/** The `mcpReq` of a request: id, method, `_meta`, signal, and senders related to it. */
export function baseRequestContext(
    session: Session,
    extra: RequestHandlerExtra,
    request: JSONRPCRequest
): McpReqContext {
    const relatedRequestId = request.id;
    const context: McpReqContext = {
        id: request.id,
        method: request.method,
        signal: extra.signal,
        send: ((req: OutgoingMessage, schemaOrOptions?: unknown, options?: RequestOptions) => {
            const schemaGiven =
                typeof schemaOrOptions === 'object' && schemaOrOptions !== null && '_zod' in schemaOrOptions;
            if (schemaGiven) {
                return session.request(req, schemaOrOptions as z.core.$ZodType, { ...options, relatedRequestId });
            }
            return session.request(req, { ...(schemaOrOptions as RequestOptions | undefined), relatedRequestId });
        }) as McpReqContext['send'],
        notify: notification => session.notification(notification, { relatedRequestId })
    };
    if (extra._meta !== undefined) context._meta = extra._meta;
    return context;
}

function httpContext(info: MessageExtraInfo | undefined): HttpRequestContext | undefined {
    if (info === undefined || (info.requestInfo === undefined && info.authInfo === undefined)) return undefined;
    const context: HttpRequestContext = {};
    if (info.authInfo) context.authInfo = info.authInfo;
    if (info.closeSSEStream) context.closeSSE = info.closeSSEStream;
    if (info.closeStandaloneSSEStream) context.closeStandaloneSSE = info.closeStandaloneSSEStream;
    const requestInfo = info.requestInfo;
    if (requestInfo?.url !== undefined) {
        let req: Request | undefined;
        Object.defineProperty(context, 'req', {
            enumerable: true,
            get: () => {
                if (req === undefined) {
                    const headers = new Headers();
                    for (const [name, value] of Object.entries(requestInfo.headers)) {
                        if (typeof value === 'string') headers.set(name, value);
                        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
                    }
                    req = new Request(requestInfo.url!, { headers });
                }
                return req;
            }
        });
    }
    return context;
}

/**
 * The JSON-RPC error object for something a handler threw: an {@link McpError}'s own code and data, else
 * `-32603 Internal error` with the thrown message.
 */
export function toErrorObject(error: unknown): { code: number; message: string; data?: unknown } {
    if (error instanceof ProtocolError) return error.toJSONRPCError();
    const message = error instanceof Error ? error.message : String(error);
    return { code: ErrorCode.InternalError, message: message || 'Internal error' };
}
