// @ts-check
/* global Headers, Request */
/**
 * Hosting plumbing shared by the benchmark servers: a loopback listener, a Node ↔ web-standard bridge (for
 * transports that answer a `Request` with a `Response`), and a session router that every SDK under test is
 * mounted behind, so the only thing that differs between them is the SDK itself.
 *
 * @module
 */
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {(req: IncomingMessage, res: ServerResponse) => void | Promise<void>} NodeHandler */

/**
 * One server + transport pair, as the router sees it.
 * @typedef {{ handle(req: IncomingMessage, res: ServerResponse): Promise<void>; close(): Promise<void> }} Hosted
 */

/**
 * What the router tells a transport it opens (stateful mode): register / forget the session id.
 * @typedef {{ initialized(id: string): void; closed(id: string): void }} SessionHooks
 */

/**
 * Listens on 127.0.0.1, port 0. Handler failures are answered 500 and counted.
 *
 * @param {NodeHandler} handler
 * @returns {Promise<{ server: import('node:http').Server; port: number; errors: () => number }>}
 */
export async function listen(handler) {
    let errors = 0;
    const server = createServer((req, res) => {
        Promise.resolve()
            .then(() => handler(req, res))
            .catch(() => {
                errors++;
                if (!res.headersSent) res.writeHead(500).end();
                else res.end();
            });
    });
    // Many concurrent keep-alive sockets from one load generator: never time them out mid-run.
    server.keepAliveTimeout = 60_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(undefined));
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return { server, port: address.port, errors: () => errors };
}

/**
 * Node request → web `Request` (body streamed).
 *
 * @param {IncomingMessage} req
 * @returns {Request}
 */
export function toWebRequest(req) {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        headers.append(/** @type {string} */ (req.rawHeaders[i]), /** @type {string} */ (req.rawHeaders[i + 1]));
    }
    const method = req.method ?? 'GET';
    /** @type {RequestInit & { duplex?: 'half' }} */
    const init = { method, headers };
    if (method === 'POST') {
        init.body = /** @type {ReadableStream<Uint8Array>} */ (/** @type {unknown} */ (Readable.toWeb(req)));
        init.duplex = 'half';
    }
    return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`), init);
}

/**
 * Web `Response` → Node response, streaming the body.
 *
 * @param {Response} response
 * @param {ServerResponse} res
 * @returns {Promise<void>}
 */
export async function writeWebResponse(response, res) {
    /** @type {Record<string, string>} */
    const headers = {};
    response.headers.forEach((value, name) => {
        headers[name] = value;
    });
    res.writeHead(response.status, headers);
    if (response.body === null) {
        res.end();
        return;
    }
    const reader = response.body.getReader();
    const cancel = () => {
        reader.cancel().catch(() => {});
    };
    res.once('close', cancel);
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            res.write(value);
        }
    } catch {
        // The client went away.
    } finally {
        res.off('close', cancel);
        res.end();
    }
}

/** @param {ServerResponse} res */
function sessionNotFound(res) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(
        '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}'
    );
}

/**
 * Routes requests the way a Streamable HTTP host does. Stateful: a request without `Mcp-Session-Id` opens a pair
 * that registers itself through {@link SessionHooks.initialized}; an unknown id gets 404. Stateless: a fresh pair
 * per request, closed when the response ends.
 *
 * @param {(hooks: SessionHooks) => Promise<Hosted>} open
 * @param {boolean} stateless
 * @returns {{ handler: NodeHandler; sessionCount: () => number; closeAll: () => Promise<void> }}
 */
export function routeSessions(open, stateless) {
    /** @type {Map<string, Hosted>} */
    const sessions = new Map();
    /** @type {SessionHooks} */
    const statelessHooks = {
        initialized: () => {
            throw new Error('a stateless transport minted a session id');
        },
        closed: () => {}
    };
    /**
     * @param {IncomingMessage} req
     * @param {ServerResponse} res
     * @returns {Promise<void>}
     */
    const handler = async (req, res) => {
        if (stateless) {
            const hosted = await open(statelessHooks);
            res.once('close', () => void hosted.close().catch(() => {}));
            return hosted.handle(req, res);
        }
        const sessionId = req.headers['mcp-session-id'];
        if (typeof sessionId === 'string') {
            const hosted = sessions.get(sessionId);
            return hosted === undefined ? sessionNotFound(res) : hosted.handle(req, res);
        }
        let registered = false;
        /** @type {Hosted} */
        const hosted = await open({
            initialized: id => {
                registered = true;
                sessions.set(id, hosted);
            },
            closed: id => {
                sessions.delete(id);
            }
        });
        await hosted.handle(req, res);
        if (!registered) await hosted.close();
    };
    return {
        handler,
        sessionCount: () => sessions.size,
        closeAll: async () => {
            const all = [...sessions.values()];
            sessions.clear();
            await Promise.allSettled(all.map(hosted => hosted.close()));
        }
    };
}
