/**
 * Test fixtures: a Fastify app on a real `127.0.0.1` port, a small `McpServer`, a raw
 * request with an arbitrary `Host`, tokens and a scope policy.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import * as z from 'zod/v4';
import type { AuthInfo, JSONRPCMessage, ScopePolicy, TokenVerifier, Transport } from '@modelcontextprotocol/server';
import { InvalidTokenError, McpServer, createScopePolicy } from '@modelcontextprotocol/server';

export const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
export const INIT = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } }
};

/** A listening app: its `/mcp` URL, and `close()`. */
export interface Listening {
    readonly base: string;
    readonly url: URL;
    close(): Promise<void>;
}

/** Serves `app` on an ephemeral `127.0.0.1` port. */
export async function listen(app: FastifyInstance): Promise<Listening> {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return {
        base,
        url: new URL(`${base}/mcp`),
        close: async () => {
            app.server.closeAllConnections();
            await app.close();
        }
    };
}

/** Tool calls seen by {@link buildServer}'s `add` tool: the token each one carried. */
export type SeenAuth = Array<AuthInfo | undefined>;

/** An `McpServer` with one tool, `add`, that records the `authInfo` it was called with. */
export function buildServer(seen: SeenAuth = []): McpServer {
    const server = new McpServer({ name: 'fastify-test', version: '1.0.0' });
    server.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }, ctx) => {
        seen.push(ctx.http?.authInfo);
        return { content: [{ type: 'text', text: String(a + b) }] };
    });
    return server;
}

/** Records every message a connected transport dispatches to its server. */
export function recordDispatched(transport: Transport): JSONRPCMessage[] {
    const dispatched: JSONRPCMessage[] = [];
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
        dispatched.push(message);
        deliver?.(message, extra);
    };
    return dispatched;
}

/** A raw POST of `initialize` with an arbitrary `Host` header (fetch always sends the real one). */
export function postWithHost(url: URL, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', headers: { ...POST_HEADERS, host } }, res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(INIT));
    });
}

/** Tokens by value; token validation itself is tested in the server package. */
const tokens: Record<string, string[]> = {
    initToken: ['init'],
    fullToken: ['init', 'mcp:tools:read', 'mcp:tools:write']
};

export const verifier: TokenVerifier = {
    async verifyAccessToken(token) {
        const scopes = tokens[token];
        if (!scopes) throw new InvalidTokenError('The access token is invalid');
        return { token, clientId: 'client-1', scopes };
    }
};

/** The scope policy, wrapped to record every message it judged. */
export function recordingPolicy(judged: unknown[]): ScopePolicy {
    const policy = createScopePolicy({
        methods: { initialize: 'init', ping: 'init', 'tools/list': 'mcp:tools:read', 'tools/call': 'mcp:tools:write' },
        notifications: 'init'
    });
    return {
        requiredScopes: message => {
            judged.push(message);
            return policy.requiredScopes(message);
        },
        isSatisfied: (granted, required) => policy.isSatisfied(granted, required),
        missing: (granted, required) => policy.missing(granted, required)
    };
}

/** Pulls `name="value"` out of a single Bearer challenge (test-only, independent of the implementation). */
export function challengeParams(header: string | null): Record<string, string> {
    expect(header).toMatch(/^Bearer /);
    const params: Record<string, string> = {};
    for (const m of (header ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) params[m[1] as string] = m[2] as string;
    return params;
}

/** Subjects by token: two principals (same OAuth client, distinct `sub`), for the per-principal session limit. */
const subjects: Record<string, string> = { aliceToken: 'alice', alice2Token: 'alice', bobToken: 'bob' };

/** Verifies the tokens of {@link subjects}; the principal is the token's `sub` (see `principalKey`). */
export const principalVerifier: TokenVerifier = {
    async verifyAccessToken(token) {
        const sub = subjects[token];
        if (!sub) throw new InvalidTokenError('The access token is invalid');
        return { token, clientId: 'client-1', scopes: [], extra: { sub } };
    }
};
