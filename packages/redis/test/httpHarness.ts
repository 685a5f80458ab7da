/**
 * Plumbing for the tests through our HTTP server: MCP server "instances" (an `McpServer` on a
 * `NodeStreamableHTTPServerTransport` with a `RedisEventStore` on a Redis connection of its own, behind a loopback
 * HTTP listener), and a small reverse proxy in front of them that routes each request where a test says and can
 * cut the SSE responses in flight (as a balancer or the network would).
 *
 * @module
 */
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { EventId, JSONRPCMessage, McpServer, StreamId } from '@modelcontextprotocol/server';
import { RedisEventStore } from '../src/index.js';
import type { RedisEventStoreOptions } from '../src/index.js';

/** A store that counts the events it replays and reports the messages it stored. */
export class ObservedStore extends RedisEventStore {
    replayed = 0;
    readonly stored: JSONRPCMessage[] = [];
    onstored: ((message: JSONRPCMessage) => void) | undefined;

    constructor(options: RedisEventStoreOptions) {
        super(options);
    }

    override async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
        const id = await super.storeEvent(streamId, message);
        this.stored.push(message);
        this.onstored?.(message);
        return id;
    }

    override replayEventsAfter(
        lastEventId: EventId,
        sink: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }
    ): Promise<StreamId> {
        return super.replayEventsAfter(lastEventId, {
            send: (eventId, message) => {
                this.replayed++;
                return sink.send(eventId, message);
            }
        });
    }
}

/** A listening loopback HTTP server. */
interface Listening {
    readonly server: Server;
    readonly url: URL;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
    const server = createServer(handler);
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return { server, url: new URL(`http://127.0.0.1:${port}/mcp`) };
}

function closeServer(server: Server): Promise<void> {
    server.closeAllConnections();
    return new Promise(resolve => server.close(() => resolve()));
}

/** One server instance: one session's transport and server, its store, its HTTP listener. */
export interface Instance {
    readonly name: string;
    readonly url: URL;
    readonly store: ObservedStore;
    readonly transport: NodeStreamableHTTPServerTransport;
    /** Errors reported to the transport's or the server's `onerror`. */
    readonly errors: Error[];
    /** Simulates the death of the process: connections dropped, nothing closed gracefully, no more answers. */
    kill(): Promise<void>;
    close(): Promise<void>;
}

/** Options of {@link startInstance}. */
export interface InstanceOptions {
    readonly name: string;
    /** The store's Redis connection (a connected node-redis client or a URL). */
    readonly redis: Pick<RedisEventStoreOptions, 'client' | 'url'>;
    readonly keyPrefix: string;
    readonly build: () => McpServer;
    /** The session id to mint on `initialize` (default: a random UUID). */
    readonly sessionId?: string;
}

/** Starts an instance serving one stateful session with a Redis event store. */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
    const errors: Error[] = [];
    const store = new ObservedStore({ ...options.redis, keyPrefix: options.keyPrefix });
    const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => options.sessionId ?? crypto.randomUUID(),
        eventStore: store,
        retryInterval: 10
    });
    const server = options.build();
    server.server.onerror = error => errors.push(error);
    await server.connect(transport);
    transport.onerror = error => errors.push(error);
    let dead = false;
    const listening = await listen((req, res) => {
        if (dead) res.socket?.destroy();
        else void transport.handleRequest(req, res);
    });
    return {
        name: options.name,
        url: listening.url,
        store,
        transport,
        errors,
        kill: async () => {
            dead = true;
            await closeServer(listening.server);
        },
        close: async () => {
            if (!dead) await closeServer(listening.server);
            await server.close();
            await store.close();
        }
    };
}

/** One request as the proxy routed it. */
export interface Routed {
    readonly method: string;
    readonly lastEventId: string | undefined;
    readonly to: string;
    status?: number;
}

/** The reverse proxy in front of the instances. */
export interface Balancer {
    readonly url: URL;
    readonly log: Routed[];
    /** Cuts every POST whose SSE response is still streaming: both connections dropped. Returns how many. */
    cutStreamingPosts(): number;
    close(): Promise<void>;
}

/** Starts the proxy; `route` picks the instance of each request (it may wait, to hold a request back). */
export async function startBalancer(route: (req: IncomingMessage) => Instance | Promise<Instance>): Promise<Balancer> {
    const log: Routed[] = [];
    const streaming = new Set<{ res: ServerResponse; upstream: ReturnType<typeof httpRequest> }>();
    const agent = new Agent({ keepAlive: false });
    const listening = await listen((req, res) => {
        void (async () => {
            const instance = await route(req);
            const lastEventId = req.headers['last-event-id'];
            const routed: Routed = {
                method: req.method ?? 'GET',
                lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
                to: instance.name
            };
            log.push(routed);
            const upstream = httpRequest(
                instance.url,
                { method: req.method, headers: req.headers, agent },
                upstreamRes => {
                    routed.status = upstreamRes.statusCode ?? 502;
                    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
                    upstreamRes.pipe(res);
                    // An upstream that dies mid-response takes the client's connection with it, as at a balancer.
                    upstreamRes.once('close', () => {
                        if (!upstreamRes.complete) res.destroy();
                    });
                    const sse = String(upstreamRes.headers['content-type']).startsWith('text/event-stream');
                    if (req.method === 'POST' && sse) {
                        const entry = { res, upstream };
                        streaming.add(entry);
                        res.once('close', () => streaming.delete(entry));
                    }
                }
            );
            upstream.on('error', () => res.destroy());
            res.once('close', () => upstream.destroy());
            req.pipe(upstream);
        })();
    });
    return {
        url: listening.url,
        log,
        cutStreamingPosts: () => {
            const cut = streaming.size;
            for (const { res, upstream } of streaming) {
                res.destroy();
                upstream.destroy();
            }
            streaming.clear();
            return cut;
        },
        close: async () => {
            await closeServer(listening.server);
            agent.destroy();
        }
    };
}

/** A promise with its resolver. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>(r => (resolve = r));
    return { promise, resolve };
}
