/**
 * `createMcpHandler`, the official v2 SDK's web-standard entry point: a `{ fetch, close }` handler that serves
 * each HTTP request with a server made by a factory — the shape Workers, Bun and Deno expect from
 * `export default`, and Node frameworks wrap with `toNodeHandler`.
 *
 * Both eras are served with a fresh server and a stateless Streamable HTTP transport per request, closed when the
 * response ends: a modern (2026-07-28) request — its `MCP-Protocol-Version` header names a modern revision — as
 * that revision prescribes (per-request `_meta`, no session), 2025-era traffic the way `legacy: 'stateless'` (the
 * default) prescribes (GET and DELETE answer `405`). Every request goes through the transport's checks (one parse
 * of the body, `Origin`, size and batch limits, and for modern requests the mirrored headers).
 *
 * @module
 */
import {
    DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    isModernProtocolVersion,
    ProtocolErrorCode,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS
} from '@modelcontextprotocol/core';
import type { AuthInfo } from '@modelcontextprotocol/core';
import type { Server } from './index.js';
import type { McpServer } from './mcp.js';
import { TRANSPORT_ERROR_CODE } from './replies.js';
import { whenResponseDone } from './responseDone.js';
import { createServerNotifier, InMemoryServerEventBus } from './serverEventBus.js';
import type { ServerEventBus, ServerNotifier } from './serverEventBus.js';
import { WebStandardStreamableHTTPServerTransport } from './streamableHttp.js';
import { ServerTransportError, jsonRpcErrorResponse } from './transportErrors.js';

/** What the factory is told about the request it makes a server for. */
export interface McpRequestContext {
    /**
     * `modern` when the request's `MCP-Protocol-Version` header names a 2026-07-28-or-later revision (the
     * transport then holds the body's `_meta` to the same version), else `legacy`.
     */
    era: 'legacy' | 'modern';
    /** The verified token, as the caller passed it. */
    authInfo?: AuthInfo;
    /** The HTTP request. */
    requestInfo?: Request;
}

/** Makes the server of one request (or returns a shared one that can be connected again). */
export type McpServerFactory = (ctx: McpRequestContext) => McpServer | Server | Promise<McpServer | Server>;

/** Per-request inputs of {@link McpHttpHandler.fetch}. */
export interface McpHandlerRequestOptions {
    /** The verified token (pass-through: the handler verifies nothing itself). */
    authInfo?: AuthInfo;
    /** A body a framework already parsed (e.g. `req.body`). */
    parsedBody?: unknown;
}

/** Options of {@link createMcpHandler}. */
export interface CreateMcpHandlerOptions {
    /**
     * How 2025-era traffic is served: `'stateless'` (default) with a fresh server per request; `'reject'` answers
     * it with `400` and the unsupported-protocol-version error listing the modern revisions (a modern-only endpoint).
     */
    legacy?: 'stateless' | 'reject';
    /** Out-of-band errors (reporting only). */
    onerror?: (error: Error) => void;
    /** Largest POST body read, in bytes (413 beyond, before anything is parsed). Default 4 MiB. */
    maxRequestBodySize?: number;
    /** `Origin` values accepted (see the transport's `allowedOrigins`); by default only loopback to loopback. */
    allowedOrigins?: string[];
    /** Answer POSTs with one JSON body instead of an SSE stream. Default `false`. */
    enableJsonResponse?: boolean;
    /**
     * The change-event bus of the `subscriptions/listen` streams the handler's servers hold (and that their
     * `sendToolListChanged()` & co. publish on); the handler's `notify` publishes on it too. Default: an in-process
     * `InMemoryServerEventBus`. Servers made with an `eventBus` option of their own keep theirs.
     */
    bus?: ServerEventBus;
}

/** The handler {@link createMcpHandler} returns: web-standard `fetch`, and `close`. */
export interface McpHttpHandler {
    /** Serves one HTTP request. A bound arrow: `const { fetch } = handler` works. */
    fetch: (request: Request, options?: McpHandlerRequestOptions) => Promise<Response>;
    /** Closes every server still serving a request. */
    close: () => Promise<void>;
    /** Publishes change events to every open listen stream (`notify.toolsChanged()`, …). */
    notify: ServerNotifier;
    /** The handler's change-event bus. */
    bus: ServerEventBus;
}

/**
 * Creates a web-standard MCP handler from a server factory (official v2 API).
 *
 * @example
 * ```ts
 * const handler = createMcpHandler(() => buildServer());
 * export default { fetch: handler.fetch }; // Workers, Bun, Deno
 * // Node: http.createServer(toNodeHandler(handler))
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for a `maxRequestBodySize` that is not a positive integer.
 */
export function createMcpHandler(factory: McpServerFactory, options: CreateMcpHandlerOptions = {}): McpHttpHandler {
    const limit = options.maxRequestBodySize;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
        throw new ServerTransportError(
            'INVALID_OPTIONS',
            `maxRequestBodySize must be a positive integer, got ${limit}`
        );
    }
    const open = new Set<McpServer | Server>();
    const bus = options.bus ?? new InMemoryServerEventBus(error => options.onerror?.(error));
    const report = (error: unknown): void =>
        options.onerror?.(error instanceof Error ? error : new Error(String(error)));

    const fetch = async (request: Request, requestOptions: McpHandlerRequestOptions = {}): Promise<Response> => {
        const era = isModernProtocolVersion(request.headers.get('mcp-protocol-version')) ? 'modern' : 'legacy';
        if (era === 'legacy' && options.legacy === 'reject') {
            const error = {
                code: ProtocolErrorCode.UnsupportedProtocolVersion,
                message: `Unsupported protocol version: this endpoint serves ${SUPPORTED_MODERN_PROTOCOL_VERSIONS.join(', ')} only`,
                data: {
                    supported: [...SUPPORTED_MODERN_PROTOCOL_VERSIONS],
                    requested: request.headers.get('mcp-protocol-version') ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION
                }
            };
            return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error }), {
                status: 400,
                headers: { 'content-type': 'application/json' }
            });
        }
        const transport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: undefined,
            ...(limit === undefined ? {} : { maxBodyBytes: limit }),
            ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
            ...(options.enableJsonResponse ? { enableJsonResponse: true } : {})
        });
        transport.onerror = report;
        let server: McpServer | Server;
        try {
            server = await factory({
                era,
                requestInfo: request,
                ...(requestOptions.authInfo ? { authInfo: requestOptions.authInfo } : {})
            });
            ('server' in server ? server.server : server)._adoptEventBus(bus);
            await server.connect(transport);
        } catch (error) {
            report(error);
            return jsonRpcErrorResponse(500, TRANSPORT_ERROR_CODE, 'Internal server error');
        }
        open.add(server);
        const close = (): void => {
            open.delete(server);
            server.close().catch(report);
        };
        const handleOptions = {
            ...(requestOptions.authInfo ? { authInfo: requestOptions.authInfo } : {}),
            ...(requestOptions.parsedBody === undefined ? {} : { parsedBody: requestOptions.parsedBody })
        };
        return whenResponseDone(await transport.handleRequest(request, handleOptions), close);
    };

    return {
        fetch,
        notify: createServerNotifier(bus),
        bus,
        close: async () => {
            const servers = [...open];
            open.clear();
            await Promise.allSettled(servers.map(server => server.close()));
        }
    };
}
