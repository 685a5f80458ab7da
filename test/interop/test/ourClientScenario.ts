/**
 * Direction 1 of the interop suite: our `Client` over our `StreamableHTTPClientTransport` against an official
 * server. The same tests run against the official SDK v1 and v2 servers, in each {@link SERVE_MODES} mode.
 *
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
    CallToolResultSchema,
    Client,
    ErrorCode,
    McpError,
    SessionExpiredError,
    StreamableHTTPClientTransport
} from '@modelcontextprotocol/client';
import type { ClientOptions, Progress, Tool } from '@modelcontextprotocol/client';
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
import type { Exchange, RunningServer } from './helpers.js';

/** An official server under test, as the scenario needs it. */
export interface OfficialServerUnderTest {
    /** For test titles, e.g. `official-sdk 1.32.2`. */
    label: string;
    /** The `serverInfo.name` it reports. */
    serverName: string;
    /** Serves the interop scenario in `mode`. */
    serve(mode: ServeMode): Promise<RunningServer>;
    /**
     * Serves the scenario and returns a hook that registers one more tool on every server opened so far (to
     * make the server send `notifications/tools/list_changed`).
     */
    serveWithToolAdder(mode: ServeMode): Promise<{ host: RunningServer; addTool(name: string): void }>;
    /** Serves the scenario plus {@link RESUME_TOOL}, stateful, SSE, with an event store. */
    serveResumable(): Promise<RunningServer>;
}

/** A connected client of ours and what its transport exchanged. */
export interface ConnectedClient {
    client: Client;
    transport: StreamableHTTPClientTransport;
    exchanges: Exchange[];
    /** Errors the client reported through `onerror`. */
    errors: Error[];
}

/** Connects our client to `url` with a recording `fetch`; closed by `cleanup`. */
export async function connectOurClient(url: URL, cleanup: Cleanup, options?: ClientOptions): Promise<ConnectedClient> {
    const { fetch, exchanges } = recordingFetch();
    const client = new Client({ name: 'mcp-stepup-interop', version: '0.0.0' }, options);
    const errors: Error[] = [];
    client.onerror = error => errors.push(error);
    const transport = new StreamableHTTPClientTransport(url, { fetch });
    cleanup.add(() => client.close());
    await client.connect(transport);
    return { client, transport, exchanges, errors };
}

/** Registers the direction-1 tests for one official server. */
export function describeOurClientAgainst(target: OfficialServerUnderTest): void {
    describe(`our Client → ${target.label} server`, () => {
        const cleanup = new Cleanup();
        afterEach(() => cleanup.run());

        async function start(mode: ServeMode): Promise<ConnectedClient & { host: RunningServer }> {
            const host = await target.serve(mode);
            cleanup.add(() => host.close());
            cleanup.add(() => expect(host.errors).toEqual([]));
            const connected = await connectOurClient(host.url, cleanup);
            cleanup.add(() => expect(connected.errors).toEqual([]));
            return { host, ...connected };
        }

        describe.each(SERVE_MODES)('$name', ({ mode }) => {
            it('initializes, negotiating the latest protocol revision', async () => {
                const { client, transport, exchanges } = await start(mode);
                expect(client.getNegotiatedProtocolVersion()).toBe(EXPECTED_PROTOCOL_VERSION);
                expect(client.getServerVersion()?.name).toBe(target.serverName);
                expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {}, prompts: {} });
                const initialize = postOf(exchanges, 'initialize');
                expect(initialize.status).toBe(200);
                if (mode.stateless) {
                    expect(transport.sessionId).toBeUndefined();
                } else {
                    expect(transport.sessionId).toBe(initialize.sessionId);
                    expect(transport.sessionId).toMatch(/^[\x21-\x7e]+$/);
                }
                await client.ping();
                const ping = postOf(exchanges, 'ping');
                expect(ping.requestHeaders['mcp-protocol-version']).toBe(EXPECTED_PROTOCOL_VERSION);
                expect(ping.requestHeaders['mcp-session-id']).toBe(transport.sessionId);
            });

            it('lists the tools with their input and output schemas', async () => {
                const { client } = await start(mode);
                const { tools } = await client.listTools();
                const byName = new Map<string, Tool>(tools.map(tool => [tool.name, tool]));
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

            it('calls a tool whose structuredContent matches the listed outputSchema', async () => {
                const { client } = await start(mode);
                await client.listTools();
                const result = await client.callTool({ name: ADD_TOOL, arguments: { a: 2, b: 40 } });
                expect(result.isError ?? false).toBe(false);
                expect(result.structuredContent).toEqual({ sum: 42 });
                expect(result.content).toEqual([{ type: 'text', text: sumText(2, 40) }]);
            });

            it('reads a resource', async () => {
                const { client } = await start(mode);
                const result = await client.readResource({ uri: GREETING_URI });
                expect(result.contents).toEqual([
                    { uri: GREETING_URI, mimeType: 'text/plain', text: greetingText(target.serverName) }
                ]);
            });

            it('gets a prompt with arguments', async () => {
                const { client } = await start(mode);
                const result = await client.getPrompt({ name: GREET_PROMPT, arguments: { name: 'Ada' } });
                expect(result.messages).toEqual([
                    { role: 'user', content: { type: 'text', text: greetingFor('Ada') } }
                ]);
            });

            it('surfaces a JSON-RPC error answer as McpError with its code', async () => {
                const { client } = await start(mode);
                const failure = client.getPrompt({ name: 'no-such-prompt' });
                await expect(failure).rejects.toBeInstanceOf(McpError);
                await expect(failure).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
            });

            it(`receives ${mode.json ? 'JSON bodies' : 'SSE streams'} as POST responses`, async () => {
                const { client, exchanges } = await start(mode);
                await client.callTool({ name: ADD_TOOL, arguments: { a: 1, b: 1 } });
                const expected = mode.json ? 'application/json' : 'text/event-stream';
                for (const rpc of ['initialize', 'tools/call']) {
                    expect({ rpc, type: postOf(exchanges, rpc).contentType }).toEqual({ rpc, type: expected });
                }
                expect(postOf(exchanges, 'notifications/initialized').status).toBe(202);
            });

            if (!mode.json) {
                it('delivers progress notifications on the SSE stream before the result', async () => {
                    const { client } = await start(mode);
                    const seen: Array<Progress | 'result'> = [];
                    const result = await client.callTool(
                        { name: PROGRESS_TOOL, arguments: { steps: 3 } },
                        CallToolResultSchema,
                        {
                            onprogress: progress => seen.push(progress)
                        }
                    );
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
                    const { client } = await start(mode);
                    const seen: Progress[] = [];
                    const result = await client.callTool(
                        { name: PROGRESS_TOOL, arguments: { steps: 2 } },
                        CallToolResultSchema,
                        {
                            onprogress: progress => seen.push(progress)
                        }
                    );
                    expect(result.content).toEqual([{ type: 'text', text: 'counted 2' }]);
                    // Official servers drop request-related notifications when answering with one JSON body.
                    expect(seen).toEqual([]);
                });
            }
        });

        it('receives list_changed on the standalone GET stream and re-lists', async () => {
            const { host, addTool } = await target.serveWithToolAdder({ stateless: false, json: false });
            cleanup.add(() => host.close());
            const changed: string[][] = [];
            const { client, exchanges, errors } = await connectOurClient(host.url, cleanup, {
                listChanged: {
                    tools: {
                        onChanged: (error, tools) => {
                            if (error) errors.push(error);
                            else changed.push((tools ?? []).map(tool => tool.name).sort());
                        }
                    }
                }
            });
            await eventually(
                () => exchanges.some(e => e.method === 'GET' && e.status === 200),
                'the standalone GET stream'
            );
            expect(exchanges.find(e => e.method === 'GET')?.contentType).toBe('text/event-stream');
            addTool('late-tool');
            await eventually(() => changed.length > 0, 'the list_changed handler');
            expect(changed[0]).toEqual([ADD_TOOL, PROGRESS_TOOL, 'late-tool'].sort());
            expect(errors).toEqual([]);
            await client.ping();
        });

        it('resumes a stream the server closed (SSE polling) with Last-Event-ID and gets the rest', async () => {
            const host = await target.serveResumable();
            cleanup.add(() => host.close());
            cleanup.add(() => expect(host.errors).toEqual([]));
            const { client, exchanges, errors } = await connectOurClient(host.url, cleanup);
            const seen: number[] = [];
            const result = await client.callTool({ name: RESUME_TOOL, arguments: {} }, CallToolResultSchema, {
                onprogress: progress => seen.push(progress.progress)
            });
            expect(result.content).toEqual([{ type: 'text', text: 'resumed' }]);
            expect(seen).toEqual([1, 2]);
            const resumes = exchanges.filter(
                e => e.method === 'GET' && e.requestHeaders['last-event-id'] !== undefined
            );
            expect(resumes.map(e => [e.status, e.contentType])).toEqual([[200, 'text/event-stream']]);
            expect(errors).toEqual([]);
        });

        it('ends the session with DELETE, after which the old session id gets SessionExpiredError', async () => {
            const { client, transport, exchanges } = await start({ stateless: false, json: false });
            const sessionId = transport.sessionId;
            expect(sessionId).toBeDefined();
            await transport.terminateSession();
            const deleted = exchanges.find(e => e.method === 'DELETE');
            expect(deleted?.status).toBe(200);
            expect(deleted?.requestHeaders['mcp-session-id']).toBe(sessionId);
            expect(transport.sessionId).toBeUndefined();

            // A second transport that still holds the old id is told the session is gone.
            const { fetch } = recordingFetch();
            const stale = new StreamableHTTPClientTransport(postOf(exchanges, 'initialize').url, {
                fetch,
                sessionId: sessionId!
            });
            cleanup.add(() => stale.close());
            await expect(stale.send({ jsonrpc: '2.0', id: 1, method: 'ping' })).rejects.toBeInstanceOf(
                SessionExpiredError
            );
            await client.close();
        });
    });
}
