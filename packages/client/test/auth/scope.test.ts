import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InvalidScopeError, OAuthError } from '../../src/client/auth/errors.js';
import {
    ScopeSet,
    differenceScopes,
    equalScopes,
    formatScope,
    intersectScopes,
    isEmptyScope,
    isSuperset,
    isValidScopeToken,
    parseScope,
    scopeSet,
    unionScopes
} from '../../src/client/auth/scope.js';

const scopeChar = fc.constantFrom(..."!#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[]^_`abcxyz{|}~".split(''));
const scopeToken = fc.string({ unit: scopeChar, minLength: 1, maxLength: 8 });
const tokens = fc.array(scopeToken, { maxLength: 8 });
const set = tokens.map(list => scopeSet(list));

describe('parseScope', () => {
    it('splits on spaces, keeps first-appearance order and drops duplicates', () => {
        expect(parseScope('init mcp:tools:read init openid').toArray()).toEqual(['init', 'mcp:tools:read', 'openid']);
    });

    it('tolerates runs of spaces and leading or trailing spaces', () => {
        expect(parseScope('  a   b  ').toArray()).toEqual(['a', 'b']);
    });

    it('gives the empty set for undefined, "" and blanks', () => {
        expect(parseScope(undefined).size).toBe(0);
        expect(parseScope('').size).toBe(0);
        expect(parseScope('   ').size).toBe(0);
    });

    it.each([
        ['double quote', 'a "b"'],
        ['backslash', 'a\\b'],
        ['tab', 'a\tb'],
        ['newline', 'a\nb'],
        ['non-ASCII', 'caf\u00e9'],
        ['DEL', 'a\u007f']
    ])('rejects a %s with InvalidScopeError', (_name, input) => {
        let caught: unknown;
        try {
            parseScope(input);
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(InvalidScopeError);
        expect(caught).toBeInstanceOf(OAuthError);
        expect((caught as InvalidScopeError).code).toBe('INVALID_SCOPE_SYNTAX');
    });

    it('accepts every RFC 6749 §3.3 scope-token character', () => {
        let all = '';
        for (let code = 0x21; code <= 0x7e; code++)
            if (code !== 0x22 && code !== 0x5c) all += String.fromCharCode(code);
        expect(isValidScopeToken(all)).toBe(true);
        expect(parseScope(all).toArray()).toEqual([all]);
    });
});

describe('scopeSet', () => {
    it('accepts a set, a string, a token list or undefined', () => {
        const s = parseScope('a b');
        expect(scopeSet(s)).toBe(s);
        expect(scopeSet('a b').toArray()).toEqual(['a', 'b']);
        expect(scopeSet(['b', 'a', 'b']).toArray()).toEqual(['b', 'a']);
        expect(scopeSet(undefined)).toBe(ScopeSet.EMPTY);
    });

    it('rejects an empty or space-holding token in a list', () => {
        expect(() => scopeSet(['a', ''])).toThrow(InvalidScopeError);
        expect(() => scopeSet(['a b'])).toThrow(InvalidScopeError);
    });

    it('is immutable from the outside', () => {
        const s = parseScope('a b');
        s.toArray().push('c');
        expect(s.toArray()).toEqual(['a', 'b']);
        expect([...s]).toEqual(['a', 'b']);
        expect(JSON.stringify({ scope: s })).toBe('{"scope":"a b"}');
    });
});

describe('scope algebra', () => {
    it('accumulates the progressive-authorization workload in order', () => {
        let requested = unionScopes(undefined, 'init');
        requested = unionScopes(requested, 'init', 'mcp:tools:read');
        requested = unionScopes(requested, requested, 'mcp:tools:write');
        expect(formatScope(requested)).toBe('init mcp:tools:read mcp:tools:write');
    });

    it('computes missing scopes as challenge minus granted', () => {
        expect(differenceScopes('mcp:tools:write init', 'init mcp:tools:read').toArray()).toEqual(['mcp:tools:write']);
        expect(isEmptyScope(differenceScopes('init', 'init openid'))).toBe(true);
    });

    it('compares sets regardless of order', () => {
        expect(equalScopes('a b', 'b a')).toBe(true);
        expect(equalScopes('a b', 'a')).toBe(false);
        expect(isSuperset('a b c', 'c a')).toBe(true);
        expect(isSuperset('a', 'a b')).toBe(false);
        expect(intersectScopes('a b c', 'c a z').toArray()).toEqual(['a', 'c']);
    });

    it('union is commutative as a set, idempotent, and a superset of both', () => {
        fc.assert(
            fc.property(set, set, (a, b) => {
                const ab = unionScopes(a, b);
                expect(equalScopes(ab, unionScopes(b, a))).toBe(true);
                expect(unionScopes(ab, ab).toArray()).toEqual(ab.toArray());
                expect(unionScopes(a, a).toArray()).toEqual(a.toArray());
                expect(isSuperset(ab, a)).toBe(true);
                expect(isSuperset(ab, b)).toBe(true);
                expect(ab.size).toBeLessThanOrEqual(a.size + b.size);
            })
        );
    });

    it('union keeps first-seen order across arguments', () => {
        fc.assert(
            fc.property(tokens, tokens, (a, b) => {
                const expected = [...new Set([...a, ...b])];
                expect(unionScopes(a, b).toArray()).toEqual(expected);
            })
        );
    });

    it('difference is disjoint from the subtrahend and contained in the minuend', () => {
        fc.assert(
            fc.property(set, set, (a, b) => {
                const d = differenceScopes(a, b);
                expect(isEmptyScope(intersectScopes(d, b))).toBe(true);
                expect(isSuperset(a, d)).toBe(true);
                expect(equalScopes(unionScopes(d, intersectScopes(a, b)), a)).toBe(true);
            })
        );
    });

    it('format then parse round-trips', () => {
        fc.assert(
            fc.property(set, s => {
                expect(parseScope(formatScope(s)).toArray()).toEqual(s.toArray());
                expect(formatScope(s)).not.toMatch(/^ | $| {2}/);
            })
        );
    });

    it('parse then format normalizes whitespace and duplicates', () => {
        fc.assert(
            fc.property(tokens, fc.array(fc.integer({ min: 1, max: 3 })), (list, gaps) => {
                const raw = list.map((token, i) => token + ' '.repeat(gaps[i] ?? 1)).join('');
                expect(formatScope(raw)).toBe([...new Set(list)].join(' '));
            })
        );
    });

    it('superset is reflexive and every set is a superset of the empty set', () => {
        fc.assert(
            fc.property(set, s => {
                expect(isSuperset(s, s)).toBe(true);
                expect(isSuperset(s, undefined)).toBe(true);
                expect(isSuperset(undefined, s)).toBe(s.size === 0);
            })
        );
    });
});
