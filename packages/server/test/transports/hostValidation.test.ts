import { describe, expect, test } from 'vitest';
import {
    ServerTransportError,
    compileHostMatcher,
    hostHeaderValidationResponse,
    isLoopbackHost,
    localhostAllowedHostnames,
    parseHost,
    validateHostHeader
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
        expect(() => compileHostMatcher(['bad host'])).toThrow(ServerTransportError);
    });
});

describe('validateHostHeader', () => {
    test.each([
        ['localhost:3000', true],
        ['127.0.0.1', true],
        ['[::1]:80', true],
        ['localhost.evil.example', false],
        ['evil.example', false]
    ] as const)('%s with the loopback list → %s', (host, ok) => {
        expect(validateHostHeader(host, localhostAllowedHostnames()).ok).toBe(ok);
    });

    test('names what is wrong', () => {
        expect(validateHostHeader(undefined, ['localhost'])).toMatchObject({ ok: false, errorCode: 'missing_host' });
        expect(validateHostHeader('a b', ['localhost'])).toMatchObject({ ok: false, errorCode: 'invalid_host_header' });
        expect(validateHostHeader('evil.example', ['localhost'])).toMatchObject({
            ok: false,
            errorCode: 'invalid_host',
            hostname: 'evil.example'
        });
    });

    test('hostHeaderValidationResponse answers 403 with a JSON-RPC error body', async () => {
        const refused = hostHeaderValidationResponse(
            new Request('http://evil.example/mcp', { headers: { host: 'evil.example' } }),
            localhostAllowedHostnames()
        );
        expect(refused?.status).toBe(403);
        expect(await refused?.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
        expect(hostHeaderValidationResponse(new Request('http://localhost:3000/mcp'), ['localhost'])).toBeUndefined();
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
