/**
 * Direction 2 of the interop suite: an official client (SDK v1 or v2) against our `McpServer` behind our
 * Streamable HTTP server transport. Each official client is wrapped in a small {@link OfficialClientSession}
 * adapter so the same tests run against both.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';
import {
    ADD_TOOL,
    EXPECTED_PROTOCOL_VERSION,
    GREET_PROMPT,
    GREETING_URI,
    greetingFor,
    greetingText,
    PROGRESS_TOOL,
    RESUME_TOOL,
    SERVE_MODES,
    stepMessage,
    sumText
} from './fixtures.js';
import type { ServeMode } from './fixtures.js';
import { Cleanup, eventually, postOf, recordingFetch } from './helpers.js';
import type { Exchange } from './helpers.js';
import { addOurResumeTool, buildOurServer, OUR_SERVER_NAME, serveOurs } from './servers/ours.js';

/** A progress notification as the official clients report it. */
export interface ProgressSeen {
    progress: number;
    total?: number | undefined;
    message?: string | undefined;
}

/** A tool as listed. */
export interface ListedTool {
    name: string;
    inputSchema: unknown;
    outputSchema?: unknown;
}

/** One connected official client, through a thin adapter over its own API. */
export interface OfficialClientSession {
    negotiatedVersion(): string | undefined;
    serverName(): string | undefined;
    serverCapabilities(): unknown;
    sessionId(): string | undefined;
    ping(): Promise<unknown>;
    listTools(): Promise<ListedTool[]>;
    callTool(
        name: string,
        args: Record<string, unknown>,
        onprogress?: (progress: ProgressSeen) => void
    ): Promise<{ content?: unknown; structuredContent?: unknown; isError?: boolean | undefined }>;
    readResource(uri: string): Promise<unknown[]>;
    getPrompt(name: string, args: Record<string, string>): Promise<unknown[]>;
    /** Registers a `notifications/tools/list_changed` handler. */
    onToolListChanged(handler: () => void): void;
    terminateSession(): Promise<void>;
    close(): Promise<void>;
    /** Errors the client reported through `onerror` so far. */
    readonly errors: Error[];
}

/** An official client under test. */
export interface OfficialClientUnderTest {
    /** For test titles. */
    label: string;
    /** Connects over the official Streamable HTTP client transport, with `fetch` injected. */
    connect(url: URL, fetch: typeof globalThis.fetch): Promise<OfficialClientSession>;
}

/** Registers the direction-2 tests for one official client. */
export function describeOfficialClientAgainstOurServer(target: OfficialClientUnderTest): void {
    describe(`${target.label} client → our McpServer`, () => {
        const cleanup = new Cleanup();
        afterEach(() => cleanup.run());

        async function connect(url: URL): Promise<{ session: OfficialClientSession; exchanges: Exchange[] }> {
            const { fetch, exchanges } = recordingFetch();
            const session = await target.connect(url, fetch);
            cleanup.add(() => session.close());
            cleanup.add(() => expect(session.errors).toEqual([]));
            return { session, exchanges };
        }

        async function start(
            mode: ServeMode,
            build?: () => McpServer
        ): Promise<{ session: OfficialClientSession; exchanges: Exchange[]; url: URL }> {
            const host = await serveOurs(mode, build);
            cleanup.add(() => host.close());
            cleanup.add(() => expect(host.errors).toEqual([]));
            return { ...(await connect(host.url)), url: host.url };
        }

        describe.each(SERVE_MODES)('$name', ({ mode }) => {
            it('initializes, negotiating the latest protocol revision', async () => {
                const { session, exchanges } = await start(mode);
                expect(session.negotiatedVersion()).toBe(EXPECTED_PROTOCOL_VERSION);
                expect(session.serverName()).toBe(OUR_SERVER_NAME);
                expect(session.serverCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
                const initialize = postOf(exchanges, 'initialize');
                expect(initialize.status).toBe(200);
                if (mode.stateless) expect(session.sessionId()).toBeUndefined();
                else expect(session.sessionId()).toBe(initialize.sessionId);
                await session.ping();
                const ping = postOf(exchanges, 'ping');
                expect(ping.requestHeaders['mcp-protocol-version']).toBe(EXPECTED_PROTOCOL_VERSION);
                expect(ping.requestHeaders['mcp-session-id']).toBe(session.sessionId());
            });

            it('lists the tools with their input and output schemas', async () => {
                const { session } = await start(mode);
                const tools = await session.listTools();
                const byName = new Map(tools.map(tool => [tool.name, tool]));
                expect([...byName.keys()].sort()).toEqual([ADD_TOOL, PROGRESS_TOOL]);
                expect(byName.get(ADD_TOOL)?.inputSchema).toMatchObject({
                    type: 'object',
                    properties: { a: { type: 'number' }, b: { type: 'number' } },
                    required: ['a', 'b']
                });
                expect(byName.get(ADD_TOOL)?.outputSchema).toMatchObject({
                    type: 'object',
                    properties: { sum: { type: 'number' } }
                });
            });

            it('calls a tool; the client accepts structuredContent against our outputSchema', async () => {
                const { session } = await start(mode);
                await session.listTools();
                const result = await session.callTool(ADD_TOOL, { a: 2, b: 40 });
                expect(result.isError ?? false).toBe(false);
                expect(result.structuredContent).toEqual({ sum: 42 });
                expect(result.content).toEqual([{ type: 'text', text: sumText(2, 40) }]);
            });

            it('reads a resource', async () => {
                const { session } = await start(mode);
                expect(await session.readResource(GREETING_URI)).toEqual([
                    { uri: GREETING_URI, mimeType: 'text/plain', text: greetingText(OUR_SERVER_NAME) }
                ]);
            });

            it('gets a prompt with arguments', async () => {
                const { session } = await start(mode);
                expect(await session.getPrompt(GREET_PROMPT, { name: 'Ada' })).toEqual([
                    { role: 'user', content: { type: 'text', text: greetingFor('Ada') } }
                ]);
            });

            it('receives our JSON-RPC error answer with its code', async () => {
                const { session } = await start(mode);
                await expect(session.getPrompt('no-such-prompt', {})).rejects.toMatchObject({ code: -32602 });
            });

            it(`receives ${mode.json ? 'JSON bodies' : 'SSE streams'} as POST responses`, async () => {
                const { session, exchanges } = await start(mode);
                await session.callTool(ADD_TOOL, { a: 1, b: 1 });
                const expected = mode.json ? 'application/json' : 'text/event-stream';
                for (const rpc of ['initialize', 'tools/call']) {
                    expect({ rpc, type: postOf(exchanges, rpc).contentType }).toEqual({ rpc, type: expected });
                }
                expect(postOf(exchanges, 'notifications/initialized').status).toBe(202);
            });

            if (!mode.json) {
                it('delivers progress notifications on the SSE stream before the result', async () => {
                    const { session } = await start(mode);
                    const seen: Array<ProgressSeen | 'result'> = [];
                    const result = await session.callTool(PROGRESS_TOOL, { steps: 3 }, progress => seen.push(progress));
                    seen.push('result');
                    expect(result.content).toEqual([{ type: 'text', text: 'counted 3' }]);
                    expect(seen).toEqual([
                        { progress: 1, total: 3, message: stepMessage(1) },
                        { progress: 2, total: 3, message: stepMessage(2) },
                        { progress: 3, total: 3, message: stepMessage(3) },
                        'result'
                    ]);
                });
            } else {
                it('completes a call that asked for progress (a JSON answer carries no notifications)', async () => {
                    const { session } = await start(mode);
                    const seen: ProgressSeen[] = [];
                    const result = await session.callTool(PROGRESS_TOOL, { steps: 2 }, progress => seen.push(progress));
                    expect(result.content).toEqual([{ type: 'text', text: 'counted 2' }]);
                    // Our transport sends request-related notifications of a JSON-answered POST on the standalone
                    // GET stream when one is open (stateful only), so they may race the result: whatever arrived
                    // before it must be an in-order prefix.
                    const all = [1, 2].map(i => ({ progress: i, total: 2, message: stepMessage(i) }));
                    expect(seen).toEqual(mode.stateless ? [] : all.slice(0, seen.length));
                });
            }
        });

        it('sends list_changed on the standalone GET stream', async () => {
            const servers: McpServer[] = [];
            const { session, exchanges } = await start({ stateless: false, json: false }, () => {
                const server = buildOurServer();
                servers.push(server);
                return server;
            });
            let changes = 0;
            session.onToolListChanged(() => {
                changes++;
            });
            await eventually(
                () => exchanges.some(e => e.method === 'GET' && e.status === 200),
                'the standalone GET stream'
            );
            expect(exchanges.find(e => e.method === 'GET')?.contentType).toBe('text/event-stream');
            for (const server of servers) {
                server.registerTool('late-tool', { description: 'registered after connect' }, () => ({ content: [] }));
            }
            await eventually(() => changes > 0, 'notifications/tools/list_changed');
            expect((await session.listTools()).map(tool => tool.name).sort()).toEqual(
                [ADD_TOOL, PROGRESS_TOOL, 'late-tool'].sort()
            );
        });

        it('resumes a stream our server closed (SSE polling) with Last-Event-ID and gets the rest', async () => {
            const { session, exchanges } = await start({ stateless: false, json: false, resumable: true }, () =>
                addOurResumeTool(buildOurServer())
            );
            const seen: number[] = [];
            const result = await session.callTool(RESUME_TOOL, {}, progress => seen.push(progress.progress));
            expect(result.content).toEqual([{ type: 'text', text: 'resumed' }]);
            expect(seen).toEqual([1, 2]);
            const resumes = exchanges.filter(
                e => e.method === 'GET' && e.requestHeaders['last-event-id'] !== undefined
            );
            expect(resumes.map(e => [e.status, e.contentType])).toEqual([[200, 'text/event-stream']]);
        });

        it('ends the session with DELETE; the old session id then gets 404', async () => {
            const { session, exchanges, url } = await start({ stateless: false, json: false });
            const sessionId = session.sessionId();
            expect(sessionId).toBeDefined();
            await session.terminateSession();
            const deleted = exchanges.find(e => e.method === 'DELETE');
            expect(deleted?.status).toBe(200);
            expect(deleted?.requestHeaders['mcp-session-id']).toBe(sessionId);
            const stale = await fetch(url, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    accept: 'application/json, text/event-stream',
                    'mcp-session-id': sessionId!,
                    'mcp-protocol-version': EXPECTED_PROTOCOL_VERSION
                },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })
            });
            expect(stale.status).toBe(404);
            await stale.body?.cancel();
        });

        it('works with our transport on a bare node:http server (no Express)', async () => {
            const server = buildOurServer();
            const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID });
            await server.connect(transport);
            const http = createServer((req, res) => void transport.handleRequest(req, res));
            await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
            cleanup.add(
                () =>
                    new Promise<void>(resolve => {
                        http.closeAllConnections();
                        http.close(() => resolve());
                    })
            );
            cleanup.add(() => server.close());
            const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
            const { session } = await connect(url);
            expect(session.sessionId()).toBe(transport.sessionId);
            const seen: ProgressSeen[] = [];
            await session.callTool(PROGRESS_TOOL, { steps: 2 }, progress => seen.push(progress));
            expect(seen.map(p => p.progress)).toEqual([1, 2]);
            expect(await session.readResource(GREETING_URI)).toHaveLength(1);
        });
    });
}
