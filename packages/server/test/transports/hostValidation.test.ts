import { describe, expect, test } from 'vitest';
import {
    compileHostMatcher,
    compileOriginMatcher,
    createDnsRebindingGuard,
    isLoopbackHost,
    parseHost
} from '@modelcontextprotocol/server';

describe('parseHost', () => {
    const valid: Array<[string, string, string | undefined]> = [
        ['localhost', 'localhost', undefined],
        ['LocalHost:3000', 'localhost', '3000'],
        ['127.0.0.1:80', '127.0.0.1', '80'],
        ['[::1]', '[::1]', undefined],
        ['[::1]:8080', '[::1]', '8080'],
        ['::1', '[::1]', undefined],
        ['[0:0:0:0:0:0:0:1]:1', '[::1]', '1'],
        ['example.com.', 'example.com', undefined],
        ['my_host', 'my_host', undefined]
    ];
    test.each(valid)('parses %s', (input, hostname, port) => {
        expect(parseHost(input)).toEqual({ hostname, port });
    });

    const invalid = [
        '',
        ' ',
        'user@evil.com',
        'evil.com/path',
        'host:',
        'host:abc',
        'host:70000',
        '[::1',
        '[::1]x',
        '[zz::1]',
        'a b',
        'evil.com?x'
    ];
    test.each(invalid)('rejects %j', input => {
        expect(parseHost(input)).toBeUndefined();
    });
});

describe('compileHostMatcher', () => {
    const matches = compileHostMatcher(['localhost', '[::1]', 'example.com:8443']);
    test.each([
        ['localhost', true],
        ['localhost:1234', true],
        ['[::1]:3000', true],
        ['example.com:8443', true],
        ['example.com', false],
        ['example.com:443', false],
        ['localhost.evil.com', false],
        ['evil.com', false],
        [undefined, false],
        [null, false]
    ] as const)('%s → %s', (host, expected) => {
        expect(matches(host)).toBe(expected);
    });

    test('throws on a malformed entry', () => {
        expect(() => compileHostMatcher(['bad host'])).toThrow(TypeError);
    });
});

describe('compileOriginMatcher', () => {
    const matches = compileOriginMatcher(['http://localhost:3000', 'https://app.example']);
    test.each([
        ['http://localhost:3000', true],
        ['HTTP://LOCALHOST:3000', true],
        ['https://app.example:443', true],
        ['http://localhost:3001', false],
        ['https://evil.example', false],
        ['null', false],
        [undefined, true],
        [null, true]
    ] as const)('%s → %s', (origin, expected) => {
        expect(matches(origin)).toBe(expected);
    });
});

describe('createDnsRebindingGuard', () => {
    test('reports the Host or the Origin that is not allowed', () => {
        const guard = createDnsRebindingGuard({ allowedHosts: ['localhost'], allowedOrigins: ['http://localhost'] });
        expect(guard('localhost:80', 'http://localhost')).toBeUndefined();
        expect(guard('evil.com', undefined)).toMatch(/Host/);
        expect(guard('localhost', 'http://evil.com')).toMatch(/Origin/);
    });

    test('refuses to be built with nothing to check', () => {
        expect(() => createDnsRebindingGuard({})).toThrow(TypeError);
    });
});

test.each([
    ['127.0.0.1', true],
    ['127.1.2.3:80', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]:3000', true],
    ['0.0.0.0', false],
    ['::', false],
    ['example.com', false]
] as const)('isLoopbackHost(%s) → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
});
