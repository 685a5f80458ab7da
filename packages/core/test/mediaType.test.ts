import { describe, expect, test } from 'vitest';
import { isJsonContentType, parseMediaType } from '@modelcontextprotocol/core';

describe('isJsonContentType', () => {
    test.each([
        'application/json',
        'Application/JSON',
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'application/json ; charset="utf-8"',
        'application/json;\tcharset=utf-8',
        ' application/json\t',
        'application/json; profile=x; q="a;b"',
        'application/json;',
        'application/json; ;charset=utf-8'
    ])('accepts %j', value => {
        expect(isJsonContentType(value)).toBe(true);
    });

    test.each([
        null,
        undefined,
        '',
        'application/json\u00a0',
        '\u00a0application/json',
        'application/json\u000b',
        'application/json\r\n',
        'application/json\u3000',
        'application /json',
        'application/ json',
        'application/jsonx',
        'application/json-seq',
        'application/vnd.api+json',
        'text/json',
        'text/plain',
        'application/json, text/plain',
        'application/json; charset=latin1',
        'application/json; charset=utf-16le',
        'application/json; charset=utf-8; charset=latin1',
        'application/json; charset',
        'application/json; =utf-8',
        'application/json; charset="utf-8',
        'application/json; a="\u00e9"',
        'application/json\u0000'
    ])('refuses %j', value => {
        expect(isJsonContentType(value)).toBe(false);
    });
});

test('parseMediaType lower-cases names and unquotes values', () => {
    const media = parseMediaType('Text/HTML; Charset="a\\"b"; level=1');
    expect(media?.type).toBe('text');
    expect(media?.subtype).toBe('html');
    expect([...(media?.parameters ?? [])]).toEqual([
        ['charset', 'a"b'],
        ['level', '1']
    ]);
});

test('a value built to make a backtracking parser explode is refused at once', () => {
    // With nested repetition over optional whitespace, each extra "; " tripled the work: 40 repeats never ended.
    for (const repeats of [40, 200]) {
        const value = `application/json${'; '.repeat(repeats)};@`;
        expect(isJsonContentType(value)).toBe(false);
        expect(isJsonContentType(`application/json${';'.repeat(repeats)}${' \t'.repeat(repeats)}x`)).toBe(false);
    }
    expect(isJsonContentType(`application/json${'; '.repeat(40)}`)).toBe(true);
    expect(isJsonContentType(`application/json;${' '.repeat(2000)}`)).toBe(false); // over 1 KiB
});
