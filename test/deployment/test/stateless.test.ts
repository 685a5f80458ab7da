/**
 * Issue 12, stateless deployments: 3 instances (child processes, nothing shared) behind a real nginx doing plain
 * round-robin. Our `Client` goes through the balancer in 2025-11-25 (the servers run stateless: no session ids) and
 * in 2026-07-28 (pinned); every `tools/call` must be answered once and right whichever instance gets it, progress
 * included, and the answers must come from all 3 instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx } from '../src/nginx.js';
import type { Nginx } from '../src/nginx.js';
import { startInstances } from '../src/processes.js';
import type { Instance } from '../src/processes.js';
import { PATHS } from '../src/tools.js';
import {
    answeredBy,
    connect,
    notAnsweredOnce,
    runCalls,
    servedCounts,
    total,
    workload,
    wrongAnswers
} from '../src/workload.js';

const CALLS = 300;
const CALL_TIMEOUT_MS = 10_000;
/** The delay between the progress notifications of the calls that show streaming. */
const SLOW_STEP_MS = 100;

describe('stateless: 3 instances behind a round-robin nginx, no shared state', () => {
    let instances: Instance[] = [];
    let nginx: Nginx | undefined;

    beforeAll(async () => {
        instances = await startInstances(3);
        nginx = await startNginx(instances, ['round-robin']);
    }, 30_000);

    afterAll(async () => {
        await Promise.all([nginx?.stop(), ...instances.map(instance => instance.stop())]);
    }, 15_000);

    it.each([
        ['2025-11-25', 'legacy', 1000],
        ['2026-07-28', 'modern', 5000]
    ] as const)(
        '%s: 300 tools/call through the balancer, each answered once and right, by all 3 instances',
        async (era, expectedEra, firstX) => {
            const before = await servedCounts(instances);
            const connection = await connect(nginx!.url('round-robin', PATHS.stateless), era);
            try {
                expect(connection.client.getProtocolEra()).toBe(expectedEra);
                expect(connection.transport.sessionId).toBeUndefined();

                // 30 calls one after another, then 270 with 16 in flight; every third call streams 3 progress
                // notifications on its response before the result, two of them 100 ms apart.
                const specs = workload(CALLS, firstX, 3).map((spec, i) =>
                    i === 30 || i === 33 ? { ...spec, delayMs: SLOW_STEP_MS } : spec
                );
                const outcomes = [
                    ...(await runCalls(connection.client, specs.slice(0, 30), 1, CALL_TIMEOUT_MS)),
                    ...(await runCalls(connection.client, specs.slice(30), 16, CALL_TIMEOUT_MS))
                ];

                expect(outcomes.filter(outcome => !outcome.ok).map(outcome => String(outcome.error))).toEqual([]);
                expect(wrongAnswers(outcomes)).toEqual([]);
                expect(outcomes.filter(outcome => outcome.spec.steps > 0)).toHaveLength(CALLS / 3);
                // Streamed, not buffered by the balancer: the first notification came well before the result.
                const slow = outcomes.filter(outcome => outcome.spec.delayMs === SLOW_STEP_MS);
                expect(slow).toHaveLength(2);
                for (const outcome of slow) {
                    expect(outcome.ms - outcome.firstProgressMs!).toBeGreaterThanOrEqual(SLOW_STEP_MS);
                }
                // Exactly once, as the client saw it: one response per request id, one request per call.
                expect(notAnsweredOnce(connection.responses)).toEqual([]);
                expect(connection.responses.size).toBe(CALLS);

                // Round-robin without stickiness: every instance took its share.
                const answered = answeredBy(outcomes);
                expect(Object.keys(answered).sort()).toEqual(['i1', 'i2', 'i3']);
                for (const count of Object.values(answered)) expect(count).toBeGreaterThanOrEqual(CALLS / 6);

                // Exactly once, as the servers saw it: each instance ran exactly the calls it answered (nginx
                // re-sent nothing).
                const after = await servedCounts(instances);
                expect(total(after) - total(before)).toBe(CALLS);
                for (const [id, count] of Object.entries(answered)) expect(after[id]! - before[id]!).toBe(count);
            } finally {
                await connection.close();
            }
        },
        30_000
    );
});
