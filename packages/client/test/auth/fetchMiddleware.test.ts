/**
 * `fetch` middleware helpers against a real server on loopback: request logging, writing a middleware as one
 * function, a fetch with base options, and `withOAuth` without a server URL.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { RequestLogger } from '../../src/client/auth/logging.js';
import { withLogging } from '../../src/client/auth/logging.js';
import { createFetchWithInit } from '@modelcontextprotocol/core';
import { applyMiddlewares, createMiddleware, withOAuth } from '../../src/client/auth/middleware.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';
import type { Harness } from './stepUpHarness.js';
import { MemoryProvider, post, startHarness } from './stepUpHarness.js';

let server: LoopbackServer;
beforeEach(async () => {
    server = await startServer((request, response) =>
        send(response, request.path === '/missing' ? 404 : 200, { method: request.method }, { 'X-Answer': 'yes' })
    );
});
afterEach(async () => {
    await server.close();
    vi.restoreAllMocks();
});

describe('withLogging', () => {
    it('reports method, URL, status and duration of each request, and headers when asked', async () => {
        const entries: Parameters<RequestLogger>[0][] = [];
        const logged = withLogging({
            logger: entry => entries.push(entry),
            includeRequestHeaders: true,
            includeResponseHeaders: true
        })(fetch);
        const response = await logged(`${server.origin}/ok`, {
            method: 'post',
            headers: { 'X-Trace': 't1' },
            body: '{}'
        });
        expect(response.status).toBe(200);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({ method: 'POST', url: `${server.origin}/ok`, status: 200, statusText: 'OK' });
        expect(entries[0]!.duration).toBeGreaterThanOrEqual(0);
        expect(entries[0]!.requestHeaders?.get('x-trace')).toBe('t1');
        expect(entries[0]!.responseHeaders?.get('x-answer')).toBe('yes');
    });

    it('logs only statuses from statusLevel on, but always a failed request, which it rethrows', async () => {
        const entries: Parameters<RequestLogger>[0][] = [];
        const logged = withLogging({ logger: entry => entries.push(entry), statusLevel: 400 })(fetch);
        await logged(`${server.origin}/ok`);
        await logged(`${server.origin}/missing`);
        await expect(logged('http://127.0.0.1:1/unreachable')).rejects.toThrow();
        expect(entries.map(entry => [entry.status, entry.statusText])).toEqual([
            [404, 'Not Found'],
            [0, 'Network Error']
        ]);
        expect(entries[0]).not.toHaveProperty('requestHeaders');
        expect(entries[1]!.error).toBeInstanceOf(Error);
    });

    it('writes to console.log below 400 and console.error from 400 by default', async () => {
        const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
        const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
        const logged = withLogging()(fetch);
        await logged(`${server.origin}/ok`);
        await logged(`${server.origin}/missing`);
        expect(log).toHaveBeenCalledTimes(1);
        expect(String(log.mock.calls[0]![0])).toMatch(new RegExp(`^HTTP GET ${server.origin}/ok 200 OK \\(`));
        expect(error).toHaveBeenCalledTimes(1);
        expect(String(error.mock.calls[0]![0])).toContain('404 Not Found');
    });
});

describe('createMiddleware', () => {
    it('hands the handler the next fetch, the URL and the init', async () => {
        const withHeader = createMiddleware(async (next, input, init) => {
            const headers = new Headers(init?.headers);
            headers.set('X-Api-Version', '2');
            return next(input, { ...init, headers });
        });
        await withHeader(fetch)(`${server.origin}/a`, { method: 'PUT', body: 'x' });
        expect(server.requests[0]).toMatchObject({ method: 'PUT', path: '/a', body: 'x' });
        expect(server.requests[0]?.headers['x-api-version']).toBe('2');
    });

    it('turns a Request into its URL and an init with its method, headers and body', async () => {
        const seen: Array<string | URL> = [];
        const middleware = createMiddleware(async (next, input, init) => {
            seen.push(input);
            return next(input, init);
        });
        const request = new Request(`${server.origin}/from-request`, {
            method: 'POST',
            headers: { 'X-Kind': 'request' },
            body: 'payload'
        });
        await applyMiddlewares(middleware)(fetch)(request);
        expect(seen).toEqual([`${server.origin}/from-request`]);
        expect(server.requests[0]).toMatchObject({ method: 'POST', body: 'payload' });
        expect(server.requests[0]?.headers['x-kind']).toBe('request');
    });
});

describe('createFetchWithInit', () => {
    it('sends the base options under each request, the request headers adding to and replacing base headers', async () => {
        const based = createFetchWithInit(fetch, { method: 'POST', headers: { 'X-Base': 'b', 'X-Both': 'base' } });
        await based(`${server.origin}/one`, { headers: { 'X-Both': 'call', 'X-Call': 'c' }, body: 'x' });
        await based(`${server.origin}/two`, { method: 'PUT', body: 'y' });
        expect(server.requests[0]?.method).toBe('POST');
        expect(server.requests[0]?.headers).toMatchObject({ 'x-base': 'b', 'x-both': 'call', 'x-call': 'c' });
        expect(server.requests[1]?.method).toBe('PUT');
        expect(server.requests[1]?.headers).toMatchObject({ 'x-base': 'b', 'x-both': 'base' });
    });

    it('is the base fetch itself without base options', () => {
        const base = (url: string | URL, init?: RequestInit) => fetch(url, init);
        expect(createFetchWithInit(base)).toBe(base);
    });
});

describe('withOAuth without a server URL', () => {
    let harness: Harness;
    afterEach(async () => {
        await harness.close();
    });

    it("authorizes each request for its own origin's authorization server", async () => {
        harness = await startHarness();
        const authed = withOAuth(new MemoryProvider())(fetch);
        expect((await authed(harness.mcpUrl, post('init'))).status).toBe(200);
        expect(harness.authorizations).toEqual(['init']);
        const sent = harness.rs.requests.filter(request => request.path === '/mcp');
        expect(sent.at(-1)?.headers.authorization).toMatch(/^Bearer at-/);
    });
});
