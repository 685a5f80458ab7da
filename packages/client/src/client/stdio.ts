/**
 * Client side of the stdio transport (MCP 2025-11-25, Basic / Transports, "stdio"): the client launches the
 * server as a child process and exchanges newline-delimited JSON-RPC messages over its stdin and stdout.
 *
 * Node only; exported from the `@modelcontextprotocol/client/stdio` entry so the main entry stays browser-safe.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import process from 'node:process';
import type { Readable, Stream } from 'node:stream';
import { PassThrough } from 'node:stream';
import { ReadBuffer, serializeMessage, StdioMessageTooLargeError } from '@modelcontextprotocol/core';
import type { JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/core';
import {
    ClientTransportClosedError,
    InvalidMessageError,
    MessageTooLargeError,
    ProcessError
} from './transportErrors.js';

/** How to launch the server process. */
export interface StdioServerParameters {
    /** The executable to run (looked up on `PATH`; no shell is involved). */
    command: string;
    /** Its arguments. */
    args?: string[];
    /** Environment variables, added over {@link getDefaultEnvironment}. */
    env?: Record<string, string>;
    /** Working directory; defaults to the current one. */
    cwd?: string;
    /**
     * What to do with the child's stderr: `inherit` (default) shares this process's, `pipe` makes it readable
     * from {@link StdioClientTransport.stderr}, `ignore` discards it; a stream (with an underlying file
     * descriptor, e.g. a file stream) or a file descriptor number receives it directly.
     */
    stderr?: 'inherit' | 'pipe' | 'ignore' | 'overlapped' | Stream | number;
}

/** Environment variables a child inherits by default: enough to run, without leaking the parent's secrets. */
export const DEFAULT_INHERITED_ENV_VARS: readonly string[] =
    process.platform === 'win32'
        ? [
              'APPDATA',
              'HOMEDRIVE',
              'HOMEPATH',
              'LOCALAPPDATA',
              'PATH',
              'PROCESSOR_ARCHITECTURE',
              'SYSTEMDRIVE',
              'SYSTEMROOT',
              'TEMP',
              'USERNAME',
              'USERPROFILE',
              'PROGRAMFILES'
          ]
        : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

/**
 * The subset of this process's environment ({@link DEFAULT_INHERITED_ENV_VARS}) a server is started with.
 * Values that look like exported shell functions (`() {…`) are skipped.
 */
export function getDefaultEnvironment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of DEFAULT_INHERITED_ENV_VARS) {
        const value = process.env[name];
        if (value === undefined || value.startsWith('()')) continue;
        env[name] = value;
    }
    return env;
}

/** How long `close()` waits after ending stdin, and again after SIGTERM, before escalating. */
const CLOSE_GRACE_MS = 2000;

/**
 * MCP client transport that runs the server as a child process (MCP 2025-11-25, "stdio").
 *
 * @example
 * ```ts
 * const transport = new StdioClientTransport({ command: 'node', args: ['server.js'] });
 * await client.connect(transport);
 * ```
 */
export class StdioClientTransport implements Transport {
    /** Called once when the process has exited (after a successful `start()`). */
    onclose?: () => void;
    /** Called on errors not tied to one `send`: undecodable lines, process or pipe failures. */
    onerror?: (error: Error) => void;
    /** Called for each received message. */
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

    private readonly _params: StdioServerParameters;
    private readonly _stderr: PassThrough | undefined;
    private readonly _reader = new ReadBuffer();
    private _process: ChildProcess | undefined;
    private _exited: Promise<void> | undefined;
    private _closing: Promise<void> | undefined;
    private _started = false;
    private _closed = false;

    constructor(params: StdioServerParameters) {
        this._params = params;
        if (params.stderr === 'pipe') this._stderr = new PassThrough();
    }

    /** The child's process id, once spawned. */
    get pid(): number | null {
        return this._process?.pid ?? null;
    }

    /**
     * The child's stderr when `stderr: 'pipe'` was chosen (available before `start()`, so no output is missed);
     * otherwise `null`.
     */
    get stderr(): Readable | null {
        return this._stderr ?? null;
    }

    /**
     * Spawns the process (no shell). Resolves once it is running.
     *
     * @throws {@link ProcessError} when it cannot be spawned (e.g. the command does not exist).
     */
    start(): Promise<void> {
        if (this._started || this._closed)
            return Promise.reject(new ProcessError('StdioClientTransport already started'));
        this._started = true;
        const { command, args = [], env, cwd, stderr = 'inherit' } = this._params;
        return new Promise((resolve, reject) => {
            let spawned = false;
            const child = spawn(command, args, {
                env: { ...getDefaultEnvironment(), ...env },
                ...(cwd === undefined ? {} : { cwd }),
                stdio: ['pipe', 'pipe', stderr],
                shell: false,
                windowsHide: true
            });
            this._process = child;
            this._exited = new Promise(done => child.once('close', () => done()));
            void this._exited.then(() => this._finish());
            child.once('spawn', () => {
                spawned = true;
                resolve();
            });
            child.on('error', error => {
                if (spawned)
                    return this._report(new ProcessError(`Server process failed: ${error.message}`, { cause: error }));
                this._closed = true; // never opened: no onclose
                reject(new ProcessError(`Could not start ${command}: ${error.message}`, { cause: error }));
            });
            child.stdout?.on('data', (chunk: Buffer) => this._onData(chunk));
            child.stdout?.on('error', error =>
                this._report(new ProcessError(`stdout failed: ${error.message}`, { cause: error }))
            );
            child.stdin?.on('error', error =>
                this._report(new ProcessError(`stdin failed: ${error.message}`, { cause: error }))
            );
            if (this._stderr !== undefined) child.stderr?.pipe(this._stderr);
        });
    }

    /**
     * Writes one message as a line on the child's stdin. Resolves once written.
     *
     * @throws {@link ClientTransportClosedError} before `start()`, after `close()`, or once stdin is closed.
     */
    send(message: JSONRPCMessage): Promise<void> {
        const stdin = this._process?.stdin;
        if (this._closing !== undefined || this._closed || stdin == null || !stdin.writable) {
            return Promise.reject(new ClientTransportClosedError('Stdio transport is not connected'));
        }
        return new Promise((resolve, reject) => {
            stdin.write(serializeMessage(message), error =>
                error == null
                    ? resolve()
                    : reject(new ClientTransportClosedError(`Writing to the server failed: ${error.message}`))
            );
        });
    }

    /**
     * Ends the child's stdin and waits for it to exit; sends SIGTERM, then SIGKILL, if it lingers (a bounded
     * wait, about {@link CLOSE_GRACE_MS} per step). `onclose` fires once.
     */
    close(): Promise<void> {
        this._closing ??= this._shutdown();
        return this._closing;
    }

    private async _shutdown(): Promise<void> {
        const child = this._process;
        if (child !== undefined && !this._closed) {
            child.stdin?.end();
            if (!(await this._waitForExit())) {
                child.kill('SIGTERM');
                if (!(await this._waitForExit())) {
                    child.kill('SIGKILL');
                    await this._waitForExit();
                }
            }
        }
        this._finish();
    }

    private _waitForExit(): Promise<boolean> {
        const exited = this._exited;
        if (exited === undefined) return Promise.resolve(true);
        return new Promise(resolve => {
            const timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
            void exited.then(() => {
                clearTimeout(timer);
                resolve(true);
            });
        });
    }

    private _finish(): void {
        if (this._closed) return;
        this._closed = true;
        this._reader.clear();
        this.onclose?.();
    }

    private _report(error: Error): void {
        if (!this._closed) this.onerror?.(error);
    }

    private _onData(chunk: Buffer): void {
        try {
            this._reader.append(chunk);
        } catch (error) {
            if (error instanceof StdioMessageTooLargeError) this._report(new MessageTooLargeError(error.maxBufferSize));
            else throw error;
        }
        while (!this._closed) {
            let message: JSONRPCMessage | null;
            try {
                message = this._reader.readMessage();
            } catch (cause) {
                this._report(
                    new InvalidMessageError(`Received an invalid line: ${(cause as Error).message}`, { cause })
                );
                continue;
            }
            if (message === null) return;
            this.onmessage?.(message);
        }
    }
}
