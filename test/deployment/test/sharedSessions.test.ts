/**
 * Issue 12 acceptance: stateful 2025-11-25 sessions that any instance serves. 3 instances behind plain round-robin
 * nginx (no stickiness), sessions claimed in a `RedisSessionDirectory` and their streams' events in a
 * `RedisEventStore` on a real Redis; a request reaching an instance that does not own its session is forwarded to
 * the owner. 200 sessions × 20 `tools/call`s with progress, 48 calls in flight; one instance is SIGKILLed when a
 * third of the calls are done:
 *
 * - before the kill, every call is answered once, correctly, whichever instance the balancer picked;
 * - sessions the dead instance did not own keep their session: their streams that ran through it resume through
 *   another instance (`Last-Event-ID`, replayed by the owner from Redis) with every event delivered once; a call
 *   fails only when the instance died before its response had begun (nginx answers 502), and no call started after
 *   the kill fails;
 * - sessions it owned re-initialize by themselves (`sessionRecovery: 'reinitialize'`), once, and continue on a
 *   survivor; only calls in flight at the kill fail, and none is run twice;
 * - no tool ran more often than it was answered, plus the failed calls; the survivors' heaps stay bounded, and
 *   ending the sessions (`DELETE`, forwarded to the owner) leaves none open.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionExpiredError, StreamInterruptedError, StreamableHTTPError } from '@modelcontextprotocol/client';
import type { FetchLike, SessionRecoveredEvent } from '@modelcontextprotocol/client';
import { startNginx } from '../src/nginx.js';
import type { Nginx } from '../src/nginx.js';
import { startInstances, within } from '../src/processes.js';
import type { Instance } from '../src/processes.js';
import { startRedis } from '../src/redis.js';
import type { Redis } from '../src/redis.js';
import { INSTANCE_HEADER, PATHS, RUNS_KEY_PREFIX } from '../src/tools.js';
import type { InstanceStats } from '../src/tools.js';
import { call, connect, notAnsweredOnce, wrongAnswers } from '../src/workload.js';
import type { CallOutcome, CallSpec, Connection } from '../src/workload.js';

const SESSIONS = 200;
/** Probe sessions (owned by the survivors, every request sent through the victim while it lives), one long call each. */
const PROBES = 4;
const PROBE_CALL: Omit<CallSpec, 'x'> = { steps: 40, delayMs: 100 };
const CALLS_PER_SESSION = 20;
const IN_FLIGHT = 48;
const KILL_AFTER = Math.floor((SESSIONS * CALLS_PER_SESSION) / 3);
const CALL_TIMEOUT_MS = 30_000;

/** One session's client and what the test saw of it. */
interface Session {
    readonly index: number;
    connection: Connection;
    /** The instance that answered each `initialize` (the owner of each session it had), in order. */
    readonly owners: string[];
    readonly recovered: SessionRecoveredEvent[];
    readonly errors: Error[];
    /** Event ids seen on its calls' response streams. */
    readonly callEventIds: Set<string>;
    /** Resumptions (`Last-Event-ID`) it sent that were answered 200: of a call's stream, of the standalone one. */
    callStreamsResumed: number;
    standaloneResumed: number;
    readonly outcomes: TimedOutcome[];
}

interface TimedOutcome {
    readonly outcome: CallOutcome;
    readonly startedAt: number;
    readonly endedAt: number;
}

/** A `fetch` that records which instance answered each `initialize` and the session's resumptions. */
function observingFetch(session: Session, send: FetchLike = (url, init) => fetch(url, init)): FetchLike {
    return async (url, init) => {
        const response = await send(url, init);
        const headers = new Headers(init?.headers);
        const lastEventId = headers.get('last-event-id');
        if (lastEventId !== null && response.ok) {
            if (session.callEventIds.has(lastEventId)) session.callStreamsResumed++;
            else session.standaloneResumed++;
        }
        if (!headers.has('mcp-session-id') && response.headers.has('mcp-session-id')) {
            session.owners.push(response.headers.get(INSTANCE_HEADER) ?? '?');
        }
        return response;
    };
}

async function stats(instance: Instance): Promise<InstanceStats> {
    const response = await fetch(new URL(`${PATHS.stats}?gc`, instance.url('/')), {
        signal: AbortSignal.timeout(10_000)
    });
    return (await response.json()) as InstanceStats;
}

function newSession(index: number): Session {
    return {
        index,
        connection: undefined as unknown as Connection,
        owners: [],
        recovered: [],
        errors: [],
        callEventIds: new Set(),
        callStreamsResumed: 0,
        standaloneResumed: 0,
        outcomes: []
    };
}

const RECONNECTION = { initialReconnectionDelay: 50, maxReconnectionDelay: 500, maxRetries: 5 };

/** Runs `count` tasks with at most `limit` at once. */
async function pool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < count) await task(next++);
    };
    await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

const MiB = 1024 * 1024;

describe('stateful sessions shared through Redis, any instance serving any session', () => {
    let redis: Redis | undefined;
    let instances: Instance[] = [];
    let nginx: Nginx | undefined;
    const sessions: Session[] = [];
    const probes: Session[] = [];
    /** When the SIGKILL was sent, and when the victim's exit was seen: the window a call may fail in. */
    let killedAt = Number.POSITIVE_INFINITY;
    let deadAt = Number.POSITIVE_INFINITY;
    let heapBefore: Record<string, number> = {};
    const victim = () => instances[1]!;
    const survivors = () => instances.filter(instance => instance !== victim());

    beforeAll(async () => {
        redis = await startRedis();
        instances = await startInstances(3, { redisUrl: redis.url });
        nginx = await startNginx(instances, ['round-robin']);
        const url = nginx.url('round-robin', PATHS.shared);
        await pool(SESSIONS, 16, async index => {
            const session = newSession(index);
            session.connection = await connect(url, '2025-11-25', {
                client: { sessionRecovery: 'reinitialize' },
                transport: { fetch: observingFetch(session), reconnectionOptions: RECONNECTION }
            });
            session.connection.client.onsessionrecovered = event => void session.recovered.push(event);
            session.connection.client.onerror = error => void session.errors.push(error);
            sessions[index] = session;
        });
        // Probes: a balancer of their own (the client's `fetch`) sends `initialize` to an owner among the survivors
        // and everything else to the victim, or, once it is killed, to the other survivor.
        for (let index = 0; index < PROBES; index++) {
            const owner = survivors()[index % 2]!;
            const other = survivors()[(index + 1) % 2]!;
            const session = newSession(SESSIONS + index);
            const route: FetchLike = (url, init) => {
                const target = !new Headers(init?.headers).has('mcp-session-id')
                    ? owner
                    : killedAt === Number.POSITIVE_INFINITY
                      ? victim()
                      : other;
                return fetch(target.url(PATHS.shared), init);
            };
            session.connection = await connect(victim().url(PATHS.shared), '2025-11-25', {
                client: { sessionRecovery: 'reinitialize' },
                transport: { fetch: observingFetch(session, route), reconnectionOptions: RECONNECTION }
            });
            probes.push(session);
        }
        heapBefore = Object.fromEntries(
            await Promise.all(instances.map(async instance => [instance.id, (await stats(instance)).heapUsed]))
        );
    }, 120_000);

    afterAll(async () => {
        await Promise.all([...sessions, ...probes].map(session => session?.connection.close().catch(() => {})));
        await Promise.all([nginx?.stop(), ...instances.map(instance => instance.stop()), redis?.stop()]);
    }, 30_000);

    it('every session is owned by one of the 3 instances, all of them used', () => {
        expect(sessions.filter(Boolean)).toHaveLength(SESSIONS);
        expect(new Set(sessions.map(session => ownerAtStart(session))).size).toBe(3);
    });

    it(`runs ${SESSIONS} sessions × ${CALLS_PER_SESSION} calls with progress; an instance killed a third of the way`, async () => {
        let settled = 0;
        let probing: Promise<void> | undefined;
        let probesStreaming = 0;
        const kill = () => {
            if (killedAt !== Number.POSITIVE_INFINITY || settled < KILL_AFTER || probesStreaming < PROBES) return;
            killedAt = performance.now();
            victim().process.kill('SIGKILL');
            void victim().exited.then(() => (deadAt = performance.now()));
        };
        const probe = async (session: Session) => {
            const spec: CallSpec = { x: 900_000 + session.index, ...PROBE_CALL };
            const startedAt = performance.now();
            let streaming = false;
            const outcome = await call(session.connection.client, spec, CALL_TIMEOUT_MS, id => {
                session.callEventIds.add(id);
                // The first progress notification: the call's stream runs through the victim.
                if (!streaming && session.callEventIds.size >= 2) {
                    streaming = true;
                    probesStreaming++;
                    kill();
                }
            });
            session.outcomes.push({ outcome, startedAt, endedAt: performance.now() });
        };
        await pool(SESSIONS, IN_FLIGHT, async index => {
            const session = sessions[index]!;
            for (let i = 0; i < CALLS_PER_SESSION; i++) {
                const spec: CallSpec = { x: index * 1000 + i, steps: 2, delayMs: 10 };
                const startedAt = performance.now();
                const outcome = await call(session.connection.client, spec, CALL_TIMEOUT_MS, id =>
                    session.callEventIds.add(id)
                );
                session.outcomes.push({ outcome, startedAt, endedAt: performance.now() });
                if (++settled === Math.floor(KILL_AFTER * 0.8)) probing = Promise.all(probes.map(probe)).then(() => {});
                kill();
            }
        });
        await probing;
        await within(5000, victim().exited, 'the victim did not die');
        expect(killedAt).toBeLessThan(Number.POSITIVE_INFINITY);

        // The probes' calls were streaming through the victim when it died: each resumed through a survivor and
        // completed, every progress notification once and in order, on the session it started on.
        const probed = probes.flatMap(session => session.outcomes.map(timed => timed.outcome));
        expect(probed.map(outcome => (outcome.ok ? 'ok' : String(outcome.error)))).toEqual(probes.map(() => 'ok'));
        expect(wrongAnswers(probed)).toEqual([]);
        for (const session of probes) {
            expect(notAnsweredOnce(session.connection.responses)).toEqual([]);
            expect(session.callStreamsResumed).toBeGreaterThanOrEqual(1);
            expect(session.recovered).toEqual([]);
            const outcome = session.outcomes[0]!.outcome;
            if (outcome.ok) expect(outcome.answer.instance).toBe(ownerAtStart(session));
        }

        const all = sessions.flatMap(session => session.outcomes.map(timed => timed.outcome));
        expect(all).toHaveLength(SESSIONS * CALLS_PER_SESSION);
        // Every successful call: the right value, progress 1, 2 in order, each response delivered once.
        expect(wrongAnswers(all)).toEqual([]);
        for (const session of sessions) expect(notAnsweredOnce(session.connection.responses)).toEqual([]);

        // A call started before the victim was seen dead may still have reached it.
        const inFlightAtKill = (timed: TimedOutcome) => timed.startedAt < deadAt && timed.endedAt >= killedAt;
        const explain = (session: Session, timed: TimedOutcome) =>
            `session ${session.index}, started ${(timed.startedAt - killedAt).toFixed(1)} ms after the kill ` +
            `(dead after ${(deadAt - killedAt).toFixed(1)} ms): ${String(errorOf(timed))}`;
        const failures = (session: Session) => session.outcomes.filter(timed => !timed.outcome.ok);
        const summary: Record<string, number> = {
            failedOthers: 0,
            failedOwned: 0,
            callStreamsResumed: 0,
            standaloneResumed: 0,
            recovered: 0
        };

        // Before the kill nothing failed; after it, only calls that were in flight may have.
        for (const session of sessions) {
            for (const timed of failures(session)) {
                expect(inFlightAtKill(timed), explain(session, timed)).toBe(true);
            }
        }

        for (const session of sessions) {
            summary.callStreamsResumed! += session.callStreamsResumed;
            summary.standaloneResumed! += session.standaloneResumed;
            if (ownerAtStart(session) !== victim().id) {
                // Unaffected: the same session throughout; a failure only where the instance died before the
                // call's response began (502) or before its stream carried an event id.
                expect(session.recovered).toEqual([]);
                expect(session.owners).toHaveLength(1);
                for (const timed of failures(session)) {
                    const error = errorOf(timed);
                    const explained =
                        (error instanceof StreamableHTTPError && error.status === 502) ||
                        error instanceof StreamInterruptedError;
                    expect(explained, `session ${session.index}: ${String(error)}`).toBe(true);
                    summary.failedOthers!++;
                }
                continue;
            }
            // Owned by the victim: calls after the kill ran on a new session on a survivor.
            const after = session.outcomes.filter(timed => timed.startedAt >= deadAt);
            for (const timed of after) {
                expect(timed.outcome.ok, `session ${session.index}: ${String(errorOf(timed))}`).toBe(true);
                if (timed.outcome.ok) expect(timed.outcome.answer.instance).not.toBe(victim().id);
            }
            // At most one recovery, and exactly one when the session was used after the victim died.
            expect(session.recovered.length, `session ${session.index}`).toBe(
                after.length > 0 ? 1 : session.recovered.length
            );
            expect(session.recovered.length, `session ${session.index}`).toBeLessThanOrEqual(1);
            expect(session.owners).toHaveLength(1 + session.recovered.length);
            if (session.recovered.length === 1) {
                summary.recovered!++;
                expect(session.owners[1]).not.toBe(victim().id);
            }
            for (const timed of failures(session)) {
                const error = errorOf(timed);
                // A dispatched call is never sent again: its failure says so, or the stream ended unresumable.
                if (error instanceof SessionExpiredError) expect(error.afterDispatch).toBe(true);
                summary.failedOwned!++;
            }
        }
        // Standalone streams that ran through the victim broke and resumed through another instance; so did call
        // streams (counted, not required here: the probes above show it deterministically).
        expect(summary.standaloneResumed).toBeGreaterThan(0);
        // The instance died with calls in flight on both kinds of sessions; few of them failed.
        expect(summary.failedOthers! + summary.failedOwned!).toBeLessThanOrEqual(IN_FLIGHT);
        expect(summary.recovered).toBeGreaterThan(0);

        // No tool ran twice: each survivor ran what it answered, plus at most the calls that failed.
        const answered: Record<string, number> = {};
        for (const outcome of all) {
            if (outcome.ok) answered[outcome.answer.instance] = (answered[outcome.answer.instance] ?? 0) + 1;
        }
        const failed = summary.failedOthers! + summary.failedOwned!;
        for (const instance of survivors()) {
            const { served } = await stats(instance);
            expect(served).toBeGreaterThanOrEqual(answered[instance.id] ?? 0);
            expect(served - (answered[instance.id] ?? 0)).toBeLessThanOrEqual(failed);
        }
        // Every tool run, the victim's included, was counted in Redis by its input: none ran twice, and every
        // answered call ran.
        const counter = createClient({ url: redis!.url });
        counter.on('error', () => {});
        await counter.connect();
        try {
            const keys = await counter.keys(`${RUNS_KEY_PREFIX}*`);
            const counts = keys.length === 0 ? [] : await counter.mGet(keys);
            const twice = keys.flatMap((key, i) => (counts[i] === '1' ? [] : [`${key}=${String(counts[i])}`]));
            expect(twice).toEqual([]);
            const ran = new Set(keys.map(key => Number(key.slice(RUNS_KEY_PREFIX.length))));
            const answeredButNotRun = [...all, ...probed].filter(outcome => outcome.ok && !ran.has(outcome.spec.x));
            expect(answeredButNotRun.map(outcome => outcome.spec.x)).toEqual([]);
        } finally {
            await counter.close();
        }
        console.info(
            `shared sessions: ${all.filter(outcome => outcome.ok).length}/${all.length} calls answered; ` +
                `failed in flight at the kill: ${summary.failedOthers} on other instances' sessions, ` +
                `${summary.failedOwned} on the victim's; ${summary.recovered} sessions recovered; ` +
                `resumed: ${summary.callStreamsResumed} call streams, ${summary.standaloneResumed} standalone streams; ` +
                `answered by instance ${JSON.stringify(answered)}`
        );
    }, 180_000);

    it("ending every session (DELETE, forwarded to its owner) leaves none open; the survivors' heaps stay bounded", async () => {
        const all = [...sessions, ...probes];
        await pool(all.length, 16, async index => {
            await all[index]!.connection.transport.terminateSession();
        });
        for (const instance of survivors()) {
            const after = await stats(instance);
            expect(after.sessions).toBe(0);
            const grown = after.heapUsed - heapBefore[instance.id]!;
            console.info(
                `${instance.id}: heap ${(after.heapUsed / MiB).toFixed(1)} MiB (${(grown / MiB).toFixed(1)} MiB since connect)`
            );
            expect(grown).toBeLessThan(32 * MiB);
        }
    }, 60_000);
});

function ownerAtStart(session: Session): string {
    return session.owners[0]!;
}

function errorOf(timed: TimedOutcome): unknown {
    return timed.outcome.ok ? undefined : timed.outcome.error;
}
