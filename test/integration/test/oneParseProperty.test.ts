/**
 * The one-parse invariant as a property: for random `Content-Type` values, header orders, repeated headers, token
 * scopes and body encodings, every request through every adapter is either refused (nothing dispatched, no tool
 * run) or dispatched with exactly the message the scope policy was shown — the same object — and a tool runs only
 * when the token holds the scope the policy requires for it. Well-formed requests with enough scope are served.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADAPTERS, GUARDED_POLICY, GUARDED_RESOURCE, startGuardedServer } from '../fixtures/guardedServer.js';
import type { GuardedServer } from '../fixtures/guardedServer.js';
import { rawRequest } from '../fixtures/rawHttp.js';
import type { RawHeader } from '../fixtures/rawHttp.js';
import { createTokenMint, verifierFor } from '../fixtures/tokens.js';

const SCOPES = ['init', 'mcp:tools:read', 'mcp:tools:write', 'admin'] as const;
const TOOLS = Object.keys(GUARDED_POLICY.tools) as Array<keyof typeof GUARDED_POLICY.tools>;
const VALID_TYPES = [
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json ;charset="UTF-8"'
];
const ODD_TYPES = [
    'application/json\xa0',
    '\xa0application/json',
    'application/json\x0b',
    'text/plain',
    'application/json, text/plain',
    'application/json; charset=latin1',
    'application/jsonx',
    'application/*',
    ''
];
const ENCODINGS = ['plain', 'padded', 'chunked', 'bom', 'utf16le', 'truncated'] as const;
type Encoding = (typeof ENCODINGS)[number];

interface Case {
    readonly method: 'tools/call' | 'tools/list' | 'ping';
    readonly tool: (typeof TOOLS)[number];
    readonly scopes: readonly boolean[];
    readonly contentTypes: readonly string[];
    readonly duplicateAuthorization: boolean;
    readonly encoding: Encoding;
    readonly order: readonly number[];
}

const arbitraryCase: fc.Arbitrary<Case> = fc.record({
    method: fc.constantFrom('tools/call' as const, 'tools/list' as const, 'ping' as const),
    tool: fc.constantFrom(...TOOLS),
    scopes: fc.array(fc.boolean(), { minLength: SCOPES.length, maxLength: SCOPES.length }),
    contentTypes: fc.array(
        fc.oneof(
            fc.constantFrom(...VALID_TYPES),
            fc.constantFrom(...ODD_TYPES),
            fc.string({ unit: fc.constantFrom(...'application/json;charset=utf-8 \t\xa0",'.split('')), maxLength: 40 })
        ),
        { minLength: 0, maxLength: 2 }
    ),
    duplicateAuthorization: fc.boolean(),
    encoding: fc.constantFrom(...ENCODINGS),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 })
});

/** The scope the policy requires for a request, worked out independently of the implementation. */
function requiredScope(method: Case['method'], tool: Case['tool']): string {
    if (method === 'tools/call') return GUARDED_POLICY.tools[tool];
    return GUARDED_POLICY.methods[method];
}

function encode(text: string, encoding: Encoding): Buffer {
    switch (encoding) {
        case 'padded':
            return Buffer.from(` \n\t${text}\r\n `, 'utf8');
        case 'bom':
            return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
        case 'utf16le':
            return Buffer.from(text, 'utf16le');
        case 'truncated':
            return Buffer.from(text.slice(0, -1), 'utf8');
        default:
            return Buffer.from(text, 'utf8');
    }
}

describe.each(ADAPTERS)('%s adapter', adapter => {
    let server: GuardedServer;
    let tokens: Map<string, string>;
    let session: RawHeader[];
    let nextId = 1;

    beforeAll(async () => {
        const mint = await createTokenMint(GUARDED_RESOURCE);
        server = await startGuardedServer(adapter, { verifier: verifierFor(mint.jwks, GUARDED_RESOURCE) });
        tokens = new Map();
        for (let mask = 0; mask < 1 << SCOPES.length; mask++) {
            const granted = SCOPES.filter((_, i) => mask & (1 << i));
            tokens.set(granted.join(' '), await mint.token(granted));
        }
        const owner = tokens.get(SCOPES.join(' '))!;
        const init = await rawRequest(server.port, {
            headers: [
                ['Host', server.host],
                ['Accept', 'application/json, text/event-stream'],
                ['Authorization', `Bearer ${owner}`],
                ['Content-Type', 'application/json']
            ],
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 0,
                method: 'initialize',
                params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'p', version: '1' } }
            })
        });
        expect(init.status).toBe(200);
        session = [
            ['Mcp-Session-Id', init.headers['mcp-session-id']!],
            ['MCP-Protocol-Version', '2025-11-25']
        ];
    });
    afterAll(() => server.close());

    test('every request is refused, or dispatched with exactly the message the policy saw', async () => {
        await fc.assert(
            fc.asyncProperty(arbitraryCase, async c => {
                const granted: string[] = SCOPES.filter((_, i) => c.scopes[i]);
                const token = tokens.get(granted.join(' '))!;
                const message = {
                    jsonrpc: '2.0',
                    id: nextId++,
                    method: c.method,
                    ...(c.method === 'tools/call' ? { params: { name: c.tool, arguments: {} } } : {})
                };
                const headers: RawHeader[] = [
                    ['Host', server.host],
                    ['Accept', 'application/json, text/event-stream'],
                    ['Authorization', `Bearer ${token}`],
                    ...session,
                    ...c.contentTypes.map((type): RawHeader => ['Content-Type', Buffer.from(type, 'latin1')]),
                    ...(c.duplicateAuthorization ? [['Authorization', `Bearer ${token}`] as RawHeader] : [])
                ];
                const ordered = c.order.filter(i => i < headers.length).map(i => headers[i]!);
                const seen = server.policySaw.length;
                const dispatched = server.dispatched.length;
                const calls = { ...server.calls };

                const response = await rawRequest(server.port, {
                    headers: ordered,
                    body: encode(JSON.stringify(message), c.encoding),
                    ...(c.encoding === 'chunked' ? { chunked: 7 } : {})
                });

                const newlyDispatched = server.dispatched.slice(dispatched);
                const newlySeen = server.policySaw.slice(seen);
                if (newlyDispatched.length === 0) {
                    expect(response.status).toBeGreaterThanOrEqual(400);
                    expect(server.calls).toEqual(calls);
                } else {
                    expect(response.status).toBe(200);
                    expect(newlyDispatched).toHaveLength(1);
                    expect(newlySeen).toHaveLength(1);
                    expect(newlyDispatched[0]).toBe(newlySeen[0]);
                    expect(newlyDispatched[0]).toEqual(message);
                    expect(granted).toContain(requiredScope(c.method, c.tool));
                }
                const wellFormed =
                    c.contentTypes.length === 1 &&
                    VALID_TYPES.includes(c.contentTypes[0]!) &&
                    !c.duplicateAuthorization &&
                    ['plain', 'padded', 'chunked'].includes(c.encoding);
                if (wellFormed && granted.includes(requiredScope(c.method, c.tool))) {
                    expect(response.status).toBe(200);
                    expect(newlyDispatched).toHaveLength(1);
                }
            }),
            { numRuns: 80 }
        );
    });
});
