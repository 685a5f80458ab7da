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
import { ProtocolErrorCode, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import type {
    AuthInfo,
    BearerAuthOptions,
    HttpAuthorizationResult,
    JSONRPCMessage,
    MessageExtraInfo,
    RequestId,
    ScopeChallengeHandler,
    Transport,
    TransportSendOptions,
    WebStandardStreamableHTTPServerTransportOptions
} from '@modelcontextprotocol/server';
import { authorizeHttpRequest, readJsonBody } from '@modelcontextprotocol/server/adapter';
import type {
    BodyAccumulator,
    BodyRead,
    JsonBodyOutcome,
    ReadJsonBodyOptions,
    Reply,
    RequestView,
    SseReply,
    SseSink
} from '@modelcontextprotocol/server/adapter';
import { rawHeaderValues } from './rawHeaders.js';

/** Options of {@link StreamableHTTPServerTransport}: the same as the web-standard transport's. */
export type StreamableHTTPServerTransportOptions = WebStandardStreamableHTTPServerTransportOptions;

/** The request shape the adapter reads: Node's, plus the `auth` that bearer middleware attaches. */
export type NodeMcpRequest = IncomingMessage & { auth?: AuthInfo | undefined };

/** A {@link RequestView} of a Node request; header copies and the URL are only built when asked for. */
export class NodeRequestView implements RequestView {
    readonly method: string;

    constructor(private readonly _req: IncomingMessage) {
        this.method = _req.method ?? 'GET';
    }

    get carrier(): object {
        return this._req;
    }

    header(name: string): string | null {
        const value = this._req.headers[name];
        if (value === undefined) return null;
        return typeof value === 'string' ? value : value.join(', ');
    }

    /**
     * Every value of a header as sent. Node keeps only the first of some repeated headers in `req.headers`
     * (`Authorization`, `Content-Type`, `Host`…), so this reads the raw headers, which keep them all.
     */
    headerValues(name: string): readonly string[] {
        return rawHeaderValues(this._req, name);
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

    bodyConsumed(): boolean {
        const req = this._req;
        return req.readableEnded || req.readableDidRead || req.destroyed;
    }

    frameworkBody(): unknown {
        return (this._req as { body?: unknown }).body;
    }

    readBody(accumulator: BodyAccumulator): Promise<BodyRead> {
        const req = this._req;
        return new Promise((resolve, reject) => {
            // Once settled, handlers do nothing: a refused body's rest is dropped until the connection closes.
            let settled = false;
            req.on('data', (chunk: Buffer) => {
                if (settled) return;
                const verdict = accumulator.add(chunk);
                if (verdict) {
                    settled = true;
                    resolve(verdict);
                }
            });
            req.on('end', () => {
                if (settled) return;
                settled = true;
                resolve(accumulator.finish());
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
function writeReply(reply: Reply, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    if ('sse' in reply) return new NodeSseOutput(res, reply).start();
    writeNodeReply(req, res, reply);
    return undefined;
}

/** How long, and how much, a refused request's unread body is read and dropped before the connection closes. */
const LINGER_MS = 2_000;
const LINGER_IDLE_MS = 500;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Writes a complete reply (status, headers, body with its `Content-Length`). When the request's body was not read
 * to its end — an early refusal such as 413 — the reply goes out at once, but the connection is ended only once
 * the client stops sending: the rest of the body is read and dropped (never kept), for at most 2 s, 64 MiB, or
 * until nothing arrived for 0.5 s, then the connection is closed. Closing with unread data would reset it, and a
 * client still sending would lose the answer (RFC 9112 §9.6). Adapters use it for every refusal they write.
 */
export function writeNodeReply(
    req: IncomingMessage,
    res: ServerResponse,
    reply: { readonly status: number; readonly headers: Record<string, string>; readonly body: string | null }
): void {
    const headers = {
        ...reply.headers,
        'content-length': String(reply.body === null ? 0 : Buffer.byteLength(reply.body))
    };
    res.writeHead(reply.status, headers);
    if (req.complete || req.destroyed) {
        res.end(reply.body ?? undefined);
        return;
    }
    if (reply.body !== null) res.write(reply.body);
    let dropped = 0;
    const started = Date.now();
    const close = (): void => {
        clearTimeout(timer);
        req.off('data', drop);
        res.end();
        req.socket.destroy();
    };
    const drop = (chunk: Buffer): void => {
        dropped += chunk.byteLength;
        if (dropped > LINGER_BYTES || Date.now() - started > LINGER_MS) return close();
        timer.refresh();
    };
    const timer = setTimeout(close, LINGER_IDLE_MS);
    timer.unref();
    req.on('data', drop);
    req.once('end', () => {
        clearTimeout(timer);
        res.end();
    });
    req.once('error', close);
    req.resume();
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
export class NodeStreamableHTTPServerTransport implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    private readonly _web: WebStandardStreamableHTTPServerTransport;

    /**
     * @param options - The web-standard transport's options; without `sessionIdGenerator` the transport is
     *   stateless.
     * @throws {@link ServerTransportError} `INVALID_OPTIONS` on out-of-range or contradictory options.
     */
    constructor(options: StreamableHTTPServerTransportOptions = {}) {
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

    /** The protocol versions accepted in `MCP-Protocol-Version` (see the web-standard transport). */
    setSupportedProtocolVersions(versions: string[]): void {
        this._web.setSupportedProtocolVersions(versions);
    }

    /** Per-request scope challenges, decided on the decoded messages (see the web-standard transport). */
    setScopeChallengeResolver(resolver: ScopeChallengeHandler): void {
        this._web.setScopeChallengeResolver(resolver);
    }

    /** See the web-standard transport's `setModernRequestGate` (2026-07-28 checks before dispatch). */
    setModernRequestGate(gate: Parameters<WebStandardStreamableHTTPServerTransport['setModernRequestGate']>[0]): void {
        this._web.setModernRequestGate(gate);
    }

    /** See the web-standard transport's `setParamHeaderResolver` (2026-07-28 `Mcp-Param-*` checks). */
    setParamHeaderResolver(
        resolve: Parameters<WebStandardStreamableHTTPServerTransport['setParamHeaderResolver']>[0]
    ): void {
        this._web.setParamHeaderResolver(resolve);
    }

    /** Ends the SSE stream carrying the response to `requestId` (the client resumes with `Last-Event-ID`). */
    closeSSEStream(requestId: RequestId): void {
        this._web.closeSSEStream(requestId);
    }

    /** Ends the standalone GET stream. */
    closeStandaloneSSEStream(): void {
        this._web.closeStandaloneSSEStream();
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
            const writing = writeReply(reply, req, res);
            if (writing) await writing;
        } catch (error) {
            this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            if (!res.headersSent) {
                res.writeHead(500, { 'content-type': 'application/json' }).end(
                    `{"jsonrpc":"2.0","error":{"code":${ProtocolErrorCode.InternalError},"message":"Internal server error"},"id":null}`
                );
            } else {
                res.end();
            }
        }
    }
}

/**
 * Reads and parses a Node request's JSON body once (bounded: refused before reading when `Content-Length` is too
 * large, stopped at the limit when chunked) and remembers it on the request, so bearer authorization and the
 * transport later use this very value. For body-parser middleware: the Express adapter's app parses with it.
 * Does not look at `Content-Type`; check it first (`isJsonContentType`).
 */
export function readNodeJsonBody(req: IncomingMessage, options: ReadJsonBodyOptions = {}): Promise<JsonBodyOutcome> {
    return readJsonBody(new NodeRequestView(req), options);
}

/**
 * Bearer authorization of a Node request (see `authorizeHttpRequest`): reads every `Authorization` value (Node's
 * `req.headers` keeps only the first), and with a policy decodes a POST body through the one parse the transport
 * shares, so the transport dispatches exactly the message the policy judged.
 *
 * @example
 * ```ts
 * http.createServer(async (req, res) => {
 *     const result = await authorizeNodeRequest(req, { verifier, policy, resourceMetadataUrl });
 *     if (!result.ok) return writeNodeReply(req, res, result);
 *     await transport.handleRequest(Object.assign(req, { auth: result.authInfo }), res);
 * });
 * ```
 */
export function authorizeNodeRequest(
    req: IncomingMessage,
    options: BearerAuthOptions
): Promise<HttpAuthorizationResult> {
    return authorizeHttpRequest(new NodeRequestView(req), options);
}

/** The v1 name of {@link NodeStreamableHTTPServerTransport}. */
export const StreamableHTTPServerTransport = NodeStreamableHTTPServerTransport;
/** The v1 name of {@link NodeStreamableHTTPServerTransport}. */
export type StreamableHTTPServerTransport = NodeStreamableHTTPServerTransport;
