/**
 * Which session an HTTP request to a stateful endpoint belongs to (MCP 2025-11-25, Basic › Transports › Streamable
 * HTTP › Session Management): the one decision every adapter's session route makes before handing the request to a
 * transport, answered as plain data so each adapter only writes it out.
 *
 * @module
 */
import { isModernProtocolVersion } from '@modelcontextprotocol/core';
import type { AuthInfo, Transport } from '@modelcontextprotocol/core';
import { principalKey } from './auth/principal.js';
import type { BodyReply } from './replies.js';
import { TRANSPORT_ERROR_CODE, errorReply } from './replies.js';
import type { PooledSession, SessionPool, SessionReservation } from './sessionPool.js';

/** What an adapter's session route needs of a server: `McpServer` and `Server` both fit. */
export interface ConnectableServer {
    connect(transport: Transport): Promise<void>;
    close(): Promise<void>;
}

/** Where {@link routeSessionRequest} sends a request. */
export type SessionRoute<S extends PooledSession> =
    /**
     * An open session, acquired for this request: serve it with the session's transport, then call
     * `pool.release(id, session)` when the HTTP exchange ends (an SSE stream included).
     */
    | { readonly kind: 'session'; readonly id: string; readonly session: S }
    /**
     * A POST without `Mcp-Session-Id`, for which room was reserved: open a session with a new transport, register
     * it from `onsessioninitialized`, and cancel the reservation once the request was handled (a no-op if registered).
     */
    | { readonly kind: 'open'; readonly reservation: SessionReservation<S> }
    /**
     * A modern (2026-07-28) request, which has no session: serve it with a fresh server and a stateless transport
     * (no `sessionIdGenerator`), closed when the exchange ends. Any `Mcp-Session-Id` it carries is ignored.
     */
    | { readonly kind: 'stateless' }
    /** Refused: write this reply (400, 404, or 503 with `Retry-After`). */
    | { readonly kind: 'refused'; readonly reply: BodyReply };

/**
 * Routes a request to a stateful endpoint's session:
 *
 * - a `MCP-Protocol-Version` header naming a modern revision (2026-07-28 or later) → `stateless`: modern requests
 *   carry everything per request, and the transport holds the body's `_meta` to the header;
 * - more than one `Mcp-Session-Id` header → 400;
 * - a session id the pool does not hold, or whose session is bound to another principal → 404 `Session not found`
 *   (the client initializes a new session; another principal learns nothing about which sessions exist);
 * - no session id on a method other than POST → 400 (`Mcp-Session-Id` is required);
 * - a POST without session id → room reserved for a new session, or 503 with `Retry-After` when the pool or the
 *   principal is full (or the pool is closed).
 *
 * @param pool - The endpoint's sessions.
 * @param method - The HTTP method.
 * @param sessionIds - Every `Mcp-Session-Id` header value of the request.
 * @param authInfo - The verified token of the request, if it was authenticated: its `principalKey` counts against
 * `maxSessionsPerPrincipal` and must match the session's.
 * @param protocolVersion - The request's `MCP-Protocol-Version` header, if any.
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Session Management; Security Best Practices ›
 * Session Hijacking
 */
export function routeSessionRequest<S extends PooledSession>(
    pool: SessionPool<S>,
    method: string,
    sessionIds: readonly string[],
    authInfo: AuthInfo | undefined,
    protocolVersion?: string | null
): SessionRoute<S> {
    if (isModernProtocolVersion(protocolVersion)) return { kind: 'stateless' };
    if (sessionIds.length > 1) {
        return refused(400, 'Bad Request: more than one Mcp-Session-Id header');
    }
    const principal = principalKey(authInfo);
    const id = sessionIds[0];
    if (id !== undefined) {
        const session = pool.acquire(id, principal);
        return session === undefined ? refused(404, 'Session not found') : { kind: 'session', id, session };
    }
    if (method !== 'POST') return refused(400, 'Bad Request: Mcp-Session-Id header is required');
    const reservation = pool.reserve(principal);
    if (!reservation.ok) {
        const headers = { 'retry-after': String(reservation.retryAfterSeconds) };
        return { kind: 'refused', reply: errorReply(503, TRANSPORT_ERROR_CODE, reservation.message, headers) };
    }
    return { kind: 'open', reservation };
}

function refused(status: number, message: string): { readonly kind: 'refused'; readonly reply: BodyReply } {
    return { kind: 'refused', reply: errorReply(status, TRANSPORT_ERROR_CODE, message) };
}
