/**
 * Option and context types of the `Protocol` base class.
 *
 * @module
 */
import type * as z from 'zod/mini';
import type { ElicitRequestParams, ElicitResult } from '../types/elicitation.js';
import type { RequestId, RequestMeta } from '../types/jsonrpc.js';
import type { LoggingLevel } from '../types/logging.js';
import type { ResultFor } from '../types/methods.js';
import type { CreateMessageRequestParams, CreateMessageResult } from '../types/sampling.js';
import type { AuthInfo, RequestInfo } from './transport.js';

/** Options for a `Protocol`. */
export interface ProtocolOptions {
    /** When true, `request()` first checks the peer advertised the capability the method needs. */
    enforceStrictCapabilities?: boolean;
    /**
     * Parameterless notifications of these methods sent within one microtask tick coalesce into one. A frozen
     * array is read once and its set shared by every session built with it.
     */
    debouncedNotificationMethods?: readonly string[];
    /** Request timeout in milliseconds when a request gives none. Default 60 000. */
    defaultRequestTimeout?: number;
}

/** A progress update (`notifications/progress` without the token). */
export interface Progress {
    progress: number;
    total?: number;
    message?: string;
}

/** Receives a request's progress updates (`RequestOptions.onprogress`). */
export type ProgressCallback = (progress: Progress) => void;

/** Per-request options for `Protocol.request`. */
export interface RequestOptions {
    /** Aborting rejects the request with the abort reason and sends `notifications/cancelled`. */
    signal?: AbortSignal;
    /** Milliseconds until the request fails with `McpError(RequestTimeout)` and is cancelled (`Infinity`: never). */
    timeout?: number;
    /** Restart the timeout whenever progress arrives. */
    resetTimeoutOnProgress?: boolean;
    /** Hard cap in milliseconds, even when progress keeps resetting the timeout. */
    maxTotalTimeout?: number;
    /** Receives progress; adds `_meta.progressToken` to the request. */
    onprogress?: ProgressCallback;
    /** The incoming request this outgoing one is made on behalf of (routes it on HTTP transports). */
    relatedRequestId?: RequestId;
    /** Resume a previously interrupted response stream (client HTTP transports). */
    resumptionToken?: string;
    /** Called with each new resumption token the transport learns for this request's stream. */
    onresumptiontoken?: (token: string) => void;
    /** Extra HTTP headers for this request (HTTP client transports; others ignore them). */
    headers?: Record<string, string>;
}

/** Per-notification options for `Protocol.notification`. */
export interface NotificationOptions {
    /** The incoming request this notification relates to. */
    relatedRequestId?: RequestId;
}

/** An outgoing request or notification before it is wrapped in a JSON-RPC envelope. */
export interface OutgoingMessage {
    method: string;
    params?: object;
}

/**
 * The request being handled, the way the official v2 SDK hands it to handlers (`ctx.mcpReq`): its id, method,
 * `_meta` and abort signal, and senders bound to it.
 */
export interface McpReqContext {
    /** The JSON-RPC id of the request. */
    id: RequestId;
    /** Its method. */
    method: string;
    /** Its `_meta`. */
    _meta?: RequestMeta;
    /** Aborted when the peer cancels the request, or the connection closes. */
    signal: AbortSignal;
    /** Sends a request related to this one (routed on the same HTTP stream); the result schema is optional. */
    send: {
        <M extends string>(request: { method: M; params?: object }, options?: RequestOptions): Promise<ResultFor<M>>;
        <S extends z.core.$ZodType>(
            request: OutgoingMessage,
            resultSchema: S,
            options?: RequestOptions
        ): Promise<z.output<S>>;
    };
    /** Sends a notification related to this request. */
    notify(notification: OutgoingMessage): Promise<void>;
}

/** What the HTTP transport knows about the request (`ctx.http`, official v2 shape). */
export interface HttpRequestContext {
    /** The verified token, behind bearer authorization. */
    authInfo?: AuthInfo;
    /** The HTTP request that carried the message, as a web `Request` (headers and URL; the body was consumed). */
    req?: Request;
    /** Closes the SSE stream of this request's response (SSE polling), when the transport supports it. */
    closeSSE?: () => void;
    /** Closes the standalone GET SSE stream, when the transport supports it. */
    closeStandaloneSSE?: () => void;
}

/**
 * What a request handler gets besides the request itself. Both shapes are there: the official v2 one
 * (`mcpReq`, `http`) and the v1 one (`signal`, `requestId`, `sendNotification`, `sendRequest`, …).
 */
export interface RequestHandlerExtra {
    /** The request being handled, v2 shape. */
    mcpReq: McpReqContext;
    /** What the HTTP transport knows (absent on stdio and in memory), v2 shape. */
    http?: HttpRequestContext;
    /** Aborted when the peer sends `notifications/cancelled` for this request, or the connection closes. */
    signal: AbortSignal;
    /** The id of the request being handled. */
    requestId: RequestId;
    /** The transport's session id, if any. */
    sessionId?: string;
    /** Token information from the transport (server behind bearer auth). */
    authInfo?: AuthInfo;
    /** The HTTP request that carried the message (server HTTP transports). */
    requestInfo?: RequestInfo;
    /** The request's `_meta`. */
    _meta?: RequestMeta;
    /** Sends a notification related to this request. */
    sendNotification(notification: OutgoingMessage): Promise<void>;
    /** Sends a request related to this request. */
    sendRequest<S extends z.core.$ZodType>(
        request: OutgoingMessage,
        resultSchema: S,
        options?: RequestOptions
    ): Promise<z.output<S>>;
    /** Closes the SSE stream of this request's response (SSE polling), when the transport supports it. */
    closeSSEStream?: () => void;
    /** Closes the standalone GET SSE stream, when the transport supports it. */
    closeStandaloneSSEStream?: () => void;
}

/** The official v2 name of the context every request handler gets ({@link RequestHandlerExtra}). */
export type BaseContext = RequestHandlerExtra;

/** The context a client's request handlers get (official v2 `ClientContext`): `ctx.mcpReq`, and the v1 fields. */
export type ClientContext = BaseContext;

/** Reads a request's (verified) `requestState` (see {@link ServerMcpReqContext.requestState}). */
export type RequestStateAccessor = <T = unknown>() => T | undefined;

/** The `ctx.mcpReq` a server's handlers get (official v2 shape): the request, plus what the server can send for it. */
export interface ServerMcpReqContext extends McpReqContext {
    /**
     * The client's answers to a previous round's input requests, by key (2026-07-28 multi-round requests; `params.
     * inputResponses` of a modern request, unvalidated: read them with `inputResponse` / `acceptedContent`).
     */
    inputResponses?: Record<string, unknown>;
    /**
     * The request's `requestState`: the payload the server's `requestState.verify` hook returned for it (verified
     * before the handler runs), or the raw string when no hook is configured; `undefined` when it carried none.
     */
    requestState: RequestStateAccessor;
    /** Sends a log message related to this request (dropped below the session's `logging/setLevel` level). */
    log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
    /** Asks the client for input (elicitation), related to this request. */
    elicitInput(params: ElicitRequestParams, options?: RequestOptions): Promise<ElicitResult>;
    /** Asks the client to sample from its model, related to this request. */
    requestSampling(params: CreateMessageRequestParams, options?: RequestOptions): Promise<CreateMessageResult>;
}

/**
 * The context a server's request handlers get (official v2 `ServerContext`): `ctx.mcpReq` with `log`,
 * `elicitInput` and `requestSampling`, `ctx.http` on HTTP transports, and the v1 fields (`signal`, `requestId`,
 * `sendNotification`, `sendRequest`, `authInfo`…).
 */
export type ServerContext = RequestHandlerExtra & { mcpReq: ServerMcpReqContext };
