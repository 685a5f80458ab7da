/**
 * Serving a web-standard MCP handler (`createMcpHandler`, or anything with `fetch(request)`) from Node's `http`
 * server and the frameworks built on it: the request becomes a web `Request` (its body streamed, bounded), the
 * `Response` is written back (an SSE body as it is produced), and a client that goes away cancels it.
 *
 * @module
 */
import type { AuthInfo, McpHandlerRequestOptions } from '@modelcontextprotocol/server';
import { DEFAULT_MAX_REQUEST_BODY_SIZE, TRANSPORT_ERROR_CODE } from '@modelcontextprotocol/server';

/** The request shape {@link toNodeHandler} reads: Node's `IncomingMessage`, or anything shaped like it. */
export interface NodeIncomingMessageLike extends AsyncIterable<unknown> {
    method?: string | undefined;
    url?: string | undefined;
    headers: Record<string, string | string[] | undefined>;
    /** The verified token, set by bearer-auth middleware. */
    auth?: AuthInfo | undefined;
}

/** The response shape {@link toNodeHandler} writes: Node's `ServerResponse`, or anything shaped like it. */
export interface NodeServerResponseLike {
    writeHead(statusCode: number, headers?: Record<string, string>): unknown;
    write(chunk: string | Uint8Array): unknown;
    end(chunk?: string | Uint8Array): unknown;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    destroyed?: boolean;
}

/** Anything with a web-standard `fetch` (e.g. the handler `createMcpHandler` returns). */
export interface FetchLikeMcpHandler {
    fetch: (request: Request, options?: McpHandlerRequestOptions) => Promise<Response>;
}

/** A Node request listener. */
export type NodeMcpRequestHandler = (
    req: NodeIncomingMessageLike,
    res: NodeServerResponseLike,
    parsedBody?: unknown
) => Promise<void>;

/** Options of {@link toNodeHandler}. */
export interface ToNodeHandlerOptions {
    /** Errors of the handler (answered with 500). */
    onerror?: (error: Error) => void;
    /** Largest request body streamed to the handler, in bytes. Default 4 MiB. */
    maxRequestBodySize?: number;
}

/** Options of {@link toWebRequest}. */
export interface ToWebRequestOptions {
    /** Aborts the request (e.g. when the client goes away). */
    signal?: AbortSignal;
    /** Largest body streamed, in bytes; the stream errors beyond it. Default 4 MiB. */
    maxRequestBodySize?: number;
}

/** A thrown error of {@link toWebRequest}'s body stream when the body exceeds the limit. */
class BodyTooLarge extends Error {
    override name = 'BodyTooLarge';
}

function headersOf(req: NodeIncomingMessageLike): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.append(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    return headers;
}

/**
 * Converts a Node request to a web `Request`: URL from `Host` and the path, headers, and (for methods with a body)
 * the body streamed without buffering, erroring past `maxRequestBodySize`. A `parsedBody` is sent as JSON instead.
 */
export async function toWebRequest(
    req: NodeIncomingMessageLike,
    parsedBody?: unknown,
    options: ToWebRequestOptions = {}
): Promise<Request> {
    const headers = headersOf(req);
    const host = headers.get('host') ?? 'localhost';
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (options.signal) init.signal = options.signal;
    if (method !== 'GET' && method !== 'HEAD') {
        if (parsedBody !== undefined) {
            init.body = JSON.stringify(parsedBody);
            headers.delete('content-length');
        } else {
            const limit = options.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
            const iterator = req[Symbol.asyncIterator]();
            let size = 0;
            init.body = new ReadableStream<Uint8Array>({
                async pull(controller) {
                    const { done, value } = await iterator.next();
                    if (done) return controller.close();
                    const chunk =
                        typeof value === 'string'
                            ? new TextEncoder().encode(value)
                            : new Uint8Array(value as ArrayBuffer);
                    size += chunk.byteLength;
                    if (size > limit) controller.error(new BodyTooLarge(`Body exceeds ${limit} bytes`));
                    else controller.enqueue(chunk);
                },
                async cancel() {
                    await iterator.return?.();
                }
            });
            init.duplex = 'half';
        }
    }
    return new Request(url, init);
}

/**
 * Wraps a web-standard handler into a Node request listener: `http.createServer(toNodeHandler(handler))`, or an
 * Express / Fastify route. `req.auth` (set by bearer-auth middleware) and a `parsedBody` are passed to the handler.
 */
export function toNodeHandler(handler: FetchLikeMcpHandler, opts: ToNodeHandlerOptions = {}): NodeMcpRequestHandler {
    return async (req, res, parsedBody) => {
        const abort = new AbortController();
        res.on('close', () => abort.abort());
        try {
            const request = await toWebRequest(req, undefined, {
                signal: abort.signal,
                ...(opts.maxRequestBodySize === undefined ? {} : { maxRequestBodySize: opts.maxRequestBodySize })
            });
            const response = await handler.fetch(request, {
                ...(req.auth ? { authInfo: req.auth } : {}),
                ...(parsedBody === undefined ? {} : { parsedBody })
            });
            const headers: Record<string, string> = {};
            response.headers.forEach((value, name) => (headers[name] = value));
            res.writeHead(response.status, headers);
            if (response.body === null) {
                res.end();
                return;
            }
            const reader = response.body.getReader();
            abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
            for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                res.write(value);
            }
            res.end();
        } catch (error) {
            opts.onerror?.(error instanceof Error ? error : new Error(String(error)));
            if (res.destroyed) return;
            const body = `{"jsonrpc":"2.0","error":{"code":${TRANSPORT_ERROR_CODE},"message":"Internal server error"},"id":null}`;
            try {
                res.writeHead(500, { 'content-type': 'application/json' });
            } catch {
                // headers already sent: end what was started
            }
            res.end(body);
        }
    };
}
