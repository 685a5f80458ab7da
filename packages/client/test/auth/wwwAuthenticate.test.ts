import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Challenge } from '../../src/client/auth/wwwAuthenticate.js';
import {
    MAX_WWW_AUTHENTICATE_LENGTH,
    bearerChallenge,
    parseWWWAuthenticate
} from '../../src/client/auth/wwwAuthenticate.js';

/** Plain-object view of parsed challenges (params have a null prototype). */
function plain(challenges: Challenge[]): unknown[] {
    return challenges.map(challenge => ({ ...challenge, params: { ...challenge.params } }));
}

const b = (params: Record<string, string> = {}) => ({ scheme: 'bearer', params });

const vectors: Array<[name: string, header: string, expected: unknown[]]> = [
    ['bare scheme', 'Bearer', [b()]],
    ['one quoted param', 'Bearer realm="example"', [b({ realm: 'example' })]],
    [
        'MCP 403 challenge',
        'Bearer error="insufficient_scope", scope="mcp:tools:read", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
        [
            b({
                error: 'insufficient_scope',
                scope: 'mcp:tools:read',
                resource_metadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
            })
        ]
    ],
    [
        'two challenges in one header',
        'Basic realm="simple", Bearer realm="mcp", scope="a b"',
        [{ scheme: 'basic', params: { realm: 'simple' } }, b({ realm: 'mcp', scope: 'a b' })]
    ],
    [
        'RFC 9110 §11.6.1 example',
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
        [
            { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
            { scheme: 'basic', params: { realm: 'simple' } }
        ]
    ],
    [
        'commas inside a quoted value',
        'Bearer error_description="a, b=c, d", scope=x',
        [b({ error_description: 'a, b=c, d', scope: 'x' })]
    ],
    ['backslash escapes', 'Bearer realm="say \\"hi\\" \\\\ \\there"', [b({ realm: 'say "hi" \\ there' })]],
    ['token68 with padding', 'Basic dXNlcjpwYXNz==', [{ scheme: 'basic', token68: 'dXNlcjpwYXNz==', params: {} }]],
    [
        'token68 then another challenge',
        'Negotiate a87421000492aa874209af8bc028, Bearer realm="r"',
        [{ scheme: 'negotiate', token68: 'a87421000492aa874209af8bc028', params: {} }, b({ realm: 'r' })]
    ],
    ['case-insensitive scheme and names', 'BEARER Realm="R", SCOPE=x', [b({ realm: 'R', scope: 'x' })]],
    ['duplicate parameter: first wins', 'Bearer scope="a", scope="b"', [b({ scope: 'a' })]],
    ['bad whitespace around =', 'Bearer realm = "a" , scope=\tb', [b({ realm: 'a', scope: 'b' })]],
    ['stray and empty list elements', ', ,Bearer realm="a",, ,scope="b",', [b({ realm: 'a', scope: 'b' })]],
    ['token values', 'Bearer error=invalid_token', [b({ error: 'invalid_token' })]],
    ['empty quoted value', 'Bearer scope=""', [b({ scope: '' })]],
    ['two bare schemes', 'Basic, Bearer', [{ scheme: 'basic', params: {} }, b()]],
    ['unterminated quote drops the challenge', 'Bearer realm="abc', []],
    [
        'unterminated quote keeps earlier challenges',
        'Basic realm="x", Bearer realm="abc, scope=y',
        [{ scheme: 'basic', params: { realm: 'x' } }]
    ],
    ['trailing backslash in quote', 'Bearer realm="abc\\', []],
    [
        'garbage after a value drops that challenge only',
        'Bearer realm="a" junk, Basic xyz',
        [{ scheme: 'basic', token68: 'xyz', params: {} }]
    ],
    ['orphan parameter without scheme', 'realm="x", scope=y', []],
    ['scheme glued to a quote', 'Bearer"x", Basic realm="r"', [{ scheme: 'basic', params: { realm: 'r' } }]],
    [
        '"name=" alone reads as token68, as the grammar says',
        'Bearer realm=, Basic realm="r"',
        [
            { scheme: 'bearer', token68: 'realm=', params: {} },
            { scheme: 'basic', params: { realm: 'r' } }
        ]
    ],
    [
        'a parameter without value drops the challenge',
        'Bearer scope=a, realm=, Basic realm="r"',
        [{ scheme: 'basic', params: { realm: 'r' } }]
    ],
    [
        'words that are neither token68 nor params',
        'Bearer foo bar, Basic realm="r"',
        [{ scheme: 'basic', params: { realm: 'r' } }]
    ],
    ['empty input', '', []],
    ['blank input', ' \t ', []],
    ['only separators', ',,,', []],
    ['lone equals', '=', []],
    ['lone quote', '"', []],
    ['lone backslash', '\\', []],
    ['mixed junk', '===,,,"""\\\\"', []],
    ['control character inside quotes', 'Bearer realm="a\u0001b"', []],
    ['non-ASCII outside quotes', '\u00ff\u00fe Bearer realm="a"', []],
    ['obs-text inside quotes is kept', 'Bearer realm="caf\u00e9"', [b({ realm: 'caf\u00e9' })]]
];

describe('parseWWWAuthenticate', () => {
    it.each(vectors)('%s', (_name, header, expected) => {
        expect(plain(parseWWWAuthenticate(header))).toEqual(expected);
    });

    it('parses each value of an array on its own, so a broken value cannot swallow the next', () => {
        expect(plain(parseWWWAuthenticate(['Bearer realm="unterminated', 'Basic realm="b"']))).toEqual([
            { scheme: 'basic', params: { realm: 'b' } }
        ]);
        expect(plain(parseWWWAuthenticate(['Bearer scope="a"', 'Basic realm="b"']))).toEqual([
            b({ scope: 'a' }),
            { scheme: 'basic', params: { realm: 'b' } }
        ]);
    });

    it('reads a Headers object whose get() joins repeated headers with ", "', () => {
        const headers = new Headers();
        headers.append('WWW-Authenticate', 'Basic realm="simple"');
        headers.append('WWW-Authenticate', 'Bearer scope="init", resource_metadata="https://h/x"');
        expect(headers.get('www-authenticate')).toContain(', Bearer');
        expect(plain(parseWWWAuthenticate(headers))).toEqual([
            { scheme: 'basic', params: { realm: 'simple' } },
            b({ scope: 'init', resource_metadata: 'https://h/x' })
        ]);
        expect(parseWWWAuthenticate(new Headers())).toEqual([]);
    });

    it('treats null, undefined and non-string array entries as no challenge', () => {
        expect(parseWWWAuthenticate(null)).toEqual([]);
        expect(parseWWWAuthenticate(undefined)).toEqual([]);
        expect(parseWWWAuthenticate([42 as unknown as string])).toEqual([]);
    });

    it('keeps prototype-named parameters as plain keys', () => {
        const [challenge] = parseWWWAuthenticate('Bearer __proto__="x", constructor="y", hasOwnProperty=z');
        expect(challenge).toBeDefined();
        expect(Object.getPrototypeOf(challenge!.params)).toBeNull();
        expect(Object.keys(challenge!.params)).toEqual(['__proto__', 'constructor', 'hasownproperty']);
        expect(challenge!.params.constructor).toBe('y');
    });

    it('ignores a value longer than the cap', () => {
        const long = `Bearer realm="${'a'.repeat(MAX_WWW_AUTHENTICATE_LENGTH)}"`;
        expect(parseWWWAuthenticate(long)).toEqual([]);
        const justUnder = `Bearer realm="${'a'.repeat(MAX_WWW_AUTHENTICATE_LENGTH - 20)}"`;
        expect(parseWWWAuthenticate(justUnder)).toHaveLength(1);
    });

    it('parses a header of many challenges in one pass', () => {
        const header = Array.from({ length: 500 }, (_, i) => `S${i} a="${i}", b=${i}`).join(', ');
        const challenges = parseWWWAuthenticate(header);
        expect(challenges).toHaveLength(500);
        expect(challenges[499]).toMatchObject({ scheme: 's499', params: { a: '499', b: '499' } });
    });

    it('never throws on arbitrary strings, and every challenge has a lower-case token scheme', () => {
        const significant = fc.constantFrom(
            'B',
            'e',
            'a',
            'r',
            'x',
            ' ',
            '\t',
            '=',
            '"',
            '\\',
            ',',
            '/',
            '+',
            '\u0000',
            '\u00e9'
        );
        const inputs = fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.string({ unit: significant, maxLength: 200 })
        );
        fc.assert(
            fc.property(inputs, input => {
                const challenges = parseWWWAuthenticate(input);
                for (const challenge of challenges) {
                    expect(challenge.scheme).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
                }
            }),
            { numRuns: 2000 }
        );
    });

    it('round-trips generated challenges serialized with quoting and escapes', () => {
        const token = fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/);
        const value = fc.string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map(c => String.fromCharCode(c)),
            maxLength: 20
        });
        const challenge = fc.record({
            scheme: token,
            params: fc.uniqueArray(fc.tuple(token, value), { selector: ([name]) => name, minLength: 1, maxLength: 4 })
        });
        fc.assert(
            fc.property(
                fc.array(challenge, { minLength: 1, maxLength: 4 }),
                fc.constantFrom(', ', ',', ' ,  '),
                (list, sep) => {
                    const header = list
                        .map(
                            c =>
                                `${c.scheme.toUpperCase()} ${c.params
                                    .map(([name, v]) => `${name}="${v.replace(/["\\]/g, m => `\\${m}`)}"`)
                                    .join(sep)}`
                        )
                        .join(sep);
                    const parsed = plain(parseWWWAuthenticate(header));
                    expect(parsed).toEqual(list.map(c => ({ scheme: c.scheme, params: Object.fromEntries(c.params) })));
                }
            ),
            { numRuns: 500 }
        );
    });
});

describe('bearerChallenge', () => {
    it('reads the typed members of the first Bearer challenge', () => {
        const challenge = bearerChallenge(
            parseWWWAuthenticate(
                'Basic realm="x", Bearer realm="mcp", error="insufficient_user_authentication", error_description="step up", ' +
                    'error_uri="https://e/doc", scope="init  mcp:tools:read", acr_values="urn:mace:incommon:iap:silver", max_age=300, ' +
                    'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", Bearer scope=other'
            )
        );
        expect(challenge).toMatchObject({
            realm: 'mcp',
            error: 'insufficient_user_authentication',
            errorDescription: 'step up',
            errorUri: 'https://e/doc',
            scope: 'init  mcp:tools:read',
            acrValues: 'urn:mace:incommon:iap:silver',
            maxAge: 300
        });
        expect(challenge?.resourceMetadata?.href).toBe(
            'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
        );
    });

    it('returns undefined without a Bearer challenge', () => {
        expect(bearerChallenge(parseWWWAuthenticate('Basic realm="x", DPoP algs="ES256"'))).toBeUndefined();
        expect(bearerChallenge([])).toBeUndefined();
    });

    it.each([
        ['relative', '/.well-known/oauth-protected-resource'],
        ['javascript:', 'javascript:alert(1)'],
        ['file:', 'file:///etc/passwd'],
        ['not a URL', 'not a url']
    ])('drops a resource_metadata that is not an absolute http(s) URL (%s)', (_name, value) => {
        const challenge = bearerChallenge(parseWWWAuthenticate(`Bearer resource_metadata="${value}", scope="a"`));
        expect(challenge?.resourceMetadata).toBeUndefined();
        expect(challenge?.scope).toBe('a');
    });

    it.each(['-1', '1.5', 'abc', '', '99999999999'])(
        'drops a max_age that is not a non-negative integer (%j)',
        value => {
            expect(bearerChallenge(parseWWWAuthenticate(`Bearer max_age="${value}"`))?.maxAge).toBeUndefined();
        }
    );

    it('keeps an absent scope absent, distinct from an empty one', () => {
        expect(bearerChallenge(parseWWWAuthenticate('Bearer realm="x"'))).not.toHaveProperty('scope');
        expect(bearerChallenge(parseWWWAuthenticate('Bearer scope=""'))?.scope).toBe('');
    });
});
