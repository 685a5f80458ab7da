import fc from 'fast-check';
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

    it('counts depth outside strings exactly as a character-by-character reading does, escapes included', () => {
        /** The reference: the deepest nesting outside strings, one character at a time. */
        const depthOf = (text: string): number => {
            let depth = 0;
            let deepest = 0;
            let inString = false;
            for (let i = 0; i < text.length; i++) {
                const c = text[i];
                if (inString) {
                    if (c === '\\') i++;
                    else if (c === '"') inString = false;
                } else if (c === '"') inString = true;
                else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
                else if (c === ']' || c === '}') depth--;
            }
            return deepest;
        };
        const tricky = fc.constantFrom('\\', '"', '\\"', '[', '{', 'a');
        const values = fc.letrec(tie => ({
            value: fc.oneof(
                { depthSize: 'small' },
                fc.array(tricky).map(parts => parts.join('')),
                fc.integer(),
                fc.array(tie('value'), { maxLength: 3 }),
                fc.dictionary(
                    fc.array(tricky).map(parts => parts.join('')),
                    tie('value'),
                    { maxKeys: 3 }
                )
            )
        })).value;
        fc.assert(
            fc.property(values, fc.integer({ min: 0, max: 6 }), (value, limit) => {
                const text = JSON.stringify(value);
                const tooDeep = depthOf(text) > limit;
                if (tooDeep) expect(() => parseJsonText(text, limit)).toThrow(JsonNestingError);
                else expect(parseJsonText(text, limit)).toEqual(value);
            }),
            { numRuns: 500 }
        );
    });

    it('takes brackets and escaped quotes inside a megabyte string as text, not structure', () => {
        const big = JSON.stringify({ content: [{ type: 'text', text: 'x'.repeat(1 << 20) + '\\"[[[' }] });
        expect(parseJsonText(big, 3)).toEqual(JSON.parse(big));
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
