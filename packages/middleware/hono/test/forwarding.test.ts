/**
 * issue-12 on Hono: two `mcpRoute` instances (real `127.0.0.1` servers behind bearer auth) share an
 * `InMemorySessionDirectory`; a session opened on one is served through the other, which forwards each request to
 * the owner and returns its response (SSE included) unchanged.
 */
import type { Context } from 'hono';
import { afterEach, describe, expect, test } from 'vitest';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { FORWARDED_BY_HEADER, InMemorySessionDirectory } from '@modelcontextprotocol/server';
import { createMcpHonoApp } from '../src/app.js';
import { requireBearerAuth } from '../src/auth.js';
import { mcpRoute } from '../src/route.js';
import type { McpRouteHandler } from '../src/route.js';
import { INIT, POST_HEADERS, buildServer, listen, principalVerifier } from './fixtures.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
});

/** One instance: an app behind bearer auth whose route is made once its URL is known; what reached it; its tools' auth. */
async function instance(name: string, directory: InMemorySessionDirectory) {
    const seen: Array<AuthInfo | undefined> = [];
    const forwardedBy: Array<string | null> = [];
    const holder: { route?: McpRouteHandler } = {};
    const app = createMcpHonoApp();
    app.use('/mcp', async (c, next) => {
        forwardedBy.push(c.req.header(FORWARDED_BY_HEADER) ?? null);
        await next();
    });
    app.use('/mcp', requireBearerAuth({ verifier: principalVerifier }));
    app.all('/mcp', (c: Context) => holder.route!(c));
    const listening = await listen(app);
    const route = mcpRoute({
        createServer: () => buildServer(seen),
        sessionDirectory: directory,
        instance: { instanceId: name, url: listening.url.href }
    });
    holder.route = route;
    cleanups.push(async () => {
        await route.close();
        await listening.close();
    });
    return { url: listening.url, seen, forwardedBy, route };
}

const auth = { authorization: 'Bearer aliceToken' };

describe('issue-12: mcpRoute with a session directory', () => {
    test('a session opened on one instance is served, streamed and ended through the other', async () => {
        const directory = new InMemorySessionDirectory();
        const a = await instance('a', directory);
        const b = await instance('b', directory);
        const init = await fetch(a.url, {
            method: 'POST',
            headers: { ...POST_HEADERS, ...auth },
            body: JSON.stringify(INIT)
        });
        await init.text();
        const headers = {
            ...POST_HEADERS,
            ...auth,
            'mcp-session-id': init.headers.get('mcp-session-id')!,
            'mcp-protocol-version': '2025-11-25'
        };
        const call = {
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name: 'add', arguments: { a: 2, b: 3 } }
        };
        const answered = await fetch(b.url, { method: 'POST', headers, body: JSON.stringify(call) });
        expect(answered.status).toBe(200);
        expect(await answered.text()).toContain('"text":"5"');
        expect(a.seen.map(info => info?.token)).toEqual(['aliceToken']);
        expect(a.forwardedBy.at(-1)).toBe('b');
        expect(b.route.sessionCount).toBe(0);

        const controller = new AbortController();
        const stream = await fetch(b.url, {
            headers: { ...headers, accept: 'text/event-stream' },
            signal: controller.signal
        });
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toContain('text/event-stream');
        controller.abort();

        const { 'content-type': _json, ...bodiless } = headers;
        const deleted = await fetch(b.url, { method: 'DELETE', headers: bodiless });
        expect(deleted.status).toBe(200);
        await expect.poll(() => a.route.sessionCount).toBe(0);
        const gone = await fetch(b.url, { method: 'POST', headers, body: JSON.stringify(call) });
        expect(gone.status).toBe(404);
    });

    test('options: sessionDirectory without instance is refused', () => {
        expect(() =>
            mcpRoute({ createServer: () => buildServer(), sessionDirectory: new InMemorySessionDirectory() })
        ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    });
});
