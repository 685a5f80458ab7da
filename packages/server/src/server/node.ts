/**
 * Node.js `http` adapter for the Streamable HTTP server transport (MCP 2025-11-25, Basic › Transports ›
 * Streamable HTTP): lets {@link WebStandardStreamableHTTPServerTransport} answer an `IncomingMessage` through a
 * light {@link RequestView} (the body is read once with Node APIs unless a framework already parsed it) and
 * writes its {@link Reply} straight to the `ServerResponse`, without building web `Request` / `Response`
 * objects. Headers go out with the first body bytes: a complete reply, or an SSE stream that ends before the
 * event loop turns (the usual `tools/call`), is one socket write.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
    AuthInfo,
    JSONRPCMessage,
    MessageExtraInfo,
    Transport,
    TransportSendOptions
} from '@modelcontextprotocol/core';
import { ErrorCode } from '@modelcontextprotocol/core';
import { decodeUtf8 } from './httpExchange.js';
import type { Reply, RequestView, SseReply, SseSink } from './httpExchange.js';
import { WebStandardStreamableHTTPServerTransport } from './streamableHttp.js';
import type { WebStandardStreamableHTTPServerTransportOptions } from './streamableHttp.js';

/** Options of {@link StreamableHTTPServerTransport}: the same as the web-standard transport's. */
export type StreamableHTTPServerTransportOptions = WebStandardStreamableHTTPServerTransportOptions;

/** The request shape the adapter reads: Node's, plus the `auth` that bearer middleware attaches. */
export type NodeMcpRequest = IncomingMessage & { auth?: AuthInfo | undefined };

/** A {@link RequestView} of a Node request; header copies and the URL are only built when asked for. */
class NodeRequestView implements RequestView {
    readonly method: string;

    constructor(private readonly _req: IncomingMessage) {
        this.method = _req.method ?? 'GET';
    }

    header(name: string): string | null {
        const value = this._req.headers[name];
        if (value === undefined) return null;
        return typeof value === 'string' ? value : value.join(', ');
    }

    headerRecord(): Record<string, string> {
        // The same record `Object.fromEntries(new Headers(...))` gives on the web-standard path.
        const headers = new Headers();
        const raw = this._req.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
        return Object.fromEntries(headers);
    }

    url(): URL {
        const req = this._req;
        const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
        const path = req.url ?? '/';
        try {
            return new URL(path, `${scheme}://${req.headers.host ?? 'localhost'}`);
        } catch {
            // A malformed Host header: the transport still sees (and may reject) it in the headers.
            return new URL(path.startsWith('/') ? path : '/', `${scheme}://localhost`);
        }
    }

    readBody(limit: number): Promise<string | undefined> {
        const req = this._req;
        const declared = req.headers['content-length'];
        if (declared !== undefined && Number(declared) > limit) return Promise.resolve(undefined);
        if (req.readableEnded) return Promise.resolve('');
        return new Promise((resolve, reject) => {
            const chunks: Buffer[] = [];
            let size = 0;
            // Once settled, handlers do nothing: past the limit the rest of the body is drained and dropped.
            let settled = false;
            req.on('data', (chunk: Buffer) => {
                if (settled) return;
                size += chunk.byteLength;
                if (size <= limit) {
                    chunks.push(chunk);
                    return;
                }
                settled = true;
                resolve(undefined);
            });
            req.on('end', () => {
                if (settled) return;
                settled = true;
                try {
                    resolve(decodeUtf8(chunks, size));
                } catch (error) {
                    reject(error instanceof Error ? error : new Error(String(error)));
                }
            });
            const fail = (error?: Error): void => {
                if (settled) return;
                settled = true;
                reject(error ?? new Error('request closed before its body ended'));
            };
            req.on('error', fail);
            req.on('close', fail);
        });
    }
}

/**
 * Streams an SSE reply to a Node response. Text waits until the event loop turns (or the stream ends), then
 * goes out together with the headers: a stream that ends first becomes one write with a `Content-Length`.
 */
class NodeSseOutput implements SseSink {
    private _pending = '';
    private _flushed = false;
    private _timer: NodeJS.Immediate | undefined;
    private _resolve: (() => void) | undefined;

    constructor(
        private readonly _res: ServerResponse,
        private readonly _reply: SseReply
    ) {}

    /**
     * Takes over the writer; call once. Returns, unless the stream already ended, a promise settled when it
     * ends or the client goes away.
     */
    start(): Promise<void> | undefined {
        const writer = this._reply.sse;
        const text = writer.attach(this);
        if (writer.ended) {
            this._endWith(text);
            return undefined;
        }
        this._pending = text;
        this._timer = setImmediate(this._flush);
        this._res.once('close', this._onClose);
        return new Promise(resolve => (this._resolve = resolve));
    }

    write(text: string): void {
        if (this._flushed) this._res.write(text);
        else this._pending += text;
    }

    end(): void {
        if (this._flushed) this._res.end();
        else {
            if (this._timer) clearImmediate(this._timer);
            this._endWith(this._pending);
        }
        this._resolve?.();
    }

    private _endWith(text: string): void {
        this._flushed = true;
        this._pending = '';
        const headers = this._reply.headers;
        headers['content-length'] = String(Buffer.byteLength(text));
        this._res.writeHead(this._reply.status, headers).end(text);
    }

    private readonly _flush = (): void => {
        this._timer = undefined;
        if (this._flushed) return;
        this._flushed = true;
        this._res.writeHead(this._reply.status, this._reply.headers);
        const text = this._pending;
        this._pending = '';
        if (text) this._res.write(text);
        else this._res.flushHeaders();
    };

    private readonly _onClose = (): void => {
        if (this._timer) clearImmediate(this._timer);
        this._timer = undefined;
        this._reply.sse.cancel();
        this._resolve?.();
    };
}

/**
 * Writes a reply: a complete body in one `end()` with its `Content-Length`, an SSE body as it is produced.
 * Returns a promise when the body is still being written (settled when it ends or the client goes away).
 */
function writeReply(reply: Reply, res: ServerResponse): Promise<void> | undefined {
    if ('sse' in reply) return new NodeSseOutput(res, reply).start();
    const headers = reply.headers;
    if (reply.body === null) {
        res.writeHead(reply.status, headers).end();
        return undefined;
    }
    headers['content-length'] = String(Buffer.byteLength(reply.body));
    res.writeHead(reply.status, headers).end(reply.body);
    return undefined;
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
            const reply = await this._web._handleExchange(
                new NodeRequestView(req),
                req.auth ? { authInfo: req.auth, parsedBody } : { parsedBody }
            );
            const writing = writeReply(reply, res);
            if (writing) await writing;
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
