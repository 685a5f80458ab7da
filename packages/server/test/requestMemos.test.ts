import { describe, expect, test } from 'vitest';
import { WebRequestView, readJsonBody } from '@modelcontextprotocol/server/adapter';

function post(body: string): Request {
    return new Request('http://127.0.0.1/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body
    });
}

describe('per-request body memo', () => {
    test('reads a request body once: every later read of that request gets the same outcome', async () => {
        const request = post('{"jsonrpc":"2.0","id":1,"method":"ping"}');
        const first = readJsonBody(new WebRequestView(request));
        const second = readJsonBody(new WebRequestView(request));
        expect(second).toBe(first);
        const outcome = await first;
        expect(outcome.ok && outcome.body.value).toEqual({ jsonrpc: '2.0', id: 1, method: 'ping' });
        expect(request.bodyUsed).toBe(true);
    });

    test('reads a frozen request once too', async () => {
        const request = Object.freeze(post('{"jsonrpc":"2.0","id":2,"method":"ping"}'));
        const first = readJsonBody(new WebRequestView(request));
        expect(readJsonBody(new WebRequestView(request))).toBe(first);
        const outcome = await first;
        expect(outcome.ok && outcome.body.value).toEqual({ jsonrpc: '2.0', id: 2, method: 'ping' });
    });

    test('keeps the memo out of the request object’s enumerable and string-keyed properties', async () => {
        const request = post('{"jsonrpc":"2.0","id":3,"method":"ping"}');
        const keysBefore = Reflect.ownKeys(request).filter(key => typeof key === 'string');
        await readJsonBody(new WebRequestView(request));
        expect(Reflect.ownKeys(request).filter(key => typeof key === 'string')).toEqual(keysBefore);
        expect(Object.keys({ ...request })).toEqual(Object.keys({ ...post('{}') }));
    });

    test('belongs to the request object itself: an object inheriting from it reads its own body', async () => {
        const request = post('{"jsonrpc":"2.0","id":4,"method":"ping"}');
        const outcome = readJsonBody(new WebRequestView(request));
        const heir = Object.create(request) as Request;
        const heirs = readJsonBody(new WebRequestView(heir));
        expect(heirs).not.toBe(outcome);
        await heirs.catch(() => undefined);
        await outcome;
    });

    test('refuses a body that is not JSON once, for every reader', async () => {
        const request = post('{not json');
        const outcome = await readJsonBody(new WebRequestView(request));
        expect(outcome.ok).toBe(false);
        expect(await readJsonBody(new WebRequestView(request))).toBe(outcome);
    });
});

describe('Origin validated by an adapter', () => {
    async function answer(request: Request): Promise<number> {
        const { McpServer, WebStandardStreamableHTTPServerTransport } = await import('@modelcontextprotocol/server');
        const server = new McpServer({ name: 'origin-test', version: '1.0.0' });
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        try {
            return (await transport.handleRequest(request)).status;
        } finally {
            await server.close();
        }
    }
    const ping = (): Request =>
        new Request('http://127.0.0.1/mcp', {
            method: 'POST',
            headers: {
                'content-type': 'application/json',
                accept: 'application/json, text/event-stream',
                origin: 'http://elsewhere.example',
                'mcp-protocol-version': '2025-11-25'
            },
            body: '{"jsonrpc":"2.0","id":1,"method":"ping"}'
        });

    test('lets through only the requests the adapter marked, frozen ones included', async () => {
        const { markOriginValidated } = await import('@modelcontextprotocol/server');
        expect(await answer(ping())).toBe(403);
        const marked = ping();
        markOriginValidated(marked);
        expect(await answer(marked)).toBe(200);
        const frozen = Object.freeze(ping());
        markOriginValidated(frozen);
        expect(await answer(frozen)).toBe(200);
        // Marked, then frozen, then marked again (adapters may mark one request twice).
        const refrozen = ping();
        markOriginValidated(refrozen);
        Object.freeze(refrozen);
        markOriginValidated(refrozen);
        expect(await answer(refrozen)).toBe(200);
    });
});
