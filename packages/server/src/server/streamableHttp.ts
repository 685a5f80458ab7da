/**
 * The server side of the Streamable HTTP transport over web-standard `Request` / `Response`, so it runs on
 * Node 20+, Deno, Bun and Workers alike.
 *
 * Implements MCP 2025-11-25, Basic › Transports › Streamable HTTP: POST carries client messages and answers
 * with `202`, a JSON body or an SSE stream; GET opens the standalone server-to-client SSE stream; DELETE ends
 * the session; sessions (`Mcp-Session-Id`), `MCP-Protocol-Version`, resumability (`Last-Event-ID`) and SSE
 * polling (priming events, early stream close).
 *
 * A request the client cancels (MCP 2025-11-25, Basic › Utilities › Cancellation) gets no response, so its POST
 * is finished when the `notifications/cancelled` naming it arrives: its SSE stream closes once nothing else is
 * pending on it, and a JSON-mode POST is answered with the other responses of its batch, or `202 Accepted`
 * with no body when none is left.
 *
 * @module
 */
import {
    DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    ErrorCode,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS
} from '@modelcontextprotocol/core';
import type {
    JSONRPCMessage,
    JSONRPCRequest,
    McpParamHeader,
    JSONRPCResponse,
    MessageExtraInfo,
    RequestId,
    Transport,
    TransportSendOptions
} from '@modelcontextprotocol/core';
import { RequestAdmission, checkTransportOptions } from './admission.js';
import type { HandleRequestOptions, WebStandardStreamableHTTPServerTransportOptions } from './admission.js';
import { findScopeChallengeNow, scopeChallengeFailure } from './auth/scopeChallenge.js';
import type { ScopeChallenge } from './auth/scopeChallenge.js';
import type { ScopeChallengeHandler } from './auth/scopeChallenge.js';
import { checkModernRequest, envelopeRejection, messageEra } from './era.js';
import type { EraRejection } from './era.js';
import type { EventId, EventStore, StreamId } from './eventStore.js';
import {
    SseWriter,
    WebRequestView,
    lazyRequestInfo,
    postHeadersRejection,
    protocolVersionRejection,
    sseEvent,
    toResponse,
    writeIfAttached
} from './httpExchange.js';
import type { Attachment, HeldEvent, Reply, RequestView, SseReply, StreamState } from './httpExchange.js';
import { TRANSPORT_ERROR_CODE, errorReply } from './replies.js';
import type { BodyReply } from './replies.js';
import {
    modernErrorStatus,
    modernHeaderRejection,
    paramHeaderRejection,
    rejectionReply,
    versionHeaderRejection
} from './modernExchange.js';
import { decodeMcpPost, refusesBatches } from './requestBody.js';
import { ServerTransportError } from './transportErrors.js';

export type { HandleRequestOptions, WebStandardStreamableHTTPServerTransportOptions } from './admission.js';

/** How many cancelled request ids a transport remembers, to drop messages still sent for them. */
const CANCELLED_IDS_KEPT = 128;
/** The first revision whose clients understand priming events (empty-data SSE events). */
const PRIMING_SINCE = '2025-11-25';
/** What the transport stores to mint a priming event's id (see {@link EventStore}). */
const PRIMING_MARKER = {} as JSONRPCMessage;

/**
 * Streamable HTTP server transport on web-standard `Request` / `Response`.
 *
 * @example
 * ```ts
 * const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
 * await server.connect(transport);
 * export default { fetch: (request: Request) => transport.handleRequest(request) };
 * ```
 */
export class WebStandardStreamableHTTPServerTransport implements Transport {
    /** The session id, once `initialize` was received (stateful mode). */
    sessionId?: string | undefined;
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

    private readonly _newSessionId: (() => string) | undefined;
    private readonly _onSessionInitialized: ((sessionId: string) => void | Promise<void>) | undefined;
    private readonly _onSessionClosed: ((sessionId: string) => void | Promise<void>) | undefined;
    private readonly _jsonResponse: boolean;
    private readonly _store: EventStore | undefined;
    private readonly _retryInterval: number | undefined;
    private readonly _admission: RequestAdmission;
    private readonly _maxBodyBytes: number | undefined;
    private readonly _maxBatchSize: number | undefined;
    private readonly _closeStandalone = (): void => {
        if (this._standalone) this._detach(this._standalone);
    };
    /** The revision `initialize` negotiated, as reported by the server through {@link setProtocolVersion}. */
    private _negotiatedVersion: string | undefined;
    private _supportedVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
    private _scopeChallenge: ScopeChallengeHandler | undefined;
    private _modernGate: ((message: JSONRPCMessage) => EraRejection | undefined) | undefined;
    private _paramHeaders: ((tool: unknown) => readonly McpParamHeader[] | undefined) | undefined;
    private _started = false;
    private _closed = false;
    private _streamCount = 0;
    /** The standalone GET stream's state; exists once the session is initialized (stateful mode). */
    private _standalone: StreamState | undefined;
    /** Open POSTs by stream id. */
    private readonly _streams = new Map<StreamId, StreamState>();
    /** The POST stream each unanswered request id belongs to. */
    private readonly _requests = new Map<RequestId, StreamState>();
    /** Requests released by `notifications/cancelled`, oldest first; bounded by {@link CANCELLED_IDS_KEPT}. */
    private readonly _cancelled = new Set<RequestId>();

    /** @throws {@link ServerTransportError} `INVALID_OPTIONS` on out-of-range or contradictory options. */
    constructor(options: WebStandardStreamableHTTPServerTransportOptions = {}) {
        checkTransportOptions(options);
        this._newSessionId = options.sessionIdGenerator;
        this._onSessionInitialized = options.onsessioninitialized;
        this._onSessionClosed = options.onsessionclosed;
        this._jsonResponse = options.enableJsonResponse ?? false;
        this._store = options.sessionIdGenerator ? options.eventStore : undefined;
        this._retryInterval = options.retryInterval;
        this._maxBodyBytes = options.maxBodyBytes;
        this._maxBatchSize = options.maxBatchSize;
        this._admission = new RequestAdmission(options);
    }

    /** @inheritDoc */
    async start(): Promise<void> {
        if (this._started) throw new ServerTransportError('ALREADY_STARTED', 'Transport already started');
        this._started = true;
    }

    /**
     * Records the revision negotiated by `initialize` (called by the server). The session's later requests are
     * then served as coming from a client on that revision (priming events, `closeSSEStream`) whatever their
     * `MCP-Protocol-Version` header says, since the header only SHOULD repeat the negotiated revision
     * (MCP 2025-11-25, Basic › Transports › Protocol Version Header).
     */
    setProtocolVersion(version: string): void {
        this._negotiatedVersion = version;
    }

    /** The protocol versions accepted in `MCP-Protocol-Version` (default: every version this SDK supports). */
    setSupportedProtocolVersions(versions: string[]): void {
        this._supportedVersions = [...versions];
    }

    /**
     * Asks `resolver` about every JSON-RPC request of each POST — the decoded messages about to be dispatched —
     * and answers the first challenge with `403 insufficient_scope` instead of dispatching anything
     * (`McpServer.connect` sets this to route to each tool's, resource's or prompt's `scopeChallenge`).
     */
    setScopeChallengeResolver(resolver: ScopeChallengeHandler): void {
        this._scopeChallenge = resolver;
    }

    /**
     * Sets the check a modern (2026-07-28) message must pass before dispatch — its `_meta`, version and method —
     * so a refusal is answered with its HTTP status (400, or 404 for an unknown method). `Server.connect` sets it;
     * without one, the transport checks `_meta` and version against the modern revisions this SDK speaks.
     */
    setModernRequestGate(gate: (message: JSONRPCMessage) => EraRejection | undefined): void {
        this._modernGate = gate;
    }

    /**
     * Sets where the `x-mcp-header` annotations of a tool come from, so a modern `tools/call`'s `Mcp-Param-*` headers
     * are held to its arguments (`McpServer.connect` sets it).
     */
    setParamHeaderResolver(resolve: (tool: unknown) => readonly McpParamHeader[] | undefined): void {
        this._paramHeaders = resolve;
    }

    /**
     * Ends the SSE stream carrying the response to `requestId`, so the client reconnects with `Last-Event-ID`
     * (useful only with an `eventStore`, which replays what it missed).
     */
    closeSSEStream(requestId: RequestId): void {
        const stream = this._requests.get(requestId);
        if (stream) this._detach(stream);
    }

    /** Ends the standalone GET stream; the client may reopen it (with `Last-Event-ID` when there is an event store). */
    closeStandaloneSSEStream(): void {
        this._closeStandalone();
    }

    /**
     * Handles one HTTP request to the MCP endpoint. Never throws: failures become HTTP error responses with a
     * JSON-RPC error body (and, for unexpected ones, a call to `onerror`).
     */
    async handleRequest(request: Request, options: HandleRequestOptions = {}): Promise<Response> {
        return toResponse(await this._handleExchange(new WebRequestView(request), options));
    }

    /**
     * {@link handleRequest} over a framework-neutral request view, answering with a {@link Reply} (the Node
     * adapter's fast path: no web `Request` / `Response` is built). Never throws.
     *
     * @internal
     */
    async _handleExchange(request: RequestView, options: HandleRequestOptions): Promise<Reply> {
        try {
            const refusal = this._admission.checkOrigin(request);
            if (refusal) return refusal;
            if (this._closed) return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
            switch (request.method) {
                case 'POST':
                    return await this._post(request, options);
                case 'GET':
                    return await this._get(request, options);
                case 'DELETE':
                    return await this._delete(request, options);
                default:
                    return this._methodNotAllowed();
            }
        } catch (error) {
            this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            if (error instanceof ServerTransportError && error.code === 'SESSION_DIRECTORY_UNAVAILABLE') {
                return errorReply(503, TRANSPORT_ERROR_CODE, 'Service Unavailable: session directory unreachable', {
                    'retry-after': '1'
                });
            }
            return errorReply(500, ErrorCode.InternalError, 'Internal server error');
        }
    }

    /**
     * Sends a message. A response, or a message with `relatedRequestId`, goes to the stream of the POST that
     * carried that request; anything else to the standalone GET stream (stored in the event store if there is
     * one, otherwise dropped while no GET stream is open). Messages for a request the client cancelled are
     * dropped: the client no longer listens for them.
     *
     * @throws {@link ServerTransportError} `TRANSPORT_CLOSED`, or `NO_STREAM_FOR_REQUEST` for a response to
     * a request this transport is not waiting on.
     */
    async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
        if (this._closed) throw new ServerTransportError('TRANSPORT_CLOSED', 'Transport is closed');
        const isResponse = 'result' in message || 'error' in message;
        const requestId = isResponse ? (message as JSONRPCResponse).id : options?.relatedRequestId;
        const stream = requestId === undefined ? undefined : this._requests.get(requestId);
        if (!stream && requestId !== undefined && this._cancelled.has(requestId)) return;
        if (stream?.lazy) {
            stream.lazy(message);
            return;
        }
        if (isResponse) {
            if (!stream || requestId === undefined) {
                throw new ServerTransportError(
                    'NO_STREAM_FOR_REQUEST',
                    `No pending request with id ${JSON.stringify(requestId)}`
                );
            }
            this._requests.delete(requestId);
            if (stream.json) stream.json.responses.push(message);
            else await this._deliver(stream, message);
            stream.pending.delete(requestId);
            if (stream.pending.size === 0) this._finish(stream);
            return;
        }
        const target = stream && !stream.json ? stream : this._standalone;
        if (target) await this._deliver(target, message);
    }

    /** Closes every stream and ends the session; `onclose` fires once. */
    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        for (const stream of this._streams.values()) {
            if (stream.lazy) {
                for (const id of stream.pending) {
                    stream.lazy({
                        jsonrpc: '2.0',
                        id,
                        error: { code: ErrorCode.ConnectionClosed, message: 'Connection closed' }
                    });
                }
            } else if (stream.json) {
                for (const id of stream.pending) {
                    stream.json.responses.push({
                        jsonrpc: '2.0',
                        id,
                        error: { code: ErrorCode.ConnectionClosed, message: 'Connection closed' }
                    });
                }
                stream.json.resolve();
            } else {
                this._detach(stream);
            }
        }
        if (this._standalone) this._detach(this._standalone);
        this._streams.clear();
        this._requests.clear();
        this._cancelled.clear();
        this.onclose?.();
    }

    private async _post(request: RequestView, options: HandleRequestOptions): Promise<Reply> {
        const decoded =
            postHeadersRejection(request) ??
            (await decodeMcpPost(request, {
                parsedBody: options.parsedBody,
                maxBodyBytes: this._maxBodyBytes,
                maxBatchSize: this._maxBatchSize
            }));
        if (!('messages' in decoded)) return decoded;
        const { messages, isBatch } = decoded;
        const headerVersion = request.header('mcp-protocol-version') ?? undefined;
        if (messages.some(message => messageEra(message, headerVersion) === 'modern')) {
            return this._postModern(request, options, messages, isBatch);
        }
        const requests: JSONRPCRequest[] = [];
        let initialize: JSONRPCRequest | undefined;
        let cancelled: unknown[] | undefined;
        for (const message of messages) {
            if (!('method' in message)) continue;
            if ('id' in message) {
                requests.push(message);
                if (message.method === 'initialize') initialize = message;
            } else if (message.method === 'notifications/cancelled') {
                (cancelled ??= []).push(message.params?.requestId);
            }
        }
        let protocolVersion: string;
        if (initialize) {
            if (isBatch) {
                return errorReply(400, ErrorCode.InvalidRequest, 'Invalid Request: initialize must be sent alone');
            }
            if (this._newSessionId) {
                if (this.sessionId !== undefined) {
                    // Only the session's own principal learns that it exists; anyone else gets what an unknown
                    // session gets.
                    const rejection =
                        request.headerValues('mcp-session-id').length > 0
                            ? this._checkSession(request, options)
                            : undefined;
                    if (rejection && rejection.status === 404) return rejection;
                    return errorReply(400, ErrorCode.InvalidRequest, 'Invalid Request: server already initialized');
                }
            }
            const pending = this._scopeRejection(requests, options);
            const challenged = pending instanceof Promise ? await pending : pending;
            if (challenged) return challenged;
            if (this._newSessionId) {
                const sessionId = this._newSessionId();
                this.sessionId = sessionId;
                this._admission.openSession(sessionId, options.authInfo);
                this._standalone = this._newStream(`${sessionId}:get`, undefined);
                await this._onSessionInitialized?.(sessionId);
            }
            const requested = initialize.params?.protocolVersion;
            protocolVersion = typeof requested === 'string' ? requested : DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
        } else {
            let rejection: BodyReply | undefined | Promise<BodyReply | undefined> =
                this._checkSession(request, options) ??
                protocolVersionRejection(request, this._supportedVersions) ??
                this._scopeRejection(requests, options);
            if (rejection instanceof Promise) rejection = await rejection;
            if (rejection) return rejection;
            protocolVersion =
                this._negotiatedVersion ??
                request.header('mcp-protocol-version') ??
                DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
            if (isBatch && refusesBatches(protocolVersion)) {
                return errorReply(
                    400,
                    ErrorCode.InvalidRequest,
                    `Invalid Request: JSON-RPC batches are not supported in protocol revision ${protocolVersion}`
                );
            }
        }

        if (this._closed) return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
        return this._answer(request, options, { messages, requests, isBatch, cancelled, protocolVersion });
    }

    /**
     * A modern (2026-07-28) POST: one message, served without a session (no `Mcp-Session-Id` read or sent, no
     * resumability), after its headers and `_meta` pass the era's checks.
     */
    private async _postModern(
        request: RequestView,
        options: HandleRequestOptions,
        messages: readonly JSONRPCMessage[],
        isBatch: boolean
    ): Promise<Reply> {
        const message = messages[0];
        if (isBatch || messages.length !== 1 || message === undefined || !('method' in message)) {
            return errorReply(
                400,
                ErrorCode.InvalidRequest,
                'Invalid Request: a 2026-07-28 POST carries exactly one request or notification'
            );
        }
        const id = 'id' in message ? message.id : undefined;
        const refusal =
            versionHeaderRejection(request) ??
            envelopeRejection(message) ??
            modernHeaderRejection(request, message) ??
            this._checkModern(message) ??
            this._paramRejection(request, message);
        if (refusal) return rejectionReply(refusal, id);
        const requests = id === undefined ? [] : [message as JSONRPCRequest];
        const pending = this._scopeRejection(requests, options);
        const challenged = pending instanceof Promise ? await pending : pending;
        if (challenged) return challenged;
        if (this._closed) return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
        const cancelled = message.method === 'notifications/cancelled' ? [message.params?.requestId] : undefined;
        return this._answer(request, options, { messages, requests, isBatch: false, cancelled, modern: true });
    }

    private _paramRejection(request: RequestView, message: JSONRPCMessage): EraRejection | undefined {
        if (this._paramHeaders === undefined || !('method' in message) || message.method !== 'tools/call')
            return undefined;
        const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
        const headers = this._paramHeaders(params?.name);
        return headers === undefined || headers.length === 0
            ? undefined
            : paramHeaderRejection(request, params?.arguments, headers);
    }

    private _checkModern(message: JSONRPCMessage): EraRejection | undefined {
        if (this._modernGate) return this._modernGate(message);
        return checkModernRequest(message, {
            supportedVersions: SUPPORTED_MODERN_PROTOCOL_VERSIONS,
            hasMethod: () => true
        });
    }

    /** Dispatches a POST's messages and answers with `202`, one JSON body, or an SSE stream. */
    private async _answer(
        request: RequestView,
        options: HandleRequestOptions,
        post: {
            messages: readonly JSONRPCMessage[];
            requests: JSONRPCRequest[];
            isBatch: boolean;
            cancelled: unknown[] | undefined;
            protocolVersion?: string;
            modern?: boolean;
        }
    ): Promise<Reply> {
        const { messages, requests, isBatch, cancelled } = post;
        if (requests.length === 0) {
            this._dispatch(messages, this._extra(request, options, undefined), cancelled);
            return { status: 202, headers: this._replyHeaders(!post.modern), body: null };
        }
        if (post.modern && !this._jsonResponse) return this._answerLazily(request, options, messages, requests[0]!);

        if (this._jsonResponse) {
            let resolve!: () => void;
            const done = new Promise<void>(r => (resolve = r));
            const stream = this._openPostStream(requests, { responses: [], resolve });
            this._dispatch(messages, this._extra(request, options, undefined), cancelled);
            await done;
            const responses = stream.json!.responses;
            // Every request of the POST was cancelled: there is nothing to answer with.
            if (responses.length === 0) return { status: 202, headers: this._replyHeaders(!post.modern), body: null };
            const headers = this._replyHeaders(!post.modern, 'json');
            const only = responses[0] as JSONRPCResponse;
            const status = post.modern && 'error' in only ? modernErrorStatus(only.error.code) : 200;
            return { status, headers, body: JSON.stringify(isBatch ? responses : only) };
        }

        const stream = this._openPostStream(requests, undefined);
        const reply = this._sseReply(stream, !post.modern);
        const resumable = !post.modern && this._store !== undefined && (post.protocolVersion ?? '') >= PRIMING_SINCE;
        if (resumable) await this._prime(stream);
        this._dispatch(messages, this._extra(request, options, resumable ? stream : undefined), cancelled);
        return reply;
    }

    /**
     * A modern request answered by what comes first: its response alone becomes one JSON body (with the status
     * its error code calls for), anything else first (progress, logs) opens an SSE stream that carries the rest.
     */
    private _answerLazily(
        request: RequestView,
        options: HandleRequestOptions,
        messages: readonly JSONRPCMessage[],
        only: JSONRPCRequest
    ): Promise<Reply> {
        return new Promise<Reply>(resolve => {
            const stream = this._openPostStream([only], undefined);
            stream.modern = true;
            stream.lazy = message => {
                stream.lazy = undefined;
                if ('result' in message || 'error' in message) {
                    this._requests.delete(only.id);
                    this._streams.delete(stream.id);
                    const status = 'error' in message ? modernErrorStatus(message.error.code) : 200;
                    resolve({ status, headers: this._replyHeaders(false, 'json'), body: JSON.stringify(message) });
                    return;
                }
                stream.onClientGone = () => this._cancelStream(stream);
                resolve(this._sseReply(stream, false));
                this._deliver(stream, message).catch((error: unknown) =>
                    this.onerror?.(error instanceof Error ? error : new Error(String(error)))
                );
            };
            this._dispatch(messages, this._extra(request, options, undefined));
        });
    }

    /**
     * A modern request's client closed its response stream: that is cancellation in 2026-07-28 (Streamable HTTP,
     * Cancellation). Each request still pending on the stream gets a `notifications/cancelled` on the server's
     * behalf, so its handler's signal aborts, and nothing more is sent for it.
     */
    private _cancelStream(stream: StreamState): void {
        stream.onClientGone = undefined;
        for (const requestId of [...stream.pending]) {
            this.onmessage?.({
                jsonrpc: '2.0',
                method: 'notifications/cancelled',
                params: { requestId, reason: 'The client closed the response stream' }
            });
            this._release(requestId);
        }
    }

    /** Delivers a POST's messages, then releases the requests they cancel (see the module doc). */
    private _dispatch(messages: readonly JSONRPCMessage[], extra: MessageExtraInfo, cancelled?: unknown[]): void {
        for (const message of messages) this.onmessage?.(message, extra);
        if (cancelled) for (const requestId of cancelled) this._release(requestId);
    }

    /**
     * Drops a cancelled request from its POST, finishing the POST if it was the last: the protocol layer sends
     * no response to a cancelled request, so the POST would otherwise stay open until the session ends.
     */
    private _release(requestId: unknown): void {
        if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
        const stream = this._requests.get(requestId);
        if (!stream) return; // already answered, or not a request of this transport
        this._requests.delete(requestId);
        if (this._cancelled.size >= CANCELLED_IDS_KEPT) this._cancelled.delete(this._cancelled.values().next().value!);
        this._cancelled.add(requestId);
        stream.pending.delete(requestId);
        if (stream.pending.size === 0) this._finish(stream);
    }

    private async _get(request: RequestView, options: HandleRequestOptions): Promise<Reply> {
        if (!this._newSessionId) return this._methodNotAllowed();
        if (!(request.header('accept') ?? '').includes('text/event-stream')) {
            return errorReply(406, TRANSPORT_ERROR_CODE, 'Not Acceptable: Accept must list text/event-stream');
        }
        const rejection =
            this._checkSession(request, options) ?? protocolVersionRejection(request, this._supportedVersions);
        if (rejection) return rejection;
        const lastEventId = request.header('last-event-id');
        if (lastEventId !== null && this._store) return this._resume(this._store, lastEventId);
        const standalone = this._standalone!;
        if (standalone.writer || standalone.held) return this._conflict();
        const reply = this._sseReply(standalone);
        const version =
            this._negotiatedVersion ?? request.header('mcp-protocol-version') ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
        if (this._store && version >= PRIMING_SINCE) await this._prime(standalone);
        return reply;
    }

    private async _delete(request: RequestView, options: HandleRequestOptions): Promise<Reply> {
        if (!this._newSessionId) return this._methodNotAllowed();
        const rejection =
            this._checkSession(request, options) ?? protocolVersionRejection(request, this._supportedVersions);
        if (rejection) return rejection;
        await this._onSessionClosed?.(this.sessionId!);
        await this.close();
        return { status: 200, headers: {}, body: null };
    }

    /**
     * Reconnects a client to the stream `lastEventId` belongs to and replays what it missed, exactly once.
     * A resuming client says its previous connection is gone, so one still attached (the server may not have
     * noticed the disconnect yet) is replaced. When the store names the stream up front, the new connection is
     * attached first and live events are held until the replay ends, then sent unless the replay included them.
     */
    private async _resume(store: EventStore, lastEventId: EventId): Promise<Reply> {
        let target: Attachment | undefined;
        if (store.getStreamIdForEventId) {
            const streamId = await store.getStreamIdForEventId(lastEventId);
            if (streamId === undefined || !this._ownsStream(streamId)) return this._unknownEvent();
            target = this._takeOver(streamId, []);
        }
        const seen = new Set<EventId>();
        const early: HeldEvent[] = [];
        let streamId: StreamId;
        try {
            streamId = await store.replayEventsAfter(lastEventId, {
                send: async (eventId, message) => {
                    if (!('jsonrpc' in message)) return; // a priming marker
                    const data = JSON.stringify(message);
                    if (!target) early.push({ eventId, data });
                    else {
                        seen.add(eventId);
                        writeIfAttached(target, eventId, data);
                    }
                }
            });
        } catch {
            if (target && target.stream.writer === target.writer) this._detach(target.stream);
            return this._unknownEvent();
        }
        if (!target) {
            if (!this._ownsStream(streamId)) return this._unknownEvent();
            target = this._takeOver(streamId, undefined);
            for (const event of early) writeIfAttached(target, event.eventId, event.data);
        }
        const { stream, writer, reply } = target;
        if (stream.writer !== writer) return reply; // cancelled or replaced meanwhile
        const held = stream.held;
        stream.held = undefined;
        if (held) {
            for (const event of held) {
                if (event.eventId === undefined || !seen.has(event.eventId)) {
                    writeIfAttached(target, event.eventId, event.data);
                }
            }
        }
        if (stream !== this._standalone && stream.pending.size === 0) this._detach(stream);
        return reply;
    }

    /** Attaches a new client connection to a stream, replacing any connected one. */
    private _takeOver(streamId: StreamId, held: HeldEvent[] | undefined): Attachment {
        const stream = this._streamForReplay(streamId);
        this._detach(stream);
        stream.held = held;
        const reply = this._sseReply(stream);
        return { stream, writer: stream.writer!, reply };
    }

    /** The state of a stream being resumed: live, standalone, or a finished POST's (closed after replay). */
    private _streamForReplay(streamId: StreamId): StreamState {
        if (this._standalone && streamId === this._standalone.id) return this._standalone;
        return this._streams.get(streamId) ?? this._newStream(streamId, undefined);
    }

    private _ownsStream(streamId: StreamId): boolean {
        const prefix = `${this.sessionId}:`;
        return streamId.startsWith(prefix) && !streamId.includes(':', prefix.length);
    }

    private _newStream(id: StreamId, json: StreamState['json']): StreamState {
        return { id, writer: undefined, pending: new Set(), held: undefined, json };
    }

    private _openPostStream(requests: JSONRPCRequest[], json: StreamState['json']): StreamState {
        const stream = this._newStream(`${this.sessionId ?? ''}:${++this._streamCount}`, json);
        for (const request of requests) {
            stream.pending.add(request.id);
            this._requests.set(request.id, stream);
        }
        this._streams.set(stream.id, stream);
        return stream;
    }

    /** Creates the SSE body for a stream and attaches it as the stream's writer. */
    private _sseReply(stream: StreamState, withSession = true): SseReply {
        const writer = new SseWriter(stream);
        stream.writer = writer;
        const headers = this._replyHeaders(withSession, 'sse');
        return { status: 200, headers, sse: writer };
    }

    /** Writes the priming event (an id, empty data) so the client can resume from the very start. */
    private async _prime(stream: StreamState): Promise<void> {
        const eventId = await this._store!.storeEvent(stream.id, PRIMING_MARKER);
        const retry = this._retryInterval === undefined ? '' : `retry: ${this._retryInterval}\n`;
        stream.writer?.write(`id: ${eventId}\n${retry}data: \n\n`);
    }

    /** Stores (if there is a store) and writes one message to a stream, serialising it once. */
    private async _deliver(stream: StreamState, message: JSONRPCMessage): Promise<void> {
        let eventId: EventId | undefined;
        if (this._store && !stream.modern) eventId = await this._store.storeEvent(stream.id, message);
        else if (!stream.writer) return;
        const data = JSON.stringify(message);
        if (stream.held) stream.held.push({ eventId, data });
        else this._enqueue(stream, eventId, data);
    }

    private _enqueue(stream: StreamState, eventId: EventId | undefined, data: string): void {
        stream.writer?.write(sseEvent(eventId, data));
    }

    /** All responses of a POST are out: end its HTTP response. */
    private _finish(stream: StreamState): void {
        this._streams.delete(stream.id);
        if (stream.json) stream.json.resolve();
        else if (!stream.held) this._detach(stream);
    }

    /** Ends the connected client's body, if any; the stream's state survives for a later resume. */
    /** The `403` for the first request of the POST that its scope challenge resolver challenges. */
    /** The `403` of the first scope challenge among `requests`; synchronous unless a handler answers with a promise. */
    private _scopeRejection(
        requests: readonly JSONRPCRequest[],
        options: HandleRequestOptions
    ): BodyReply | undefined | Promise<BodyReply | undefined> {
        if (this._scopeChallenge === undefined || requests.length === 0) return undefined;
        const found = findScopeChallengeNow(requests, options.authInfo, this._scopeChallenge);
        if (found === undefined) return undefined;
        if (found instanceof Promise) return found.then(challenge => challenge && challengeReply(challenge, options));
        return challengeReply(found, options);
    }

    private _detach(stream: StreamState): void {
        const writer = stream.writer;
        stream.writer = undefined;
        stream.held = undefined;
        writer?.end();
    }

    /** The extra info of a POST's messages; `closeSSEStream` only for a `resumable` (primed) stream. */
    private _extra(
        request: RequestView,
        options: HandleRequestOptions,
        resumable: StreamState | undefined
    ): MessageExtraInfo {
        const extra: MessageExtraInfo = { requestInfo: lazyRequestInfo(request) };
        if (options.authInfo) extra.authInfo = options.authInfo;
        if (this._store) {
            if (resumable) extra.closeSSEStream = () => this._detach(resumable);
            extra.closeStandaloneSSEStream = this._closeStandalone;
        }
        return extra;
    }

    private _checkSession(request: RequestView, options: HandleRequestOptions): BodyReply | undefined {
        return this._newSessionId ? this._admission.checkSession(request, options.authInfo) : undefined;
    }

    /**
     * The headers of a reply: the session id (when `withSession` and there is one), then the content type of a
     * JSON body or an SSE stream. Built without spreads: this runs for every response.
     */
    private _replyHeaders(withSession: boolean, body?: 'json' | 'sse'): Record<string, string> {
        const sessionId = withSession ? this.sessionId : undefined;
        const headers: Record<string, string> = sessionId === undefined ? {} : { 'mcp-session-id': sessionId };
        if (body === 'json') headers['content-type'] = 'application/json';
        else if (body === 'sse') {
            headers['content-type'] = 'text/event-stream';
            headers['cache-control'] = 'no-cache, no-transform';
        }
        return headers;
    }

    private _methodNotAllowed(): BodyReply {
        return errorReply(405, TRANSPORT_ERROR_CODE, 'Method Not Allowed', {
            allow: this._newSessionId ? 'GET, POST, DELETE' : 'POST'
        });
    }

    private _conflict(): BodyReply {
        return errorReply(409, TRANSPORT_ERROR_CODE, 'Conflict: this stream already has a connected client');
    }

    private _unknownEvent(): BodyReply {
        return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: unknown Last-Event-ID');
    }
}

/** The `403 insufficient_scope` reply of a scope challenge. */
function challengeReply(challenge: ScopeChallenge, options: HandleRequestOptions): BodyReply {
    const failure = scopeChallengeFailure(challenge, options.authInfo);
    return { status: failure.status, headers: failure.headers, body: JSON.stringify(failure.body) };
}
