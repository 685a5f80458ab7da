/**
 * Bad and hostile input through the full HTTP stack — `createMcpExpressApp` + `mountMcp` + our McpServer —
 * with raw HTTP requests. Each is refused with the right status and a JSON-RPC error body, and the server keeps
 * serving: after every case the same session still answers a ping.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ErrorCode, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import type { ServedMcp } from './helpers.js';
import { serveMcp } from './helpers.js';
import { buildEverythingServer } from '../fixtures/everythingServer.js';

const ACCEPT = 'application/json, text/event-stream';

interface RawResponse {
    status: number;
    body: unknown;
}

let served: ServedMcp;
let sessionId: string;
let nextId = 100;

async function post(body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    const response = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
        body
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The headers of a request in the open session. */
function inSession(extra: Record<string, string> = {}): Record<string, string> {
    return { 'mcp-session-id': sessionId, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION, ...extra };
}

function rpc(method: string, params?: object): string {
    return JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, ...(params ? { params } : {}) });
}

/** A raw request with an arbitrary Host header (fetch always sends the real one). */
function postWithHost(host: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(
            served.url,
            { method: 'POST', headers: { host, 'content-type': 'application/json', accept: ACCEPT } },
            res => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => (text += chunk));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
            }
        );
        req.on('error', reject);
        req.end(rpc('ping'));
    });
}

function jsonRpcError(code: number) {
    return { jsonrpc: '2.0', id: null, error: { code, message: expect.any(String) } };
}

beforeAll(async () => {
    served = await serveMcp(buildEverythingServer, { mode: { stateless: false, json: true } });
    const init = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: ACCEPT },
        body: JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'initialize',
            params: {
                protocolVersion: LATEST_PROTOCOL_VERSION,
                capabilities: {},
                clientInfo: { name: 'raw', version: '1' }
            }
        })
    });
    expect(init.status).toBe(200);
    sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    const initialized = await post(
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        inSession()
    );
    expect(initialized.status).toBe(202);
});

afterAll(async () => {
    await served?.close();
});

describe('hostile input through createMcpExpressApp + mountMcp + McpServer', () => {
    const cases: { name: string; send: () => Promise<RawResponse>; status: number; body: unknown }[] = [
        {
            name: 'malformed JSON → 400 with JSON-RPC -32700',
            send: () => post('{"jsonrpc": "2.0", "id": 1, "method": ', inSession()),
            status: 400,
            body: jsonRpcError(ErrorCode.ParseError)
        },
        {
            name: 'JSON that is not a JSON-RPC message → 400 with -32600',
            send: () => post('{"hello":"world"}', inSession()),
            status: 400,
            body: jsonRpcError(ErrorCode.InvalidRequest)
        },
        {
            name: 'an empty batch → 400 with -32600',
            send: () => post('[]', inSession()),
            status: 400,
            body: jsonRpcError(ErrorCode.InvalidRequest)
        },
        {
            name: 'an unknown method → a JSON-RPC -32601 error in a 200',
            send: () => post(rpc('no/such/method'), inSession()),
            status: 200,
            body: {
                jsonrpc: '2.0',
                id: expect.any(Number),
                error: { code: ErrorCode.MethodNotFound, message: expect.any(String) }
            }
        },
        {
            name: 'invalid params of a known method → a JSON-RPC -32602 error in a 200',
            send: () => post(rpc('resources/read', { uri: 42 }), inSession()),
            status: 200,
            body: {
                jsonrpc: '2.0',
                id: expect.any(Number),
                error: { code: ErrorCode.InvalidParams, message: expect.any(String) }
            }
        },
        {
            name: 'an unsupported MCP-Protocol-Version header → 400',
            send: () => post(rpc('ping'), inSession({ 'mcp-protocol-version': '1999-01-01' })),
            status: 400,
            body: jsonRpcError(-32000)
        },
        {
            name: 'an unknown session id → 404',
            send: () => post(rpc('ping'), inSession({ 'mcp-session-id': 'not-a-session' })),
            status: 404,
            body: jsonRpcError(-32000)
        },
        {
            name: 'a missing session id → 400',
            send: () => post(rpc('ping'), { 'mcp-protocol-version': LATEST_PROTOCOL_VERSION }),
            status: 400,
            body: jsonRpcError(-32000)
        },
        {
            name: 'a GET without a session id → 400',
            send: async () => {
                const response = await fetch(served.url, { headers: { accept: 'text/event-stream' } });
                return { status: response.status, body: await response.json() };
            },
            status: 400,
            body: jsonRpcError(-32000)
        },
        {
            name: 'a second initialize in the session → 400',
            send: () =>
                post(
                    rpc('initialize', {
                        protocolVersion: LATEST_PROTOCOL_VERSION,
                        capabilities: {},
                        clientInfo: { name: 'again', version: '1' }
                    }),
                    inSession()
                ),
            status: 400,
            body: jsonRpcError(ErrorCode.InvalidRequest)
        },
        {
            name: 'an Accept header without text/event-stream → 406',
            send: () => post(rpc('ping'), inSession({ accept: 'application/json' })),
            status: 406,
            body: jsonRpcError(-32000)
        },
        {
            name: 'a body over the 4 MB default limit → 413',
            send: () =>
                post(
                    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(4_300_000) } }),
                    inSession()
                ),
            status: 413,
            body: jsonRpcError(-32000)
        },
        {
            name: 'a Host header that is not loopback (DNS rebinding) → 403',
            send: () => postWithHost('evil.example:80'),
            status: 403,
            body: jsonRpcError(-32000)
        }
    ];

    test.each(cases)('$name, and the session keeps working', async ({ send, status, body }) => {
        const response = await send();
        expect(response).toEqual({ status, body });
        const ping = await post(rpc('ping'), inSession());
        expect(ping).toEqual({ status: 200, body: { jsonrpc: '2.0', id: expect.any(Number), result: {} } });
    });

    test('the session survived every case and the server reported no internal errors', async () => {
        expect(served.route.sessionCount).toBe(1);
        expect(served.errors).toEqual([]);
    });
});
