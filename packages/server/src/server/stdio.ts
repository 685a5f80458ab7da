/**
 * The server side of the stdio transport (MCP 2025-11-25, Basic › Transports › stdio): newline-delimited
 * JSON-RPC messages on stdin / stdout.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { parseJSONRPCMessage } from '@modelcontextprotocol/core';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/core';
import { ServerTransportError } from './transportErrors.js';

const NEWLINE = 0x0a;

/**
 * Reads messages from `stdin` and writes them to `stdout`, one JSON document per line. A line that is not a
 * JSON-RPC message is reported through `onerror` and skipped; the transport keeps reading. The end of `stdin`
 * closes the transport.
 *
 * @example
 * ```ts
 * await server.connect(new StdioServerTransport());
 * ```
 */
export class StdioServerTransport implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage) => void;

    private _buffer: Buffer | undefined;
    private _started = false;
    private _closed = false;
    private readonly _onData = (chunk: Buffer | string): void => {
        this._append(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    private readonly _onError = (error: Error): void => {
        this.onerror?.(error);
    };
    private readonly _onEnd = (): void => {
        void this.close();
    };

    constructor(
        private readonly _stdin: Readable = process.stdin,
        private readonly _stdout: Writable = process.stdout
    ) {}

    /** Starts reading stdin. */
    async start(): Promise<void> {
        if (this._started) throw new ServerTransportError('ALREADY_STARTED', 'StdioServerTransport already started');
        this._started = true;
        this._stdin.on('data', this._onData);
        this._stdin.on('error', this._onError);
        this._stdin.on('end', this._onEnd);
    }

    /** Writes one message as a line, waiting for `drain` when stdout is backed up. */
    send(message: JSONRPCMessage): Promise<void> {
        if (this._closed) return Promise.reject(new ServerTransportError('TRANSPORT_CLOSED', 'Transport is closed'));
        return new Promise((resolve, reject) => {
            const flushed = this._stdout.write(`${JSON.stringify(message)}\n`, error => {
                if (error) reject(error);
            });
            if (flushed) resolve();
            else this._stdout.once('drain', resolve);
        });
    }

    /** Stops reading stdin (without closing the process's streams); `onclose` fires once. */
    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        this._stdin.off('data', this._onData);
        this._stdin.off('error', this._onError);
        this._stdin.off('end', this._onEnd);
        if (this._stdin.listenerCount('data') === 0) this._stdin.pause();
        this._buffer = undefined;
        this.onclose?.();
    }

    private _append(chunk: Buffer): void {
        let buffer = this._buffer ? Buffer.concat([this._buffer, chunk]) : chunk;
        let newline = buffer.indexOf(NEWLINE);
        while (newline >= 0 && !this._closed) {
            const end = newline > 0 && buffer[newline - 1] === 0x0d ? newline - 1 : newline;
            const line = buffer.toString('utf8', 0, end);
            buffer = buffer.subarray(newline + 1);
            if (line.trim().length > 0) this._dispatch(line);
            newline = buffer.indexOf(NEWLINE);
        }
        this._buffer = buffer.length > 0 && !this._closed ? buffer : undefined;
    }

    private _dispatch(line: string): void {
        let message: JSONRPCMessage;
        try {
            message = parseJSONRPCMessage(JSON.parse(line));
        } catch (error) {
            this.onerror?.(
                new ServerTransportError(
                    'INVALID_MESSAGE',
                    `Ignoring a stdin line that is not a JSON-RPC message: ${(error as Error).message}`,
                    {
                        cause: error
                    }
                )
            );
            return;
        }
        this.onmessage?.(message);
    }
}
