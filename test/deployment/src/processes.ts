/**
 * Child processes of the deployment tests: MCP server instances (`instance.ts` under Node with the tsx loader, not
 * the tsx CLI, so the pid is the server's own and killing it kills the server) and the helpers every real process
 * needs here — a free port, bounded waits, stop by pid (SIGTERM, then SIGKILL), and a last-resort SIGKILL of
 * everything still running when the test process exits.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const INSTANCE_MAIN = fileURLToPath(new URL('./instance.ts', import.meta.url));
/** The tsx loader, for `node --import` (the tsx CLI would run the script in a grandchild process). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3000;

/** Every child still running: killed with SIGKILL if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
});

/** A spawned child process, its output kept for failure messages. */
export interface Child {
    readonly pid: number;
    readonly process: ChildProcess;
    /** Resolves when the process has exited. */
    readonly exited: Promise<void>;
    /** Its stdout and stderr so far (the last 16 KiB). */
    output(): string;
    /** SIGTERM, SIGKILL after 3 s; resolves once it exited. Never throws. */
    stop(): Promise<void>;
}

/**
 * Spawns `command` (with `env` added to this process's environment) and tracks it until it exits. With `ipc`, the
 * child (a Node process) gets an IPC channel, which it sees close when this process goes away.
 */
export function spawnChild(
    command: string,
    args: readonly string[],
    options: { env?: Record<string, string>; ipc?: boolean } = {}
): Child {
    const child = spawn(command, args, {
        stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
        env: { ...process.env, ...options.env }
    });
    running.add(child);
    let output = '';
    const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-16_384);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.once('error', error => {
            output += `\n${String(error)}`;
            resolve();
        });
    });
    void exited.then(() => running.delete(child));
    const gone = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
    return {
        pid: child.pid ?? -1,
        process: child,
        exited,
        output: () => output,
        async stop() {
            if (gone()) return;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
            await exited;
            clearTimeout(timer);
        }
    };
}

/** Resolves with `promise`, or rejects with `message` after `ms`. */
export async function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/** A loopback port that was free a moment ago. */
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

/** True once something accepts TCP connections on `port` of 127.0.0.1. */
export function accepts(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const socket = connect(port, '127.0.0.1');
        const done = (ok: boolean) => {
            socket.destroy();
            resolve(ok);
        };
        socket.setTimeout(1000, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
    });
}

/** One MCP server instance (see `instance.ts`). */
export interface Instance extends Child {
    readonly id: string;
    readonly port: number;
    /** `http://127.0.0.1:<port><path>`. */
    url(path: string): URL;
}

/** Options of {@link startInstance}. */
export interface InstanceOptions {
    /** Serve `/shared` on this Redis (`REDIS_URL`). */
    readonly redisUrl?: string | undefined;
}

/** Starts `instance.ts <id>` (with `--expose-gc`, for heap figures) and resolves once it printed its port. */
export async function startInstance(id: string, options: InstanceOptions = {}): Promise<Instance> {
    const args = ['--expose-gc', '--conditions=mcp-source', '--import', TSX_LOADER, INSTANCE_MAIN, id];
    const env: Record<string, string> = { PORT: '0' };
    if (options.redisUrl !== undefined) env.REDIS_URL = options.redisUrl;
    const child = spawnChild(process.execPath, args, { env, ipc: true });
    const port = new Promise<number>((resolve, reject) => {
        let buffered = '';
        child.process.stdout!.on('data', (chunk: Buffer) => {
            buffered += chunk.toString();
            const line = /^(\{.*\})$/m.exec(buffered)?.[1];
            if (line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
        });
        void child.exited.then(() => reject(new Error(`instance ${id} exited:\n${child.output()}`)));
    });
    try {
        const listening = await within(START_TIMEOUT_MS, port, `instance ${id} printed no port`);
        return { ...child, id, port: listening, url: path => new URL(`http://127.0.0.1:${listening}${path}`) };
    } catch (error) {
        await child.stop();
        throw error;
    }
}

/** Starts `count` instances `i1`…`i<count>` in parallel; stops those that started if one fails. */
export async function startInstances(count: number, options: InstanceOptions = {}): Promise<Instance[]> {
    const started = await Promise.allSettled(
        Array.from({ length: count }, (_, i) => startInstance(`i${i + 1}`, options))
    );
    const failed = started.find(result => result.status === 'rejected');
    if (failed === undefined) return started.map(result => (result as PromiseFulfilledResult<Instance>).value);
    await Promise.all(started.map(result => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
}
