/**
 * Issue 12: one of 3 instances killed (SIGKILL) in the middle of a run, behind the same nginx. nginx moves a
 * request to the next instance only while it could not reach one (`proxy_next_upstream error timeout`); a POST
 * that reached the dead instance is not re-sent (the tool may have run), so the calls in flight there fail — with a
 * typed error, at once — and every later call is served by the survivors. (Stateful sessions whose instance dies:
 * ownerDeath.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, StreamableHTTPError, StreamInterruptedError } from '@modelcontextprotocol/client';
import { resentAfterSending, startNginx } from '../src/nginx.js';
import type { Nginx } from '../src/nginx.js';
import { startInstances, within } from '../src/processes.js';
import type { Instance } from '../src/processes.js';
import { PATHS } from '../src/tools.js';
import { answeredBy, connect, notAnsweredOnce, runCalls, workload, wrongAnswers } from '../src/workload.js';
import type { CallOutcome } from '../src/workload.js';

const CALL_TIMEOUT_MS = 10_000;
/** Calls in flight per client: at most 2 × this many can be on the victim when it dies. */
const IN_FLIGHT = 8;

/** The failures a call may end with when its instance dies under it: typed, and not a timeout. */
function isTypedFailure(error: unknown): boolean {
    return (
        (error instanceof StreamableHTTPError && error.status >= 500) ||
        error instanceof StreamInterruptedError ||
        error instanceof ConnectionError
    );
}

function describeFailure(outcome: CallOutcome): string {
    if (outcome.ok) return 'ok';
    const error = outcome.error as Error;
    return `${error.name}: ${error.message} after ${Math.round(outcome.ms)} ms`;
}

describe('an instance killed mid-run, behind a round-robin nginx', () => {
    let instances: Instance[] = [];
    let nginx: Nginx | undefined;

    const victim = () => instances[1]!;
    const survivors = () => instances.filter(instance => instance !== victim()).map(instance => instance.id);
    beforeAll(async () => {
        instances = await startInstances(3);
        nginx = await startNginx(instances, ['round-robin']);
    }, 30_000);

    afterAll(async () => {
        await Promise.all([nginx?.stop(), ...instances.map(instance => instance.stop())]);
    }, 15_000);

    it('stateless: calls in flight on it fail fast with a typed error, none hangs, the 2 survivors serve the rest', async () => {
        const url = nginx!.url('round-robin', PATHS.stateless);
        const legacy = await connect(url, '2025-11-25');
        const modern = await connect(url, '2026-07-28');
        try {
            // Every call streams 4 progress notifications 25 ms apart, so calls are always in flight everywhere.
            const specs = workload(120, 10_000, 1, 4, 25);
            const killAfter = (settled: number) => {
                if (settled === 20) victim().process.kill('SIGKILL');
            };
            const during = (
                await within(
                    25_000,
                    Promise.all([
                        runCalls(legacy.client, specs.slice(0, 60), IN_FLIGHT, CALL_TIMEOUT_MS, killAfter),
                        runCalls(modern.client, specs.slice(60), IN_FLIGHT, CALL_TIMEOUT_MS)
                    ]),
                    'a call neither succeeded nor failed: it hangs'
                )
            ).flat();
            await within(5000, victim().exited, 'the victim did not die');

            const failed = during.filter(outcome => !outcome.ok);
            console.log(
                `killed ${victim().id} mid-run: ${during.length - failed.length} ok, ${failed.length} failed\n` +
                    failed.map(outcome => `  x=${outcome.spec.x}: ${describeFailure(outcome)}`).join('\n')
            );
            expect(wrongAnswers(during)).toEqual([]);
            expect(failed.length).toBeGreaterThan(0); // it did die under load
            expect(failed.length).toBeLessThanOrEqual(2 * IN_FLIGHT); // only what was on it at that moment
            for (const outcome of failed) {
                expect.soft(isTypedFailure(outcome.error), describeFailure(outcome)).toBe(true);
                expect.soft(outcome.ms, describeFailure(outcome)).toBeLessThan(CALL_TIMEOUT_MS / 2);
            }
            expect(notAnsweredOnce(legacy.responses)).toEqual([]);
            expect(notAnsweredOnce(modern.responses)).toEqual([]);
            // nginx moved requests off the dead instance only when it had not sent them there.
            expect(resentAfterSending(await nginx!.accessLog())).toEqual([]);

            // After the kill: every call succeeds, on the survivors only.
            const next = workload(60, 20_000, 3);
            const after = (
                await Promise.all([
                    runCalls(legacy.client, next.slice(0, 30), 6, CALL_TIMEOUT_MS),
                    runCalls(modern.client, next.slice(30), 6, CALL_TIMEOUT_MS)
                ])
            ).flat();
            expect(after.filter(outcome => !outcome.ok).map(describeFailure)).toEqual([]);
            expect(wrongAnswers(after)).toEqual([]);
            expect(Object.keys(answeredBy(after)).sort()).toEqual(survivors());
        } finally {
            await Promise.all([legacy.close(), modern.close()]);
        }
    }, 30_000);
});
