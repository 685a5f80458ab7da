// @ts-check
/**
 * The parent's handle on a server child process ({@link ./serverProcess.mjs}): fork, wait until it listens, and
 * ask it for measurements over IPC. Every wait is bounded.
 *
 * @module
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./serverProcess.mjs', import.meta.url));
const REPLY_TIMEOUT_MS = 30_000;

/**
 * @typedef {object} ServerChild
 * @property {number} port
 * @property {string} url The MCP endpoint.
 * @property {(type: string, reply: string) => Promise<any>} ask Sends `{ type }`, resolves with the next `reply`.
 * @property {() => Promise<void>} stop Asks the child to exit (so a CPU profile gets written), then kills it.
 */

/**
 * Forks a server child running `impl` in `mode`.
 *
 * @param {import('./servers.mjs').Impl} impl
 * @param {import('./servers.mjs').Mode} mode
 * @param {{ cpuProfileDir?: string | undefined }} [options]
 * @returns {Promise<ServerChild>}
 */
export async function startChild(impl, mode, options = {}) {
    const execArgv = ['--expose-gc'];
    if (options.cpuProfileDir !== undefined) {
        execArgv.push(
            '--cpu-prof',
            '--cpu-prof-dir',
            options.cpuProfileDir,
            '--cpu-prof-name',
            `${impl}-${mode}.cpuprofile`
        );
    }
    const child = fork(ENTRY, [impl, mode], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exited = false;
    const exitedPromise = new Promise(resolve => child.once('exit', () => resolve(undefined)));
    child.once('exit', () => {
        exited = true;
    });

    /**
     * @param {string} reply
     * @returns {Promise<any>}
     */
    const next = reply =>
        new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                cleanup();
                reject(new Error(`${impl}/${mode}: no '${reply}' from the server process`));
            }, REPLY_TIMEOUT_MS);
            /** @param {any} message */
            const onMessage = message => {
                if (message?.type !== reply) return;
                cleanup();
                resolve(message);
            };
            const onExit = () => {
                cleanup();
                reject(new Error(`${impl}/${mode}: server process exited`));
            };
            const cleanup = () => {
                clearTimeout(timer);
                child.off('message', onMessage);
                child.off('exit', onExit);
            };
            child.on('message', onMessage);
            child.once('exit', onExit);
        });

    const ready = await next('ready');
    const port = /** @type {number} */ (ready.port);
    return {
        port,
        url: `http://127.0.0.1:${port}/mcp`,
        ask: (type, reply) => {
            const answer = next(reply);
            child.send({ type });
            return answer;
        },
        stop: async () => {
            if (exited) return;
            child.send({ type: 'exit' });
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exitedPromise;
            clearTimeout(timer);
        }
    };
}
