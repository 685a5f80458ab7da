import type { AuthInfo, JSONRPCRequest } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { McpServer, requireScopes, WebStandardStreamableHTTPServerTransport, createMcpHandler } from '@modelcontextprotocol/server';

const URL_ = 'http://127.0.0.1/mcp';
const H = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const reader: AuthInfo = { token: 't', clientId: 'c', scopes: ['init'], resource: new URL(URL_) };
const init = (id: number) => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
const call = (id: number, name: string, args: Record<string, unknown> = {}): JSONRPCRequest => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('scope probes', () => {
    it('batch: an unscoped tool that enables a disabled scoped tool lets the scoped one run without scopes', async () => {
        const calls: string[] = [];
        const server = new McpServer({ name: 's', version: '1' });
        const secret = server.registerTool('secret', { scopeChallenge: requireScopes('admin') }, () => {
            calls.push('secret ran');
            return { content: [{ type: 'text', text: 'SECRET' }] };
        });
        secret.disable();
        server.registerTool('unlock', {}, () => {
            secret.enable();
            calls.push('unlock');
            return { content: [] };
        });
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const post = (body: unknown) => transport.handleRequest(new Request(URL_, { method: 'POST', headers: { ...H, 'mcp-protocol-version': '2025-03-26' }, body: JSON.stringify(body) }), { authInfo: reader });
        expect((await post(init(0))).status).toBe(200);
        const r = await post([call(1, 'unlock'), call(2, 'secret')]);
        console.log('BATCH status', r.status, await r.text(), calls);
        secret.disable();
    });

    it('stateless createMcpHandler + initialize batch', async () => {
        const calls: string[] = [];
        const handler = createMcpHandler(() => {
            const server = new McpServer({ name: 's', version: '1' });
            server.registerTool('secret', { scopeChallenge: requireScopes('admin') }, () => { calls.push('secret'); return { content: [] }; });
            return server;
        }, { enableJsonResponse: true });
        const r = await handler.fetch(new Request(URL_, { method: 'POST', headers: { ...H }, body: JSON.stringify(call(1, 'secret')) }), { authInfo: reader });
        console.log('STATELESS', r.status, r.headers.get('www-authenticate'), calls);
        const r2 = await handler.fetch(new Request(URL_, { method: 'POST', headers: { ...H }, body: JSON.stringify([init(0), call(1, 'secret')]) }), { authInfo: reader });
        console.log('STATELESS init batch', r2.status, r2.headers.get('www-authenticate'), calls);
    });

    it('completion on a scoped prompt is not challenged', async () => {
        const { completable } = await import('@modelcontextprotocol/server');
        const server = new McpServer({ name: 's', version: '1' });
        const seen: string[] = [];
        server.registerPrompt('secret', { scopeChallenge: requireScopes('admin'), argsSchema: { q: completable(z.string(), v => { seen.push(v); return ['private-suggestion']; }) } }, () => ({ messages: [] }));
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const post = (body: unknown) => transport.handleRequest(new Request(URL_, { method: 'POST', headers: { ...H, 'mcp-protocol-version': '2025-03-26' }, body: JSON.stringify(body) }), { authInfo: reader });
        expect((await post(init(0))).status).toBe(200);
        const r = await post({ jsonrpc: '2.0', id: 5, method: 'completion/complete', params: { ref: { type: 'ref/prompt', name: 'secret' }, argument: { name: 'q', value: 'x' } } });
        console.log('COMPLETE', r.status, await r.text());
        const r2 = await post({ jsonrpc: '2.0', id: 6, method: 'prompts/get', params: { name: 'secret' } });
        console.log('PROMPT', r2.status);
    });
});
