/**
 * Plumbing shared by the integration tests: our `McpServer` mounted on our Express adapter and listening on
 * 127.0.0.1 port 0, our `Client` connected to it over `StreamableHTTPClientTransport` with an injected `fetch`
 * that records every HTTP exchange, and a cleanup stack run in `afterEach`.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { afterEach } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ClientOptions, JSONRPCMessage, StreamableHTTPClientTransportOptions } from '@modelcontextprotocol/client';
import { createMcpExpressApp, mountMcp } from '@modelcontextprotocol/express';
import type { CreateMcpExpressAppOptions, McpRouteHandler } from '@modelcontextprotocol/express';
import type { McpServer } from '@modelcontextprotocol/server';
import type { StreamableHTTPServerTransportOptions } from '@modelcontextprotocol/node';

/** One way of serving the MCP endpoint: with or without sessions, SSE or JSON answers to POSTs. */
export interface ServeMode {
    readonly name: string;
    /** A fresh server and transport per request (no session, no standalone GET stream). */
    readonly stateless: boolean;
    /** `enableJsonResponse`: POSTed requests are answered with one JSON body instead of an SSE stream. */
    readonly json: boolean;
}

/** The four modes of the Streamable HTTP transport. */
export const SERVE_MODES: readonly ServeMode[] = [
    { name: 'stateful+SSE', stateless: false, json: false },
    { name: 'stateful+JSON', stateless: false, json: true },
    { name: 'stateless+SSE', stateless: true, json: false },
    { name: 'stateless+JSON', stateless: true, json: true }
];

/** LIFO stack of cleanups, run after each test of the file that called {@link useCleanup}. */
export function useCleanup(): (cleanup: () => unknown) => void {
    const stack: (() => unknown)[] = [];
    afterEach(async () => {
        while (stack.length > 0) {
            const cleanup = stack.pop()!;
            await cleanup();
        }
    });
    return cleanup => {
        stack.push(cleanup);
    };
}

/** A listening loopback HTTP server. */
export interface Listening {
    readonly url: URL;
    close(): Promise<void>;
}

/** Serves an Express app on 127.0.0.1, port 0; `url` is its `/mcp` endpoint. */
export async function listen(app: Express): Promise<Listening> {
    const server: HttpServer = createServer(app);
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: new URL(`http://127.0.0.1:${port}/mcp`),
        close: () =>
            new Promise<void>(resolve => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}

/** Options of {@link serveMcp}. */
export interface ServeOptions {
    mode: Pick<ServeMode, 'stateless' | 'json'>;
    /** More options for every transport (event store, retry interval, body limit…). */
    transportOptions?: Partial<StreamableHTTPServerTransportOptions>;
    app?: CreateMcpExpressAppOptions;
}

/** A running MCP endpoint and the servers it created (one per session, or one per request when stateless). */
export interface ServedMcp extends Listening {
    readonly servers: McpServer[];
    /** Errors reported to any server's `onerror`. */
    readonly errors: Error[];
    readonly route: McpRouteHandler;
    readonly app: Express;
}

/**
 * Mounts `build` on `createMcpExpressApp` with `mountMcp` and listens on loopback. `close()` closes the
 * sessions, then the HTTP server.
 */
export async function serveMcp(build: () => McpServer, options: ServeOptions): Promise<ServedMcp> {
    const servers: McpServer[] = [];
    const errors: Error[] = [];
    const app = createMcpExpressApp(options.app);
    const route = mountMcp(app, '/mcp', {
        createServer: () => {
            const server = build();
            server.server.onerror = error => errors.push(error);
            servers.push(server);
            return server;
        },
        stateless: options.mode.stateless,
        transportOptions: { enableJsonResponse: options.mode.json, ...options.transportOptions }
    });
    const listening = await listen(app);
    return {
        url: listening.url,
        servers,
        errors,
        route,
        app,
        close: async () => {
            await route.close();
            await listening.close();
        }
    };
}

/** One HTTP exchange seen by the injected `fetch`, recorded when the request is sent. */
export interface Exchange {
    readonly method: string;
    readonly headers: Headers;
    readonly body: string | undefined;
    /** The response status, once the response headers arrived. */
    status: number | undefined;
}

/** A connected client, its transport, and what went over the wire. */
export interface ConnectedClient {
    readonly client: Client;
    readonly transport: StreamableHTTPClientTransport;
    readonly exchanges: Exchange[];
    /** Every message the transport delivered to the client, in order. */
    readonly received: JSONRPCMessage[];
    /** Errors reported to `client.onerror`. */
    readonly errors: Error[];
    /**
     * Settles once the client's standalone GET stream is attached on the server (or was refused with 405,
     * as a stateless server does). Server-initiated messages sent before that would be dropped.
     */
    readonly standaloneReady: Promise<void>;
}

/** Options of {@link connectClient}. */
export interface ConnectOptions {
    client?: ClientOptions;
    transport?: Omit<StreamableHTTPClientTransportOptions, 'fetch'>;
    /** Called on the client before connecting (register request handlers here). */
    setup?: (client: Client) => void;
    /** Awaited before each HTTP request is sent (to hold a request back until the test is ready). */
    gate?: (method: string, headers: Headers) => Promise<void> | void;
    /** Observes each exchange once its response headers arrived. */
    onExchange?: (exchange: Exchange) => void;
}

/** Creates our `Client`, connects it to `url` and registers its cleanup. */
export async function connectClient(
    url: URL,
    defer: (cleanup: () => unknown) => void,
    options: ConnectOptions = {}
): Promise<ConnectedClient> {
    const exchanges: Exchange[] = [];
    const received: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    let markReady!: () => void;
    const standaloneReady = new Promise<void>(resolve => (markReady = resolve));
    const recordingFetch: typeof fetch = async (input, init) => {
        const method = init?.method ?? 'GET';
        const headers = new Headers(init?.headers);
        await options.gate?.(method, headers);
        const body = typeof init?.body === 'string' ? init.body : undefined;
        const exchange: Exchange = { method, headers, body, status: undefined };
        exchanges.push(exchange);
        const response = await fetch(input, init);
        exchange.status = response.status;
        if (exchange.method === 'GET' && !headers.has('last-event-id')) markReady();
        options.onExchange?.(exchange);
        return response;
    };
    const client = new Client({ name: 'integration-client', version: '1.0.0' }, options.client);
    client.onerror = error => errors.push(error);
    options.setup?.(client);
    const transport = new StreamableHTTPClientTransport(url, { ...options.transport, fetch: recordingFetch });
    // `connect` chains callbacks already set on the transport.
    transport.onmessage = message => received.push(message);
    await client.connect(transport);
    defer(() => client.close());
    return { client, transport, exchanges, received, errors, standaloneReady };
}

/** A promise with its resolver, for awaiting an event raised by a callback. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>(r => (resolve = r));
    return { promise, resolve };
}

/** Collects values until `count` arrived; `done` resolves with them. */
export function collector<T>(count: number): { items: T[]; push: (item: T) => void; done: Promise<T[]> } {
    const items: T[] = [];
    const { promise, resolve } = deferred<T[]>();
    return {
        items,
        push: item => {
            items.push(item);
            if (items.length === count) resolve(items);
        },
        done: promise
    };
}

/** Resolves after `ms` milliseconds (for handlers simulating slow work, never for waiting on results). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener(
            'abort',
            () => {
                clearTimeout(timer);
                resolve();
            },
            { once: true }
        );
    });
}

/** The text of the first content block of a tool result (which must be text). */
export function firstText(result: { content?: unknown }): string {
    const content = result.content as { type: string; text?: string }[] | undefined;
    const first = content?.[0];
    if (first?.type !== 'text' || first.text === undefined) throw new Error('expected a text content block');
    return first.text;
}
