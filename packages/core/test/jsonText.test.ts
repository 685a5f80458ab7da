import { describe, expect, it } from 'vitest';
import { JsonNestingError, MAX_JSON_DEPTH, parseJsonText, ReadBuffer } from '@modelcontextprotocol/core';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('parseJsonText', () => {
    it('parses JSON up to the nesting limit, brackets inside strings not counted', () => {
        expect(parseJsonText(nested(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
        const text = JSON.stringify({ s: '['.repeat(5000), n: [[1]] });
        expect(parseJsonText(text)).toEqual({ s: '['.repeat(5000), n: [[1]] });
        expect(parseJsonText(JSON.stringify({ q: 'a\\"[[[' }))).toEqual({ q: 'a\\"[[[' });
    });

    it('refuses deeper nesting with JsonNestingError, whatever the mix of arrays and objects', () => {
        expect(() => parseJsonText(nested(MAX_JSON_DEPTH + 1))).toThrow(JsonNestingError);
        expect(() => parseJsonText('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000))).toThrow(JsonNestingError);
        expect(() => parseJsonText(nested(1_000_000))).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP' }));
    });

    it('leaves malformed JSON to JSON.parse', () => {
        expect(() => parseJsonText('{')).toThrow(SyntaxError);
    });

    it('bounds stdio lines too', () => {
        const buffer = new ReadBuffer();
        buffer.append(new TextEncoder().encode(`{"jsonrpc":"2.0","method":"m","params":{"x":${nested(100_000)}}}\n`));
        expect(() => buffer.readMessage()).toThrow(/nests deeper/);
    });
});
