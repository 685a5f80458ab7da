/**
 * Issue 12: what a STATEFUL 2025-11-25 session needs behind a balancer when the instances share nothing. A session
 * lives in the memory of the instance that answered its `initialize`; the others answer `404 Session not found`.
 * Through plain round-robin our client fails fast with `SessionExpiredError` (no hang); hashing on
 * `Mcp-Session-Id` does not help (the `initialize` that creates the session carries no id, so the hash sends the
 * session's later requests to an instance unrelated to its owner); routing by the instance the session id names
 * keeps every session whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, SessionExpiredError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startNginx } from '../src/nginx.js';
import type { Nginx } from '../src/nginx.js';
import { startInstances } from '../src/processes.js';
import type { Instance } from '../src/processes.js';
import { INITIALIZED, TOOLS_LIST, openSession, postMessage } from '../src/rawMcp.js';
import { PATHS, TOOL } from '../src/tools.js';
import { connect, notAnsweredOnce, runCalls, workload, wrongAnswers } from '../src/workload.js';
import type { Connection } from '../src/workload.js';

describe('stateful 2025-11-25 sessions behind nginx, nothing shared between instances', () => {
    let instances: Instance[] = [];
    let nginx: Nginx | undefined;

    beforeAll(async () => {
        instances = await startInstances(3);
        nginx = await startNginx(instances, ['round-robin', 'session-hash', 'session-owner']);
    }, 30_000);

    afterAll(async () => {
        await Promise.all([nginx?.stop(), ...instances.map(instance => instance.stop())]);
    }, 15_000);

    it('a session lives on the instance that created it: the other instances answer 404 Session not found', async () => {
        const { owner, sessionId } = await openSession(nginx!.url('round-robin', PATHS.stateful));
        expect(sessionId.startsWith(`${owner}.`)).toBe(true);
        const ownerInstance = instances.find(instance => instance.id === owner)!;
        expect((await postMessage(ownerInstance.url(PATHS.stateful), INITIALIZED, sessionId)).status).toBe(202);

        for (const instance of instances) {
            const answer = await postMessage(instance.url(PATHS.stateful), TOOLS_LIST, sessionId);
            if (instance.id === owner) {
                expect(answer.status).toBe(200);
            } else {
                expect(answer.status).toBe(404);
                expect(JSON.parse(answer.body)).toMatchObject({ error: { message: 'Session not found' }, id: null });
            }
        }
    });

    it('our client through plain round-robin fails fast with SessionExpiredError instead of hanging', async () => {
        const started = performance.now();
        const client = new Client({ name: 'deployment-test', version: '1.0.0' });
        const transport = new StreamableHTTPClientTransport(nginx!.url('round-robin', PATHS.stateful));
        let failure: unknown;
        try {
            // The `initialize` creates the session on one instance; the next request goes to the next instance.
            await client.connect(transport, { timeout: 10_000 });
            for (let x = 0; x < 3; x++) {
                await client.callTool({ name: TOOL.compute, arguments: { x } }, { timeout: 10_000 });
            }
        } catch (error) {
            failure = error;
        } finally {
            await client.close();
        }
        expect(failure).toBeInstanceOf(SessionExpiredError);
        const expired = failure as SessionExpiredError;
        expect(expired.code).toBe('SESSION_EXPIRED');
        expect(expired.status).toBe(404);
        expect(expired.sessionId).toMatch(/^i[1-3]\./);
        expect(transport.sessionId).toBeUndefined(); // forgotten: the application must connect again
        expect(performance.now() - started).toBeLessThan(5000); // an answer, not a timeout
    });

    it('hashing on Mcp-Session-Id does not keep a session on its instance', async () => {
        const url = nginx!.url('session-hash', PATHS.stateful);
        const sessions = [];
        for (let i = 0; i < 12; i++) {
            const { owner, sessionId } = await openSession(url);
            const next = await postMessage(url, INITIALIZED, sessionId);
            sessions.push({ owner, answeredBy: next.instance, status: next.status });
        }
        // The hash picks an instance from the id; only when it happens to be the owner does the session work.
        for (const session of sessions) expect(session.status).toBe(session.answeredBy === session.owner ? 202 : 404);
        expect(sessions.filter(session => session.status === 404).length).toBeGreaterThan(0);
    });

    it('routing by the instance the session id names keeps every session whole: 6 clients × 12 calls', async () => {
        const connections: Connection[] = [];
        try {
            for (let i = 0; i < 6; i++) {
                connections.push(await connect(nginx!.url('session-owner', PATHS.stateful), '2025-11-25'));
            }
            const owners = connections.map(connection => connection.transport.sessionId?.split('.')[0]);
            expect(new Set(owners)).toEqual(new Set(['i1', 'i2', 'i3'])); // `initialize` itself is round-robin

            const results = await Promise.all(
                connections.map((connection, i) => runCalls(connection.client, workload(12, 100 * i, 2), 4, 10_000))
            );
            results.forEach((outcomes, i) => {
                expect(outcomes.filter(outcome => !outcome.ok).map(outcome => String(outcome.error))).toEqual([]);
                expect(wrongAnswers(outcomes)).toEqual([]);
                const answeredBy = new Set(outcomes.map(outcome => (outcome.ok ? outcome.answer.instance : '')));
                expect([...answeredBy]).toEqual([owners[i]]);
                expect(notAnsweredOnce(connections[i]!.responses)).toEqual([]);
            });
        } finally {
            await Promise.all(connections.map(connection => connection.close()));
        }
    });
});
