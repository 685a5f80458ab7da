/**
 * Which HTTP requests the Streamable HTTP server transport admits, before looking at what they carry (MCP
 * 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning and Session Management; Security Best
 * Practices › Session Hijacking): the `Host` allow-list (opt-in), the `Origin` policy (always on, unless an adapter
 * already decided), and, once a session exists, its id and the principal bound to it.
 *
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';
import { principalKey } from './auth/principal.js';
import type { EventStore } from './eventStore.js';
import type { RequestView } from './httpExchange.js';
import { compileHostMatcher } from './hostValidation.js';
import type { HostMatcher } from './hostValidation.js';
import { createOriginPolicy, isOriginValidated } from './originValidation.js';
import type { OriginPolicy } from './originValidation.js';
import { TRANSPORT_ERROR_CODE, errorReply } from './replies.js';
import type { BodyReply } from './replies.js';
import { ServerTransportError } from './transportErrors.js';

/** Options of {@link WebStandardStreamableHTTPServerTransport}. */
export interface WebStandardStreamableHTTPServerTransportOptions {
    /**
     * Mints the session id on `initialize`; `undefined` selects stateless mode (no session id, GET and DELETE
     * answer 405). Ids should be globally unique and unguessable: `() => crypto.randomUUID()`.
     */
    sessionIdGenerator?: (() => string) | undefined;
    /** Called once the session id has been minted, before `initialize` is delivered. */
    onsessioninitialized?: ((sessionId: string) => void | Promise<void>) | undefined;
    /** Called when the client ends the session with DELETE, before the transport closes. */
    onsessionclosed?: ((sessionId: string) => void | Promise<void>) | undefined;
    /** Answer POSTed requests with one JSON body instead of an SSE stream. */
    enableJsonResponse?: boolean | undefined;
    /**
     * Stores SSE events so clients can resume streams, and turns on SSE polling for clients on 2025-11-25 or
     * later: priming events and `closeSSEStream` / `closeStandaloneSSEStream`. Stateful mode only (ignored
     * when stateless).
     */
    eventStore?: EventStore | undefined;
    /** Reconnection delay in ms advertised to clients with the SSE `retry:` field of priming events. */
    retryInterval?: number | undefined;
    /** `Host` values accepted when DNS-rebinding protection is on (entries without a port admit any port). */
    allowedHosts?: string[] | undefined;
    /**
     * `Origin` values accepted. The `Origin` check is always on (MCP 2025-11-25, Streamable HTTP › Security
     * Warning): without this list a request with an `Origin` is served only when the origin and the request's
     * `Host` are both loopback names (not even the server's own origin is implied). Entries: full origins
     * (`https://app.example`), host names (`app.example`, any scheme and port), `<scheme>://*` for extension
     * schemes, `null` for the opaque origin, or `*` to turn the check off (public servers whose every request
     * carries its own credentials). Requests without `Origin` (non-browser clients) always pass.
     */
    allowedOrigins?: string[] | undefined;
    /** Also check `Host` against `allowedHosts`, answering 403 when it is not allowed. */
    enableDnsRebindingProtection?: boolean | undefined;
    /**
     * Largest accepted POST body in bytes; larger ones get 413 (before reading, when `Content-Length` says so).
     * Default 4 MiB when the transport reads the body itself; a body an adapter already read under its own limit
     * is checked against this value only when it is set.
     */
    maxBodyBytes?: number | undefined;
    /**
     * Largest JSON-RPC batch accepted, for clients on revision 2025-03-26 (later revisions have no batching and
     * get 400 `-32600` for any batch). Default 100.
     */
    maxBatchSize?: number | undefined;
}

/** Per-request inputs of {@link WebStandardStreamableHTTPServerTransport.handleRequest}. */
export interface HandleRequestOptions {
    /** Verified token information, passed to handlers as `extra.authInfo`. */
    authInfo?: AuthInfo | undefined;
    /** The body, when a framework already parsed it as JSON; the request body is then not read. */
    parsedBody?: unknown;
}

function checkInteger(value: number | undefined, min: number, name: string): void {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
        throw new ServerTransportError('INVALID_OPTIONS', `${name} must be an integer >= ${min}, got ${value}`);
    }
}

/**
 * Checks the transport options once, at construction.
 *
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` on out-of-range or contradictory options.
 */
export function checkTransportOptions(options: WebStandardStreamableHTTPServerTransportOptions): void {
    checkInteger(options.maxBodyBytes, 1, 'maxBodyBytes');
    checkInteger(options.retryInterval, 0, 'retryInterval');
    checkInteger(options.maxBatchSize, 1, 'maxBatchSize');
    if (options.enableDnsRebindingProtection && !options.allowedHosts && !options.allowedOrigins) {
        throw new ServerTransportError(
            'INVALID_OPTIONS',
            'DNS rebinding protection needs allowedHosts and/or allowedOrigins'
        );
    }
}

/** The admission checks of one transport: compiled once from its options. */
export class RequestAdmission {
    private readonly _hostAllowed: HostMatcher | undefined;
    private readonly _originPolicy: OriginPolicy;
    /** The session id, once `initialize` minted it. */
    private _sessionId: string | undefined;
    /** The principal of the request that initialized the session, when it was authenticated. */
    private _principal: string | undefined;

    /** @throws {@link ServerTransportError} `INVALID_OPTIONS` for a malformed allow-list entry. */
    constructor(options: WebStandardStreamableHTTPServerTransportOptions) {
        if (options.enableDnsRebindingProtection && options.allowedHosts) {
            this._hostAllowed = compileHostMatcher(options.allowedHosts);
        }
        this._originPolicy = createOriginPolicy(options.allowedOrigins);
    }

    /** 403 when the `Host` is not allowed (with DNS-rebinding protection) or the `Origin` is refused. */
    checkOrigin(request: RequestView): BodyReply | undefined {
        const host = request.header('host') ?? request.url().host;
        if (this._hostAllowed && !this._hostAllowed(host)) {
            return errorReply(
                403,
                TRANSPORT_ERROR_CODE,
                `Forbidden: Host header ${JSON.stringify(host)} is not allowed`
            );
        }
        if (isOriginValidated(request.carrier)) return undefined;
        const refusal = this._originPolicy(request.header('origin'), host);
        return refusal === undefined ? undefined : errorReply(403, TRANSPORT_ERROR_CODE, refusal);
    }

    /** Binds the new session to its id and to the principal of the request that initialized it. */
    openSession(sessionId: string, authInfo: AuthInfo | undefined): void {
        this._sessionId = sessionId;
        this._principal = principalKey(authInfo);
    }

    /**
     * The session checks of every request after `initialize` (stateful mode): exactly one `Mcp-Session-Id` (400),
     * naming this session (404), sent by the principal that created it (404 too: a session id is not
     * authentication, and another principal learns nothing about which sessions exist).
     */
    checkSession(request: RequestView, authInfo: AuthInfo | undefined): BodyReply | undefined {
        if (this._sessionId === undefined) {
            return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: server not initialized');
        }
        const ids = request.headerValues('mcp-session-id');
        if (ids.length === 0) {
            return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: Mcp-Session-Id header is required');
        }
        if (ids.length > 1) {
            return errorReply(400, TRANSPORT_ERROR_CODE, 'Bad Request: more than one Mcp-Session-Id header');
        }
        if (ids[0] !== this._sessionId) return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
        if (this._principal !== undefined && principalKey(authInfo) !== this._principal) {
            return errorReply(404, TRANSPORT_ERROR_CODE, 'Session not found');
        }
        return undefined;
    }
}
