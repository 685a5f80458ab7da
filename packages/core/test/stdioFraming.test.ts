import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
    deserializeMessage,
    InvalidJSONRPCMessageError,
    ReadBuffer,
    serializeMessage,
    STDIO_DEFAULT_MAX_BUFFER_SIZE,
    StdioMessageTooLargeError
} from '@modelcontextprotocol/core';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function drain(buffer: ReadBuffer): JSONRPCMessage[] {
    const out: JSONRPCMessage[] = [];
    for (let message = buffer.readMessage(); message !== null; message = buffer.readMessage()) out.push(message);
    return out;
}

describe('stdio framing (ReadBuffer)', () => {
    it('yields nothing until the newline arrives, then the message', () => {
        const buffer = new ReadBuffer();
        buffer.append(bytes('{"jsonrpc":"2.0","id":1,'));
        expect(buffer.readMessage()).toBeNull();
        buffer.append(bytes('"method":"ping"}\r\n'));
        expect(buffer.readMessage()).toEqual({ jsonrpc: '2.0', id: 1, method: 'ping' });
        expect(buffer.readMessage()).toBeNull();
    });

    it('decodes a multi-byte character split across chunks whole', () => {
        const line = bytes(serializeMessage({ jsonrpc: '2.0', method: 'note', params: { text: 'żółw 🐢' } }));
        const buffer = new ReadBuffer();
        for (const byte of line) buffer.append(Uint8Array.of(byte));
        expect(drain(buffer)).toEqual([{ jsonrpc: '2.0', method: 'note', params: { text: 'żółw 🐢' } }]);
    });

    it('skips blank lines and reports a non-JSON line as InvalidJSONRPCMessageError, then continues', () => {
        const buffer = new ReadBuffer();
        buffer.append(bytes('\n  \nnot json\n{"jsonrpc":"2.0","method":"a"}\n'));
        expect(() => buffer.readMessage()).toThrow(InvalidJSONRPCMessageError);
        expect(buffer.readMessage()).toEqual({ jsonrpc: '2.0', method: 'a' });
    });

    it('refuses a line longer than maxBufferSize, drops the rest of it, and resumes after its newline', () => {
        const buffer = new ReadBuffer({ maxBufferSize: 64 });
        buffer.append(bytes('{"jsonrpc":"2.0","method":"before"}\n'));
        expect(() => buffer.append(bytes('x'.repeat(100)))).toThrow(StdioMessageTooLargeError);
        buffer.append(bytes('y'.repeat(1000))); // still the oversized line: dropped silently
        buffer.append(bytes('zzz\n{"jsonrpc":"2.0","method":"after"}\n'));
        expect(drain(buffer)).toEqual([
            { jsonrpc: '2.0', method: 'before' },
            { jsonrpc: '2.0', method: 'after' }
        ]);
    });

    it('keeps the complete lines of a chunk when a later line in it is too long', () => {
        const buffer = new ReadBuffer({ maxBufferSize: 40 });
        const chunk = `{"jsonrpc":"2.0","method":"ok"}\n${'q'.repeat(50)}\n{"jsonrpc":"2.0","method":"ok2"}\n`;
        expect(() => buffer.append(bytes(chunk))).toThrow(StdioMessageTooLargeError);
        expect(drain(buffer).map(m => (m as { method: string }).method)).toEqual(['ok', 'ok2']);
    });

    it('holds at most about maxBufferSize bytes however long a hostile line runs', () => {
        const buffer = new ReadBuffer({ maxBufferSize: 1024 });
        let refusals = 0;
        for (let i = 0; i < 10_000; i++) {
            try {
                buffer.append(bytes('a'.repeat(512)));
            } catch (error) {
                expect(error).toBeInstanceOf(StdioMessageTooLargeError);
                refusals++;
            }
        }
        expect(refusals).toBe(1);
        buffer.append(bytes('\n{"jsonrpc":"2.0","method":"alive"}\n'));
        expect(drain(buffer)).toEqual([{ jsonrpc: '2.0', method: 'alive' }]);
    });

    it('accepts a line of exactly maxBufferSize bytes with LF or CRLF (split anywhere), and refuses one byte more', () => {
        const message = '{"jsonrpc":"2.0","method":"m","params":{"p":"';
        const line = (size: number) => `${message}${'x'.repeat(size - message.length - 3)}"}}`;
        for (const terminator of ['\n', '\r\n']) {
            const exact = bytes(line(64) + terminator);
            for (let cut = 0; cut <= exact.length; cut++) {
                const buffer = new ReadBuffer({ maxBufferSize: 64 });
                buffer.append(exact.subarray(0, cut));
                buffer.append(exact.subarray(cut));
                expect(drain(buffer)).toHaveLength(1);
            }
            const buffer = new ReadBuffer({ maxBufferSize: 64 });
            expect(() => buffer.append(bytes(line(65) + terminator))).toThrow(StdioMessageTooLargeError);
        }
    });

    it('refuses a line that is not UTF-8 instead of decoding it with replacement characters', () => {
        const buffer = new ReadBuffer();
        const bad = bytes('{"jsonrpc":"2.0","method":"a\u0001b"}\n');
        const at = bad.indexOf(0x01);
        const line = new Uint8Array([...bad.subarray(0, at), 0xff, 0xfe, ...bad.subarray(at + 1)]);
        buffer.append(line);
        buffer.append(bytes('{"jsonrpc":"2.0","method":"next"}\n'));
        expect(() => buffer.readMessage()).toThrow(InvalidJSONRPCMessageError);
        expect(buffer.readMessage()).toEqual({ jsonrpc: '2.0', method: 'next' });
    });

    it('defaults to a 10 MiB limit', () => {
        expect(STDIO_DEFAULT_MAX_BUFFER_SIZE).toBe(10 * 1024 * 1024);
    });

    it('yields the same messages however the stream is cut into chunks', () => {
        const message = fc.record({
            jsonrpc: fc.constant('2.0' as const),
            method: fc.string({ minLength: 1, maxLength: 12 }),
            params: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 20 }))
        });
        fc.assert(
            fc.property(
                fc.array(message, { maxLength: 8 }),
                fc.array(fc.nat(40), { maxLength: 20 }),
                (messages, cuts) => {
                    const stream = bytes(messages.map(m => serializeMessage(m)).join(''));
                    const buffer = new ReadBuffer({ maxBufferSize: 4096 });
                    const out: JSONRPCMessage[] = [];
                    let at = 0;
                    for (const cut of [...cuts, stream.length]) {
                        const next = Math.min(stream.length, at + cut);
                        buffer.append(stream.subarray(at, next));
                        out.push(...drain(buffer));
                        at = next;
                    }
                    buffer.append(stream.subarray(at));
                    out.push(...drain(buffer));
                    expect(out).toEqual(messages);
                }
            )
        );
    });

    it('round-trips a message through serializeMessage / deserializeMessage', () => {
        const message: JSONRPCMessage = { jsonrpc: '2.0', id: 'a', result: { ok: true } };
        expect(deserializeMessage(serializeMessage(message).trimEnd())).toEqual(message);
    });
});
