/**
 * HTTP plumbing shared by the interop tests: loopback servers on port 0, a Node ↔ web-standard bridge (for
 * servers whose transport answers a `Request` with a `Response`), an injected `fetch` that records what the
 * server answered, and a cleanup stack for `afterEach`.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A Node request handler; may be async. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A listening loopback HTTP server. */
export interface RunningServer {
    /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
    readonly url: URL;
    /** Errors thrown by the handler (a test asserts this stays empty). */
    readonly errors: Error[];
    close(): Promise<void>;
}

/** Listens on 127.0.0.1 port 0; every request goes to `handler`. Handler errors are kept and answered 500. */
export async function listen(handler: NodeHandler): Promise<RunningServer> {
    const errors: Error[] = [];
    const server: Server = createServer((req, res) => {
        Promise.resolve()
            .then(() => handler(req, res))
            .catch((error: unknown) => {
                errors.push(error instanceof Error ? error : new Error(String(error)));
                if (!res.headersSent) res.writeHead(500).end();
                else res.end();
            });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: new URL(`http://127.0.0.1:${port}/mcp`),
        errors,
        close: () =>
            new Promise<void>(resolve => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}

/** Reads a whole request body and parses it as JSON (`undefined` when empty). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** Converts a Node request into a web `Request` (body streamed, unless `parsedBody` was already read). */
export function toWebRequest(req: IncomingMessage): Request {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const method = req.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (hasBody) {
        init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
        init.duplex = 'half';
    }
    return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`), init);
}

/** Writes a web `Response` to a Node response, streaming the body (SSE streams stay open until they end). */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
        headers[name] = value;
    });
    res.writeHead(response.status, headers);
    if (response.body === null) {
        res.end();
        return;
    }
    res.flushHeaders();
    const reader = response.body.getReader();
    const cancel = (): void => {
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
        // The client went away: the stream was cancelled.
    } finally {
        res.off('close', cancel);
        res.end();
    }
}

/** One HTTP exchange seen by a {@link recordingFetch}. */
export interface Exchange {
    url: URL;
    method: string;
    status: number;
    /** The response media type without parameters (`''` when absent). */
    contentType: string;
    /** The JSON-RPC method POSTed, when the body was a single request or notification. */
    rpcMethod: string | undefined;
    /** Request headers as sent (lower-case names). */
    requestHeaders: Record<string, string>;
    /** The `Mcp-Session-Id` response header. */
    sessionId: string | undefined;
}

/** A `fetch` to inject into a client transport, recording each exchange (never patches `globalThis.fetch`). */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
    const exchanges: Exchange[] = [];
    const recorder = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const response = await fetch(input, init);
        const requestHeaders: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => {
            requestHeaders[name] = value;
        });
        exchanges.push({
            url: new URL(input instanceof Request ? input.url : input),
            method: init?.method ?? 'GET',
            status: response.status,
            contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
            rpcMethod: rpcMethodOf(init?.body),
            requestHeaders,
            sessionId: response.headers.get('mcp-session-id') ?? undefined
        });
        return response;
    };
    return { fetch: recorder as typeof fetch, exchanges };
}

function rpcMethodOf(body: RequestInit['body']): string | undefined {
    if (typeof body !== 'string') return undefined;
    try {
        const parsed = JSON.parse(body) as { method?: unknown };
        return typeof parsed.method === 'string' ? parsed.method : undefined;
    } catch {
        return undefined;
    }
}

/** The exchange that POSTed `rpcMethod` (the last one, when there were several). */
export function postOf(exchanges: readonly Exchange[], rpcMethod: string): Exchange {
    const found = exchanges.filter(e => e.method === 'POST' && e.rpcMethod === rpcMethod).at(-1);
    if (found === undefined) throw new Error(`no POST of ${rpcMethod} was recorded`);
    return found;
}

/** Things to close after each test, closed in reverse order; failures are collected, not swallowed. */
export class Cleanup {
    private readonly _tasks: Array<() => unknown> = [];

    add(task: () => unknown): void {
        this._tasks.push(task);
    }

    async run(): Promise<void> {
        const tasks = this._tasks.splice(0).reverse();
        const failures: unknown[] = [];
        for (const task of tasks) {
            try {
                await task();
            } catch (error) {
                failures.push(error);
            }
        }
        if (failures.length === 1) throw failures[0];
        if (failures.length > 1) {
            const messages = failures.map(failure => (failure instanceof Error ? failure.message : String(failure)));
            throw new AggregateError(failures, `cleanup failed:\n${messages.join('\n')}`);
        }
    }
}

/**
 * An in-memory SSE event store (MCP 2025-11-25, "Resumability and Redelivery") with the shape every SDK under
 * test expects: event ids are `<streamId>#<n>`, replay sends the later events of the same stream.
 */
export class MemoryEventStore<M> {
    private readonly _events = new Map<string, { streamId: string; message: M }>();
    private _next = 0;

    async storeEvent(streamId: string, message: M): Promise<string> {
        const eventId = `${streamId}#${++this._next}`;
        this._events.set(eventId, { streamId, message });
        return eventId;
    }

    async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
        return this._events.get(eventId)?.streamId;
    }

    async replayEventsAfter(
        lastEventId: string,
        { send }: { send: (eventId: string, message: M) => Promise<void> }
    ): Promise<string> {
        const streamId = this._events.get(lastEventId)?.streamId;
        if (streamId === undefined) throw new Error(`unknown event id ${lastEventId}`);
        let after = false;
        for (const [eventId, event] of this._events) {
            if (after && event.streamId === streamId) await send(eventId, event.message);
            if (eventId === lastEventId) after = true;
        }
        return streamId;
    }
}

/** Polls `check` until it returns true (for asynchronous effects such as a background GET). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise(resolve => setTimeout(resolve, 10));
    }
}

/** One server + transport pair, as a {@link routeSessions} host sees it. */
export interface HostedTransport {
    handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
    close(): Promise<void>;
}

/** What a {@link routeSessions} host tells the transport it opens. */
export interface SessionHooks {
    /** Call from the transport's `onsessioninitialized`: registers the pair under its new session id. */
    initialized(id: string): void;
    /** Call from the transport's `onsessionclosed` (the client sent DELETE): forgets the session. */
    closed(id: string): void;
}

/** A Node handler that routes by `Mcp-Session-Id`, plus a way to close every session it opened. */
export type SessionRouter = NodeHandler & { closeAll(): Promise<void>; readonly sessionCount: number };

function sessionNotFound(res: ServerResponse): void {
    res.writeHead(404, { 'content-type': 'application/json' }).end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null })
    );
}

/**
 * Routes requests the way a Streamable HTTP host does (MCP 2025-11-25, "Session Management"). Stateful: a request
 * without `Mcp-Session-Id` opens a new pair, registered under the id the transport reports through
 * {@link SessionHooks.initialized} (before the `initialize` response is written, so the client's next request
 * finds it); a request with an unknown id gets 404. Stateless: a fresh pair per request, closed when the
 * response ends.
 */
export function routeSessions(
    open: (hooks: SessionHooks) => Promise<HostedTransport>,
    stateless: boolean
): SessionRouter {
    const sessions = new Map<string, HostedTransport>();
    const opened = new Set<HostedTransport>();
    const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        if (stateless) {
            const hosted = await open({
                initialized: () => {
                    throw new Error('a stateless transport minted a session id');
                },
                closed: () => {}
            });
            res.once('close', () => void hosted.close().catch(() => {}));
            return hosted.handle(req, res);
        }
        const sessionId = req.headers['mcp-session-id'];
        if (typeof sessionId === 'string') {
            const hosted = sessions.get(sessionId);
            return hosted === undefined ? sessionNotFound(res) : hosted.handle(req, res);
        }
        let registered = false;
        const hosted: HostedTransport = await open({
            initialized: id => {
                registered = true;
                sessions.set(id, hosted);
            },
            closed: id => {
                sessions.delete(id);
            }
        });
        opened.add(hosted);
        await hosted.handle(req, res);
        if (!registered) {
            opened.delete(hosted);
            await hosted.close();
        }
    };
    Object.defineProperty(handler, 'closeAll', {
        value: async () => {
            const all = [...opened];
            sessions.clear();
            opened.clear();
            await Promise.allSettled(all.map(hosted => hosted.close()));
        }
    });
    Object.defineProperty(handler, 'sessionCount', { get: () => sessions.size });
    return handler as SessionRouter;
}
