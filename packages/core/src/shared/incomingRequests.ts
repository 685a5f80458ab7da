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
import type { MessageExtraInfo, RequestInfo, Transport } from './transport.js';

/** What a handler context's shared accessors read: kept under a symbol, non-enumerable, on the context itself. */
const CONTEXT_STATE = Symbol('mcp.requestContext');

interface ContextState {
    readonly session: Session;
    readonly request: JSONRPCRequest;
    readonly abort: { readonly signal: AbortSignal };
    readonly info: MessageExtraInfo | undefined;
    mcpReq: McpReqContext | undefined;
    http: HttpRequestContext | undefined | null;
}

type WithState<S> = { readonly [CONTEXT_STATE]: S };

/**
 * `signal`, `mcpReq` and `http` of a handler context: own enumerable accessors, as in a plain object literal (so
 * spreading or destructuring a context keeps them), whose getter functions are defined once and shared by every
 * context. Getters written in a per-call object literal give each object a hidden class of its own, which V8
 * allocates in the old generation; those then keep each request's objects alive past their request (promoted,
 * and collected only by a full GC). The getters read `this[CONTEXT_STATE]`, so they also work through a `Proxy`
 * of the context or an object that inherits from it.
 */
const CONTEXT_ACCESSORS: PropertyDescriptorMap = {
    signal: {
        get(this: WithState<ContextState>): AbortSignal {
            return this[CONTEXT_STATE].abort.signal;
        },
        enumerable: true,
        configurable: true
    },
    mcpReq: {
        get(this: WithState<ContextState>): McpReqContext {
            const state = this[CONTEXT_STATE];
            return (state.mcpReq ??= state.session._requestContext(
                this as unknown as RequestHandlerExtra,
                state.request
            ));
        },
        enumerable: true,
        configurable: true
    },
    http: {
        get(this: WithState<ContextState>): HttpRequestContext | undefined {
            const state = this[CONTEXT_STATE];
            if (state.http === null) state.http = httpContext(state.info);
            return state.http;
        },
        enumerable: true,
        configurable: true
    }
};

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
    const extra = {
        requestId,
        sendNotification: (notification: OutgoingMessage) =>
            session.notification(notification, { relatedRequestId: requestId }),
        sendRequest: <S extends z.core.$ZodType>(req: OutgoingMessage, schema: S, options?: RequestOptions) =>
            session.request(req, schema, { ...options, relatedRequestId: requestId })
    } as unknown as RequestHandlerExtra;
    const state: ContextState = { session, request, abort, info, mcpReq: undefined, http: null };
    Object.defineProperty(extra, CONTEXT_STATE, { value: state });
    Object.defineProperties(extra, CONTEXT_ACCESSORS);
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

const HTTP_REQUEST_INFO = Symbol('mcp.httpRequestInfo');

interface HttpState {
    readonly info: RequestInfo;
    req: Request | undefined;
}

/** `ctx.http.req`: the web `Request`, built on first access; its getter is shared (see {@link CONTEXT_ACCESSORS}). */
const HTTP_ACCESSORS: PropertyDescriptorMap = {
    req: {
        get(this: { readonly [HTTP_REQUEST_INFO]: HttpState }): Request {
            const state = this[HTTP_REQUEST_INFO];
            return (state.req ??= toWebRequest(state.info));
        },
        enumerable: true
    }
};

/**
 * `ctx.http`: the token's `authInfo`, the SSE stream controls, and, when the transport knows the URL, `req`, the
 * web `Request` built on first access.
 */
function httpContext(info: MessageExtraInfo | undefined): HttpRequestContext | undefined {
    if (info === undefined || (info.requestInfo === undefined && info.authInfo === undefined)) return undefined;
    const context: HttpRequestContext = {};
    if (info.authInfo) context.authInfo = info.authInfo;
    if (info.closeSSEStream) context.closeSSE = info.closeSSEStream;
    if (info.closeStandaloneSSEStream) context.closeStandaloneSSE = info.closeStandaloneSSEStream;
    const requestInfo = info.requestInfo;
    if (requestInfo?.url !== undefined) {
        const state: HttpState = { info: requestInfo, req: undefined };
        Object.defineProperty(context, HTTP_REQUEST_INFO, { value: state });
        Object.defineProperties(context, HTTP_ACCESSORS);
    }
    return context;
}

function toWebRequest(requestInfo: RequestInfo): Request {
    const headers = new Headers();
    for (const [name, value] of Object.entries(requestInfo.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    return new Request(requestInfo.url!, { headers });
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
