/**
 * Client side of the Streamable HTTP transport (MCP 2025-11-25, Basic / Transports, "Streamable HTTP").
 *
 * Every message is POSTed to one MCP endpoint; the server answers with `202 Accepted`, a JSON body, or an SSE
 * stream. A standalone GET stream carries server-initiated messages. SSE streams are resumed with
 * `Last-Event-ID` after a disconnection ("Resumability and Redelivery").
 *
 * When the client cancels a request (it sends `notifications/cancelled`, Basic / Utilities / Cancellation), the
 * transport stops waiting for that request's answer: it aborts the POST if the server has not answered yet, and
 * stops following (or resuming) the request's SSE stream.
 *
 * @module
 */
import type {
    FetchLike,
    JSONRPCMessage,
    MessageExtraInfo,
    RequestId,
    Transport,
    TransportSendOptions
} from '@modelcontextprotocol/core';
import {
    encodeMcpHeaderValue,
    isJSONRPCNotification,
    isJSONRPCRequest,
    isJSONRPCResponse,
    MCP_NAME_SOURCES,
    PROTOCOL_VERSION_META_KEY
} from '@modelcontextprotocol/core';
import { UnauthorizedError } from './auth/errors.js';
import { operationOf } from './auth/operation.js';
import { createTransportAuth } from './auth/transportOptions.js';
import type { TransportAuth, TransportAuthOptions } from './auth/transportOptions.js';
import { checkRedirectPolicy, fetchWithRedirectPolicy } from './redirects.js';
import type { RedirectPolicy } from './redirects.js';
import { discardBody, mediaType, readSseStream, SSE_CONTENT_TYPE } from './sseStream.js';
import type { TransportError } from './transportErrors.js';
import {
    checkMaxMessageBytes,
    ConnectionError,
    decodeMessage,
    InvalidTransportOptionsError,
    decodeMessages,
    InvalidMessageError,
    MessageTooLargeError,
    readBodySnippet,
    readBoundedText,
    ReconnectionExhaustedError,
    SessionExpiredError,
    StreamableHTTPError,
    StreamInterruptedError,
    ClientTransportClosedError,
    UnsupportedContentTypeError
} from './transportErrors.js';

/** How SSE streams are reconnected when they break (MCP 2025-11-25, "Resumability and Redelivery"). */
export interface StreamableHTTPReconnectionOptions {
    /** Delay before the first reconnection attempt, in ms. Default 1000. */
    initialReconnectionDelay: number;
    /** Upper bound of the delay between attempts, in ms. Default 30000. */
    maxReconnectionDelay: number;
    /** Factor the delay grows by after each failed attempt. Default 1.5. */
    reconnectionDelayGrowFactor: number;
    /** Reconnection attempts in a row without receiving an event, before giving up. Default 2. */
    maxRetries: number;
}

/** The defaults of {@link StreamableHTTPReconnectionOptions}. */
export const DEFAULT_RECONNECTION_OPTIONS: Readonly<StreamableHTTPReconnectionOptions> = Object.freeze({
    initialReconnectionDelay: 1000,
    maxReconnectionDelay: 30_000,
    reconnectionDelayGrowFactor: 1.5,
    maxRetries: 2
});

/** Options of {@link StreamableHTTPClientTransport}. */
export interface StreamableHTTPClientTransportOptions extends TransportAuthOptions {
    /**
     * Applied to every request. Its `headers` are merged under the transport's own (`Accept`, `Content-Type`,
     * `Mcp-Session-Id`, `Mcp-Protocol-Version`); its `signal` is replaced by the transport's, use `close()`.
     */
    requestInit?: RequestInit;
    /** The `fetch` to use instead of the global one. */
    fetch?: FetchLike;
    /** A session id to continue (e.g. after the client process restarted). */
    sessionId?: string;
    /** SSE reconnection policy; missing fields take {@link DEFAULT_RECONNECTION_OPTIONS}. */
    reconnectionOptions?: Partial<StreamableHTTPReconnectionOptions>;
    /**
     * Largest JSON response body, and largest data of one SSE event, in bytes; a larger one is not read further
     * and fails with {@link MessageTooLargeError}. Default {@link DEFAULT_MAX_MESSAGE_BYTES} (4 MiB).
     */
    maxMessageBytes?: number;
    /**
     * How a redirect from the server is treated. `'same-origin'` (default): followed only when it stays on the
     * origin and keeps the method, else the request fails with {@link RedirectRefusedError}. `'follow'`: left to
     * `fetch` (and `requestInit.redirect`).
     */
    redirectPolicy?: RedirectPolicy;
    /**
     * Schedules SSE reconnection attempts instead of `setTimeout` (for runtimes where timers are unreliable).
     * Gets the reconnect callback, the suggested delay and the zero-based attempt; may return a cancel function,
     * called when the transport closes or the request is cancelled first.
     */
    reconnectionScheduler?: ReconnectionScheduler;
    /**
     * The protocol version to send in `Mcp-Protocol-Version` from the first request (with `sessionId`, when
     * continuing a session negotiated earlier).
     */
    protocolVersion?: string;
}

/**
 * Schedules one reconnection attempt: call `reconnect` after about `delay` ms. May return a function that cancels
 * the attempt.
 */
export type ReconnectionScheduler = (reconnect: () => void, delay: number, attemptCount: number) => (() => void) | void;

/**
 * How a request's response stream is opened or resumed (official v2 name; the same options arrive through
 * `TransportSendOptions` on `send`).
 */
export interface StartSSEOptions {
    /** Resume the stream after this event id (`Last-Event-ID`) instead of sending the request again. */
    resumptionToken?: string;
    /** Called with each new event id of the stream. */
    onresumptiontoken?: (token: string) => void;
    /** The request id the resumed stream answers (matches replayed responses to the new request). */
    replayMessageId?: string | number;
}

/** Options of {@link StreamableHTTPClientTransport.resumeStream}. */
export interface ResumeStreamOptions {
    /** Called with each new event id (resumption token) the resumed stream delivers. */
    onresumptiontoken?: (token: string) => void;
}

/**
 * One request awaiting its response (its POST, then the SSE stream carrying the response and its resumptions),
 * or the standalone GET stream.
 */
interface StreamState {
    /** The request whose response the stream carries; `undefined` for the standalone GET stream. */
    readonly requestId: RequestId | undefined;
    readonly onresumptiontoken: ((token: string) => void) | undefined;
    /** Aborts the request's HTTP exchanges (the transport's own controller for the standalone stream). */
    readonly abort: AbortController;
    /** The client cancelled the request: nothing more is read or reported for it. */
    cancelled: boolean;
    lastEventId: string | undefined;
    /** The server's reconnection time (`retry:`), in ms. */
    retryMs: number | undefined;
    /** Reconnection attempts since the last received event. */
    attempts: number;
    /** The response to `requestId` arrived. */
    answered: boolean;
    /** The session the stream belongs to (set when it is first followed); it is resumed only within it. */
    sessionId: string | undefined;
}

const ACCEPT_POST = `application/json, ${SSE_CONTENT_TYPE}`;

function validateReconnection(options: Partial<StreamableHTTPReconnectionOptions> | undefined) {
    const merged = { ...DEFAULT_RECONNECTION_OPTIONS, ...options };
    for (const [name, value] of Object.entries(merged)) {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
            throw new InvalidTransportOptionsError(`reconnectionOptions.${name} must be a finite number >= 0`);
        }
    }
    if (!Number.isInteger(merged.maxRetries)) {
        throw new InvalidTransportOptionsError('reconnectionOptions.maxRetries must be an integer');
    }
    return merged;
}

/**
 * MCP client transport over Streamable HTTP (MCP 2025-11-25, Basic / Transports, "Streamable HTTP").
 *
 * @example
 * ```ts
 * const transport = new StreamableHTTPClientTransport(new URL('https://example.com/mcp'));
 * await client.connect(transport);
 * ```
 */
export class StreamableHTTPClientTransport implements Transport {
    /** Called once when the transport closes. */
    onclose?: () => void;
    /** Called on errors not tied to one `send` (stream failures, undecodable events). */
    onerror?: (error: Error) => void;
    /** Called for each received message. */
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    /** Each request gets its own POST and response stream (so aborting one request's stream cancels only it). */
    readonly hasPerRequestStream = true;

    private readonly _url: URL;
    private readonly _requestInit: RequestInit | undefined;
    private readonly _customFetch: FetchLike | undefined;
    /** Set when an `authProvider` is given; the `AuthSession` itself is loaded on first use. */
    private readonly _auth: TransportAuth | undefined;
    private readonly _reconnection: StreamableHTTPReconnectionOptions;
    private readonly _maxMessageBytes: number;
    private readonly _redirectPolicy: RedirectPolicy;
    private readonly _scheduler: ReconnectionScheduler | undefined;
    private readonly _abort = new AbortController();
    /** Requests awaiting their response, by id. */
    private readonly _requests = new Map<RequestId, StreamState>();
    private _sessionId: string | undefined;
    /**
     * The session a 404 ended, until a new `initialize` is sent: messages of the old session are refused locally
     * with `SessionExpiredError` meanwhile, never sent without a session id (which the server would answer with a
     * misleading 400).
     */
    private _expiredSession: string | undefined;
    private _protocolVersion: string | undefined;
    private _standaloneStarted = false;
    /** The session the standalone stream was opened in: a new session (after a 404) opens its own. */
    private _standaloneSession: string | undefined;
    private _closed = false;

    constructor(url: URL, options: StreamableHTTPClientTransportOptions = {}) {
        this._url = url;
        this._requestInit = options.requestInit;
        this._customFetch = options.fetch;
        this._auth = createTransportAuth(options, url, (input, init) => (this._customFetch ?? fetch)(input, init));
        this._sessionId = options.sessionId;
        this._reconnection = validateReconnection(options.reconnectionOptions);
        this._maxMessageBytes = checkMaxMessageBytes(options.maxMessageBytes);
        this._redirectPolicy = checkRedirectPolicy(options.redirectPolicy);
        this._scheduler = options.reconnectionScheduler;
        this._protocolVersion = options.protocolVersion;
    }

    /** The session id assigned by the server (`Mcp-Session-Id`), once known. */
    get sessionId(): string | undefined {
        return this._sessionId;
    }

    /** The protocol revision sent as `MCP-Protocol-Version`, once set. */
    get protocolVersion(): string | undefined {
        return this._protocolVersion;
    }

    /** Sets the negotiated revision, sent as `MCP-Protocol-Version` on every later request (2025-11-25). */
    setProtocolVersion(version: string): void {
        this._protocolVersion = version;
    }

    /** Nothing to connect up front: the first POST opens the conversation. Rejects after `close()`. */
    async start(): Promise<void> {
        if (this._closed) throw new ClientTransportClosedError();
    }

    /**
     * POSTs one message. Resolves once the server accepted it: for a JSON answer after delivering the body's
     * messages, for an SSE answer as soon as the stream opened (its events are delivered as they arrive, and the
     * stream is resumed with `Last-Event-ID` when it breaks and the server gave event ids). When a request's
     * stream can no longer deliver its response — it ended without event ids to resume from, resumption gave up,
     * or it carried an undecodable or oversized event — `options.onrequesterror` is called at once with the typed
     * error (the protocol layer then fails the request instead of letting it wait for its timeout); without that
     * callback the error goes to `onerror`.
     * With `resumptionToken`, the message is not sent; the stream it opened earlier is resumed by GET instead.
     * Sending `notifications/cancelled` first ends the transport's wait for that request (see the module doc);
     * a request cancelled before its answer arrived resolves quietly.
     *
     * @throws {@link SessionExpiredError} on 404 for a request that carried a session id, and, without sending, for
     * any message but `initialize` after a 404 ended the session (until a new `initialize` is sent).
     * @throws {@link StreamableHTTPError} on any other non-2xx status.
     * @throws {@link InvalidMessageError} when a JSON body is not JSON-RPC (also reported to `onerror`).
     * @throws {@link MessageTooLargeError} when a JSON body exceeds `maxMessageBytes` (also reported to `onerror`).
     * @throws {@link UnsupportedContentTypeError} when the answer is neither JSON nor SSE.
     */
    async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
        if (this._closed) throw new ClientTransportClosedError();
        const cancel = isJSONRPCNotification(message) && message.method === 'notifications/cancelled';
        if (cancel) this._cancel(message.params?.requestId);
        if (this._expiredSession !== undefined && this._sessionId === undefined) {
            if (isJSONRPCRequest(message) && message.method === 'initialize') this._expiredSession = undefined;
            else if (modernVersionOf(message) === undefined) {
                if (cancel) return; // nothing to tell a session that is gone
                throw new SessionExpiredError(this._expiredSession);
            }
        }
        if (!isJSONRPCRequest(message)) {
            await this._post(message, undefined);
            return;
        }
        const state = this._track(message.id, options?.onresumptiontoken);
        let stream: Response | undefined;
        try {
            if (options?.resumptionToken === undefined) stream = await this._post(message, state, options?.headers);
            else {
                state.lastEventId = options.resumptionToken;
                stream = await this._openGet(state);
            }
        } catch (error) {
            this._untrack(state);
            if (state.cancelled && !this._closed) return;
            throw error;
        }
        if (stream === undefined) this._untrack(state);
        else void this._follow(stream, state, options?.onrequesterror);
    }

    /**
     * POSTs a message and delivers a JSON answer. Resolves with the response when it is an SSE stream to follow,
     * otherwise `undefined`.
     */
    private async _post(
        message: JSONRPCMessage,
        state: StreamState | undefined,
        extraHeaders?: Record<string, string>
    ): Promise<Response | undefined> {
        const modernVersion = modernVersionOf(message);
        const headers = this._headers(ACCEPT_POST, modernVersion);
        if (extraHeaders !== undefined)
            for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
        if (modernVersion !== undefined) setModernHeaders(headers, message);
        headers.set('content-type', 'application/json');
        const sentSession = modernVersion === undefined ? this._sessionId : undefined;
        const init: RequestInit = { method: 'POST', headers, body: JSON.stringify(message) };
        const response = await this._fetch(this._url, init, state?.abort.signal, operationOf(message));
        if (!response.ok) {
            if (modernVersion !== undefined && state !== undefined && isJSONRPCRequest(message)) {
                return this._modernErrorAnswer(response, message.id);
            }
            throw await this._statusError(response, sentSession);
        }
        this._captureSession(response);

        if (state === undefined || response.status === 202) {
            discardBody(response);
            if ('method' in message && message.method === 'notifications/initialized') this._openStandalone();
            return undefined;
        }
        const type = mediaType(response);
        if (type === SSE_CONTENT_TYPE) return response;
        if (type !== 'application/json') {
            discardBody(response);
            throw new UnsupportedContentTypeError(type);
        }
        let messages: JSONRPCMessage[];
        try {
            messages = decodeMessages(await readBoundedText(response, this._maxMessageBytes));
        } catch (error) {
            if (!state.cancelled) this._report(error as Error);
            throw error;
        }
        for (const received of messages) this.onmessage?.(received);
        return undefined;
    }

    /**
     * Ends the session with `DELETE` (MCP 2025-11-25, "Session Management" item 5). A 405 (the server does not
     * let clients end sessions) is tolerated; 404 means it already ended.
     *
     * @throws {@link StreamableHTTPError} on any other non-2xx status.
     */
    async terminateSession(): Promise<void> {
        const sessionId = this._sessionId;
        if (sessionId === undefined) return;
        if (this._closed) throw new ClientTransportClosedError();
        const response = await this._fetch(this._url, { method: 'DELETE', headers: this._headers(undefined) });
        if (response.status === 405) return discardBody(response);
        if (!response.ok && response.status !== 404) throw await this._statusError(response, undefined);
        discardBody(response);
        if (this._sessionId === sessionId) this._sessionId = undefined;
    }

    /**
     * Resumes an SSE stream the server keeps: a `GET` with `Last-Event-ID: lastEventId`, whose replayed and new
     * messages are delivered as usual (and reconnected like the standalone stream). Resolves once the stream is
     * open.
     *
     * @throws {@link ClientTransportClosedError} after `close()`; the HTTP errors of `send` otherwise.
     */
    async resumeStream(lastEventId: string, options?: ResumeStreamOptions): Promise<void> {
        if (this._closed) throw new ClientTransportClosedError();
        const state = newStream(undefined, options?.onresumptiontoken, this._abort);
        state.lastEventId = lastEventId;
        const response = await this._openGet(state);
        if (response === undefined) {
            throw new StreamableHTTPError(405, '', 'The server offers no stream to resume (HTTP 405)');
        }
        void this._follow(response, state);
    }

    /**
     * Completes a redirect-flow authorization (MCP 2025-11-25 "Authorization Code Grant"), then retry the request
     * (or reconnect). Pass the callback's query parameters (`new URL(callbackUrl).searchParams`) or the whole
     * callback URL, so its RFC 9207 `iss` (and, when known, `state`) are checked before the code is redeemed; or the
     * authorization code with the callback's `iss`, if it had one.
     *
     * @throws {@link UnauthorizedError} when the transport has no `OAuthClientProvider` as `authProvider`.
     * @throws {@link IssuerMismatchError} when `iss` is not the authorization server's issuer (or is missing when
     * the server promised it).
     */
    async finishAuth(callbackParams: URLSearchParams): Promise<void>;
    async finishAuth(authorizationCodeOrCallbackUrl: string | URL, iss?: string): Promise<void>;
    async finishAuth(callback: string | URL | URLSearchParams, iss?: string): Promise<void> {
        if (this._auth === undefined) throw new UnauthorizedError('finishAuth needs an authProvider');
        await this._auth.finishAuth(callback, iss);
    }

    /**
     * Forgets the scopes the authorization server refused or the application declined, and every operation's
     * count of authorizations, so they can be asked for again (e.g. after an administrator granted a scope).
     *
     * @throws {@link UnauthorizedError} when the transport has no `authProvider`.
     */
    async resetScopeState(): Promise<void> {
        if (this._auth === undefined) throw new UnauthorizedError('resetScopeState needs an authProvider');
        await this._auth.resetScopeState();
    }

    /** Aborts every in-flight request and stream; `onclose` fires once. */
    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        const reason = new ClientTransportClosedError();
        this._abort.abort(reason);
        for (const state of this._requests.values()) state.abort.abort(reason);
        this._requests.clear();
        this.onclose?.();
    }

    /**
     * The single HTTP exit point of this transport (the auth layer wraps this). `signal` is a request's own
     * (see {@link StreamState.abort}); by default the transport's.
     */
    private async _fetch(
        url: URL,
        init: RequestInit,
        signal = this._abort.signal,
        operation?: string
    ): Promise<Response> {
        const send = (target: URL, request: RequestInit): Promise<Response> =>
            this._auth !== undefined
                ? this._auth.fetch(target, request, operation)
                : (this._customFetch ?? fetch)(target, request);
        try {
            const request: RequestInit = { ...this._requestInit, ...init, signal };
            return await fetchWithRedirectPolicy(send, url, request, this._redirectPolicy);
        } catch (error) {
            if (error instanceof TypeError) {
                throw new ConnectionError(`${init.method ?? 'GET'} ${url.href} failed: ${error.message}`, {
                    cause: error
                });
            }
            throw error;
        }
    }

    /**
     * The headers of a request. A modern (2026-07-28) message carries its own version and no session: pass
     * `modernVersion` (from its `_meta`) to send that version instead of the negotiated one.
     */
    private _headers(accept: string | undefined, modernVersion?: string): Headers {
        const headers = new Headers(this._requestInit?.headers);
        if (accept !== undefined) headers.set('accept', accept);
        if (modernVersion !== undefined) {
            headers.set('mcp-protocol-version', modernVersion);
            return headers;
        }
        if (this._sessionId !== undefined) headers.set('mcp-session-id', this._sessionId);
        if (this._protocolVersion !== undefined) headers.set('mcp-protocol-version', this._protocolVersion);
        return headers;
    }

    /**
     * A modern request answered with a non-2xx status: 2026-07-28 servers put the JSON-RPC error in the body (400
     * for an unsupported version or a header mismatch, 404 for an unknown method). A JSON body that is the error
     * response to this request is delivered as that response; anything else is a {@link StreamableHTTPError}.
     */
    private async _modernErrorAnswer(response: Response, id: RequestId): Promise<undefined> {
        if (mediaType(response) !== 'application/json') throw await this._statusError(response, undefined);
        const text = await readBoundedText(response, this._maxMessageBytes);
        let answer: JSONRPCMessage | undefined;
        try {
            const decoded = decodeMessages(text);
            answer = decoded.length === 1 ? decoded[0] : undefined;
        } catch {
            answer = undefined;
        }
        if (answer !== undefined && 'error' in answer && answer.id === id) {
            this.onmessage?.(answer);
            return undefined;
        }
        const detail = text === '' ? '' : `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
        throw new StreamableHTTPError(
            response.status,
            text.slice(0, 4096),
            `Streamable HTTP error: HTTP ${response.status}${detail}`,
            response
        );
    }

    private _captureSession(response: Response): void {
        const sessionId = response.headers.get('mcp-session-id');
        if (sessionId !== null) this._sessionId = sessionId;
    }

    private async _statusError(response: Response, sentSession: string | undefined): Promise<TransportError> {
        if (response.status === 404 && sentSession !== undefined) {
            discardBody(response);
            if (this._sessionId === sentSession) {
                this._sessionId = undefined;
                this._expiredSession = sentSession;
            }
            return new SessionExpiredError(sentSession, response);
        }
        const body = await readBodySnippet(response);
        const detail = body === '' ? '' : `: ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`;
        return new StreamableHTTPError(
            response.status,
            body,
            `Streamable HTTP error: HTTP ${response.status}${detail}`,
            response
        );
    }

    private _report(error: Error): void {
        if (!this._closed) this.onerror?.(error);
    }

    /** Registers a request awaiting its response, with its own abort controller. */
    private _track(requestId: RequestId, onresumptiontoken: ((token: string) => void) | undefined): StreamState {
        const state = newStream(requestId, onresumptiontoken, new AbortController());
        this._requests.set(requestId, state);
        return state;
    }

    private _untrack(state: StreamState): void {
        if (state.requestId !== undefined && this._requests.get(state.requestId) === state) {
            this._requests.delete(state.requestId);
        }
    }

    /**
     * The client cancelled a request (MCP 2025-11-25, Basic / Utilities / Cancellation): it ignores any answer,
     * so stop waiting for one. Aborting the exchange also tells a server that keeps no session (whose other
     * instance receives the `notifications/cancelled`) to stop working on it.
     */
    private _cancel(requestId: unknown): void {
        if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
        const state = this._requests.get(requestId);
        if (state === undefined) return;
        this._requests.delete(requestId);
        state.cancelled = true;
        state.abort.abort();
    }

    /** Opens the standalone GET stream for server-initiated messages; 405 means the server offers none. */
    private _openStandalone(): void {
        if (this._standaloneStarted && this._standaloneSession === this._sessionId) return;
        this._standaloneStarted = true;
        this._standaloneSession = this._sessionId;
        const state = newStream(undefined, undefined, this._abort);
        this._openGet(state).then(
            response => (response === undefined ? undefined : this._follow(response, state)),
            (error: Error) => this._report(error)
        );
    }

    /**
     * GETs an SSE stream, resuming after `state.lastEventId` when set. Resolves `undefined` when the server
     * answers 405 to a standalone stream (it offers none).
     */
    private async _openGet(state: StreamState): Promise<Response | undefined> {
        const headers = this._headers(SSE_CONTENT_TYPE);
        if (state.lastEventId !== undefined) headers.set('last-event-id', state.lastEventId);
        const sentSession = this._sessionId;
        const response = await this._fetch(this._url, { method: 'GET', headers }, state.abort.signal);
        if (response.status === 405 && state.requestId === undefined) {
            discardBody(response);
            return undefined;
        }
        if (!response.ok) throw await this._statusError(response, sentSession);
        this._captureSession(response);
        const type = mediaType(response);
        if (type !== SSE_CONTENT_TYPE) {
            discardBody(response);
            throw new UnsupportedContentTypeError(type);
        }
        return response;
    }

    /**
     * Reads a stream to its end, then reconnects (after the server's `retry`, else the backoff) while the stream
     * still owes something: the response to its request, or, for the standalone stream, always. When it can go
     * on no longer, a request's stream calls `onrequesterror` (the request fails with that error); the rest reports
     * to `onerror`. An event over `maxMessageBytes`, or an undecodable one on a stream owing a response, ends the
     * stream for good.
     */
    private async _follow(first: Response, state: StreamState, onrequesterror?: (error: Error) => void): Promise<void> {
        state.sessionId ??= this._sessionId;
        try {
            await this._followUntilDone(first, state);
        } catch (error) {
            const owed = state.requestId !== undefined && !state.answered && !state.cancelled && !this._closed;
            if (owed && onrequesterror !== undefined) onrequesterror(error as Error);
            else this._report(error as Error);
        } finally {
            this._untrack(state);
        }
    }

    private async _followUntilDone(first: Response, state: StreamState): Promise<void> {
        let response: Response | undefined = first;
        for (;;) {
            if (response !== undefined && (await this._readEvents(response, state))) state.attempts = 0;
            if (this._closed || state.answered || state.cancelled) return;
            if (state.requestId !== undefined && state.lastEventId === undefined) {
                const id = String(state.requestId);
                throw new StreamInterruptedError(
                    `SSE stream for request ${id} ended before its response; not resumable`
                );
            }
            if (state.attempts >= this._reconnection.maxRetries) throw new ReconnectionExhaustedError(state.attempts);
            const delay = state.retryMs ?? this._backoff(state.attempts);
            state.attempts++;
            if (!(await this._sleep(delay, state.abort.signal, state.attempts - 1))) return;
            if (state.sessionId !== undefined && this._sessionId !== state.sessionId) {
                // The stream's session ended meanwhile (another exchange met its 404): there is nothing to resume.
                // A standalone stream just ends (a new session opens its own); a request may have run: it fails.
                if (state.requestId === undefined) return;
                throw new SessionExpiredError(state.sessionId, undefined, { afterDispatch: true });
            }
            try {
                response = await this._openGet(state);
            } catch (error) {
                if (this._closed || state.cancelled) return;
                if (error instanceof SessionExpiredError && state.requestId !== undefined) {
                    // The request was accepted before its session ended: it may have run.
                    throw new SessionExpiredError(error.sessionId, error.response, { afterDispatch: true });
                }
                if (!(error instanceof ConnectionError)) throw error;
                response = undefined;
                continue;
            }
            if (response === undefined) return;
        }
    }

    /**
     * Delivers a stream's events; resolves `true` when at least one event arrived (a broken stream resolves too).
     *
     * @throws {@link MessageTooLargeError} when an event exceeds `maxMessageBytes` (the stream is aborted).
     */
    private async _readEvents(response: Response, state: StreamState): Promise<boolean> {
        let heard = false;
        try {
            await readSseStream(
                response.body,
                {
                    onEvent: event => {
                        heard = true;
                        if (event.id !== undefined) {
                            state.lastEventId = event.id;
                            state.onresumptiontoken?.(event.id);
                        }
                        // Empty data: a priming event that only sets the event id (2025-11-25).
                        if (event.data === '' || (event.event !== undefined && event.event !== 'message')) return;
                        this._deliver(event.data, state);
                    },
                    onRetry: milliseconds => {
                        state.retryMs = milliseconds;
                    }
                },
                this._maxMessageBytes
            );
        } catch (error) {
            const fatal = error instanceof MessageTooLargeError || error instanceof InvalidMessageError;
            if (fatal && !state.cancelled) throw error;
            // A broken connection is treated as an ended stream: the caller resumes or gives up.
        }
        return heard;
    }

    /**
     * Delivers one event's message. An undecodable event on a stream that still owes a request's response throws
     * (the stream is abandoned and the request fails with {@link InvalidMessageError}); elsewhere it is reported.
     */
    private _deliver(data: string, state: StreamState): void {
        if (this._closed || state.cancelled) return;
        let message: JSONRPCMessage;
        try {
            message = decodeMessage(data);
        } catch (error) {
            if (state.requestId === undefined || state.answered) return this._report(error as Error);
            throw new InvalidMessageError(
                `SSE stream for request ${String(state.requestId)} carried an undecodable event: ${(error as Error).message}`,
                { cause: error }
            );
        }
        if (state.requestId !== undefined && isJSONRPCResponse(message) && message.id === state.requestId) {
            state.answered = true;
        }
        this.onmessage?.(message);
    }

    private _backoff(attempt: number): number {
        const { initialReconnectionDelay, reconnectionDelayGrowFactor, maxReconnectionDelay } = this._reconnection;
        return Math.min(initialReconnectionDelay * reconnectionDelayGrowFactor ** attempt, maxReconnectionDelay);
    }

    /**
     * Waits before reconnection attempt `attempt` (with the `reconnectionScheduler` when one is set), resolving
     * `false` early when `signal` aborts (the transport closes, or the request is cancelled).
     */
    private _sleep(milliseconds: number, signal: AbortSignal, attempt: number): Promise<boolean> {
        if (signal.aborted) return Promise.resolve(false);
        return new Promise(resolve => {
            let cancel: (() => void) | void;
            const onAbort = () => {
                cancel?.();
                resolve(false);
            };
            const wake = () => {
                signal.removeEventListener('abort', onAbort);
                resolve(!signal.aborted);
            };
            if (this._scheduler === undefined) {
                const timer = setTimeout(wake, milliseconds);
                cancel = () => clearTimeout(timer);
            } else {
                cancel = this._scheduler(wake, milliseconds, attempt);
            }
            signal.addEventListener('abort', onAbort, { once: true });
        });
    }
}

function newStream(
    requestId: RequestId | undefined,
    onresumptiontoken: ((token: string) => void) | undefined,
    abort: AbortController
) {
    const state: StreamState = {
        requestId,
        onresumptiontoken,
        abort,
        cancelled: false,
        lastEventId: undefined,
        retryMs: undefined,
        attempts: 0,
        answered: false,
        sessionId: undefined
    };
    return state;
}

/** The protocol version a message's `_meta` names when it is a modern (2026-07-28) message. */
function modernVersionOf(message: JSONRPCMessage): string | undefined {
    if (!('method' in message)) return undefined;
    const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    const version = meta?.[PROTOCOL_VERSION_META_KEY];
    return typeof version === 'string' ? version : undefined;
}

/** `Mcp-Method`, and `Mcp-Name` for the methods that mirror a name or URI (2026-07-28 Streamable HTTP). */
function setModernHeaders(headers: Headers, message: JSONRPCMessage): void {
    if (!('method' in message)) return;
    headers.set('mcp-method', message.method);
    const source = MCP_NAME_SOURCES[message.method];
    const value = source === undefined ? undefined : (message.params as Record<string, unknown> | undefined)?.[source];
    if (typeof value === 'string') headers.set('mcp-name', encodeMcpHeaderValue(value));
}
