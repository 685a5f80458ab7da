/**
 * Splits a byte stream into newline-delimited lines, for the stdio transport (MCP 2025-11-25, Basic /
 * Transports, "stdio": messages are delimited by newlines and contain no embedded newlines).
 *
 * Works on bytes, so a multi-byte UTF-8 character split across chunks is decoded whole (a `\n` byte never occurs
 * inside a multi-byte sequence). A line spread over many chunks is joined once, when its newline arrives.
 *
 * @module
 */
import { Buffer } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;

/** Incremental newline splitter: feed chunks with {@link LineDecoder.push}; complete lines go to `onLine`. */
export class LineDecoder {
    private _pending: Buffer[] = [];

    /** @param onLine called with each complete, non-empty line (a trailing `\r` removed). */
    constructor(private readonly _onLine: (line: string) => void) {}

    /** Feeds one chunk; calls `onLine` for each line it completes, in order. */
    push(chunk: Buffer): void {
        let start = 0;
        let newline = chunk.indexOf(LF);
        while (newline !== -1) {
            let line = chunk.subarray(start, newline);
            if (this._pending.length > 0) {
                this._pending.push(line);
                line = Buffer.concat(this._pending);
                this._pending = [];
            }
            this._emit(line);
            start = newline + 1;
            newline = chunk.indexOf(LF, start);
        }
        if (start < chunk.length) this._pending.push(chunk.subarray(start));
    }

    /** Drops a partial line (the stream it came from is gone). */
    reset(): void {
        this._pending = [];
    }

    private _emit(line: Buffer): void {
        const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
        if (end > 0) this._onLine(line.toString('utf8', 0, end));
    }
}
