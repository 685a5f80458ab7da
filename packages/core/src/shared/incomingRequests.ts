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

/**
 * A handler's context object. `signal`, `mcpReq` and `http` are own enumerable accessors (as in a plain object
 * literal, so spreading or destructuring the context keeps them), but their getter functions are defined once and
 * shared by every context: getters written in a per-call object literal give each object a hidden class of its
 * own, which V8 allocates in the old generation, and those then keep each request's objects alive past their
 * request (promoted, and collected only by a full GC).
 */
class IncomingRequestContext {
    readonly #session: Session;
    readonly #request: JSONRPCRequest;
    readonly #abort: { readonly signal: AbortSignal };
    readonly #info: MessageExtraInfo | undefined;
    #mcpReq: McpReqContext | undefined;
    #http: HttpRequestContext | undefined | null = null;
    readonly requestId: JSONRPCRequest['id'];
    readonly sendNotification: (notification: OutgoingMessage) => Promise<void>;
    readonly sendRequest: <S extends z.core.$ZodType>(
        req: OutgoingMessage,
        schema: S,
        options?: RequestOptions
    ) => Promise<z.output<S>>;

    static readonly #accessors: PropertyDescriptorMap = {
        signal: {
            get(this: IncomingRequestContext): AbortSignal {
                return this.#abort.signal;
            },
            enumerable: true,
            configurable: true
        },
        mcpReq: {
            get(this: IncomingRequestContext): McpReqContext {
                return (this.#mcpReq ??= this.#session._requestContext(
                    this as unknown as RequestHandlerExtra,
                    this.#request
                ));
            },
            enumerable: true,
            configurable: true
        },
        http: {
            get(this: IncomingRequestContext): HttpRequestContext | undefined {
                if (this.#http === null) this.#http = httpContext(this.#info);
                return this.#http;
            },
            enumerable: true,
            configurable: true
        }
    };

    constructor(
        session: Session,
        request: JSONRPCRequest,
        abort: { readonly signal: AbortSignal },
        info: MessageExtraInfo | undefined
    ) {
        this.#session = session;
        this.#request = request;
        this.#abort = abort;
        this.#info = info;
        const requestId = request.id;
        this.requestId = requestId;
        this.sendNotification = notification => session.notification(notification, { relatedRequestId: requestId });
        this.sendRequest = (req, schema, options) =>
            session.request(req, schema, { ...options, relatedRequestId: requestId });
        Object.defineProperties(this, IncomingRequestContext.#accessors);
    }
}

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
    const extra = new IncomingRequestContext(session, request, abort, info) as unknown as RequestHandlerExtra;
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

/**
 * `ctx.http`: the token's `authInfo`, the SSE stream controls, and, when the transport knows the URL, `req`, the
 * web `Request` built on first access. `req` is an own enumerable accessor whose getter is shared (see
 * {@link IncomingRequestContext}).
 */
class HttpContext implements HttpRequestContext {
    #requestInfo: RequestInfo | undefined;
    #req: Request | undefined;
    declare authInfo?: NonNullable<HttpRequestContext['authInfo']>;
    declare closeSSE?: NonNullable<HttpRequestContext['closeSSE']>;
    declare closeStandaloneSSE?: NonNullable<HttpRequestContext['closeStandaloneSSE']>;
    declare readonly req?: Request;

    static readonly #accessors: PropertyDescriptorMap = {
        req: {
            get(this: HttpContext): Request {
                return (this.#req ??= toWebRequest(this.#requestInfo!));
            },
            enumerable: true,
            configurable: true
        }
    };

    constructor(info: MessageExtraInfo) {
        if (info.authInfo) this.authInfo = info.authInfo;
        if (info.closeSSEStream) this.closeSSE = info.closeSSEStream;
        if (info.closeStandaloneSSEStream) this.closeStandaloneSSE = info.closeStandaloneSSEStream;
        const requestInfo = info.requestInfo;
        if (requestInfo?.url !== undefined) {
            this.#requestInfo = requestInfo;
            Object.defineProperties(this, HttpContext.#accessors);
        }
    }
}

function httpContext(info: MessageExtraInfo | undefined): HttpRequestContext | undefined {
    if (info === undefined || (info.requestInfo === undefined && info.authInfo === undefined)) return undefined;
    return new HttpContext(info);
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
