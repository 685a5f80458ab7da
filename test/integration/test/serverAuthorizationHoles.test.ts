/**
 * The server's authorization holes of issue "Step 4", each closed in every HTTP adapter (Express as the README sets
 * it up, plain `node:http`, web-standard): hostile clients send raw HTTP/1.1 with every byte controlled, and each
 * test asserts the status, that no tool ran (the tools count their runs) and that nothing reached the server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADAPTERS, GUARDED_RESOURCE, startGuardedServer } from '../fixtures/guardedServer.js';
import type { GuardedServer } from '../fixtures/guardedServer.js';
import { rawRequest } from '../fixtures/rawHttp.js';
import type { RawHeader, RawResponse } from '../fixtures/rawHttp.js';
import { createTokenMint, verifierFor } from '../fixtures/tokens.js';
import type { TokenMint } from '../fixtures/tokens.js';

const ACCEPT = 'application/json, text/event-stream';
const JSON_TYPE = 'application/json';
const READ_SCOPES = ['init', 'mcp:tools:read'];
const WRITE_SCOPES = ['init', 'mcp:tools:read', 'mcp:tools:write'];

let nextId = 1;
function rpc(method: string, params?: object): Record<string, unknown> {
    return { jsonrpc: '2.0', id: nextId++, method, ...(params ? { params } : {}) };
}
function toolCall(name: string): Record<string, unknown> {
    return rpc('tools/call', { name, arguments: {} });
}
function initializeBody(protocolVersion: string): Record<string, unknown> {
    return rpc('initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'hostile', version: '1' } });
}
function errorCode(response: RawResponse): number | undefined {
    const body = JSON.parse(response.body) as { error?: { code?: number } };
    return body.error?.code;
}

describe.each(ADAPTERS)('%s adapter', adapter => {
    let server: GuardedServer;
    let mint: TokenMint;
    let readToken: string;
    let writeToken: string;
    let initToken: string;

    beforeAll(async () => {
        mint = await createTokenMint(GUARDED_RESOURCE);
        server = await startGuardedServer(adapter, { verifier: verifierFor(mint.jwks, GUARDED_RESOURCE) });
        [readToken, writeToken, initToken] = await Promise.all([
            mint.token(READ_SCOPES),
            mint.token(WRITE_SCOPES),
            mint.token(['init'])
        ]);
    });
    afterAll(() => server.close());

    /** A POST to /mcp with Host and Accept first, then the caller's headers in the caller's order. */
    function post(
        headers: readonly RawHeader[],
        body: string | Buffer | object,
        chunked?: number
    ): Promise<RawResponse> {
        const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        return rawRequest(server.port, {
            headers: [['Host', server.host], ['Accept', ACCEPT], ...headers],
            body: bytes,
            ...(chunked ? { chunked } : {})
        });
    }

    /** Opens a session with `token`; returns its headers for later requests. */
    async function openSession(token: string, protocolVersion = '2025-11-25'): Promise<RawHeader[]> {
        const auth: RawHeader = ['Authorization', `Bearer ${token}`];
        const init = await post([auth, ['Content-Type', JSON_TYPE]], initializeBody(protocolVersion));
        expect(init.status).toBe(200);
        const sessionId = init.headers['mcp-session-id'];
        expect(sessionId).toBeTruthy();
        const session: RawHeader[] = [
            ['Mcp-Session-Id', sessionId!],
            ['MCP-Protocol-Version', protocolVersion]
        ];
        const initialized = await post([auth, ['Content-Type', JSON_TYPE], ...session], {
            jsonrpc: '2.0',
            method: 'notifications/initialized'
        });
        expect(initialized.status).toBe(202);
        return session;
    }

    /** Runs `act` and asserts nothing was dispatched and no tool ran meanwhile. */
    async function refusedWithoutEffect(act: () => Promise<RawResponse>): Promise<RawResponse> {
        const calls = { ...server.calls };
        const dispatched = server.dispatched.length;
        const response = await act();
        expect(server.calls).toEqual(calls);
        expect(server.dispatched.length).toBe(dispatched);
        return response;
    }

    describe('one parse: the scope policy and the dispatch see the same message', () => {
        let session: RawHeader[];
        beforeAll(async () => {
            session = await openSession(writeToken);
        });

        test('control: a write token runs write_note; a read-only token gets 403 insufficient_scope', async () => {
            const before = server.calls.write_note!;
            const allowed = await post(
                [['Authorization', `Bearer ${writeToken}`], ['Content-Type', JSON_TYPE], ...session],
                toolCall('write_note')
            );
            expect(allowed.status).toBe(200);
            expect(server.calls.write_note).toBe(before + 1);
            const refused = await refusedWithoutEffect(() =>
                post(
                    [['Authorization', `Bearer ${readToken}`], ['Content-Type', JSON_TYPE], ...session],
                    toolCall('write_note')
                )
            );
            expect(refused.status).toBe(403);
            expect(refused.headers['www-authenticate']).toContain('scope="mcp:tools:write"');
        });

        const oddContentTypes: Array<[string, RawHeader[]]> = [
            ['application/json + 0xA0', [['Content-Type', Buffer.from('application/json\xa0', 'latin1')]]],
            ['0xA0 + application/json', [['Content-Type', Buffer.from('\xa0application/json', 'latin1')]]],
            ['application/json + vertical tab', [['Content-Type', 'application/json\x0b']]],
            ['application/json + form feed', [['Content-Type', 'application/json\x0c']]],
            ['text/plain', [['Content-Type', 'text/plain']]],
            ['application/x-www-form-urlencoded', [['Content-Type', 'application/x-www-form-urlencoded']]],
            ['application/jsonp', [['Content-Type', 'application/jsonp']]],
            ['a list in one header', [['Content-Type', 'application/json, text/plain']]],
            ['charset=latin1', [['Content-Type', 'application/json; charset=latin1']]],
            ['no Content-Type', []],
            [
                'two headers, JSON first',
                [
                    ['Content-Type', JSON_TYPE],
                    ['Content-Type', 'text/plain']
                ]
            ],
            [
                'two headers, JSON second',
                [
                    ['Content-Type', 'text/plain'],
                    ['Content-Type', JSON_TYPE]
                ]
            ]
        ];

        test.each(oddContentTypes)(
            'a read-only token cannot run write_note with Content-Type %s',
            async (_name, contentType) => {
                const response = await refusedWithoutEffect(() =>
                    post([['Authorization', `Bearer ${readToken}`], ...contentType, ...session], toolCall('write_note'))
                );
                expect([400, 415]).toContain(response.status);
            }
        );

        test('a token scoped only init cannot run the admin tool with Content-Type application/json + 0xA0', async () => {
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${initToken}`],
                        ['Content-Type', Buffer.from('application/json\xa0', 'latin1')],
                        ...session
                    ],
                    toolCall('admin_reset')
                )
            );
            expect(response.status).toBe(415);
        });

        test('a body that is not JSON is refused with 400, not judged as a request without a message', async () => {
            const response = await refusedWithoutEffect(() =>
                post(
                    [['Authorization', `Bearer ${initToken}`], ['Content-Type', JSON_TYPE], ...session],
                    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"admin_reset"'
                )
            );
            expect(response.status).toBe(400);
            expect(errorCode(response)).toBe(-32700);
        });

        test('what ran is exactly what the policy was shown (the same object)', async () => {
            const seen = server.policySaw.length;
            const dispatched = server.dispatched.length;
            const response = await post(
                [
                    ['Authorization', `Bearer ${writeToken}`],
                    ['Content-Type', 'application/json; charset=UTF-8'],
                    ...session
                ],
                toolCall('write_note')
            );
            expect(response.status).toBe(200);
            expect(server.policySaw.length).toBe(seen + 1);
            expect(server.dispatched.length).toBe(dispatched + 1);
            expect(server.dispatched[dispatched]).toBe(server.policySaw[seen]);
        });
    });

    describe('header strictness', () => {
        let session: RawHeader[];
        beforeAll(async () => {
            session = await openSession(writeToken);
        });

        test.each([
            ['valid token first', () => [writeToken, 'forged.token.value']],
            ['valid token second', () => ['forged.token.value', writeToken]]
        ])('two Authorization headers (%s) → 400 invalid_request with a Bearer challenge', async (_name, order) => {
            const [first, second] = order();
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${first}`],
                        ['Authorization', `Bearer ${second}`],
                        ['Content-Type', JSON_TYPE],
                        ...session
                    ],
                    toolCall('write_note')
                )
            );
            expect(response.status).toBe(400);
            expect(response.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_request"/);
        });

        test.each(['Mcp-Session-Id', 'MCP-Protocol-Version'])('a repeated %s header → 400', async name => {
            const value = session.find(([header]) => header === name)![1];
            const response = await refusedWithoutEffect(() =>
                post(
                    [['Authorization', `Bearer ${writeToken}`], ['Content-Type', JSON_TYPE], ...session, [name, value]],
                    toolCall('write_note')
                )
            );
            expect(response.status).toBe(400);
        });
    });

    describe('Origin is checked by default', () => {
        const hostile = [
            'http://evil.example',
            'null',
            'http://localhost.evil.example',
            'http://127.0.0.1.nip.io',
            'http://localhost@evil.example',
            'https://evil.example:443'
        ];

        test.each(hostile)('Origin %s → 403 on initialize: no session is created', async origin => {
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE],
                        ['Origin', origin]
                    ],
                    initializeBody('2025-11-25')
                )
            );
            expect(response.status).toBe(403);
            expect(response.headers['mcp-session-id']).toBeUndefined();
        });

        test.each(hostile)('Origin %s → 403 on tools/call in an open session: nothing runs', async origin => {
            const session = await openSession(writeToken);
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE],
                        ['Origin', origin],
                        ...session
                    ],
                    toolCall('write_note')
                )
            );
            expect(response.status).toBe(403);
        });

        test('DNS rebinding: an attacker name as Host with its own origin → 403, nothing runs', async () => {
            const rebound = `rebind.attacker.example:${server.port}`;
            const response = await refusedWithoutEffect(() =>
                rawRequest(server.port, {
                    headers: [
                        ['Host', rebound],
                        ['Accept', ACCEPT],
                        ['Origin', `http://${rebound}`],
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE]
                    ],
                    body: JSON.stringify(initializeBody('2025-11-25'))
                })
            );
            expect(response.status).toBe(403);
        });

        test('a loopback origin (another local port) and no Origin at all are served', async () => {
            const session = await openSession(writeToken);
            for (const origin of [[['Origin', 'http://localhost:5173']], []] as RawHeader[][]) {
                const response = await post(
                    [['Authorization', `Bearer ${writeToken}`], ['Content-Type', JSON_TYPE], ...origin, ...session],
                    rpc('ping')
                );
                expect(response.status).toBe(200);
            }
        });
    });

    describe('JSON-RPC batches', () => {
        test('a 90,000-element batch at 2025-11-25 is refused at once while a ping on another session answers', async () => {
            const pinger = await openSession(writeToken);
            const batcher = await openSession(writeToken);
            const batch = JSON.stringify(
                Array.from({ length: 90_000 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))
            );
            expect(batch.length).toBeGreaterThan(3_800_000);
            const auth: RawHeader[] = [
                ['Authorization', `Bearer ${writeToken}`],
                ['Content-Type', JSON_TYPE]
            ];
            const pingLatencies: number[] = [];
            const batchLatencies: number[] = [];
            for (let attempt = 0; attempt < 3; attempt++) {
                const dispatched = server.dispatched.length;
                const refusal = post([...auth, ...batcher], batch);
                const started = performance.now();
                const ping = await post([...auth, ...pinger], rpc('ping'));
                pingLatencies.push(performance.now() - started);
                expect(ping.status).toBe(200);
                const refused = await refusal;
                batchLatencies.push(refused.headMs);
                expect(refused.status).toBe(400);
                expect(errorCode(refused)).toBe(-32600);
                expect(server.dispatched.length).toBe(dispatched + 1); // the ping only
            }
            expect(Math.min(...batchLatencies)).toBeLessThan(100);
            expect(Math.min(...pingLatencies)).toBeLessThan(50);
        });

        test('a batch of two at 2025-11-25 → 400 -32600, even without the version header', async () => {
            const session = await openSession(writeToken);
            const withoutVersion = session.filter(([name]) => name !== 'MCP-Protocol-Version');
            for (const headers of [session, withoutVersion]) {
                const response = await refusedWithoutEffect(() =>
                    post(
                        [['Authorization', `Bearer ${writeToken}`], ['Content-Type', JSON_TYPE], ...headers],
                        [toolCall('write_note'), rpc('ping')]
                    )
                );
                expect(response.status).toBe(400);
                expect(errorCode(response)).toBe(-32600);
            }
        });

        test('at 2025-03-26 a batch is served, and one over 100 messages is refused', async () => {
            const session = await openSession(writeToken, '2025-03-26');
            const auth: RawHeader[] = [
                ['Authorization', `Bearer ${writeToken}`],
                ['Content-Type', JSON_TYPE]
            ];
            const before = server.calls.write_note!;
            const served = await post([...auth, ...session], [toolCall('write_note'), toolCall('write_note')]);
            expect(served.status).toBe(200);
            expect(server.calls.write_note).toBe(before + 2);
            const tooMany = Array.from({ length: 101 }, () => rpc('ping'));
            const refused = await refusedWithoutEffect(() => post([...auth, ...session], tooMany));
            expect(refused.status).toBe(400);
            expect(errorCode(refused)).toBe(-32600);
        });

        test('the policy judges every message of a 2025-03-26 batch: one write among reads needs the write scope', async () => {
            const session = await openSession(writeToken, '2025-03-26');
            const response = await refusedWithoutEffect(() =>
                post(
                    [['Authorization', `Bearer ${readToken}`], ['Content-Type', JSON_TYPE], ...session],
                    [toolCall('read_note'), toolCall('write_note')]
                )
            );
            expect(response.status).toBe(403);
        });
    });

    describe('bodies that must not be decoded as they are', () => {
        test('initialize inside a one-element batch → 400, no session', async () => {
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE]
                    ],
                    [initializeBody('2025-03-26')]
                )
            );
            expect(response.status).toBe(400);
            expect(response.headers['mcp-session-id']).toBeUndefined();
        });

        test('a byte order mark before a batch does not get it past the revision check', async () => {
            const body = Buffer.concat([
                Buffer.from([0xef, 0xbb, 0xbf]),
                Buffer.from(JSON.stringify([initializeBody('2025-11-25')]))
            ]);
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE],
                        ['MCP-Protocol-Version', '2025-11-25']
                    ],
                    body
                )
            );
            expect(response.status).toBe(400);
        });

        test('a Content-Encoding the server does not decode → 415, nothing runs', async () => {
            const session = await openSession(writeToken);
            for (const coding of ['gzip', 'x-unknown', 'identity, gzip']) {
                const response = await refusedWithoutEffect(() =>
                    post(
                        [
                            ['Authorization', `Bearer ${writeToken}`],
                            ['Content-Type', JSON_TYPE],
                            ['Content-Encoding', coding],
                            ...session
                        ],
                        toolCall('write_note')
                    )
                );
                expect(response.status).toBe(415);
            }
        });

        test('a client that goes away in the middle of its body does not bring the server down', async () => {
            const { connect } = await import('node:net');
            await new Promise<void>(resolve => {
                const socket = connect(server.port, '127.0.0.1', () => {
                    socket.write(
                        `POST /mcp HTTP/1.1\r\nHost: ${server.host}\r\nAccept: ${ACCEPT}\r\n` +
                            `Authorization: Bearer ${writeToken}\r\nContent-Type: application/json\r\n` +
                            'Content-Length: 100\r\n\r\n{"jsonrpc":'
                    );
                    setTimeout(() => socket.destroy(), 50);
                });
                socket.on('error', () => {});
                socket.on('close', () => resolve());
            });
            await new Promise(resolve => setTimeout(resolve, 50));
            const session = await openSession(writeToken);
            expect(session).toHaveLength(2);
        });
    });

    describe('body size', () => {
        test('Content-Length over the limit → 413 before the body is read', async () => {
            const response = await refusedWithoutEffect(() =>
                rawRequest(server.port, {
                    headers: [
                        ['Host', server.host],
                        ['Accept', ACCEPT],
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE],
                        ['Content-Length', String(50 * 1024 * 1024)]
                    ],
                    body: '{"jsonrpc":"2.0"',
                    noFraming: true
                })
            );
            expect(response.status).toBe(413);
        });

        test('a chunked body stops being read at the limit → 413', async () => {
            const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
            const response = await refusedWithoutEffect(() =>
                post(
                    [
                        ['Authorization', `Bearer ${writeToken}`],
                        ['Content-Type', JSON_TYPE]
                    ],
                    big,
                    64 * 1024
                )
            );
            expect(response.status).toBe(413);
        });
    });

    describe('sessions are bound to the principal that created them', () => {
        test("another principal's valid token on the session → 404, nothing runs; the owner keeps using it", async () => {
            const session = await openSession(writeToken);
            const mallory = await mint.token(WRITE_SCOPES, { sub: 'mallory' });
            const otherClient = await mint.token(WRITE_SCOPES, { clientId: 'client-2' });
            for (const token of [mallory, otherClient]) {
                const response = await refusedWithoutEffect(() =>
                    post(
                        [['Authorization', `Bearer ${token}`], ['Content-Type', JSON_TYPE], ...session],
                        toolCall('write_note')
                    )
                );
                expect(response.status).toBe(404);
            }
            const intruderInit = await refusedWithoutEffect(() =>
                post(
                    [['Authorization', `Bearer ${mallory}`], ['Content-Type', JSON_TYPE], ...session],
                    initializeBody('2025-11-25')
                )
            );
            // Not 400 "already initialized", which would tell a stranger that the session exists.
            expect(intruderInit.status).toBe(404);
            const stepUp = await mint.token([...WRITE_SCOPES, 'admin']);
            const before = server.calls.admin_reset!;
            const owner = await post(
                [['Authorization', `Bearer ${stepUp}`], ['Content-Type', JSON_TYPE], ...session],
                toolCall('admin_reset')
            );
            expect(owner.status).toBe(200);
            expect(server.calls.admin_reset).toBe(before + 1);
        });
    });
});
