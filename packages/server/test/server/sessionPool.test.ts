/**
 * `SessionPool`, the session bookkeeping every adapter's stateful route shares: LRU order, capacity reserved for a
 * session being opened (overall and per principal), idle expiry that spares sessions with a request in progress,
 * removal of only the session it was given, and `close()`. Time is faked, so expiry is exact.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { AuthInfo, SessionReservation } from '@modelcontextprotocol/server';
import {
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_SESSIONS_PER_PRINCIPAL,
    DEFAULT_SESSION_IDLE_TIMEOUT_MS,
    ServerTransportError,
    SessionPool,
    principalKey
} from '@modelcontextprotocol/server';
import { routeSessionRequest } from '@modelcontextprotocol/server/adapter';

/** A session that records whether it was closed. */
class FakeSession {
    closed = 0;
    constructor(readonly name: string) {}
    close(): Promise<void> {
        this.closed++;
        return Promise.resolve();
    }
}

function opened(pool: SessionPool<FakeSession>, id: string, principal?: string): FakeSession {
    const reservation = pool.reserve(principal);
    if (!reservation.ok) throw new Error(`refused: ${reservation.reason}`);
    const session = new FakeSession(id);
    reservation.register(id, session);
    return session;
}

function reservationOf(pool: SessionPool<FakeSession>, principal?: string): SessionReservation<FakeSession> {
    const reservation = pool.reserve(principal);
    if (!reservation.ok) throw new Error(`refused: ${reservation.reason}`);
    return reservation;
}

beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
    vi.useRealTimers();
});

describe('SessionPool bookkeeping', () => {
    test('exports the defaults it applies', () => {
        expect(DEFAULT_MAX_SESSIONS).toBe(10_000);
        expect(DEFAULT_SESSION_IDLE_TIMEOUT_MS).toBe(30 * 60 * 1000);
        expect(DEFAULT_MAX_SESSIONS_PER_PRINCIPAL).toBe(100);
        expect(new SessionPool().retryAfterSeconds).toBe(60);
    });

    test('keeps sessions in least-recently-used order; acquire, release and touch move one to the end', () => {
        const pool = new SessionPool<FakeSession>();
        const a = opened(pool, 'a');
        opened(pool, 'b');
        opened(pool, 'c');
        expect([...pool.ids()]).toEqual(['a', 'b', 'c']);
        expect(pool.acquire('a')).toBe(a);
        expect([...pool.ids()]).toEqual(['b', 'c', 'a']);
        pool.touch('b');
        expect([...pool.ids()]).toEqual(['c', 'a', 'b']);
        pool.release('a', a);
        expect([...pool.ids()]).toEqual(['c', 'b', 'a']);
        expect(pool.get('c')?.name).toBe('c');
        expect([...pool.ids()], 'get marks no use').toEqual(['c', 'b', 'a']);
        expect(pool.size).toBe(3);
    });

    test('acquire refuses an unknown id and a session bound to another principal', () => {
        const pool = new SessionPool<FakeSession>();
        const mine = opened(pool, 'mine', 'alice');
        const open = opened(pool, 'open');
        expect(pool.acquire('nope', 'alice')).toBeUndefined();
        expect(pool.acquire('mine', 'bob')).toBeUndefined();
        expect(pool.acquire('mine')).toBeUndefined();
        expect(pool.acquire('mine', 'alice')).toBe(mine);
        expect(pool.acquire('open', 'bob'), 'a session opened without a principal accepts any').toBe(open);
    });
});

describe('SessionPool capacity', () => {
    test('counts reservations, refuses beyond maxSessions, and releases room when a reservation is cancelled', () => {
        const pool = new SessionPool<FakeSession>({ maxSessions: 2, sessionIdleTimeoutMs: 5000 });
        const first = reservationOf(pool);
        const second = reservationOf(pool);
        const refused = pool.reserve();
        expect(refused).toEqual({
            ok: false,
            reason: 'maxSessions',
            retryAfterSeconds: 5,
            message: 'Service Unavailable: too many open sessions'
        });
        // Opening the session failed: the room is released, once (a second cancel changes nothing).
        first.cancel();
        first.cancel();
        const third = reservationOf(pool);
        expect(pool.reserve().ok).toBe(false);
        second.register('s2', new FakeSession('s2'));
        second.cancel();
        expect(pool.size).toBe(1);
        expect(pool.reserve().ok).toBe(false);
        third.cancel();
        expect(pool.reserve().ok).toBe(true);
    });

    test('refuses a principal beyond maxSessionsPerPrincipal while others and unauthenticated clients still get room', () => {
        const pool = new SessionPool<FakeSession>({ maxSessions: 10, maxSessionsPerPrincipal: 2 });
        const a1 = opened(pool, 'a1', 'alice');
        reservationOf(pool, 'alice');
        const refused = pool.reserve('alice');
        expect(refused.ok).toBe(false);
        expect(refused).toMatchObject({
            reason: 'maxSessionsPerPrincipal',
            retryAfterSeconds: 60,
            message: 'Service Unavailable: too many open sessions for this principal'
        });
        expect(pool.reserve('bob').ok).toBe(true);
        for (let i = 0; i < 4; i++) opened(pool, `anon${i}`);
        expect(pool.delete('a1', a1)).toBe(true);
        expect(pool.reserve('alice').ok, 'a removed session frees its principal’s room').toBe(true);
    });

    test('a failed registration releases the room: duplicate id, or a pool closed meanwhile', async () => {
        const pool = new SessionPool<FakeSession>({ maxSessions: 2, maxSessionsPerPrincipal: 1 });
        const taken = opened(pool, 'same');
        const duplicate = reservationOf(pool, 'alice');
        expect(() => duplicate.register('same', new FakeSession('other'))).toThrow(
            expect.objectContaining({ code: 'SESSION_ID_IN_USE' })
        );
        expect(pool.get('same')).toBe(taken);
        expect(pool.size).toBe(1);
        expect(() => duplicate.register('fresh', new FakeSession('late')), 'a settled reservation').toThrow(
            expect.objectContaining({ code: 'TRANSPORT_CLOSED' })
        );
        expect(pool.reserve('alice').ok, 'the room, overall and of the principal, was released').toBe(true);

        const closing = new SessionPool<FakeSession>();
        const late = reservationOf(closing);
        await closing.close();
        expect(() => late.register('x', new FakeSession('x'))).toThrow(ServerTransportError);
        expect(closing.size).toBe(0);
    });

    test('rejects limits that are not integers >= 1 or Infinity, naming the option', () => {
        for (const bad of [0, -1, 1.5, NaN]) {
            for (const key of ['maxSessions', 'sessionIdleTimeoutMs', 'maxSessionsPerPrincipal'] as const) {
                const build = () => new SessionPool({ [key]: bad });
                expect(build).toThrow(ServerTransportError);
                expect(build).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
                expect(build).toThrow(key);
            }
        }
        expect(
            () =>
                new SessionPool({
                    maxSessions: Infinity,
                    maxSessionsPerPrincipal: Infinity,
                    sessionIdleTimeoutMs: Infinity
                })
        ).not.toThrow();
    });
});

describe('SessionPool idle expiry', () => {
    test('closes and forgets sessions idle past the timeout, least recently used first', () => {
        const pool = new SessionPool<FakeSession>({ sessionIdleTimeoutMs: 1000 });
        const old = opened(pool, 'old', 'alice');
        vi.advanceTimersByTime(600);
        const recent = opened(pool, 'recent');
        vi.advanceTimersByTime(399); // no sweep yet
        expect(pool.size).toBe(2);
        vi.advanceTimersByTime(1); // sweep at 1000: `old` idle 1000 ms, `recent` 400 ms
        expect(old.closed).toBe(1);
        expect(recent.closed).toBe(0);
        expect([...pool.ids()]).toEqual(['recent']);
        vi.advanceTimersByTime(1000); // sweep at 2000: `recent` idle 1400 ms
        expect(recent.closed).toBe(1);
        expect(pool.size).toBe(0);
        expect(pool.reserve('alice').ok).toBe(true);
    });

    test('never expires a session with a request in progress, and expires it once the request ended long enough ago', () => {
        const pool = new SessionPool<FakeSession>({ sessionIdleTimeoutMs: 1000 });
        const busy = opened(pool, 'busy');
        const idle = opened(pool, 'idle');
        expect(pool.acquire('busy')).toBe(busy);
        vi.advanceTimersByTime(5500); // five sweeps
        expect(idle.closed).toBe(1);
        expect(busy.closed).toBe(0);
        expect(pool.get('busy')).toBe(busy);
        pool.release('busy', busy);
        vi.advanceTimersByTime(500); // sweep at 6000: idle 500 ms
        expect(busy.closed).toBe(0);
        vi.advanceTimersByTime(1000); // sweep at 7000: idle 1500 ms
        expect(busy.closed).toBe(1);
        expect(pool.size).toBe(0);
    });

    test('keeps sessions forever with an Infinity timeout (no timer)', () => {
        const pool = new SessionPool<FakeSession>({ sessionIdleTimeoutMs: Infinity });
        const session = opened(pool, 's');
        expect(vi.getTimerCount()).toBe(0);
        vi.advanceTimersByTime(10 * DEFAULT_SESSION_IDLE_TIMEOUT_MS);
        expect(session.closed).toBe(0);
    });

    test('runs its timer only while it holds sessions', async () => {
        const pool = new SessionPool<FakeSession>({ sessionIdleTimeoutMs: 1000 });
        expect(vi.getTimerCount()).toBe(0);
        const session = opened(pool, 's');
        expect(vi.getTimerCount()).toBe(1);
        pool.delete('s', session);
        expect(vi.getTimerCount()).toBe(0);
        opened(pool, 't');
        await pool.close();
        expect(vi.getTimerCount()).toBe(0);
    });
});

describe('SessionPool removal and close', () => {
    test('delete removes a session only if the id still names that session', () => {
        const pool = new SessionPool<FakeSession>();
        const first = opened(pool, 'id');
        expect(pool.delete('id', first)).toBe(true);
        const second = opened(pool, 'id');
        expect(pool.delete('id', first), 'a stale close leaves the new session alone').toBe(false);
        expect(pool.get('id')).toBe(second);
        expect(pool.delete('nope', second)).toBe(false);
        expect(second.closed, 'delete does not close').toBe(0);
        pool.release('id', first);
        expect(pool.get('id')).toBe(second);
    });

    test('close closes every session and refuses new reservations', async () => {
        const pool = new SessionPool<FakeSession>();
        const sessions = [opened(pool, 'a', 'alice'), opened(pool, 'b')];
        const failing = new SessionPool<{ close(): Promise<void> }>();
        const reservation = failing.reserve();
        if (reservation.ok) reservation.register('f', { close: () => Promise.reject(new Error('already gone')) });
        await expect(failing.close(), 'a failing close does not fail the pool').resolves.toBeUndefined();

        await pool.close();
        expect(sessions.map(s => s.closed)).toEqual([1, 1]);
        expect(pool.size).toBe(0);
        expect(pool.closed).toBe(true);
        expect(pool.reserve()).toMatchObject({ ok: false, reason: 'closed' });
    });
});

describe('routeSessionRequest', () => {
    const alice: AuthInfo = { token: 't1', clientId: 'alice-app', scopes: [] };
    const bob: AuthInfo = { token: 't2', clientId: 'bob-app', scopes: [] };

    test('answers 400, 404 and 503 as plain replies, and hands out sessions and reservations', () => {
        const pool = new SessionPool<FakeSession>({ maxSessions: 2, maxSessionsPerPrincipal: 1 });
        const session = opened(pool, 's1', principalKey(alice));
        const status = (route: ReturnType<typeof routeSessionRequest<FakeSession>>) =>
            route.kind === 'refused' ? route.reply.status : route.kind;

        expect(status(routeSessionRequest(pool, 'POST', ['s1', 's1'], alice))).toBe(400);
        expect(status(routeSessionRequest(pool, 'GET', [], alice))).toBe(400);
        expect(status(routeSessionRequest(pool, 'POST', ['unknown'], alice))).toBe(404);
        expect(status(routeSessionRequest(pool, 'POST', ['s1'], bob))).toBe(404);
        expect(routeSessionRequest(pool, 'GET', ['s1'], alice)).toEqual({ kind: 'session', id: 's1', session });

        const full = routeSessionRequest(pool, 'POST', [], alice);
        expect(full.kind === 'refused' && full.reply).toMatchObject({
            status: 503,
            headers: { 'retry-after': '60', 'content-type': 'application/json' }
        });
        expect(full.kind === 'refused' && JSON.parse(full.reply.body!)).toEqual({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'Service Unavailable: too many open sessions for this principal' },
            id: null
        });
        const open = routeSessionRequest(pool, 'POST', [], bob);
        expect(open.kind).toBe('open');
        expect(open.kind === 'open' && open.reservation.principal).toBe(principalKey(bob));
    });
});
