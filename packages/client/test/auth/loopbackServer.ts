/**
 * A real `node:http` server on 127.0.0.1 (port 0) that records every request, for the OAuth tests.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface RecordedRequest {
    method: string;
    /** Path and query. */
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
}

/** Handles one recorded request. */
export type Handler = (
    request: RecordedRequest,
    response: ServerResponse,
    server: LoopbackServer
) => void | Promise<void>;

/** A running server. */
export interface LoopbackServer {
    /** `http://127.0.0.1:<port>` */
    origin: string;
    /** Every request received, in order. */
    requests: RecordedRequest[];
    /** Replaces the handler. */
    handle(handler: Handler): void;
    close(): Promise<void>;
}

/** Starts a server; requests go to `handler` (default: 404). */
export async function startServer(handler?: Handler): Promise<LoopbackServer> {
    let current: Handler = handler ?? ((_req, res) => send(res, 404, { error: 'not_found' }));
    const requests: RecordedRequest[] = [];
    const http = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
            const recorded: RecordedRequest = {
                method: req.method ?? '',
                path: req.url ?? '',
                headers: req.headers,
                body: Buffer.concat(chunks).toString('utf8')
            };
            requests.push(recorded);
            Promise.resolve(current(recorded, res, server)).catch(error => {
                if (!res.headersSent)
                    send(res, 500, { error: 'test_handler_failed', error_description: String(error) });
            });
        });
    });
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const server: LoopbackServer = {
        origin: `http://127.0.0.1:${port}`,
        requests,
        handle(next) {
            current = next;
        },
        close: () =>
            new Promise<void>(resolve => {
                http.closeAllConnections();
                http.close(() => resolve());
            })
    };
    return server;
}

/** Writes a JSON (or raw string) response. */
export function send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, {
        'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
        ...headers
    });
    response.end(text);
}

/** A handler serving fixed routes by path (query included when the key has one); anything else is 404. */
export function routes(
    table: Record<string, Handler | { status?: number; body: unknown; headers?: Record<string, string> }>
): Handler {
    return (request, response, server) => {
        const entry = table[request.path] ?? table[request.path.replace(/\?.*$/, '')];
        if (entry === undefined) return send(response, 404, { error: 'not_found' });
        if (typeof entry === 'function') return entry(request, response, server);
        return send(response, entry.status ?? 200, entry.body, entry.headers);
    };
}
