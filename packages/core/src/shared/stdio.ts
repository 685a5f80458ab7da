/**
 * Framing of the stdio transport (MCP 2025-11-25, Basic › Transports › stdio): one JSON-RPC message per line,
 * UTF-8, lines separated by `\n` (a `\r` before it is tolerated). Shared by the client and server stdio
 * transports; web-standard (bytes in, messages out), so it runs anywhere.
 *
 * @module
 */
import { StdioMessageTooLargeError } from '../errors.js';
import type { JSONRPCMessage } from '../types/jsonrpc.js';
import { parseJsonText } from './jsonText.js';
import { InvalidJSONRPCMessageError, parseJSONRPCMessage } from '../types/jsonrpc.js';

/** Largest line a {@link ReadBuffer} holds by default: 10 MiB. */
export const STDIO_DEFAULT_MAX_BUFFER_SIZE = 10 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Collects a byte stream and hands out the complete lines as JSON-RPC messages. Linear in the bytes it is fed
 * (no re-scanning or re-joining of a line that arrives in many chunks), and bounded: a line longer than
 * `maxBufferSize` is refused with {@link StdioMessageTooLargeError} and skipped up to its newline, after which
 * reading resumes.
 */
export class ReadBuffer {
    private _bytes = new Uint8Array(0);
    private _start = 0;
    private _end = 0;
    /** Index up to which `_bytes` has been searched for a newline. */
    private _scanned = 0;
    /** Where the line still waiting for its newline starts. */
    private _lineStart = 0;
    /** True while dropping the rest of an oversized line. */
    private _skipping = false;
    private readonly _maxBufferSize: number;

    constructor(options?: { maxBufferSize?: number }) {
        this._maxBufferSize = options?.maxBufferSize ?? STDIO_DEFAULT_MAX_BUFFER_SIZE;
    }

    /**
     * Adds bytes read from the stream. Every complete line in `chunk` is kept even when one of them is refused.
     *
     * @throws {@link StdioMessageTooLargeError} when a line grows past `maxBufferSize` bytes: that line is dropped,
     * and so is the rest of it as it arrives, up to its newline.
     */
    append(chunk: Uint8Array): void {
        let data = chunk;
        let overflowed = false;
        while (data.length > 0) {
            const newline = data.indexOf(LF);
            if (this._skipping) {
                if (newline === -1) break;
                this._skipping = false;
                data = data.subarray(newline + 1);
                continue;
            }
            const partial = this._end - this._lineStart;
            const piece = newline === -1 ? data : data.subarray(0, newline + 1);
            // The line's length without its terminator: a `\r\n` line of exactly the limit is accepted too, so
            // an unterminated tail may hold one byte more (its `\r`) before it is refused.
            let length = partial + piece.length;
            if (newline !== -1) {
                length -= 1;
                const before = newline > 0 ? data[newline - 1] : partial > 0 ? this._bytes[this._end - 1] : undefined;
                if (before === CR) length -= 1;
            }
            const limit = newline === -1 ? this._maxBufferSize + 1 : this._maxBufferSize;
            if (length > limit) {
                this._end = this._lineStart;
                this._scanned = Math.min(this._scanned, this._end);
                this._skipping = newline === -1;
                overflowed = true;
            } else {
                this._push(piece);
                if (newline !== -1) this._lineStart = this._end;
            }
            data = data.subarray(piece.length);
        }
        if (overflowed) throw new StdioMessageTooLargeError(this._maxBufferSize);
    }

    /**
     * The next complete message, or `null` when no complete line is buffered. Blank lines are skipped.
     *
     * @throws {@link InvalidJSONRPCMessageError} for a line that is not JSON or not a JSON-RPC message (the line
     * is consumed, so the next call continues after it).
     */
    readMessage(): JSONRPCMessage | null {
        for (;;) {
            const newline = this._bytes.subarray(this._scanned, this._end).indexOf(LF);
            if (newline === -1) {
                this._scanned = this._end;
                return null;
            }
            const lineEnd = this._scanned + newline;
            let end = lineEnd;
            if (end > this._start && this._bytes[end - 1] === CR) end--;
            const bytes = this._bytes.subarray(this._start, end);
            this._start = this._scanned = lineEnd + 1;
            let line: string;
            try {
                line = decoder.decode(bytes);
            } catch (cause) {
                if (this._start === this._end) this._start = this._end = this._scanned = this._lineStart = 0;
                throw new InvalidJSONRPCMessageError('Not UTF-8: a stdio line must be UTF-8 text', { cause });
            }
            if (this._start === this._end) this._start = this._end = this._scanned = this._lineStart = 0;
            if (line.trim().length > 0) return deserializeMessage(line);
        }
    }

    /** Drops everything buffered. */
    clear(): void {
        this._bytes = new Uint8Array(0);
        this._start = this._end = this._scanned = this._lineStart = 0;
        this._skipping = false;
    }

    private _push(data: Uint8Array): void {
        if (data.length === 0) return;
        if (this._end + data.length > this._bytes.length) {
            const live = this._end - this._start;
            const needed = live + data.length;
            if (needed <= this._bytes.length && this._start > 0) {
                this._bytes.copyWithin(0, this._start, this._end);
            } else {
                const grown = new Uint8Array(Math.max(needed, this._bytes.length * 2, 4096));
                grown.set(this._bytes.subarray(this._start, this._end));
                this._bytes = grown;
            }
            this._scanned -= this._start;
            this._lineStart -= this._start;
            this._start = 0;
            this._end = live;
        }
        this._bytes.set(data, this._end);
        this._end += data.length;
    }
}

/**
 * Decodes one line of the stdio transport into a JSON-RPC message.
 *
 * @throws {@link InvalidJSONRPCMessageError} when the line is not JSON or not a JSON-RPC 2.0 message.
 */
export function deserializeMessage(line: string): JSONRPCMessage {
    let value: unknown;
    try {
        value = parseJsonText(line);
    } catch (error) {
        throw new InvalidJSONRPCMessageError(`Not acceptable JSON: ${(error as Error).message}`, { cause: error });
    }
    return parseJSONRPCMessage(value);
}

/** Encodes a message as one line of the stdio transport (JSON plus `\n`). */
export function serializeMessage(message: JSONRPCMessage): string {
    return `${JSON.stringify(message)}\n`;
}
