/**
 * Per-operation scope challenges, official v2 style: `scopeChallenge: requireScopes(…)` on a tool, prompt or
 * resource, routed by `McpServer` and answered by the web-standard transport with `403 insufficient_scope` before
 * anything of the POST is dispatched — decided on the same decoded messages that would be dispatched.
 */
import type { AuthInfo, JSONRPCRequest } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import {
    AuthConfigError,
    completable,
    INVALID_REQUEST,
    McpServer,
    requireScopes,
    ResourceTemplate,
    WebStandardStreamableHTTPServerTransport
} from '@modelcontextprotocol/server';
import { POST_HEADERS, initializeRequest, request } from './fixtures.js';

const URL_ = 'http://127.0.0.1/mcp';
const reader: AuthInfo = {
    token: 't',
    clientId: 'c',
    scopes: ['init'],
    resource: new URL(URL_),
    resourceMetadataUrl: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp'
};
const writer: AuthInfo = { ...reader, scopes: ['init', 'files:write', 'files:read'] };

async function setup() {
    const calls: string[] = [];
    const server = new McpServer({ name: 'scoped', version: '1.0.0' });
    server.registerTool(
        'delete',
        { inputSchema: { path: z.string() }, scopeChallenge: requireScopes('files:write') },
        ({ path }) => {
            calls.push(`delete ${path}`);
            return { content: [{ type: 'text', text: 'deleted' }] };
        }
    );
    server.registerTool('look', { inputSchema: {} }, () => {
        calls.push('look');
        return { content: [{ type: 'text', text: 'seen' }] };
    });
    server.registerPrompt('secret', { scopeChallenge: requireScopes('files:read') }, () => ({
        messages: [{ role: 'user', content: { type: 'text', text: 'shh' } }]
    }));
    server.registerResource(
        'file',
        new ResourceTemplate('file:///{path}', { list: undefined }),
        { scopeChallenge: requireScopes('files:read') },
        uri => ({ contents: [{ uri: uri.href, text: 'content' }] })
    );
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    const post = (body: unknown, authInfo: AuthInfo = reader) =>
        transport.handleRequest(
            new Request(URL_, {
                method: 'POST',
                headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-03-26' },
                body: JSON.stringify(body)
            }),
            { authInfo }
        );
    expect((await post(initializeRequest(0))).status).toBe(200);
    return { post, calls };
}

const call = (id: number, name: string, args: Record<string, unknown> = {}): JSONRPCRequest =>
    request(id, 'tools/call', { name, arguments: args });

describe('scopeChallenge on registrations', () => {
    it('answers a tool call the token does not cover with 403 insufficient_scope naming the scope, without calling it', async () => {
        const { post, calls } = await setup();
        const response = await post(call(1, 'delete', { path: '/a' }));
        expect(response.status).toBe(403);
        const challenge = response.headers.get('www-authenticate') ?? '';
        expect(challenge).toMatch(/^Bearer /);
        expect(challenge).toContain('error="insufficient_scope"');
        expect(challenge).toContain('scope="files:write"');
        expect(challenge).toContain('resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"');
        expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
        expect(calls).toEqual([]);
    });

    it('lets the call through once the token holds the scope, and never challenges tools without one', async () => {
        const { post, calls } = await setup();
        expect((await post(call(1, 'look'))).status).toBe(200);
        expect((await post(call(2, 'delete', { path: '/a' }), writer)).status).toBe(200);
        expect(calls).toEqual(['look', 'delete /a']);
    });

    it('dispatches nothing of a POST when any one of its requests is challenged', async () => {
        const { post, calls } = await setup();
        const response = await post([call(1, 'look'), call(2, 'delete', { path: '/b' })]);
        expect(response.status).toBe(403);
        expect(calls).toEqual([]);
    });

    it('challenges prompts and resource templates as well', async () => {
        const { post } = await setup();
        const prompt = await post(request(1, 'prompts/get', { name: 'secret' }));
        expect(prompt.status).toBe(403);
        expect(prompt.headers.get('www-authenticate')).toContain('scope="files:read"');
        const read = await post(request(2, 'resources/read', { uri: 'file:///notes.txt' }));
        expect(read.status).toBe(403);
        expect((await post(request(3, 'resources/read', { uri: 'file:///notes.txt' }), writer)).status).toBe(200);
        // A URI no template matches has no challenge: it gets the ordinary not-found error.
        expect((await post(request(4, 'resources/read', { uri: 'other:x' }))).status).toBe(200);
    });

    it('leaves unauthenticated requests to the authentication gate', async () => {
        const server = new McpServer({ name: 'open', version: '1.0.0' });
        server.registerTool('delete', { scopeChallenge: requireScopes('files:write') }, () => ({ content: [] }));
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const response = await transport.handleRequest(
            new Request(URL_, { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(call(1, 'delete')) })
        );
        expect(response.status).toBe(200);
    });
});

describe('requireScopes', () => {
    it('refuses no scopes and scopes outside the RFC 6749 grammar at registration time', () => {
        expect(() => (requireScopes as (...s: string[]) => unknown)()).toThrow(AuthConfigError);
        expect(() => requireScopes('ok', 'not ok')).toThrow(AuthConfigError);
        expect(() => requireScopes('quote"')).toThrow(AuthConfigError);
    });

    it('a handler returning a malformed challenge is a server error (500), not a challenge', async () => {
        const server = new McpServer({ name: 'buggy', version: '1.0.0' });
        server.registerTool('x', { scopeChallenge: () => ({ scopes: ['bad scope'] as [string] }) }, () => ({
            content: []
        }));
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        const errors: Error[] = [];
        await server.connect(transport);
        transport.onerror = error => void errors.push(error);
        const response = await transport.handleRequest(
            new Request(URL_, { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(call(1, 'x')) }),
            { authInfo: reader }
        );
        expect(response.status).toBe(500);
        expect(response.headers.get('www-authenticate')).toBeNull();
    });
});

describe('scopeChallenge holds where the handler runs, not only at the transport', () => {
    function scopedServer(calls: string[]) {
        const server = new McpServer({ name: 'raced', version: '1.0.0' });
        const secret = server.registerTool('secret', { scopeChallenge: requireScopes('admin') }, () => {
            calls.push('secret');
            return { content: [{ type: 'text', text: 'SECRET' }] };
        });
        return { server, secret };
    }
    const postTo =
        (transport: WebStandardStreamableHTTPServerTransport) =>
        (body: unknown, authInfo: AuthInfo = reader) =>
            transport.handleRequest(
                new Request(URL_, {
                    method: 'POST',
                    headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-03-26' },
                    body: JSON.stringify(body)
                }),
                { authInfo }
            );

    it('a disabled scoped tool is still challenged, so an earlier request of the batch cannot enable it past the check', async () => {
        const calls: string[] = [];
        const { server, secret } = scopedServer(calls);
        secret.disable();
        server.registerTool('unlock', {}, () => {
            secret.enable();
            calls.push('unlock');
            return { content: [] };
        });
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const post = postTo(transport);
        await post(initializeRequest(0, '2025-03-26'));
        const response = await post([call(1, 'unlock'), call(2, 'secret')]);
        expect(response.status).toBe(403);
        expect(calls).toEqual([]);
    });

    it('a scoped tool renamed by an earlier request of the batch is refused when its call is dispatched', async () => {
        const calls: string[] = [];
        const { server, secret } = scopedServer(calls);
        secret.update({ name: 'hidden' });
        server.registerTool('unlock', {}, () => {
            secret.update({ name: 'secret' });
            calls.push('unlock');
            return { content: [] };
        });
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const post = postTo(transport);
        await post(initializeRequest(0, '2025-03-26'));
        const response = await post([call(1, 'unlock'), call(2, 'secret')]);
        const answers = (await response.json()) as { id: number; error?: { code: number; data?: unknown } }[];
        // Whichever way the two race, the scoped tool never runs: not found yet, or refused for its scope.
        const second = answers.find(answer => answer.id === 2);
        expect(second?.error).toBeDefined();
        expect(calls).toEqual(['unlock']);
        // Once renamed, a later call is refused where it is dispatched too (the transport challenges it first).
        expect((await post(call(3, 'secret'))).status).toBe(403);
        expect(calls).toEqual(['unlock']);
    });

    it('a low-level Server connected directly (no transport check) still refuses the call', async () => {
        const calls: string[] = [];
        const { server } = scopedServer(calls);
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.server.connect(transport);
        const post = postTo(transport);
        await post(initializeRequest(0, '2025-03-26'));
        const response = await post(call(1, 'secret'));
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ error: { code: INVALID_REQUEST } });
        expect(calls).toEqual([]);
        expect((await post(call(2, 'secret'), writer)).status).toBe(200);
        expect(calls).toEqual([]);
        const admin = { ...reader, scopes: ['admin'] };
        expect(await (await post(call(3, 'secret'), admin)).json()).toMatchObject({
            result: { content: [{ text: 'SECRET' }] }
        });
    });

    it('completions about a scoped prompt or resource template need the same scopes', async () => {
        const seen: string[] = [];
        const server = new McpServer({ name: 'completions', version: '1.0.0' });
        server.registerPrompt(
            'secret',
            {
                scopeChallenge: requireScopes('admin'),
                argsSchema: {
                    q: completable(z.string(), value => {
                        seen.push(value);
                        return ['private'];
                    })
                }
            },
            () => ({ messages: [] })
        );
        const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
        await server.connect(transport);
        const post = postTo(transport);
        await post(initializeRequest(0, '2025-03-26'));
        const response = await post(
            request(5, 'completion/complete', {
                ref: { type: 'ref/prompt', name: 'secret' },
                argument: { name: 'q', value: 'x' }
            })
        );
        expect(response.status).toBe(403);
        expect(seen).toEqual([]);
    });
});
