/**
 * A real `redis-server` for the tests (Debian's package; `.ci/run` installs it): started on a free loopback port
 * without persistence, ready once it answers `PING` with `PONG`, stopped by pid.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { RedisCommandClient } from '../src/index.js';

/** A running `redis-server`. */
export interface RedisServer {
    readonly port: number;
    readonly url: string;
    readonly pid: number;
    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
    stop(): Promise<void>;
}

/** A connected node-redis client, as the store and the tests use it. */
export interface TestClient extends RedisCommandClient {
    close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** A loopback port that was free a moment ago (listen on port 0, read it, close). */
export async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    await new Promise<void>(resolve => server.close(() => resolve()));
    if (address === null || typeof address === 'string') throw new Error('no port was assigned');
    return address.port;
}

/** Starts `redis-server`; retries on another port if the chosen one was taken meanwhile. */
export async function startRedis(): Promise<RedisServer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const child = spawn(
            'redis-server',
            ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
            { stdio: 'ignore' }
        );
        const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
        const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
        try {
            await Promise.race([waitForPong(port, exited), spawnFailed]);
            return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop: () => stop(child, exited) };
        } catch (error) {
            lastError = error;
            child.kill('SIGKILL');
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
        }
    }
    throw new Error(`redis-server did not start (is Debian's redis-server installed?): ${String(lastError)}`, {
        cause: lastError
    });
}

/**
 * A new connected client of `server`; `commandTimeoutMs` bounds how long a command may wait to be sent
 * (node-redis's default is 5 s).
 */
export async function connectClient(server: RedisServer, commandTimeoutMs?: number): Promise<TestClient> {
    const client = createClient({
        url: server.url,
        ...(commandTimeoutMs === undefined ? {} : { commandOptions: { timeout: commandTimeoutMs } })
    });
    client.on('error', () => {});
    return (await client.connect()) as unknown as TestClient;
}

/** Resolves once a `PING` on `port` is answered `+PONG`; rejects after the timeout or when the server exits. */
async function waitForPong(port: number, exited: Promise<void>): Promise<void> {
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (gone) throw new Error(`redis-server exited before answering on port ${port}`);
        if (await ping(port)) return;
        await sleep(25);
    }
    throw new Error(`redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms`);
}

function ping(port: number): Promise<boolean> {
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

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
    return `test:${randomUUID()}:`;
}

/** A client that records every command it sends (to check which keys a store touched, and when). */
export function recording(client: RedisCommandClient): RedisCommandClient & { readonly commands: string[][] } {
    const commands: string[][] = [];
    return {
        commands,
        sendCommand: args => {
            commands.push([...args]);
            return client.sendCommand(args);
        }
    };
}
