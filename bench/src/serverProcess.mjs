// @ts-check
/**
 * Child-process entry: `node --expose-gc serverProcess.mjs <impl> <mode>`. Starts one server and answers the
 * parent over IPC, so CPU and heap are measured in a process that runs nothing else:
 *
 * - `{ type: 'mark' }` → starts a measurement window (CPU usage, calls served);
 * - `{ type: 'report' }` → CPU µs and tool calls served since the mark, handler errors, open sessions;
 * - `{ type: 'heap' }` → forces full GCs, then answers `process.memoryUsage()`;
 * - `{ type: 'exit' }` → closes the server and exits (a `--cpu-prof` profile is written on exit).
 *
 * The process also exits when the parent goes away.
 *
 * @module
 */
import { setImmediate as tick } from 'node:timers/promises';
import { startServer } from './servers.mjs';

const [impl, mode] = process.argv.slice(2);
if (process.send === undefined) throw new Error('serverProcess.mjs must be started with an IPC channel');
const send = process.send.bind(process);

const counter = { calls: 0 };
const server = await startServer(
    /** @type {import('./servers.mjs').Impl} */ (impl),
    /** @type {import('./servers.mjs').ServerMode} */ (mode),
    counter
).catch(error => {
    send({ type: 'failed', error: String(error) });
    process.exit(1);
});
let mark = { cpu: process.cpuUsage(), calls: 0 };

/** Full collections until the heap stops shrinking (at most 6), so finalizers and weak maps settle. */
async function settleHeap() {
    const gc = /** @type {undefined | (() => void)} */ (/** @type {any} */ (globalThis).gc);
    if (gc === undefined) throw new Error('start the server process with --expose-gc');
    let last = Infinity;
    for (let i = 0; i < 6; i++) {
        gc();
        await tick();
        const used = process.memoryUsage().heapUsed;
        if (used >= last) break;
        last = used;
    }
}

process.on('message', message => {
    const type = /** @type {{ type?: unknown }} */ (message).type;
    if (type === 'mark') {
        mark = { cpu: process.cpuUsage(), calls: counter.calls };
        send({ type: 'marked' });
    } else if (type === 'report') {
        const cpu = process.cpuUsage(mark.cpu);
        send({
            type: 'report',
            userUs: cpu.user,
            systemUs: cpu.system,
            calls: counter.calls - mark.calls,
            errors: server.errors(),
            sessions: server.sessionCount()
        });
    } else if (type === 'heap') {
        void settleHeap().then(() =>
            send({ type: 'heap', memory: process.memoryUsage(), sessions: server.sessionCount() })
        );
    } else if (type === 'exit') {
        void server.close().finally(() => process.exit(0));
    }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', port: server.port });
