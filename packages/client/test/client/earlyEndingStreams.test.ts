/**
 * A tool call whose SSE stream ends before the response fails at once with a typed error, instead of waiting
 * for its timeout: through the real `Client`, against a raw `node:http` server that answers `tools/call` with a
 * stream that misbehaves. Only a stream that stays open is a genuine timeout, and a stream with event ids is
 * resumed and completes.
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    Client,
    InvalidMessageError,
    SdkError,
    SdkErrorCode,
    StreamableHTTPClientTransport,
    StreamInterruptedError
} from '@modelcontextprotocol/client';

let server: Server;
let url: URL;
let resumptions = 0;

function sse(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
}

/** Answers `tools/call` according to the tool name. */
function toolStream(res: ServerResponse, name: string, id: unknown): void {
    const result = JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: name }] } });
    sse(res);
    switch (name) {
        case 'cut-mid-event':
            res.end(`event: message\ndata: ${result.slice(0, 20)}`);
            return;
        case 'not-json':
            res.end('event: message\ndata: {not json}\n\n');
            return;
        case 'comments-only': {
            res.write(': still here\n\n');
            const timer = setInterval(() => res.write(': still here\n\n'), 100);
            res.on('close', () => clearInterval(timer));
            return;
        }
        case 'resumable':
            res.end(`id: r-1\nretry: 20\ndata: \n\n`);
            return;
        default:
            res.end(`data: ${result}\n\n`);
    }
}

beforeAll(async () => {
    server = createServer((req, res) => {
        if (req.method === 'GET') {
            if (req.headers['last-event-id'] === 'r-1') {
                resumptions++;
                sse(res);
                const result = { content: [{ type: 'text', text: 'resumed' }] };
                res.end(
                    `id: r-2\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: Number(pendingResumable), result })}\n\n`
                );
                return;
            }
            res.writeHead(405).end();
            return;
        }
        let body = '';
        req.on('data', chunk => (body += chunk));
        req.on('end', () => {
            const message = JSON.parse(body) as { id?: unknown; method: string; params?: { name?: string } };
            if (message.id === undefined) return void res.writeHead(202).end();
            if (message.method === 'initialize') {
                res.writeHead(200, { 'content-type': 'application/json' });
                const result = {
                    protocolVersion: '2025-11-25',
                    capabilities: { tools: {} },
                    serverInfo: { name: 's', version: '1' }
                };
                return void res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
            }
            const name = message.params?.name ?? '';
            if (name === 'resumable') pendingResumable = String(message.id);
            toolStream(res, name, message.id);
        });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
let pendingResumable = '';

afterAll(
    () =>
        new Promise<void>(resolve => {
            server.closeAllConnections();
            server.close(() => resolve());
        })
);

async function connected(): Promise<Client> {
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(url));
    return client;
}

/** The rejection of a call and how long it took. */
async function failureOf(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    try {
        await promise;
    } catch (error) {
        return { error, ms: performance.now() - started };
    }
    throw new Error('the call succeeded');
}

describe('a tool call whose SSE stream ends before the response', () => {
    it('fails at once with StreamInterruptedError when the stream closes in the middle of an event', async () => {
        const client = await connected();
        const { error, ms } = await failureOf(client.callTool({ name: 'cut-mid-event' }, { timeout: 3000 }));
        expect(error).toBeInstanceOf(StreamInterruptedError);
        expect(ms).toBeLessThan(500);
        await client.close();
    });

    it('fails at once with InvalidMessageError when the stream carries data that is not JSON', async () => {
        const client = await connected();
        const { error, ms } = await failureOf(client.callTool({ name: 'not-json' }, { timeout: 3000 }));
        expect(error).toBeInstanceOf(InvalidMessageError);
        expect(ms).toBeLessThan(500);
        await client.close();
    });

    it('times out only when the stream stays open', async () => {
        const client = await connected();
        const { error } = await failureOf(client.callTool({ name: 'comments-only' }, { timeout: 300 }));
        expect(error).toBeInstanceOf(SdkError);
        expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
        await client.close();
    });

    it('resumes a stream that gave event ids, and the call completes after one resumption', async () => {
        const client = await connected();
        const before = resumptions;
        const result = await client.callTool({ name: 'resumable' }, { timeout: 3000 });
        expect(result.content).toEqual([{ type: 'text', text: 'resumed' }]);
        expect(resumptions).toBe(before + 1);
        await client.close();
    });
});
