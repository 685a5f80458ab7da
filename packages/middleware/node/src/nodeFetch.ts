/**
 * A `fetch` for MCP clients on Node built on `node:http` / `node:https` with keep-alive agents: the same
 * `fetch`-shaped seam the client transports take (`StreamableHTTPClientTransport`'s `fetch` option), at a fraction of
 * the CPU of Node's built-in `fetch` per request. Browsers keep the web `fetch`; nothing in the client changes.
 *
 * What it covers is what MCP traffic needs: `string`, `URL` or byte bodies, any headers, streamed response bodies
 * (SSE), `AbortSignal`, and `redirect: 'manual'` (the client transports' redirect policy). Anything else — a
 * `Request` object, a streamed or form-data body, a URL that is not `http:` / `https:`, or a redirect that `fetch`
 * would follow — is handed to the built-in `fetch`, so the result is always what `fetch` would give.
 *
 * @module
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

import type { FetchLike } from '@modelcontextprotocol/server';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
    /** The agent for `http:` URLs. Default: a keep-alive agent owned by this fetch (see {@link NodeFetch.close}). */
    httpAgent?: HttpAgent;
    /** The agent for `https:` URLs. Default: a keep-alive agent owned by this fetch. */
    httpsAgent?: HttpsAgent;
}

/** A `fetch` over `node:http`; `close()` ends the keep-alive connections of the agents it created. */
export interface NodeFetch extends FetchLike {
    /** Destroys the sockets of the agents this fetch created (agents passed in options are left alone). */
    close(): void;
}

/**
 * A network failure of {@link createNodeFetch}'s requests. It is a `TypeError`, as the built-in `fetch` rejects
 * with one for network errors (code that tells a network error from others by `instanceof TypeError` keeps working);
 * the socket error is its `cause`.
 */
export class NodeFetchError extends TypeError {
    override readonly name = 'NodeFetchError';
    /** Stable code. */
    readonly code = 'NODE_FETCH_FAILED';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

type SimpleBody = string | Uint8Array | undefined;

/** The request body as bytes or text, or `false` when it is of a kind this fetch leaves to the built-in one. */
function simpleBody(body: RequestInit['body']): SimpleBody | false {
    if (body === undefined || body === null) return undefined;
    if (typeof body === 'string' || body instanceof Uint8Array) return body;
    if (body instanceof URLSearchParams) return body.toString();
    if (body instanceof ArrayBuffer) return new Uint8Array(body);
    return false;
}

function outgoingHeaders(init: RequestInit, body: SimpleBody): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
    });
    if (headers['content-type'] === undefined) {
        // The types `fetch` gives these bodies when the caller sets none.
        if (init.body instanceof URLSearchParams) {
            headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
        } else if (typeof body === 'string') headers['content-type'] = 'text/plain;charset=UTF-8';
    }
    headers.accept ??= '*/*';
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return headers;
}

function toResponse(message: IncomingMessage, url: URL, method: string): Response {
    const headers = new Headers();
    const raw = message.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    const status = message.statusCode ?? 0;
    const empty = NULL_BODY.has(status) || method === 'HEAD';
    if (empty) message.resume();
    const response = new Response(empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>), {
        status,
        statusText: message.statusMessage ?? '',
        headers
    });
    Object.defineProperty(response, 'url', { value: url.href });
    return response;
}

/**
 * Creates a {@link NodeFetch}: pass it as the `fetch` option of a client transport on Node.
 *
 * @example
 * ```ts
 * import { createNodeFetch } from '@modelcontextprotocol/node';
 *
 * const fetch = createNodeFetch();
 * const transport = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:3000/mcp'), { fetch });
 * // …
 * fetch.close();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
    const ownHttp = options.httpAgent === undefined ? new HttpAgent({ keepAlive: true }) : undefined;
    const ownHttps = options.httpsAgent === undefined ? new HttpsAgent({ keepAlive: true }) : undefined;
    const httpAgent = options.httpAgent ?? ownHttp!;
    const httpsAgent = options.httpsAgent ?? ownHttps!;

    const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
        const body = simpleBody(init.body);
        if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init);
        const url = new URL(input);
        const secure = url.protocol === 'https:';
        if (body === false || (!secure && url.protocol !== 'http:')) return fetch(input, init);
        const signal = init.signal ?? undefined;
        if (signal?.aborted) return Promise.reject(signal.reason);
        const method = (init.method ?? 'GET').toUpperCase();
        const send = secure ? httpsRequest : httpRequest;

        return new Promise<Response>((resolve, reject) => {
            let answered = false;
            const request = send(
                url,
                { method, headers: outgoingHeaders(init, body), agent: secure ? httpsAgent : httpAgent },
                message => {
                    answered = true;
                    const status = message.statusCode ?? 0;
                    if (REDIRECTS.has(status) && init.redirect !== 'manual' && message.headers.location) {
                        // `fetch` would follow (or refuse) this redirect: let it, with the same (re-sendable) body.
                        message.resume();
                        signal?.removeEventListener('abort', onAbort);
                        fetch(input, init).then(resolve, reject);
                        return;
                    }
                    message.once('close', () => signal?.removeEventListener('abort', onAbort));
                    resolve(toResponse(message, url, method));
                }
            );
            function onAbort(): void {
                const reason: unknown = signal?.reason;
                request.destroy(reason instanceof Error ? reason : undefined);
                if (!answered) reject(reason);
            }
            signal?.addEventListener('abort', onAbort, { once: true });
            request.once('error', error => {
                signal?.removeEventListener('abort', onAbort);
                if (!answered && !signal?.aborted) reject(new NodeFetchError('fetch failed', { cause: error }));
            });
            request.end(body);
        });
    };
    return Object.assign(nodeFetch, {
        close(): void {
            ownHttp?.destroy();
            ownHttps?.destroy();
        }
    });
}
