import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'vitest';
import Fastify from 'fastify';
import { createMcpFastifyApp, requireBearerAuth } from '@modelcontextprotocol/fastify';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';

function raw(port: number, headers: Record<string, string>, chunks: (string | Buffer)[], method = 'POST'): Promise<{ status: number; body: string; err?: string }> {
    return new Promise(resolve => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method, headers }, res => {
            let body = '';
            res.on('data', c => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: body.slice(0, 200) }));
            res.on('error', e => resolve({ status: res.statusCode!, body, err: String(e) }));
        });
        req.on('error', e => resolve({ status: -1, body: '', err: String(e) }));
        for (const c of chunks) req.write(c);
        req.end();
    });
}
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', host: '127.0.0.1' };

describe('fastify probes', () => {
    it('factory app', async () => {
        const app = createMcpFastifyApp({ maxBodyBytes: 1000 });
        let handled = 0;
        const errors: string[] = [];
        app.addHook('onError', async (_r, _p, e) => void errors.push(String(e)));
        app.all('/mcp', async (request, reply) => {
            handled++;
            const server = new McpServer({ name: 's', version: '1' });
            const transport = new NodeStreamableHTTPServerTransport({ enableJsonResponse: true });
            await server.connect(transport);
            reply.hijack();
            await transport.handleRequest(request.raw, reply.raw, request.body);
        });
        await app.listen({ port: 0, host: '127.0.0.1' });
        const port = (app.server.address() as AddressInfo).port;
        console.log('ok init', await raw(port, H, [INIT]), handled);
        console.log('chunked over limit', await raw(port, { ...H, 'transfer-encoding': 'chunked' }, ['{"a":"', 'x'.repeat(2000), '"}']), 'handled', handled);
        console.log('gzip', await raw(port, { ...H, 'content-encoding': 'gzip', 'content-length': String(INIT.length) }, [INIT]), 'handled', handled);
        console.log('bad json', await raw(port, { ...H, 'content-length': '5' }, ['{"a":']), 'handled', handled);
        console.log('ct uppercase', await raw(port, { ...H, 'content-type': 'Application/JSON', 'content-length': String(INIT.length) }, [INIT]), 'handled', handled);
        console.log('ct charset latin1', await raw(port, { ...H, 'content-type': 'application/json; charset=latin1', 'content-length': String(INIT.length) }, [INIT]), 'handled', handled);
        console.log('ct json+suffix', await raw(port, { ...H, 'content-type': 'application/jsonx', 'content-length': String(INIT.length) }, [INIT]), 'handled', handled);
        console.log('empty cl0', await raw(port, { ...H, 'content-length': '0' }, []), 'handled', handled);
        console.log('errors', errors);
        app.server.closeAllConnections();
        await app.close();
    });
});
