import { describe, expect, test } from 'vitest';
import {
    ServerTransportError,
    createOriginPolicy,
    localhostAllowedOrigins,
    originValidationResponse,
    validateOriginHeader
} from '@modelcontextprotocol/server';

describe('the default Origin policy', () => {
    const policy = createOriginPolicy();

    test.each([
        ['no Origin', null, '127.0.0.1:3000'],
        ['a loopback page on another port of a loopback server', 'http://localhost:5173', '127.0.0.1:3000'],
        ['[::1] to localhost', 'http://[::1]:8080', 'localhost:3000'],
        ['127.0.0.2 to 127.0.0.1', 'https://127.0.0.2', '127.0.0.1:3000']
    ])('allows %s', (_name, origin, host) => {
        expect(policy(origin, host)).toBeUndefined();
    });

    test.each([
        ['another site to a loopback server', 'http://evil.example', '127.0.0.1:3000'],
        ['the opaque origin', 'null', '127.0.0.1:3000'],
        ['a localhost look-alike name', 'http://localhost.evil.example:3000', '127.0.0.1:3000'],
        ['a loopback IP look-alike name', 'http://127.0.0.1.nip.io:3000', '127.0.0.1:3000'],
        ['userinfo hiding the real host', 'http://localhost@evil.example', '127.0.0.1:3000'],
        ['a path after the origin', 'http://localhost:3000/x', '127.0.0.1:3000'],
        ['garbage', 'not an origin', '127.0.0.1:3000'],
        ['two Origin values joined', 'http://localhost:1, http://evil.example', '127.0.0.1:3000'],
        ['a loopback page to a public server', 'http://localhost:5173', 'mcp.example.com'],
        ['another site to a public server', 'https://evil.example', 'mcp.example.com'],
        ['a sibling port of a public server', 'https://mcp.example.com:8443', 'mcp.example.com'],
        ['a request without Host', 'http://localhost', null],
        [
            'its own origin (DNS rebinding: the attacker names origin and Host)',
            'http://rebind.example:3000',
            'rebind.example:3000'
        ],
        ['a public server its own origin, unless listed', 'https://mcp.example.com', 'mcp.example.com']
    ])('refuses %s', (_name, origin, host) => {
        expect(policy(origin, host)).toMatch(/^Forbidden: Origin /);
    });
});

describe('an explicit allow-list', () => {
    const policy = createOriginPolicy([
        'https://app.example',
        'tools.example',
        '[::1]',
        'chrome-extension://*',
        'null'
    ]);

    test.each([
        'https://app.example',
        'https://app.example:443',
        'http://tools.example:9999',
        'http://[::1]:3000',
        'chrome-extension://abcdefghijklmnop',
        'null'
    ])('allows %s', origin => {
        expect(policy(origin, 'mcp.example.com')).toBeUndefined();
    });

    test.each(['http://app.example', 'https://app.example:8443', 'https://evil.example', 'moz-extension://x'])(
        'refuses %s',
        origin => {
            expect(policy(origin, 'mcp.example.com')).toBeDefined();
        }
    );

    test('replaces the default: its own origin is no longer implied', () => {
        expect(createOriginPolicy(['https://app.example'])('https://mcp.example.com', 'mcp.example.com')).toBeDefined();
    });

    test('`*` turns the check off', () => {
        expect(createOriginPolicy(['*'])('null', 'x')).toBeUndefined();
    });

    test('http://* and https://* are not honoured', () => {
        expect(createOriginPolicy(['https://*'])('https://evil.example', 'x')).toBeDefined();
    });

    test.each([['https://a b'], ['host:80'], ['bad host'], [42 as unknown as string]])(
        'refuses the malformed entry %j with ServerTransportError',
        entry => {
            expect(() => createOriginPolicy([entry])).toThrow(ServerTransportError);
        }
    );
});

describe('validateOriginHeader', () => {
    test('passes when absent and names the failure otherwise', () => {
        expect(validateOriginHeader(undefined, localhostAllowedOrigins())).toEqual({ ok: true });
        expect(validateOriginHeader('http://localhost:3000', localhostAllowedOrigins())).toMatchObject({
            ok: true,
            hostname: 'localhost'
        });
        expect(validateOriginHeader('null', localhostAllowedOrigins())).toMatchObject({
            ok: false,
            errorCode: 'invalid_origin_header'
        });
        expect(validateOriginHeader('http://evil.example', localhostAllowedOrigins())).toMatchObject({
            ok: false,
            errorCode: 'invalid_origin',
            hostname: 'evil.example'
        });
    });

    test('originValidationResponse answers 403 with a JSON-RPC error body', async () => {
        const request = new Request('http://localhost/mcp', { headers: { origin: 'http://evil.example' } });
        const refused = originValidationResponse(request, localhostAllowedOrigins());
        expect(refused?.status).toBe(403);
        expect(await refused?.json()).toMatchObject({ error: { code: -32000 }, id: null });
    });
});
