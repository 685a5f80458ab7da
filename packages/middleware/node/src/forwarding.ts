/**
 * Forwarding a Node request to the instance that owns its session (see the server's `SessionForwarder`): the
 * request's raw headers and body bytes go on untouched (nothing here parses or authorizes them: the owner does
 * that once), and the owner's response — status, headers, an SSE stream chunk by chunk — is written back as it
 * arrives. The forwarded request is aborted when the client goes away.
 *
 * By default the request is proxied with `node:http` / `node:https` over keep-alive connections (bytes piped both
 * ways, nothing converted); with the route's `forwardFetch`, through that `fetch`.
 *
 * @module
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { SessionOwner } from '@modelcontextprotocol/server';
import { errorReply, isHopByHopHeader } from '@modelcontextprotocol/server/adapter';
import type { ForwardedRequest, SessionForwarder } from '@modelcontextprotocol/server/adapter';
import { writeNodeReply } from './transport.js';

/** How long connecting to an owner may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

const BAD_GATEWAY =
    '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Gateway: the session owner failed"},"id":null}';

/** Forwards requests of one route to session owners; {@link NodeForwarding.close} drops its idle connections. */
export interface NodeForwarding {
    /** Forwards `req` to `owner` and writes the owner's response to `res`; resolves once it ended or the client left. */
    forward(owner: SessionOwner, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void>;
    close(): void;
}

/** The Node forwarding of a route's `forwarder`: `node:http` by default, its `forwardFetch` when one was given. */
export function createNodeForwarding(forwarder: SessionForwarder): NodeForwarding {
    if (forwarder.customFetch) {
        return {
            forward: (owner, req, res, parsedBody) => forwardWithFetch(forwarder, owner, req, res, parsedBody),
            close: () => {}
        };
    }
    const http = new HttpAgent({ keepAlive: true });
    const https = new HttpsAgent({ keepAlive: true });
    return {
        forward: (owner, req, res, parsedBody) => proxy(forwarder, { http, https }, owner, req, res, parsedBody),
        close: () => {
            http.destroy();
            https.destroy();
        }
    };
}

/** The request's header pairs as received, repeated headers kept apart. */
function headerPairs(req: IncomingMessage): [string, string][] {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    return pairs;
}

/** Pairs as a Node headers object, repeated names as arrays. */
function toNodeHeaders(pairs: readonly (readonly [string, string])[]): OutgoingHttpHeaders {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of pairs) {
        const lower = name.toLowerCase();
        const seen = headers[lower];
        if (seen === undefined) headers[lower] = value;
        else headers[lower] = Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    return headers;
}

/** `node:http` proxying: the body piped to the owner, the owner's response piped back, bytes unchanged. */
function proxy(
    forwarder: SessionForwarder,
    agents: { http: HttpAgent; https: HttpsAgent },
    owner: SessionOwner,
    req: IncomingMessage,
    res: ServerResponse,
    parsedBody: unknown
): Promise<void> {
    const { headers: pairs, framed } = forwarder.forwardedHeaders(headerPairs(req));
    const headers = toNodeHeaders(pairs);
    const bodiless = req.method === 'GET' || req.method === 'HEAD';
    // A body a framework already decoded is gone as bytes: it goes on re-serialized.
    const replaced = !bodiless && parsedBody !== undefined ? Buffer.from(JSON.stringify(parsedBody)) : undefined;
    if (replaced !== undefined) headers['content-length'] = replaced.length;
    else if (!bodiless && framed && req.headers['content-length'] !== undefined) {
        headers['content-length'] = req.headers['content-length'];
    }
    const target = new URL(owner.url);
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    if (!bodiless && replaced === undefined && framed && (req.readableEnded || req.readableDidRead)) {
        // The body was read by something that did not hand it over (`parsedBody`): there is nothing to forward.
        writeNodeReply(
            req,
            res,
            errorReply(400, -32600, 'Invalid Request: the body was consumed before it could be forwarded')
        );
        return Promise.resolve();
    }
    return new Promise<void>(resolve => {
        let answered = false;
        // Whether a connection to the owner was made: before that, the owner has seen nothing of the request.
        let connected = false;
        const upstream = send(target, {
            method: req.method ?? 'GET',
            headers,
            agent: secure ? agents.https : agents.http
        });
        upstream.once('socket', socket => {
            if (!socket.connecting) {
                connected = true;
                return;
            }
            const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
            socket.once('connect', () => {
                connected = true;
                clearTimeout(timer);
            });
            socket.once('close', () => clearTimeout(timer));
        });
        const onClientGone = (): void => {
            if (!res.writableFinished) upstream.destroy();
        };
        res.once('close', onClientGone);
        const done = (): void => {
            res.off('close', onClientGone);
            resolve();
        };
        upstream.once('response', message => {
            answered = true;
            const back: Record<string, string | string[]> = {};
            for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) {
                const name = message.rawHeaders[i]!.toLowerCase();
                if (name === 'transfer-encoding' || (name !== 'content-length' && isHopByHopHeader(name))) continue;
                const value = message.rawHeaders[i + 1]!;
                const seen = back[name];
                back[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
            }
            res.writeHead(message.statusCode ?? 502, message.statusMessage, back);
            res.flushHeaders();
            message.on('error', () => res.destroy());
            message.once('aborted', () => res.destroy());
            message.once('end', done);
            message.once('close', () => {
                if (!message.complete) res.destroy();
                done();
            });
            message.pipe(res);
        });
        upstream.once('error', () => {
            if (answered || res.headersSent || res.destroyed) {
                res.destroy();
                return done();
            }
            // Never connected: the owner cannot be reached, so neither can its session (the client starts a new one).
            // Connected: the owner may have read the request and acted on it — a 404 would have the client send it
            // again on a new session — so the failure is the gateway's (502), and the request is not repeated.
            writeNodeReply(
                req,
                res,
                connected ? errorReply(502, -32000, 'Bad Gateway: the session owner failed') : notFound()
            );
            done();
        });
        if (replaced !== undefined) upstream.end(replaced);
        else if (bodiless || !framed) upstream.end();
        else req.pipe(upstream);
    });
}

/** Resolves when `res` can take more (or is gone): the owner's stream is read no faster than the client reads. */
function drained(res: ServerResponse): Promise<void> {
    return new Promise(resolve => {
        const go = (): void => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
        };
        res.on('drain', go);
        res.on('close', go);
    });
}

function notFound() {
    return errorReply(404, -32000, 'Session not found');
}

/** The body to forward through `fetch`: the bytes as they arrive, or a decoded body re-serialized. */
function bodyOf(req: IncomingMessage, parsedBody: unknown): ForwardedRequest['body'] {
    if (parsedBody !== undefined) return JSON.stringify(parsedBody);
    // RFC 9112 §6.3: without Transfer-Encoding or a non-zero Content-Length there is no body.
    const length = req.headers['content-length'];
    if ((length === undefined || length.trim() === '0') && req.headers['transfer-encoding'] === undefined) return null;
    return Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
}

/** Forwarding through the route's `forwardFetch` (see `SessionForwarder.forward`). */
async function forwardWithFetch(
    forwarder: SessionForwarder,
    owner: SessionOwner,
    req: IncomingMessage,
    res: ServerResponse,
    parsedBody: unknown
): Promise<void> {
    const controller = new AbortController();
    const onClose = (): void => {
        if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    try {
        const response = await forwarder.forward(
            {
                method: req.method ?? 'GET',
                headers: headerPairs(req),
                body: bodyOf(req, parsedBody),
                signal: controller.signal
            },
            owner
        );
        const headers: Record<string, string | string[]> = {};
        response.headers.forEach((value, name) => {
            if (name !== 'set-cookie') headers[name] = value;
        });
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) headers['set-cookie'] = cookies;
        res.writeHead(response.status, response.statusText, headers);
        res.flushHeaders();
        if (response.body === null) {
            res.end();
            return;
        }
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            if (res.destroyed) break;
            if (!res.write(chunk)) await drained(res);
        }
        res.end();
    } catch {
        // The client went away (the forwarded request was aborted), or the owner's stream broke off: end ours too.
        if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(BAD_GATEWAY);
        } else {
            res.destroy();
        }
    } finally {
        res.off('close', onClose);
        controller.abort();
    }
}
