// @ts-check
/**
 * The parent's handle on a child process — a server ({@link ./serverProcess.mjs}) or a client
 * ({@link ./clientProcess.mjs}): fork, wait until it is ready, and exchange messages over IPC. Every wait is
 * bounded.
 *
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_ENTRY = fileURLToPath(new URL('./serverProcess.mjs', import.meta.url));
const REPLY_TIMEOUT_MS = 60_000;

/**
 * @typedef {object} IpcChild
 * @property {(reply: string, timeoutMs?: number) => Promise<any>} next Resolves with the next message of type `reply`.
 * @property {(message: object) => void} send
 * @property {(type: string, reply: string) => Promise<any>} ask Sends `{ type }`, resolves with the next `reply`.
 * @property {() => Promise<void>} stop Asks the child to exit (so a CPU profile gets written), then kills it.
 */

/**
 * @typedef {IpcChild & { port: number; url: string }} ServerChild A server child; `url` is its MCP endpoint.
 */

/**
 * Forks `entry` with `args`, and waits for its `ready` message.
 *
 * @param {string} entry
 * @param {string[]} args
 * @param {{ label: string; cpuProfileDir?: string | undefined; profileName: string }} options
 * @returns {Promise<{ child: IpcChild; ready: any }>}
 */
export async function forkIpc(entry, args, options) {
    const execArgv = ['--expose-gc'];
    if (options.cpuProfileDir !== undefined) {
        execArgv.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-name', options.profileName);
    }
    const child = fork(entry, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exited = false;
    const exitedPromise = new Promise(resolve => child.once('exit', () => resolve(undefined)));
    child.once('exit', () => {
        exited = true;
    });

    /**
     * @param {string} reply
     * @param {number} [timeoutMs]
     * @returns {Promise<any>}
     */
    const next = (reply, timeoutMs = REPLY_TIMEOUT_MS) =>
        new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                cleanup();
                reject(new Error(`${options.label}: no '${reply}' from the child process`));
            }, timeoutMs);
            /** @param {any} message */
            const onMessage = message => {
                if (message?.type === 'failed') {
                    cleanup();
                    reject(new Error(`${options.label}: ${message.error}`));
                    return;
                }
                if (message?.type !== reply) return;
                cleanup();
                resolve(message);
            };
            const onExit = () => {
                cleanup();
                reject(new Error(`${options.label}: child process exited`));
            };
            const cleanup = () => {
                clearTimeout(timer);
                child.off('message', onMessage);
                child.off('exit', onExit);
            };
            child.on('message', onMessage);
            child.once('exit', onExit);
        });

    /** @param {object} message */
    const send = message => {
        if (!exited) child.send(message);
    };
    const readyPromise = next('ready');
    /** @type {IpcChild} */
    const handle = {
        next,
        send,
        ask: (type, reply) => {
            const answer = next(reply);
            send({ type });
            return answer;
        },
        stop: async () => {
            if (exited) return;
            send({ type: 'exit' });
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exitedPromise;
            clearTimeout(timer);
        }
    };
    try {
        return { child: handle, ready: await readyPromise };
    } catch (error) {
        child.kill('SIGKILL');
        throw error;
    }
}

/**
 * Forks a server child running `impl` in `mode`.
 *
 * @param {import('./servers.mjs').Impl} impl
 * @param {import('./servers.mjs').ServerMode} mode
 * @param {{ cpuProfileDir?: string | undefined; profileName?: string }} [options]
 * @returns {Promise<ServerChild>}
 */
export async function startChild(impl, mode, options = {}) {
    const { child, ready } = await forkIpc(SERVER_ENTRY, [impl, mode], {
        label: `${impl}/${mode} server`,
        cpuProfileDir: options.cpuProfileDir,
        profileName: options.profileName ?? `${impl}-${mode}.cpuprofile`
    });
    const port = /** @type {number} */ (ready.port);
    return { ...child, port, url: `http://127.0.0.1:${port}/mcp` };
}
