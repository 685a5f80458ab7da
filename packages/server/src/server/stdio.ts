/**
 * The server side of the stdio transport (MCP 2025-11-25, Basic › Transports › stdio): newline-delimited
 * JSON-RPC messages on stdin / stdout.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/core';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/core';
import { ServerTransportError } from './transportErrors.js';

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

    private readonly _reader: ReadBuffer;
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

    /**
     * @param _stdin where messages are read from (default `process.stdin`)
     * @param _stdout where messages are written (default `process.stdout`)
     * @param options `maxBufferSize`: the longest line accepted, in bytes (default 10 MiB); a longer one is
     * reported through `onerror` and skipped
     */
    constructor(
        private readonly _stdin: Readable = process.stdin,
        private readonly _stdout: Writable = process.stdout,
        options?: { maxBufferSize?: number }
    ) {
        this._reader = new ReadBuffer(options);
    }

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
            const flushed = this._stdout.write(serializeMessage(message), error => {
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
        this._reader.clear();
        this.onclose?.();
    }

    private _append(chunk: Buffer): void {
        try {
            this._reader.append(chunk);
        } catch (error) {
            this.onerror?.(
                new ServerTransportError('INVALID_MESSAGE', `Ignoring a stdin line: ${(error as Error).message}`, {
                    cause: error
                })
            );
        }
        while (!this._closed) {
            let message: JSONRPCMessage | null;
            try {
                message = this._reader.readMessage();
            } catch (error) {
                this.onerror?.(
                    new ServerTransportError(
                        'INVALID_MESSAGE',
                        `Ignoring a stdin line that is not a JSON-RPC message: ${(error as Error).message}`,
                        { cause: error }
                    )
                );
                continue;
            }
            if (message === null) return;
            this.onmessage?.(message);
        }
    }
}
