/**
 * Issue 12: stateful 2025-11-25 sessions behind the session-owner front (each session routed to the instance named
 * in its id) when one instance is killed. nginx can no longer reach it and answers its sessions `404 Session not
 * found` (`error_page`), as the spec has a server do for a session it lost. Sessions of the other instances go on;
 * the dead instance's clients see `SessionExpiredError`, or — with `sessionRecovery: 'reinitialize'` — move to a
 * survivor by themselves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionExpiredError } from '@modelcontextprotocol/client';
import type { SessionRecoveredEvent } from '@modelcontextprotocol/client';
import { startNginx } from '../src/nginx.js';
import type { Nginx } from '../src/nginx.js';
import { startInstances, within } from '../src/processes.js';
import type { Instance } from '../src/processes.js';
import { PATHS, TOOL, readAnswer } from '../src/tools.js';
import { connect } from '../src/workload.js';
import type { ConnectOptions, Connection } from '../src/workload.js';

/** The clients, one session on each instance per kind. */
const KINDS = {
    /** Defaults: the session's end surfaces as `SessionExpiredError`. */
    plain: {},
    /** Recovers by itself; its standalone stream waits a minute before reconnecting, so a call meets the 404 first. */
    recovering: {
        client: { sessionRecovery: 'reinitialize' },
        transport: { reconnectionOptions: { initialReconnectionDelay: 60_000 } }
    },
    /** Recovers by itself; its standalone stream reconnects at once and meets the 404 before any call. */
    recoveringStreamFirst: {
        client: { sessionRecovery: 'reinitialize' },
        transport: { reconnectionOptions: { initialReconnectionDelay: 10 } }
    }
} satisfies Record<string, ConnectOptions>;

type Kind = keyof typeof KINDS;

interface Session {
    readonly kind: Kind;
    readonly owner: string;
    readonly connection: Connection;
    /** What the client reported (`onerror`). */
    readonly errors: Error[];
    /** `onsessionrecovered` events. */
    readonly recovered: SessionRecoveredEvent[];
}

describe('stateful sessions when the instance that owns them is killed (session-owner routing)', () => {
    let instances: Instance[] = [];
    let nginx: Nginx | undefined;
    const sessions: Session[] = [];
    const victim = () => instances[1]!;

    const call = (session: Session, x: number) =>
        session.connection.client.callTool({ name: TOOL.compute, arguments: { x } }, { timeout: 10_000 });
    const sessionsOf = (kind: Kind) => sessions.filter(session => session.kind === kind);
    const victimSession = (kind: Kind) => sessionsOf(kind).find(session => session.owner === victim().id)!;

    beforeAll(async () => {
        instances = await startInstances(3);
        nginx = await startNginx(instances, ['session-owner']);
        for (const kind of Object.keys(KINDS) as Kind[]) {
            // Three `initialize`s in a row: round-robin gives each instance one session of this kind.
            for (let i = 0; i < 3; i++) {
                const connection = await connect(nginx.url('session-owner', PATHS.stateful), '2025-11-25', KINDS[kind]);
                const session: Session = {
                    kind,
                    owner: connection.transport.sessionId!.split('.')[0]!,
                    connection,
                    errors: [],
                    recovered: []
                };
                connection.client.onerror = error => void session.errors.push(error);
                connection.client.onsessionrecovered = event => void session.recovered.push(event);
                sessions.push(session);
            }
        }
        victim().process.kill('SIGKILL');
        await within(5000, victim().exited, 'the victim did not die');
    }, 30_000);

    afterAll(async () => {
        await Promise.all(sessions.map(session => session.connection.close()));
        await Promise.all([nginx?.stop(), ...instances.map(instance => instance.stop())]);
    }, 15_000);

    it('every instance owned one session of each kind', () => {
        for (const kind of Object.keys(KINDS) as Kind[]) {
            expect(
                sessionsOf(kind)
                    .map(session => session.owner)
                    .sort()
            ).toEqual(['i1', 'i2', 'i3']);
        }
    });

    it('by default its sessions end with SessionExpiredError, fast; the other sessions go on', async () => {
        for (const session of sessionsOf('plain')) {
            if (session.owner !== victim().id) {
                expect(readAnswer(await call(session, 7)).instance).toBe(session.owner);
                continue;
            }
            const started = performance.now();
            const failure = await call(session, 7).then(
                () => new Error('a call on a dead session succeeded'),
                (error: unknown) => error
            );
            // The call meets the 404 itself, or the standalone stream's reconnection met it first (reported, and the
            // session id forgotten: the call then went out without one).
            const expired =
                failure instanceof SessionExpiredError
                    ? failure
                    : session.errors.find(error => error instanceof SessionExpiredError);
            expect(expired, String(failure)).toBeInstanceOf(SessionExpiredError);
            expect((expired as SessionExpiredError).sessionId.startsWith(`${victim().id}.`)).toBe(true);
            expect(session.connection.transport.sessionId).toBeUndefined();
            expect(performance.now() - started).toBeLessThan(5000);
        }
    });

    it("with sessionRecovery: 'reinitialize', its session moves to a survivor by itself, once", async () => {
        for (const session of sessionsOf('recovering')) {
            const first = readAnswer(await call(session, 11));
            const second = readAnswer(await call(session, 12));
            if (session.owner !== victim().id) {
                expect([first.instance, second.instance, session.recovered.length]).toEqual([
                    session.owner,
                    session.owner,
                    0
                ]);
                continue;
            }
            expect(first.instance).not.toBe(victim().id);
            expect(second.instance).toBe(first.instance);
            expect(session.recovered).toHaveLength(1);
            expect(session.recovered[0]!.expiredSessionId.startsWith(`${victim().id}.`)).toBe(true);
            expect(session.recovered[0]!.sessionId?.startsWith(`${first.instance}.`)).toBe(true);
            expect(session.connection.transport.sessionId).toBe(session.recovered[0]!.sessionId);
        }
    });

    it("with sessionRecovery: 'reinitialize', it recovers also when the standalone stream met the 404 first", async () => {
        const session = victimSession('recoveringStreamFirst');
        const deadline = Date.now() + 5000;
        while (!session.errors.some(error => error instanceof SessionExpiredError) && Date.now() < deadline) {
            await sleep(20);
        }
        expect(session.errors.find(error => error instanceof SessionExpiredError)).toBeInstanceOf(SessionExpiredError);
        expect(session.connection.transport.sessionId).toBeUndefined();
        const answer = readAnswer(await call(session, 21));
        expect(answer.instance).not.toBe(victim().id);
        expect(session.recovered).toHaveLength(1);
        expect(session.connection.transport.sessionId).toBe(session.recovered[0]!.sessionId);
    });
});
