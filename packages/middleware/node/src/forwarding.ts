/**
 * Forwarding a Node request to the instance that owns its session (see the server's `SessionForwarder`): the
 * request's raw headers and body bytes go on untouched (nothing here parses or authorizes them: the owner does
 * that once), and the owner's response — status, headers, an SSE stream chunk by chunk — is written back as it
 * arrives. The forwarded request is aborted when the client goes away.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { SessionOwner } from '@modelcontextprotocol/server';
import type { ForwardedRequest, SessionForwarder } from '@modelcontextprotocol/server/adapter';

/** The request's header pairs as received, repeated headers kept apart. */
function headerPairs(req: IncomingMessage): [string, string][] {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    return pairs;
}

/**
 * The body to forward: the bytes as they arrive (streamed, not buffered), or — when a framework already decoded the
 * JSON body (`parsedBody`) — that body serialized again, since its bytes were consumed.
 */
function bodyOf(req: IncomingMessage, parsedBody: unknown): ForwardedRequest['body'] {
    if (parsedBody !== undefined) return JSON.stringify(parsedBody);
    // RFC 9112 §6.3: without Transfer-Encoding or a non-zero Content-Length there is no body.
    const length = req.headers['content-length'];
    if ((length === undefined || length.trim() === '0') && req.headers['transfer-encoding'] === undefined) return null;
    return Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
}

/**
 * Forwards `req` to `owner` through `forwarder` and writes the owner's response to `res`. Resolves once the
 * response ended or the client went away.
 */
export async function forwardNodeRequest(
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
            res.write(chunk);
        }
        res.end();
    } catch {
        // The client went away (the forwarded request was aborted), or the owner's stream broke off: end ours too.
        if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(
                '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Gateway: the session owner failed"},"id":null}'
            );
        } else {
            res.destroy();
        }
    } finally {
        res.off('close', onClose);
        controller.abort();
    }
}
