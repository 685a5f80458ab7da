/**
 * The transport contract every MCP transport implements.
 *
 * @module
 */
import type { JSONRPCMessage, RequestId } from '../types/jsonrpc.js';

/** Authentication facts a server transport attaches to a received message. */
export interface AuthInfo {
    /** The access token presented. */
    token: string;
    /** The OAuth client the token was issued to. */
    clientId: string;
    /** Scopes the token carries. */
    scopes: string[];
    /** Expiry, in seconds since the epoch. */
    expiresAt?: number;
    /** The resource (RFC 8707) the token is bound to. */
    resource?: URL;
    /**
     * The RFC 9728 protected resource metadata URL of the resource server that accepted the token. The bearer-auth
     * helpers set it from their `resourceMetadataUrl` option (unless the verifier did), so challenges raised after
     * authentication — per-operation scope challenges — point at the same document.
     */
    resourceMetadataUrl?: string;
    /** Anything else the verifier extracted. */
    extra?: Record<string, unknown>;
}

/** Facts about the HTTP request that carried a message (server side). */
export interface RequestInfo {
    /** Request headers, lower-case names. */
    headers: Record<string, string | string[] | undefined>;
    /** The request URL, when known. */
    url?: URL;
}

/** Extra information passed with a message a transport delivers. */
export interface MessageExtraInfo {
    /** The HTTP request the message arrived on (server transports). */
    requestInfo?: RequestInfo;
    /** Verified token information (server transports behind bearer auth). */
    authInfo?: AuthInfo;
    /** Closes the SSE stream the request's response would be written to, so the client polls for it (SSE polling). */
    closeSSEStream?: () => void;
    /** Closes the standalone GET SSE stream. */
    closeStandaloneSSEStream?: () => void;
}

/** Options for {@link Transport.send}. */
export interface TransportSendOptions {
    /** The id of the request this message relates to (a response, or a server-to-client request/notification made while handling it). */
    relatedRequestId?: RequestId;
    /** Resumption token (SSE event id) to resume a stream from, for client transports that support it. */
    resumptionToken?: string;
    /** Called when the transport learns a new resumption token for the stream this message opened. */
    onresumptiontoken?: (token: string) => void;
    /**
     * For a request: called when the transport can no longer deliver its response after `send` resolved — the
     * stream carrying it ended early and cannot be resumed, or became undecodable. The protocol layer fails the
     * request with `error` at once instead of letting it wait for its timeout.
     */
    onrequesterror?: (error: Error) => void;
    /**
     * Extra HTTP headers for this message (HTTP client transports; others ignore them). A 2026-07-28 client sends a
     * tool call's `Mcp-Param-*` headers this way.
     */
    headers?: Record<string, string>;
}

/**
 * A bidirectional channel for JSON-RPC messages. The {@link Protocol} owns a transport once connected and sets
 * the callbacks; a transport must not buffer messages before {@link Transport.start} is called.
 */
export interface Transport {
    /** Begins processing messages (connecting, spawning, listening). Called once by `Protocol.connect`. */
    start(): Promise<void>;
    /** Sends a message. Rejects when it cannot be delivered. */
    send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void>;
    /** Closes the transport; `onclose` fires once. */
    close(): Promise<void>;
    /** Called once the transport is closed, for any reason. */
    onclose?: () => void;
    /** Called on errors that are not tied to a single `send`. */
    onerror?: (error: Error) => void;
    /** Called for each received message. */
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    /** The session id, for transports that have sessions. */
    sessionId?: string | undefined;
    /** Told the negotiated protocol revision after initialization (HTTP transports send it as a header). */
    setProtocolVersion?: (version: string) => void;
}
