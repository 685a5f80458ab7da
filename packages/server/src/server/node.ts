/**
 * Node.js `http` adapter for the Streamable HTTP server transport (MCP 2025-11-25, Basic › Transports ›
 * Streamable HTTP): converts `IncomingMessage` to a web `Request`, lets
 * {@link WebStandardStreamableHTTPServerTransport} answer it, and streams the `Response` back.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type {
    AuthInfo,
    JSONRPCMessage,
    MessageExtraInfo,
    Transport,
    TransportSendOptions
} from '@modelcontextprotocol/core';
import { ErrorCode } from '@modelcontextprotocol/core';
import { WebStandardStreamableHTTPServerTransport } from './streamableHttp.js';
import type { WebStandardStreamableHTTPServerTransportOptions } from './streamableHttp.js';

/** Options of {@link StreamableHTTPServerTransport}: the same as the web-standard transport's. */
export type StreamableHTTPServerTransportOptions = WebStandardStreamableHTTPServerTransportOptions;

/** The request shape the adapter reads: Node's, plus the `auth` that bearer middleware attaches. */
export type NodeMcpRequest = IncomingMessage & { auth?: AuthInfo | undefined };

function toWebRequest(req: NodeMcpRequest, parsedBody: unknown): Request {
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const path = req.url ?? '/';
    let url: URL;
    try {
        url = new URL(path, `${scheme}://${req.headers.host ?? 'localhost'}`);
    } catch {
        // A malformed Host header: the transport still sees (and may reject) it in the headers.
        url = new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`);
    }
    const hasBody = parsedBody === undefined && req.method === 'POST';
    return new Request(url, {
        method: req.method ?? 'GET',
        headers,
        body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : null,
        ...(hasBody ? { duplex: 'half' } : {})
    } as RequestInit);
}

async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
        headers[name] = value;
    });
    res.writeHead(response.status, headers);
    if (!response.body) {
        res.end();
        return;
    }
    res.flushHeaders();
    const reader = response.body.getReader();
    const onClose = (): void => {
        reader.cancel().catch(() => {});
    };
    res.once('close', onClose);
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            res.write(value);
        }
    } finally {
        res.off('close', onClose);
        res.end();
    }
}

/**
 * Streamable HTTP server transport for Node's `http` / `https` servers and frameworks built on them
 * (Express, Fastify's raw mode…). Honours `req.auth` (set by bearer-auth middleware) as `authInfo`.
 *
 * @example
 * ```ts
 * const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => crypto.randomUUID() });
 * await server.connect(transport);
 * http.createServer((req, res) => transport.handleRequest(req, res)).listen(3000, '127.0.0.1');
 * ```
 */
export class StreamableHTTPServerTransport implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    private readonly _web: WebStandardStreamableHTTPServerTransport;

    /** @throws {@link ServerTransportError} `INVALID_OPTIONS` on out-of-range or contradictory options. */
    constructor(options: StreamableHTTPServerTransportOptions) {
        this._web = new WebStandardStreamableHTTPServerTransport(options);
        this._web.onmessage = (message, extra) => this.onmessage?.(message, extra);
        this._web.onclose = () => this.onclose?.();
        this._web.onerror = error => this.onerror?.(error);
    }

    /** The session id, once `initialize` was received (stateful mode). */
    get sessionId(): string | undefined {
        return this._web.sessionId;
    }

    /** Records the revision negotiated by `initialize` (see the web-standard transport's `setProtocolVersion`). */
    setProtocolVersion(version: string): void {
        this._web.setProtocolVersion(version);
    }

    /** @inheritDoc */
    start(): Promise<void> {
        return this._web.start();
    }

    /** @inheritDoc */
    send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
        return this._web.send(message, options);
    }

    /** @inheritDoc */
    close(): Promise<void> {
        return this._web.close();
    }

    /**
     * Handles one HTTP request to the MCP endpoint and writes the response (streaming SSE as it is produced;
     * a client disconnect cancels the stream).
     *
     * @param parsedBody - The JSON body when middleware (e.g. `express.json()`) already consumed the stream.
     */
    async handleRequest(req: NodeMcpRequest, res: ServerResponse, parsedBody?: unknown): Promise<void> {
        try {
            const request = toWebRequest(req, parsedBody);
            const response = await this._web.handleRequest(
                request,
                req.auth ? { authInfo: req.auth, parsedBody } : { parsedBody }
            );
            await writeWebResponse(response, res);
        } catch (error) {
            this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            if (!res.headersSent) {
                res.writeHead(500, { 'content-type': 'application/json' }).end(
                    `{"jsonrpc":"2.0","error":{"code":${ErrorCode.InternalError},"message":"Internal server error"},"id":null}`
                );
            } else {
                res.end();
            }
        }
    }
}
