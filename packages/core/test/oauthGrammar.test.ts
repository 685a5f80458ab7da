import { describe, expect, it } from 'vitest';
import { isLoopbackHostname, isScopeToken } from '@modelcontextprotocol/core';

describe('the shared OAuth grammar', () => {
    it.each([
        ['init', true],
        ['mcp:tools:write', true],
        ['a!#[]~', true],
        ['', false],
        ['two words', false],
        ['quo"te', false],
        ['back\\slash', false],
        ['tab\t', false],
        ['é', false]
    ])('isScopeToken(%j) is %s', (value, expected) => {
        expect(isScopeToken(value)).toBe(expected);
    });

    it('isScopeToken refuses non-strings', () => {
        expect(isScopeToken(42)).toBe(false);
        expect(isScopeToken(undefined)).toBe(false);
    });

    it.each([
        ['localhost', true],
        ['LOCALHOST', true],
        ['app.localhost', true],
        ['localhost.', true],
        ['127.0.0.1', true],
        ['127.255.3.4', true],
        ['[::1]', true],
        ['::1', true],
        ['localhost.example.com', false],
        ['notlocalhost', false],
        ['128.0.0.1', false],
        ['127.0.0.1.nip.io', false],
        ['[::2]', false],
        ['0.0.0.0', false]
    ])('isLoopbackHostname(%j) is %s', (value, expected) => {
        expect(isLoopbackHostname(value)).toBe(expected);
    });
});
