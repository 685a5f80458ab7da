/**
 * Client side of the legacy HTTP+SSE transport (MCP 2024-11-05, Basic / Transports, "HTTP with SSE"), kept for
 * servers that predate Streamable HTTP.
 *
 * The client GETs an SSE stream; the server's first `endpoint` event names the URL the client POSTs its messages
 * to, and `message` events carry the server's messages. The stream is read with `fetch` (no `EventSource`).
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
import { isJSONRPCRequest, isJSONRPCResponse } from '@modelcontextprotocol/core';
import type { SseEvent } from './sseStream.js';
import { UnauthorizedError } from './auth/errors.js';
import { operationOf } from './auth/operation.js';
import { createTransportAuth } from './auth/transportOptions.js';
import type { TransportAuth, TransportAuthOptions } from './auth/transportOptions.js';
import { checkRedirectPolicy, fetchWithRedirectPolicy } from './redirects.js';
import type { RedirectPolicy } from './redirects.js';
import { discardBody, mediaType, readSseStream, SSE_CONTENT_TYPE } from './sseStream.js';
import {
    checkMaxMessageBytes,
    ConnectionError,
    decodeMessage,
    InvalidMessageError,
    MessageTooLargeError,
    readBodySnippet,
    SSEEndpointError,
    SSEError,
    StreamInterruptedError,
    ClientTransportClosedError,
    UnsupportedContentTypeError
} from './transportErrors.js';

/** Options of {@link SSEClientTransport}. */
export interface SSEClientTransportOptions extends TransportAuthOptions {
    /** Applied to every request (the GET and each POST); its `signal` is replaced by the transport's. */
    requestInit?: RequestInit;
    /** The `fetch` to use instead of the global one. */
    fetch?: FetchLike;
    /** Applied to the GET that opens the stream only, over `requestInit` (headers are merged). */
    eventSourceInit?: RequestInit & {
        /** `EventSource`-style: send credentials (cookies) with the stream request (`credentials: 'include'`). */
        withCredentials?: boolean;
        /** `EventSource`-style: the `fetch` that opens the stream when there is no `authProvider` (default: the transport's). */
        fetch?: FetchLike;
    };
    /**
     * Largest data of one SSE event, in bytes; a larger event ends the stream with {@link MessageTooLargeError}
     * instead of being buffered. Default {@link DEFAULT_MAX_MESSAGE_BYTES} (4 MiB).
     */
    maxMessageBytes?: number;
    /**
     * How a redirect from the server is treated: `'same-origin'` (default) follows it only on the same origin with
     * the same method, else fails with {@link RedirectRefusedError}; `'follow'` leaves it to `fetch`.
     */
    redirectPolicy?: RedirectPolicy;
}

/** Settles `start()`: once the `endpoint` event arrives, or when the stream fails before it. */
interface Connecting {
    resolve(): void;
    reject(error: Error): void;
}

/**
 * MCP client transport over the legacy HTTP+SSE transport (MCP 2024-11-05, "HTTP with SSE").
 *
 * The `endpoint` event is resolved against the SSE URL and must have the same origin; otherwise `start()`
 * rejects with {@link SSEEndpointError}, so a hostile server cannot send the client's messages elsewhere. An
 * event over `maxMessageBytes` closes the transport after reporting {@link MessageTooLargeError} to `onerror`.
 */
export class SSEClientTransport implements Transport {
    /** Called once when the transport closes (after a successful `start()`). */
    onclose?: () => void;
    /** Called on errors not tied to one `send` (undecodable events, a broken stream). */
    onerror?: (error: Error) => void;
    /** Called for each received message. */
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

    private readonly _url: URL;
    private readonly _requestInit: RequestInit | undefined;
    private readonly _eventSourceInit: RequestInit | undefined;
    private readonly _eventSourceFetch: FetchLike | undefined;
    private readonly _customFetch: FetchLike | undefined;
    private readonly _redirectPolicy: RedirectPolicy;
    /** Set when an `authProvider` is given; the `AuthSession` itself is loaded on first use. */
    private readonly _auth: TransportAuth | undefined;
    private readonly _maxMessageBytes: number;
    private readonly _abort = new AbortController();
    private _endpoint: URL | undefined;
    private _connecting: Connecting | undefined;
    private _protocolVersion: string | undefined;
    private _started = false;
    private _closed = false;
    /** Requests sent and not answered yet, with their `onrequesterror` (see `_failOwed`). */
    private readonly _owed = new Map<RequestId, (error: Error) => void>();

    constructor(url: URL, options: SSEClientTransportOptions = {}) {
        this._url = url;
        this._requestInit = options.requestInit;
        if (options.eventSourceInit !== undefined) {
            const { withCredentials, fetch: streamFetch, ...init } = options.eventSourceInit;
            this._eventSourceInit = withCredentials ? { credentials: 'include', ...init } : init;
            this._eventSourceFetch = streamFetch;
        }
        this._customFetch = options.fetch;
        this._auth = createTransportAuth(options, url, (input, init) => (this._customFetch ?? fetch)(input, init));
        this._maxMessageBytes = checkMaxMessageBytes(options.maxMessageBytes);
        this._redirectPolicy = checkRedirectPolicy(options.redirectPolicy);
    }

    /** The URL messages are POSTed to, once the `endpoint` event arrived. */
    get endpoint(): URL | undefined {
        return this._endpoint;
    }

    /** Sets the negotiated revision, sent as `MCP-Protocol-Version` on later POSTs. */
    setProtocolVersion(version: string): void {
        this._protocolVersion = version;
    }

    /**
     * Opens the SSE stream and waits for the `endpoint` event.
     *
     * @throws {@link SSEError} when the GET fails or the stream ends first; {@link SSEEndpointError} when the
     * endpoint is missing, invalid or cross-origin; {@link UnsupportedContentTypeError} when the answer is not SSE;
     * {@link MessageTooLargeError} when an event before the endpoint exceeds `maxMessageBytes`.
     */
    async start(): Promise<void> {
        if (this._closed) throw new ClientTransportClosedError();
        if (this._started) throw new SSEError('SSEClientTransport already started');
        this._started = true;
        try {
            const headers = new Headers(this._requestInit?.headers);
            new Headers(this._eventSourceInit?.headers).forEach((value, name) => headers.set(name, value));
            headers.set('accept', SSE_CONTENT_TYPE);
            const response = await this._fetch(
                this._url,
                { ...this._eventSourceInit, method: 'GET', headers },
                undefined,
                this._eventSourceFetch
            );
            if (!response.ok) {
                const body = await readBodySnippet(response);
                throw new SSEError(
                    `Opening the SSE stream failed: HTTP ${response.status} ${body}`,
                    response.status,
                    response
                );
            }
            const type = mediaType(response);
            if (type !== SSE_CONTENT_TYPE) {
                discardBody(response);
                throw new UnsupportedContentTypeError(type);
            }
            await new Promise<void>((resolve, reject) => {
                this._connecting = { resolve, reject };
                void this._read(response);
            });
        } catch (error) {
            this._fail();
            throw error;
        }
    }

    /**
     * POSTs one message to the endpoint.
     *
     * @throws {@link SSEError} on a non-2xx status; {@link ClientTransportClosedError} before `start()` or after `close()`.
     */
    async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
        const endpoint = this._endpoint;
        if (this._closed || endpoint === undefined)
            throw new ClientTransportClosedError('SSE transport is not connected');
        const headers = new Headers(this._requestInit?.headers);
        headers.set('content-type', 'application/json');
        if (this._protocolVersion !== undefined) headers.set('mcp-protocol-version', this._protocolVersion);
        const owed = isJSONRPCRequest(message) ? message.id : undefined;
        if (owed !== undefined && options?.onrequesterror !== undefined) this._owed.set(owed, options.onrequesterror);
        try {
            const init: RequestInit = { method: 'POST', headers, body: JSON.stringify(message) };
            const response = await this._fetch(endpoint, init, operationOf(message));
            if (!response.ok) {
                const body = await readBodySnippet(response);
                throw new SSEError(
                    `POSTing a message failed: HTTP ${response.status} ${body}`,
                    response.status,
                    response
                );
            }
            discardBody(response);
        } catch (error) {
            if (owed !== undefined) this._owed.delete(owed);
            throw error;
        }
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

    /** Aborts the stream and in-flight POSTs; `onclose` fires once. */
    /**
     * Forgets refused and declined scopes and the per-operation counts of authorizations (see
     * `StreamableHTTPClientTransport.resetScopeState`).
     *
     * @throws {@link UnauthorizedError} when the transport has no `authProvider`.
     */
    async resetScopeState(): Promise<void> {
        if (this._auth === undefined) throw new UnauthorizedError('resetScopeState needs an authProvider');
        await this._auth.resetScopeState();
    }

    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        this._abort.abort(new ClientTransportClosedError());
        this._connecting?.reject(new ClientTransportClosedError());
        this._connecting = undefined;
        this.onclose?.();
    }

    /** The single HTTP exit point of this transport (the auth layer wraps this). */
    private async _fetch(url: URL, init: RequestInit, operation?: string, streamFetch?: FetchLike): Promise<Response> {
        const send = (target: URL, request: RequestInit): Promise<Response> =>
            this._auth !== undefined
                ? this._auth.fetch(target, request, operation)
                : (streamFetch ?? this._customFetch ?? fetch)(target, request);
        try {
            const request: RequestInit = { ...this._requestInit, ...init, signal: this._abort.signal };
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

    /** A failed `start()` leaves the transport closed without `onclose` (it never opened). */
    private _fail(): void {
        this._closed = true;
        this._connecting = undefined;
        this._abort.abort(new ClientTransportClosedError());
    }

    private async _read(response: Response): Promise<void> {
        let failure: unknown;
        try {
            await readSseStream(response.body, { onEvent: event => this._onEvent(event) }, this._maxMessageBytes);
        } catch (error) {
            failure = error;
        }
        if (this._closed) return;
        const connecting = this._connecting;
        if (connecting !== undefined) {
            this._connecting = undefined;
            connecting.reject(
                failure instanceof SSEEndpointError || failure instanceof MessageTooLargeError
                    ? failure
                    : new SSEError('The SSE stream ended before the endpoint event', undefined, undefined, failure)
            );
            return;
        }
        const error =
            failure instanceof MessageTooLargeError || failure instanceof InvalidMessageError
                ? failure
                : failure === undefined
                  ? new StreamInterruptedError('The SSE stream ended before the responses it owed')
                  : new SSEError('The SSE stream broke', undefined, undefined, failure);
        if (!this._failOwed(error) && failure !== undefined) this.onerror?.(error);
        await this.close();
    }

    /**
     * Fails every request still awaiting its response on the stream, through their `onrequesterror`; returns
     * whether there was any. The legacy transport has one stream for all responses, so all of them are owed.
     */
    private _failOwed(error: Error): boolean {
        const owed = [...this._owed.values()];
        this._owed.clear();
        for (const fail of owed) fail(error);
        return owed.length > 0;
    }

    private _onEvent(event: SseEvent): void {
        if (event.event === 'endpoint') return this._onEndpoint(event.data);
        if (event.event !== undefined && event.event !== 'message') return;
        if (this._closed) return;
        let message: JSONRPCMessage;
        try {
            message = decodeMessage(event.data);
        } catch (error) {
            // An event that cannot be decoded may have been any owed response: the stream is no longer usable.
            if (this._owed.size === 0) return this.onerror?.(error as Error);
            throw error;
        }
        if (isJSONRPCResponse(message) && message.id !== null && message.id !== undefined)
            this._owed.delete(message.id);
        this.onmessage?.(message);
    }

    /** Validates the endpoint; throwing stops the stream, and `_read` rejects `start()` with the error. */
    private _onEndpoint(data: string): void {
        if (this._endpoint !== undefined) return;
        let endpoint: URL;
        try {
            endpoint = new URL(data, this._url);
        } catch (cause) {
            throw new SSEEndpointError(`The endpoint event is not a URL: ${JSON.stringify(data)}`, { cause });
        }
        if (endpoint.origin !== this._url.origin) {
            throw new SSEEndpointError(
                `The endpoint ${endpoint.origin} is not on the SSE stream's origin ${this._url.origin}; refusing it`
            );
        }
        this._endpoint = endpoint;
        this._connecting?.resolve();
        this._connecting = undefined;
    }
}
