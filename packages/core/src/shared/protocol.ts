/**
 * The JSON-RPC session engine shared by `Client` and `Server`: connection lifecycle, handler registry and
 * dispatch, params validation, and sending. Outgoing-request bookkeeping (timeouts, progress, cancellation) is
 * in `pendingRequests.ts`, the shared handler tables in `builtinHandlers.ts`, the handler context in
 * `incomingRequests.ts`. Revision-specific behaviour (initialization, capability negotiation) lives in the
 * subclasses.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
 * @module
 */
import * as z from 'zod/mini';
import {
    AlreadyConnectedError,
    ConnectionClosedError,
    HandlerAlreadyRegisteredError,
    McpError,
    ProtocolError,
    NotConnectedError
} from '../errors.js';
import type { Result } from '../types/base.js';
import { ResultSchema } from '../types/base.js';
import { ErrorCode, JSONRPC_VERSION } from '../types/constants.js';
import type {
    JSONRPCErrorObject,
    JSONRPCErrorResponse,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResultResponse,
    RequestId
} from '../types/jsonrpc.js';
import type { HandlerResultFor, Notification, NotificationFor, RequestFor, ResultFor } from '../types/methods.js';
import { getNotificationParamsSchema, getRequestParamsSchema, getResultSchema } from '../types/methods.js';
import { BuiltinHandlers } from './builtinHandlers.js';
import type {
    NotificationHandlerEntry,
    RequestHandlerEntry,
    StoredNotificationHandler,
    StoredRequestHandler
} from './builtinHandlers.js';
import { baseRequestContext, buildRequestHandlerExtra, toErrorObject } from './incomingRequests.js';
import { debounceSet } from './notificationDebounce.js';
import { LazyAbortController } from './lazyAbort.js';
import type { InferHandlerResult, RequestHandlerSchemas } from './schemaHandlers.js';
import {
    checkMethodName,
    checkSchemaHandler,
    notificationWithParamsSchema,
    withParamsSchema
} from './schemaHandlers.js';
import type { StandardSchemaV1 } from './standardSchema.js';
import { PendingRequests, abortReason } from './pendingRequests.js';
import type {
    McpReqContext,
    NotificationOptions,
    OutgoingMessage,
    ProtocolOptions,
    RequestHandlerExtra,
    RequestOptions
} from './protocolTypes.js';
import type { MessageExtraInfo, Transport, TransportSendOptions } from './transport.js';
import { formatValidationError } from './validation.js';

export type * from './protocolTypes.js';
export { BuiltinHandlers } from './builtinHandlers.js';
export type { SharedNotificationHandler, SharedRequestHandler } from './builtinHandlers.js';

/** The default request timeout: 60 seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MSEC = 60_000;

/**
 * The abstract MCP session: `Client` and `Server` extend it. Connect it to a {@link Transport}, register
 * handlers, and send requests and notifications.
 */
export abstract class Protocol<ContextT extends RequestHandlerExtra = RequestHandlerExtra> {
    /** The handlers every `Protocol` starts with: `ping`, `notifications/cancelled`, `notifications/progress`. */
    protected static readonly builtinHandlers: BuiltinHandlers = BuiltinHandlers.empty().extend<Protocol>({
        requests: { ping: () => ({}) },
        notifications: {
            'notifications/cancelled'(notification) {
                this._onCancelled(notification);
            },
            'notifications/progress'(notification) {
                this._onProgress(notification);
            }
        }
    });

    // Per-session state is allocated on first use: an idle session holds no tables of its own.
    private _transport: Transport | undefined;
    private _nextRequestId = 0;
    private readonly _builtins: BuiltinHandlers;
    /** Handlers registered on this instance; `null` marks a removed built-in. */
    private _requestHandlers: Map<string, RequestHandlerEntry | null> | undefined;
    private _notificationHandlers: Map<string, NotificationHandlerEntry | null> | undefined;
    /** Outgoing requests awaiting responses; created on the first request, dropped when the connection closes. */
    private _outgoing: PendingRequests | undefined;
    /** Incoming requests being handled; dropped when the last one finishes. */
    private _inflight: Map<RequestId, LazyAbortController> | undefined;
    private readonly _debounced: ReadonlySet<string>;
    private _debouncePending: Set<string> | undefined;
    private readonly _defaultTimeout: number;
    private readonly _strict: boolean;

    /** Called once when the connection closes. */
    onclose?: () => void;
    /** Called for errors not tied to a single request (transport errors, stray responses, handler failures). */
    onerror?: (error: Error) => void;
    /** Handles requests with no registered handler (instead of answering `-32601`). */
    fallbackRequestHandler?: (request: JSONRPCRequest, extra: ContextT) => Promise<Result>;
    /** Handles notifications with no registered handler (instead of ignoring them). */
    fallbackNotificationHandler?: (notification: JSONRPCNotification) => Promise<void>;

    /**
     * @param builtins the handlers this instance starts with (shared, not copied; no capability checks run for
     *   them). Subclasses pass `Protocol.builtinHandlers` extended with their own.
     */
    constructor(options?: ProtocolOptions, builtins: BuiltinHandlers = Protocol.builtinHandlers) {
        this._builtins = builtins;
        this._debounced = debounceSet(options?.debouncedNotificationMethods);
        this._defaultTimeout = options?.defaultRequestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MSEC;
        this._strict = options?.enforceStrictCapabilities ?? false;
    }

    /** The connected transport, if any. */
    get transport(): Transport | undefined {
        return this._transport;
    }

    /**
     * Takes ownership of `transport` (chaining any callbacks already set on it) and starts it.
     *
     * @throws {@link AlreadyConnectedError} when already connected.
     */
    async connect(transport: Transport): Promise<void> {
        if (this._transport) throw new AlreadyConnectedError();
        this._transport = transport;
        const previousClose = transport.onclose;
        const previousError = transport.onerror;
        const previousMessage = transport.onmessage;
        transport.onclose = () => {
            previousClose?.();
            this._onclose(transport);
        };
        transport.onerror = error => {
            previousError?.(error);
            this._reportError(error);
        };
        transport.onmessage = (message, extra) => {
            previousMessage?.(message, extra);
            this._onmessage(transport, message, extra);
        };
        try {
            await transport.start();
        } catch (error) {
            if (this._transport === transport) this._transport = undefined;
            throw error;
        }
    }

    /** Closes the transport. Pending requests reject with `McpError(ConnectionClosed)`; handlers are aborted. */
    async close(): Promise<void> {
        const transport = this._transport;
        if (!transport) return;
        await transport.close();
        // Tolerate transports that do not call onclose.
        this._onclose(transport);
    }

    // ----- capability hooks -------------------------------------------------------------------------------

    /** Throws if the peer did not advertise what `method` needs (used when `enforceStrictCapabilities`). */
    protected abstract assertCapabilityForMethod(method: string): void;
    /** Throws if this side may not send notification `method`. */
    protected abstract assertNotificationCapability(method: string): void;
    /** Throws if this side may not handle request `method` (it did not advertise the capability). */
    protected abstract assertRequestHandlerCapability(method: string): void;

    // ----- handler registry -------------------------------------------------------------------------------

    /**
     * Registers (or replaces) the handler for a request method.
     *
     * - `(method, handler)`: for the protocol's methods the params are validated against the method's schema
     *   before the handler runs (invalid params are answered with `-32602`), and the handler gets the request.
     * - `(method, { params, result? }, handler)`: for custom methods. `params` is any Standard Schema (zod,
     *   valibot, arktype, …); the request's params (`{}` when absent) are validated with it, invalid ones are
     *   answered with `-32602`, and the handler gets the parsed params. `result` only types the return value.
     *
     * @example
     * ```ts
     * protocol.setRequestHandler('acme/search', { params: z.object({ query: z.string() }) }, async ({ query }) => ({
     *     hits: [query]
     * }));
     * ```
     */
    setRequestHandler<M extends string>(
        method: M,
        handler: (request: RequestFor<M>, ctx: ContextT) => HandlerResultFor<M> | Promise<HandlerResultFor<M>>
    ): void;
    setRequestHandler<P extends StandardSchemaV1, R extends StandardSchemaV1 | undefined = undefined>(
        method: string,
        schemas: RequestHandlerSchemas<P, R>,
        handler: (
            params: StandardSchemaV1.InferOutput<P>,
            ctx: ContextT
        ) => InferHandlerResult<R> | Promise<InferHandlerResult<R>>
    ): void;
    setRequestHandler(
        method: string,
        handlerOrSchemas: ((request: never, ctx: ContextT) => unknown) | RequestHandlerSchemas,
        schemaHandler?: (params: never, ctx: ContextT) => unknown
    ): void {
        checkMethodName(method);
        if (typeof handlerOrSchemas !== 'function') checkSchemaHandler(method, handlerOrSchemas?.params, schemaHandler);
        const handler =
            typeof handlerOrSchemas === 'function'
                ? handlerOrSchemas
                : withParamsSchema(
                      method,
                      handlerOrSchemas.params,
                      schemaHandler as (params: unknown, ctx: unknown) => unknown
                  );
        this._setRequestHandler(method, handler as (request: JSONRPCRequest, ctx: ContextT) => unknown);
    }

    /** Stores a request handler; subclasses that wrap handlers override this (both forms of `setRequestHandler` end here). */
    protected _setRequestHandler(method: string, handler: (request: JSONRPCRequest, ctx: ContextT) => unknown): void {
        this.assertRequestHandlerCapability(method);
        (this._requestHandlers ??= new Map()).set(method, {
            handler: handler as unknown as StoredRequestHandler,
            paramsSchema: getRequestParamsSchema(method),
            shared: false
        });
    }

    /** Removes the handler for a request method. */
    removeRequestHandler(method: string): void {
        if (this._builtins.requests.has(method)) (this._requestHandlers ??= new Map()).set(method, null);
        else this._requestHandlers?.delete(method);
    }

    /** @throws {@link HandlerAlreadyRegisteredError} if a handler for `method` is registered. */
    assertCanSetRequestHandler(method: string): void {
        if (this._requestEntry(method)) throw new HandlerAlreadyRegisteredError(method);
    }

    /**
     * Registers (or replaces) the handler for a notification method.
     *
     * - `(method, handler)`: params of the protocol's notifications are validated; the handler gets the
     *   notification.
     * - `(method, { params }, handler)`: for custom notifications; params (`{}` when absent) are validated with
     *   the Standard Schema and the handler gets the parsed params and the notification. Invalid ones are
     *   reported through `onerror` and the handler is not called.
     */
    setNotificationHandler<M extends string>(
        method: M,
        handler: (notification: NotificationFor<M>) => void | Promise<void>
    ): void;
    setNotificationHandler<P extends StandardSchemaV1>(
        method: string,
        schemas: { params: P },
        handler: (params: StandardSchemaV1.InferOutput<P>, notification: Notification) => void | Promise<void>
    ): void;
    setNotificationHandler(
        method: string,
        handlerOrSchemas: ((notification: never) => void | Promise<void>) | { params: StandardSchemaV1 },
        schemaHandler?: (params: never, notification: Notification) => void | Promise<void>
    ): void {
        checkMethodName(method);
        if (typeof handlerOrSchemas !== 'function') checkSchemaHandler(method, handlerOrSchemas?.params, schemaHandler);
        const handler =
            typeof handlerOrSchemas === 'function'
                ? handlerOrSchemas
                : notificationWithParamsSchema(
                      method,
                      handlerOrSchemas.params,
                      schemaHandler as (params: unknown, notification: Notification) => void | Promise<void>
                  );
        (this._notificationHandlers ??= new Map()).set(method, {
            handler: handler as unknown as StoredNotificationHandler,
            paramsSchema: getNotificationParamsSchema(method),
            shared: false
        });
    }

    /** Removes the handler for a notification method. */
    removeNotificationHandler(method: string): void {
        if (this._builtins.notifications.has(method)) (this._notificationHandlers ??= new Map()).set(method, null);
        else this._notificationHandlers?.delete(method);
    }

    /** The request handler for `method`: this instance's own, else the shared built-in (unless removed). */
    private _requestEntry(method: string): RequestHandlerEntry | undefined {
        const own = this._requestHandlers?.get(method);
        return own === undefined ? this._builtins.requests.get(method) : (own ?? undefined);
    }

    private _notificationEntry(method: string): NotificationHandlerEntry | undefined {
        const own = this._notificationHandlers?.get(method);
        return own === undefined ? this._builtins.notifications.get(method) : (own ?? undefined);
    }

    // ----- outgoing ---------------------------------------------------------------------------------------

    /**
     * Sends a request and resolves with its result: `request({ method, params }, options?)` (the v2 shape) checks
     * the result against the schema of the method (any object for methods it does not know);
     * `request(request, resultSchema, options?)` against `resultSchema`. A second argument is taken for a schema
     * only when it is a zod schema, so an options object is never mistaken for one.
     *
     * Rejects with {@link McpError} for error responses, `RequestTimeout`, `ConnectionClosed`; with
     * {@link InvalidResultError} when the result does not match; with the abort reason when `signal` aborts.
     */
    request<M extends string>(request: { method: M; params?: object }, options?: RequestOptions): Promise<ResultFor<M>>;
    request<S extends z.core.$ZodType>(
        request: OutgoingMessage,
        resultSchema: S,
        options?: RequestOptions
    ): Promise<z.output<S>>;
    request<S extends z.core.$ZodType>(
        request: OutgoingMessage,
        schemaOrOptions?: S | RequestOptions,
        maybeOptions?: RequestOptions
    ): Promise<z.output<S>> {
        const schema = isZodSchema(schemaOrOptions)
            ? schemaOrOptions
            : ((getResultSchema(request.method) ?? ResultSchema) as unknown as S);
        const options = isZodSchema(schemaOrOptions) ? maybeOptions : (schemaOrOptions ?? maybeOptions);
        return this._request(request, schema, options).catch(async (error: unknown) => {
            if (!(await this._retryAfter(error, request))) throw error;
            return this._request(request, schema, options);
        });
    }

    /**
     * Asked when a request sent with {@link request} failed with `error`: resolve `true` to send it once more (a role
     * that recovered from the failure, e.g. the client after re-initializing an expired session), `false` to let it
     * fail; a rejection becomes the request's. Default: `false`.
     */
    protected _retryAfter(_error: unknown, _request: OutgoingMessage): Promise<boolean> {
        return Promise.resolve(false);
    }

    /**
     * The `mcpReq` view of a request being handled (see {@link McpReqContext}). Roles add what they can
     * send (the server: `log`, `elicitInput`, `requestSampling`).
     *
     * @internal
     */
    _requestContext(extra: RequestHandlerExtra, request: JSONRPCRequest): McpReqContext {
        return baseRequestContext(this, extra, request);
    }

    /**
     * {@link request} that also tells `onId` the JSON-RPC id it was sent with (to correlate what arrives about it,
     * e.g. a `subscriptions/listen` stream's acknowledgement).
     *
     * @internal
     */
    protected _requestWithId<S extends z.core.$ZodType>(
        request: OutgoingMessage,
        resultSchema: S,
        options: RequestOptions | undefined,
        onId: (id: RequestId) => void
    ): Promise<z.output<S>> {
        return this._request(request, resultSchema, options, onId);
    }

    private _request<S extends z.core.$ZodType>(
        request: OutgoingMessage,
        resultSchema: S,
        options?: RequestOptions,
        onId?: (id: RequestId) => void
    ): Promise<z.output<S>> {
        return new Promise<z.output<S>>((resolve, reject) => {
            const transport = this._transport;
            if (!transport) return reject(new NotConnectedError());
            if (this._strict) {
                try {
                    this.assertCapabilityForMethod(request.method);
                } catch (error) {
                    return reject(error);
                }
            }
            const signal = options?.signal;
            if (signal?.aborted) return reject(abortReason(signal));

            const id = this._nextRequestId++;
            onId?.(id);
            let params = this._outgoingParams(request.method, request.params as Record<string, unknown> | undefined);
            if (options?.onprogress) {
                const meta = params?._meta as Record<string, unknown> | undefined;
                params = { ...params, _meta: { ...meta, progressToken: id } };
            }
            const message: JSONRPCRequest =
                params === undefined
                    ? { jsonrpc: JSONRPC_VERSION, id, method: request.method }
                    : { jsonrpc: JSONRPC_VERSION, id, method: request.method, params };

            const outgoing = (this._outgoing ??= new PendingRequests(this));
            const timeout = options?.timeout ?? this._defaultTimeout;
            outgoing.track(
                id,
                request.method,
                resultSchema,
                resolve as (value: unknown) => void,
                reject,
                timeout,
                options
            );

            const sendOptions: TransportSendOptions = {};
            if (options?.relatedRequestId !== undefined) sendOptions.relatedRequestId = options.relatedRequestId;
            if (options?.resumptionToken !== undefined) sendOptions.resumptionToken = options.resumptionToken;
            if (options?.onresumptiontoken) sendOptions.onresumptiontoken = options.onresumptiontoken;
            if (options?.headers) sendOptions.headers = options.headers;
            const onSendError = (error: unknown): void => outgoing.fail(id, error);
            sendOptions.onrequesterror = onSendError;
            try {
                transport.send(message, sendOptions).catch(onSendError);
            } catch (error) {
                onSendError(error);
            }
        });
    }

    /**
     * Sends a notification. Parameterless notifications of a debounced method coalesce within one tick.
     *
     * @throws {@link NotConnectedError} when not connected.
     */
    async notification(notification: OutgoingMessage, options?: NotificationOptions): Promise<void> {
        if (!this._transport) throw new NotConnectedError();
        this.assertNotificationCapability(notification.method);
        const relatedRequestId = options?.relatedRequestId;

        if (this._debounced.has(notification.method) && !notification.params && relatedRequestId === undefined) {
            const debouncePending = (this._debouncePending ??= new Set());
            if (debouncePending.has(notification.method)) return;
            debouncePending.add(notification.method);
            const method = notification.method;
            queueMicrotask(() => {
                this._debouncePending?.delete(method);
                const transport = this._transport;
                if (!transport) return;
                transport
                    .send({ jsonrpc: JSONRPC_VERSION, method })
                    .catch((error: unknown) => this._reportError(error));
            });
            return;
        }

        const params = this._outgoingParams(
            notification.method,
            notification.params as Record<string, unknown> | undefined
        );
        const message: JSONRPCNotification =
            params === undefined
                ? { jsonrpc: JSONRPC_VERSION, method: notification.method }
                : { jsonrpc: JSONRPC_VERSION, method: notification.method, params };
        await this._transport.send(message, relatedRequestId === undefined ? undefined : { relatedRequestId });
    }

    // ----- incoming ---------------------------------------------------------------------------------------

    private _onmessage(transport: Transport, message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
        if ('method' in message) {
            if ('id' in message) this._onrequest(transport, message, extra);
            else this._onnotification(message);
        } else {
            this._onresponse(message);
        }
    }

    private _onresponse(response: JSONRPCResultResponse | JSONRPCErrorResponse): void {
        if (this._outgoing?.complete(response)) return;
        const detail = 'error' in response ? ` (error ${response.error.code}: ${response.error.message})` : '';
        this._reportError(new Error(`Received a response for an unknown request id ${String(response.id)}${detail}`));
    }

    /**
     * Sees every notification before its handler (the base class does nothing; a client drops cached results a
     * change notification makes stale here).
     *
     * @internal
     */
    protected _observeNotification(_notification: JSONRPCNotification): void {}

    private _onnotification(notification: JSONRPCNotification): void {
        this._observeNotification(notification);
        const entry = this._notificationEntry(notification.method);
        let handler: StoredNotificationHandler | undefined;
        if (entry) {
            if (entry.paramsSchema) {
                const parsed = z.safeParse(entry.paramsSchema, notification.params);
                if (!parsed.success) {
                    this._reportError(
                        new McpError(
                            ErrorCode.InvalidParams,
                            `Invalid params for notification ${notification.method}: ${formatValidationError(parsed.error)}`
                        )
                    );
                    return;
                }
            }
            handler = entry.handler;
        } else {
            handler = this.fallbackNotificationHandler;
        }
        if (!handler) return;
        try {
            const result = entry?.shared ? handler.call(this, notification) : handler(notification);
            if (result) result.catch((error: unknown) => this._reportError(error));
        } catch (error) {
            this._reportError(error);
        }
    }

    /**
     * Refuses a request before dispatch (its JSON-RPC error), or lets it through (`undefined`). The base class lets
     * everything through; `Server` checks modern (2026-07-28) requests here.
     *
     * @internal
     */
    protected _refuseRequest(_request: JSONRPCRequest): JSONRPCErrorObject | undefined {
        return undefined;
    }

    /**
     * The result actually sent for a request (the base class sends the handler's result unchanged).
     *
     * @internal
     */
    protected _completeResult(_request: JSONRPCRequest, result: Result): Result {
        return result;
    }

    /**
     * The error actually sent for a request (the base class sends it unchanged).
     *
     * @internal
     */
    protected _completeError(_request: JSONRPCRequest, error: JSONRPCErrorObject): JSONRPCErrorObject {
        return error;
    }

    /**
     * Work to finish before the handler runs (the base class has none). `Server` verifies a modern request's
     * `requestState` here; a rejection is sent as the request's error response.
     *
     * @internal
     */
    protected _prepareRequest(_request: JSONRPCRequest, _extra: RequestHandlerExtra): Promise<void> | undefined {
        return undefined;
    }

    /**
     * The params actually sent with an outgoing request or notification (the base class sends them unchanged; a
     * client in the 2026-07-28 era adds its per-request `_meta` here).
     *
     * @internal
     */
    protected _outgoingParams(
        _method: string,
        params: Record<string, unknown> | undefined
    ): Record<string, unknown> | undefined {
        return params;
    }

    /**
     * Runs this side's own handler for `request` in-process, as if the peer had sent it (params checked against
     * the handler's schema, same context shape), and resolves with its result. A 2026-07-28 client fulfils a
     * server's `input_required` requests this way, through the handlers it registered for `elicitation/create`,
     * `sampling/createMessage` and `roots/list`.
     *
     * @throws {@link ProtocolError} `-32601` when no handler serves the method, `-32602` for params its schema rejects.
     * @internal
     */
    protected async _handleLocally(
        request: { method: string; params?: Record<string, unknown> },
        signal: AbortSignal
    ): Promise<Result> {
        const entry = this._requestEntry(request.method);
        const handler = entry?.handler;
        const transport = this._transport;
        if (!handler || !transport) {
            throw new McpError(ErrorCode.MethodNotFound, `No handler for ${request.method}`);
        }
        if (entry.paramsSchema) {
            const parsed = z.safeParse(entry.paramsSchema, request.params);
            if (!parsed.success) {
                throw new ProtocolError(
                    ErrorCode.InvalidParams,
                    `Invalid params for ${request.method}: ${formatValidationError(parsed.error)}`
                );
            }
        }
        const message: JSONRPCRequest = {
            jsonrpc: JSONRPC_VERSION,
            id: `local-${this._nextRequestId++}`,
            method: request.method,
            ...(request.params === undefined ? {} : { params: request.params })
        };
        const extra = buildRequestHandlerExtra(this, transport, message, { signal }, undefined);
        return await handler.call(entry.shared ? this : undefined, message, extra);
    }

    /** True when a handler (or the fallback handler) serves `method`. */
    protected _servesMethod(method: string): boolean {
        return this._requestEntry(method)?.handler !== undefined || this.fallbackRequestHandler !== undefined;
    }

    private _onrequest(transport: Transport, request: JSONRPCRequest, extra: MessageExtraInfo | undefined): void {
        const refusal = this._refuseRequest(request);
        if (refusal) {
            this._respondError(transport, request.id, refusal);
            return;
        }
        const entry = this._requestEntry(request.method);
        const handler = entry?.handler ?? (this.fallbackRequestHandler as StoredRequestHandler | undefined);
        if (!handler) {
            this._respondError(transport, request.id, {
                code: ErrorCode.MethodNotFound,
                message: `Method not found: ${request.method}`
            });
            return;
        }
        if (entry?.paramsSchema) {
            const parsed = z.safeParse(entry.paramsSchema, request.params);
            if (!parsed.success) {
                this._respondError(transport, request.id, {
                    code: ErrorCode.InvalidParams,
                    message: `Invalid params for ${request.method}: ${formatValidationError(parsed.error)}`
                });
                return;
            }
        }

        const id = request.id;
        const controller = new LazyAbortController();
        (this._inflight ??= new Map()).set(id, controller);
        const handlerExtra = buildRequestHandlerExtra(this, transport, request, controller, extra);
        const self = entry?.shared ? this : undefined;

        const prepared = this._prepareRequest(request, handlerExtra);
        void this._runRequest(transport, request, handler, self, handlerExtra, controller, prepared);
    }

    /**
     * Runs a request's handler (after `prepared`, when set) and sends its result or error — unless the request was
     * cancelled or the transport changed meanwhile — then forgets the request. One async frame per request.
     */
    private async _runRequest(
        transport: Transport,
        request: JSONRPCRequest,
        handler: StoredRequestHandler,
        self: this | undefined,
        handlerExtra: RequestHandlerExtra,
        controller: LazyAbortController,
        prepared: Promise<void> | undefined
    ): Promise<void> {
        const id = request.id;
        try {
            let result: Result | undefined;
            let failure: unknown;
            let failed = false;
            try {
                if (prepared !== undefined) await prepared;
                result = await handler.call(self, request, handlerExtra);
            } catch (error) {
                failed = true;
                failure = error;
            }
            if (controller.aborted || this._transport !== transport) return;
            const response: JSONRPCMessage = failed
                ? { jsonrpc: JSONRPC_VERSION, id, error: this._completeError(request, toErrorObject(failure)) }
                : ({
                      jsonrpc: JSONRPC_VERSION,
                      id,
                      result: this._completeResult(request, result as Result)
                  } as JSONRPCResultResponse);
            await transport.send(response, { relatedRequestId: id });
        } catch (error) {
            this._reportError(error);
        } finally {
            const inflight = this._inflight;
            if (inflight?.get(id) === controller) {
                inflight.delete(id);
                if (inflight.size === 0) this._inflight = undefined;
            }
        }
    }

    private _respondError(transport: Transport, id: RequestId, error: JSONRPCErrorObject): void {
        transport
            .send({ jsonrpc: JSONRPC_VERSION, id, error }, { relatedRequestId: id })
            .catch((sendError: unknown) => this._reportError(sendError));
    }

    private _onCancelled(notification: JSONRPCNotification): void {
        const requestId = notification.params?.requestId as RequestId | undefined;
        if (requestId === undefined) return;
        const reason = notification.params?.reason;
        this._inflight?.get(requestId)?.abort(typeof reason === 'string' ? reason : 'Cancelled by peer');
    }

    private _onProgress(notification: JSONRPCNotification): void {
        if (this._outgoing?.progress(notification)) return;
        const token = String(notification.params?.progressToken);
        this._reportError(new Error(`Received progress for an unknown progress token ${token}`));
    }

    private _onclose(transport: Transport): void {
        if (this._transport !== transport) return;
        this._transport = undefined;
        this._debouncePending = undefined;
        let error: ConnectionClosedError | undefined;
        const closed = (): ConnectionClosedError => (error ??= new ConnectionClosedError('Connection closed'));
        const outgoing = this._outgoing;
        this._outgoing = undefined;
        outgoing?.failAll(closed);
        const inflight = this._inflight;
        this._inflight = undefined;
        if (inflight) for (const controller of inflight.values()) controller.abort(closed());
        this.onclose?.();
    }

    private _reportError(error: unknown): void {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
}

/** True for a zod schema (classic or mini): what `request` takes for a result schema. */
function isZodSchema(value: unknown): value is z.core.$ZodType {
    return typeof value === 'object' && value !== null && '_zod' in value;
}
