/**
 * A real Redis for the shared-session deployment tests (Debian's `redis-server`, installed by `.ci/run`): started
 * on a free loopback port with persistence off, stopped by pid.
 *
 * @module
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, spawnChild } from './processes.js';
import type { Child } from './processes.js';

/** A running `redis-server`. */
export interface Redis extends Child {
    /** `redis://127.0.0.1:<port>`. */
    readonly url: string;
}

const READY_TIMEOUT_MS = 10_000;

/** Starts `redis-server` and resolves once it answers `PING`; retries on another port if one was taken meanwhile. */
export async function startRedis(): Promise<Redis> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
        const child = spawnChild(process.env.REDIS_SERVER_PATH ?? 'redis-server', args);
        let gone = false;
        void child.exited.then(() => (gone = true));
        const deadline = Date.now() + READY_TIMEOUT_MS;
        while (!gone && Date.now() < deadline) {
            if (await pong(port)) return { ...child, url: `redis://127.0.0.1:${port}` };
            await sleep(25);
        }
        lastError = new Error(`redis-server did not answer PING on port ${port}:\n${child.output()}`);
        await child.stop();
    }
    throw new Error(`redis-server did not start (is Debian's redis-server installed?): ${String(lastError)}`);
}

function pong(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const socket = connect(port, '127.0.0.1');
        let reply = '';
        const done = (ok: boolean) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(1000, () => done(false));
        socket.once('error', () => done(false));
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.on('data', chunk => {
            reply += chunk.toString('latin1');
            if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
        });
    });
}
