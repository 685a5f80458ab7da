/**
 * issue-12: sessions that any instance can serve. Three instances (real `node:http` servers, each with its own
 * session route) share an `InMemorySessionDirectory`; a client's consecutive requests go to the instances in turn, so
 * most of them reach an instance that does not own the session and are forwarded to the owner, whose responses (SSE
 * streams included) come back unchanged.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/client';
import { FORWARDED_BY_HEADER, InMemorySessionDirectory } from '@modelcontextprotocol/server';
import type { FetchLike, SessionDirectory } from '@modelcontextprotocol/server';
import { createNodeMcpRoute } from '../src/index.js';
import { rawInitialize, roundRobin, startInstance } from './cluster.js';
import type { Instance } from './cluster.js';

let instances: Instance[] = [];
const clients: Client[] = [];

afterEach(async () => {
    await Promise.all(clients.splice(0).map(client => client.close().catch(() => {})));
    await Promise.all(instances.splice(0).map(instance => instance.close()));
});

async function cluster(directory = new InMemorySessionDirectory(), edgeAuth: boolean[] = [true, true, true]) {
    instances = await Promise.all(
        ['a', 'b', 'c'].map((name, i) => startInstance(name, directory, { edgeAuth: edgeAuth[i] }))
    );
    return { directory, a: instances[0]!, b: instances[1]!, c: instances[2]! };
}

/** A client whose requests go round the instances (the `initialize` to the first), with token `alice`. */
async function connect(
    targets: () => readonly Instance[],
    options: ConstructorParameters<typeof Client>[1] = {},
    refuseGet = false
) {
    const fetch = roundRobin(targets, { refuseGet });
    const client = new Client({ name: 'c', version: '1' }, options);
    clients.push(client);
    const transport = new StreamableHTTPClientTransport(new URL('http://balancer.invalid/mcp'), {
        fetch,
        requestInit: { headers: { authorization: 'Bearer alice' } }
    });
    await client.connect(transport);
    return { client, fetch, sessionId: transport.sessionId! };
}

/** Headers of a raw request for `sessionId`. */
function sessionHeaders(
    sessionId: string,
    token = 'alice',
    extra: Record<string, string> = {}
): Record<string, string> {
    return {
        authorization: `Bearer ${token}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        ...extra
    };
}

const whoami = (id: number) =>
    JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'whoami', arguments: {} } });

/** Reads an SSE body until `predicate` holds for the text read so far. */
async function readUntil(body: ReadableStream<Uint8Array>, predicate: (text: string) => boolean): Promise<string> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!predicate(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
    }
    reader.releaseLock();
    return text;
}

describe('issue-12: sessions served by any instance', () => {
    it('runs tool calls with progress through every instance; the owner runs them and its SSE comes back', async () => {
        const { a, b, c } = await cluster();
        const { client, fetch } = await connect(() => instances);
        for (let round = 0; round < 3; round++) {
            const seen: number[] = [];
            const result = await client.callTool(
                { name: 'count', arguments: { n: 5 } },
                { onprogress: progress => seen.push(progress.progress) }
            );
            expect(result.content).toEqual([{ type: 'text', text: 'a counted 5' }]);
            expect(seen).toEqual([1, 2, 3, 4, 5]);
        }
        const who = await client.callTool({ name: 'whoami', arguments: {} });
        expect(who.content).toEqual([{ type: 'text', text: 'a:alice' }]);
        expect(new Set(fetch.sent)).toEqual(new Set(['a', 'b', 'c']));
        expect(a.toolRuns).toBe(4);
        expect(b.toolRuns + c.toolRuns).toBe(0);
        expect(b.servers.length + c.servers.length).toBe(0);
        // What reached the owner through the others carried the client's headers and the forwarding mark.
        const forwarded = a.received.filter(request => request.headers[FORWARDED_BY_HEADER] !== undefined);
        expect(forwarded.length).toBeGreaterThan(0);
        for (const request of forwarded) {
            expect(['b', 'c']).toContain(request.headers[FORWARDED_BY_HEADER]);
            expect(request.headers.authorization).toBe('Bearer alice');
            expect(request.headers['mcp-session-id']).toBe(client.transport!.sessionId);
        }
        expect(b.received.every(request => request.headers[FORWARDED_BY_HEADER] === undefined)).toBe(true);
    });

    it('serves a server-to-client request (elicitation) through the others: the answer reaches the asking owner', async () => {
        const { a, b, c } = await cluster();
        const { client, fetch } = await connect(() => instances, { capabilities: { elicitation: {} } });
        client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
        for (let round = 0; round < 3; round++) {
            const result = await client.callTool({ name: 'ask', arguments: {} });
            expect(result.content).toEqual([{ type: 'text', text: 'a heard Ada' }]);
        }
        expect(a.toolRuns).toBe(3);
        expect(b.toolRuns + c.toolRuns).toBe(0);
        // The client's answers went out as POSTs to whichever instance was next, b and c among them.
        expect(new Set(fetch.sent)).toEqual(new Set(['a', 'b', 'c']));
        const answers = a.received.filter(
            request => request.method === 'POST' && request.headers[FORWARDED_BY_HEADER] !== undefined
        );
        expect(answers.length).toBeGreaterThan(0);
    });

    it('answers 503 with Retry-After while the directory is down, and tells ondirectoryerror of every failure', async () => {
        const healthy = new InMemorySessionDirectory({ ttlMs: 3000, heartbeatIntervalMs: 50 });
        let down = false;
        const fail = (): never => {
            throw new Error('directory down');
        };
        const directory: SessionDirectory = {
            heartbeatIntervalMs: healthy.heartbeatIntervalMs,
            heartbeat: async owner => (down ? fail() : healthy.heartbeat(owner)),
            claim: async (id, owner) => (down ? fail() : healthy.claim(id, owner)),
            lookup: async id => (down ? fail() : healthy.lookup(id)),
            release: async id => (down ? fail() : healthy.release(id))
        };
        const reported: string[] = [];
        const ondirectoryerror = (error: Error, operation: string) => reported.push(`${operation}: ${error.message}`);
        instances = await Promise.all(['a', 'b'].map(name => startInstance(name, directory, { ondirectoryerror })));
        const [a, b] = instances as [Instance, Instance];
        const sessionId = await rawInitialize(a);
        down = true;
        const refused = await fetch(b.url, {
            method: 'POST',
            headers: sessionHeaders(sessionId),
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })
        });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('1');
        await refused.text();
        // A new session cannot be claimed: its initialize fails, and nothing is served under an unclaimed id.
        const failed = await fetch(b.url, {
            method: 'POST',
            headers: {
                authorization: 'Bearer alice',
                accept: 'application/json, text/event-stream',
                'content-type': 'application/json'
            },
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 0,
                method: 'initialize',
                params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
            })
        }).catch((error: unknown) => error);
        expect(failed).toBeInstanceOf(Response);
        expect((failed as Response).status).toBe(503);
        expect((failed as Response).headers.get('retry-after')).toBe('1');
        expect((failed as Response).headers.get('mcp-session-id')).toBeNull();
        await (failed as Response).text();
        await new Promise(resolve => setTimeout(resolve, 120));
        expect(reported).toContain('lookup: directory down');
        expect(reported).toContain('claim: directory down');
        expect(reported).toContain('heartbeat: directory down');
        down = false;
        const served = await fetch(b.url, {
            method: 'POST',
            headers: sessionHeaders(sessionId),
            body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })
        });
        expect(served.status).toBe(200);
        await served.text();
    });

    it.each([
        ['node:http proxying', undefined],
        ['forwardFetch', ((url, init) => fetch(url, init)) as FetchLike]
    ])(
        'answers 502, not 404, when the owner dies after accepting a call (%s): the call is never sent twice',
        async (_label, forwardFetch) => {
            const directory = new InMemorySessionDirectory();
            instances = await Promise.all(
                ['a', 'b'].map(name => startInstance(name, directory, { json: true, forwardFetch }))
            );
            const [a, b] = instances as [Instance, Instance];
            let targets: Instance[] = [a];
            const { client } = await connect(() => targets, { sessionRecovery: 'reinitialize' }, true);
            let recovered = 0;
            client.onsessionrecovered = () => recovered++;
            targets = [b];
            const call = client.callTool({ name: 'hang', arguments: {} }).catch((error: unknown) => error);
            const deadline = Date.now() + 5000;
            while (a.toolRuns === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
            expect(a.toolRuns).toBe(1);
            await a.crash();
            const failure = await call;
            expect(failure).toBeInstanceOf(StreamableHTTPError);
            expect((failure as StreamableHTTPError).status).toBe(502);
            await new Promise(resolve => setTimeout(resolve, 100));
            expect(a.toolRuns + b.toolRuns).toBe(1);
            expect(recovered).toBe(0);
            // The next call meets an owner that cannot be reached at all: 404, and the client recovers on b.
            const next = await client.callTool({ name: 'whoami', arguments: {} });
            expect(next.content).toEqual([{ type: 'text', text: 'b:alice' }]);
            expect(recovered).toBe(1);
        }
    );

    it('checks Host and Origin where the request arrives, before forwarding it (DNS-rebinding protection)', async () => {
        const directory = new InMemorySessionDirectory();
        const transportOptions = {
            enableDnsRebindingProtection: true,
            allowedHosts: ['127.0.0.1'],
            allowedOrigins: ['http://app.example']
        };
        instances = await Promise.all(['a', 'b'].map(name => startInstance(name, directory, { transportOptions })));
        const [a, b] = instances as [Instance, Instance];
        const sessionId = await rawInitialize(a);
        const post = (headers: Record<string, string>) =>
            new Promise<number>((resolve, reject) => {
                const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
                const req = httpRequest(b.url, {
                    method: 'POST',
                    headers: { ...sessionHeaders(sessionId), ...headers }
                });
                req.on('response', response => {
                    response.resume();
                    resolve(response.statusCode ?? 0);
                });
                req.on('error', reject);
                req.end(body);
            });
        const forwardedToA = () => a.received.filter(r => r.headers[FORWARDED_BY_HEADER] !== undefined).length;
        expect(await post({ host: 'evil.example' })).toBe(403);
        expect(await post({ origin: 'http://evil.example' })).toBe(403);
        expect(forwardedToA()).toBe(0);
        expect(await post({ origin: 'http://app.example' })).toBe(200);
        expect(forwardedToA()).toBe(1);
    });

    it("forwards through the forwardFetch it is given instead (progress, SSE, the owner's answer)", async () => {
        const directory = new InMemorySessionDirectory();
        const used: string[] = [];
        const forwardFetch: FetchLike = (url, init) => {
            used.push(`${init?.method ?? 'GET'} ${String(url)}`);
            return fetch(url, init);
        };
        instances = await Promise.all(['a', 'b', 'c'].map(name => startInstance(name, directory, { forwardFetch })));
        const { client } = await connect(() => instances);
        const seen: number[] = [];
        const result = await client.callTool(
            { name: 'count', arguments: { n: 3 } },
            { onprogress: progress => seen.push(progress.progress) }
        );
        expect(result.content).toEqual([{ type: 'text', text: 'a counted 3' }]);
        expect(seen).toEqual([1, 2, 3]);
        expect(used.length).toBeGreaterThan(0);
        expect(used.every(line => line.endsWith(instances[0]!.url.href))).toBe(true);
    });

    it('serves the standalone GET stream through a non-owner, and closes it at the owner when the client leaves', async () => {
        const { a, b, c } = await cluster();
        const sessionId = await rawInitialize(a);
        const controller = new AbortController();
        const get = await fetch(b.url, {
            headers: sessionHeaders(sessionId, 'alice', { accept: 'text/event-stream', 'last-event-id': 'none' }),
            signal: controller.signal
        });
        expect(get.status).toBe(200);
        expect(get.headers.get('content-type')).toContain('text/event-stream');
        expect(a.received.at(-1)?.headers['last-event-id']).toBe('none');
        await a.servers[0]!.sendToolListChanged();
        expect(await readUntil(get.body!, text => text.includes('notifications/tools/list_changed'))).toContain(
            'tools/list_changed'
        );
        // A second standalone stream is refused while the first is open (the owner's 409), through another instance.
        expect(
            (await fetch(c.url, { headers: sessionHeaders(sessionId, 'alice', { accept: 'text/event-stream' }) }))
                .status
        ).toBe(409);
        controller.abort();
        await expect
            .poll(async () => {
                const again = await fetch(c.url, {
                    headers: sessionHeaders(sessionId, 'alice', { accept: 'text/event-stream' })
                });
                await again.body?.cancel();
                return again.status;
            })
            .toBe(200);
    });

    it('ends the session with a DELETE through a non-owner; then every instance answers 404', async () => {
        const { directory, a, b, c } = await cluster();
        const sessionId = await rawInitialize(a);
        expect(await directory.lookup(sessionId)).toEqual({ instanceId: 'a', url: a.url.href });
        const deleted = await fetch(c.url, { method: 'DELETE', headers: sessionHeaders(sessionId) });
        expect(deleted.status).toBe(200);
        await expect.poll(() => directory.lookup(sessionId)).toBeUndefined();
        for (const instance of [a, b, c]) {
            const response = await fetch(instance.url, {
                method: 'POST',
                headers: sessionHeaders(sessionId),
                body: whoami(1)
            });
            expect(response.status).toBe(404);
        }
    });

    it('answers 404 from the others once the owner closed, and the client re-initializes on a live instance', async () => {
        const { directory, a, b, c } = await cluster();
        const live = [a, b, c];
        // No standalone GET here, so the 404 is met by the call itself (the next test keeps the GET).
        const { client, sessionId } = await connect(() => live, { sessionRecovery: 'reinitialize' }, true);
        await a.close();
        live.splice(0, 1);
        expect(await directory.lookup(sessionId)).toBeUndefined();
        const response = await fetch(b.url, { method: 'POST', headers: sessionHeaders(sessionId), body: whoami(1) });
        expect(response.status).toBe(404);
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(['b:alice', 'c:alice']).toContain((result.content as { text: string }[])[0]!.text);
        expect(client.transport!.sessionId).not.toBe(sessionId);
    });

    it("recovers as well with the client's standalone GET stream held, through a non-owner, at the owner", async () => {
        const { a, b, c } = await cluster();
        const live = [a, b, c];
        let recovered = 0;
        const { client, sessionId } = await connect(() => live, { sessionRecovery: 'reinitialize' });
        client.onsessionrecovered = () => recovered++;
        // The client's GET went to another instance and was forwarded to the owner, a.
        await expect.poll(() => a.received.some(r => r.method === 'GET' && r.headers[FORWARDED_BY_HEADER])).toBe(true);
        await a.close();
        live.splice(0, 1);
        await new Promise(resolve => setTimeout(resolve, 50));
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(['b:alice', 'c:alice']).toContain((result.content as { text: string }[])[0]!.text);
        expect(client.transport!.sessionId).not.toBe(sessionId);
        expect(recovered).toBe(1);
    });

    it('answers 404 when the owner cannot be reached (crashed, heartbeat not yet lapsed)', async () => {
        const { directory, a, b } = await cluster();
        const sessionId = await rawInitialize(a);
        await a.crash();
        expect(await directory.lookup(sessionId)).toBeDefined();
        const response = await fetch(b.url, { method: 'POST', headers: sessionHeaders(sessionId), body: whoami(1) });
        expect(response.status).toBe(404);
    });

    it('never forwards a request that was forwarded already (no loops)', async () => {
        const { a, b } = await cluster();
        const sessionId = await rawInitialize(a);
        const before = a.received.length;
        const response = await fetch(b.url, {
            method: 'POST',
            headers: sessionHeaders(sessionId, 'alice', { [FORWARDED_BY_HEADER]: 'c' }),
            body: whoami(1)
        });
        expect(response.status).toBe(404);
        expect(a.received.length).toBe(before);
    });

    it("leaves every check to the owner: another principal gets 404, a wrong token the owner's 401", async () => {
        // c authorizes nothing itself: what it forwards is checked by the owner only.
        const { a, b, c } = await cluster(undefined, [true, true, false]);
        const sessionId = await rawInitialize(a);
        const bob = await fetch(b.url, { method: 'POST', headers: sessionHeaders(sessionId, 'bob'), body: whoami(1) });
        expect(bob.status).toBe(404);
        expect(a.received.at(-1)?.headers.authorization).toBe('Bearer bob');
        const wrong = await fetch(c.url, {
            method: 'POST',
            headers: sessionHeaders(sessionId, 'mallory'),
            body: whoami(2)
        });
        expect(wrong.status).toBe(401);
        expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect(a.received.at(-1)?.headers[FORWARDED_BY_HEADER]).toBe('c');
        const right = await fetch(c.url, { method: 'POST', headers: sessionHeaders(sessionId), body: whoami(3) });
        expect(right.status).toBe(200);
        expect(await right.text()).toContain('a:alice');
        expect(a.toolRuns).toBe(1);
    });

    it('forwards a body a framework already decoded (re-serialized)', async () => {
        const directory = new InMemorySessionDirectory();
        instances = await Promise.all(['a', 'b'].map(name => startInstance(name, directory, { parseBody: true })));
        const [a, b] = instances as [Instance, Instance];
        const sessionId = await rawInitialize(a);
        const response = await fetch(b.url, { method: 'POST', headers: sessionHeaders(sessionId), body: whoami(7) });
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(text).toContain('a:alice');
        expect(text).toContain('"id":7');
        expect(a.received.at(-1)?.headers[FORWARDED_BY_HEADER]).toBe('b');
    });

    it('answers 404 for unknown and hostile session ids without asking the directory', async () => {
        const directory = new InMemorySessionDirectory();
        let lookups = 0;
        const lookup = directory.lookup.bind(directory);
        directory.lookup = async id => {
            lookups++;
            return lookup(id);
        };
        const { b } = await cluster(directory);
        for (const id of ['x'.repeat(257), 'sp ace', 'tab\tid', '\u00ff']) {
            const response = await fetch(b.url, { method: 'POST', headers: sessionHeaders(id), body: whoami(1) });
            expect(response.status).toBe(404);
        }
        expect(lookups).toBe(0);
        const unknown = await fetch(b.url, {
            method: 'POST',
            headers: sessionHeaders('no-such-session'),
            body: whoami(1)
        });
        expect(unknown.status).toBe(404);
        expect(lookups).toBe(1);
    });

    it('checks the options: both or neither of sessionDirectory and instance, an http(s) url', () => {
        const directory = new InMemorySessionDirectory();
        const createServer = () => {
            throw new Error('unused');
        };
        expect(() => createNodeMcpRoute({ createServer, sessionDirectory: directory })).toThrow(
            expect.objectContaining({ code: 'INVALID_OPTIONS' })
        );
        expect(() =>
            createNodeMcpRoute({ createServer, instance: { instanceId: 'a', url: 'http://127.0.0.1/mcp' } })
        ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
        for (const instance of [
            { instanceId: 'a', url: 'ftp://host/mcp' },
            { instanceId: '', url: 'http://127.0.0.1/mcp' },
            { instanceId: 'a b', url: 'http://127.0.0.1/mcp' }
        ]) {
            expect(() => createNodeMcpRoute({ createServer, sessionDirectory: directory, instance })).toThrow(
                expect.objectContaining({ code: 'INVALID_OPTIONS' })
            );
        }
    });
});

describe('InMemorySessionDirectory', () => {
    it('looks owners up only while their heartbeat is fresh', async () => {
        let now = 1000;
        const directory = new InMemorySessionDirectory({ ttlMs: 300, now: () => now });
        expect(directory.heartbeatIntervalMs).toBe(100);
        const owner = { instanceId: 'a', url: 'http://127.0.0.1:1/mcp' };
        await directory.claim('s1', owner);
        expect(await directory.lookup('s1')).toEqual(owner);
        now += 299;
        expect(await directory.lookup('s1')).toEqual(owner);
        now += 1;
        expect(await directory.lookup('s1')).toBeUndefined();
        await directory.heartbeat(owner);
        expect(await directory.lookup('s1')).toEqual(owner);
        await directory.release('s1');
        expect(await directory.lookup('s1')).toBeUndefined();
        await expect(directory.claim('bad id', owner)).rejects.toMatchObject({ code: 'INVALID_SESSION_ID' });
        expect(() => new InMemorySessionDirectory({ ttlMs: 100, heartbeatIntervalMs: 100 })).toThrow(
            expect.objectContaining({ code: 'INVALID_OPTIONS' })
        );
    });

    it('never lets one owner take over or remove the entry of another', async () => {
        const directory = new InMemorySessionDirectory();
        const a = { instanceId: 'a', url: 'http://127.0.0.1:1/mcp' };
        const b = { instanceId: 'b', url: 'http://127.0.0.1:2/mcp' };
        await directory.claim('s1', a);
        await expect(directory.claim('s1', b)).rejects.toMatchObject({ code: 'SESSION_ID_IN_USE' });
        await directory.release('s1', b);
        expect(await directory.lookup('s1')).toEqual(a);
        await directory.release('s1', a);
        expect(await directory.lookup('s1')).toBeUndefined();
    });

    it('lets claims lapse after sessionTtlMs, the owner staying live', async () => {
        let now = 1000;
        const directory = new InMemorySessionDirectory({ ttlMs: 10_000, sessionTtlMs: 500, now: () => now });
        const owner = { instanceId: 'a', url: 'http://127.0.0.1:1/mcp' };
        await directory.claim('s1', owner);
        now += 499;
        expect(await directory.lookup('s1')).toEqual(owner);
        now += 1;
        expect(await directory.lookup('s1')).toBeUndefined();
        expect(() => new InMemorySessionDirectory({ sessionTtlMs: 0 })).toThrow(
            expect.objectContaining({ code: 'INVALID_OPTIONS' })
        );
    });
});

describe('a session in use stays found when claims expire', () => {
    it('the owner claims it again as it serves it; idle, its entry lapses until its next use', async () => {
        const directory = new InMemorySessionDirectory({ sessionTtlMs: 400 });
        const { a } = await cluster(directory);
        const { client, sessionId } = await connect(() => [a]);
        // Used every 100 ms for 1.2 s, three times the claim's life: each use past half of it claims it again.
        const until = Date.now() + 1200;
        while (Date.now() < until) {
            await client.callTool({ name: 'whoami', arguments: {} });
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        expect((await directory.lookup(sessionId))?.instanceId).toBe('a');
        // Idle for longer than the claim's life: the entry lapses (the owner itself still serves it directly).
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(await directory.lookup(sessionId)).toBeUndefined();
        expect((await client.callTool({ name: 'whoami', arguments: {} })).content).toEqual([
            { type: 'text', text: 'a:alice' }
        ]);
        expect((await directory.lookup(sessionId))?.instanceId).toBe('a');
    });
});
