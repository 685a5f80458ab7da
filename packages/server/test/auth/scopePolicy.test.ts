import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/server/auth/errors.js';
import { createScopePolicy, type ScopePolicyConfig } from '../../src/server/auth/scopePolicy.js';

const seed: ScopePolicyConfig = {
    methods: { initialize: 'init', ping: 'init', 'tools/list': 'mcp:tools:read', 'tools/call': 'mcp:tools:write' },
    notifications: 'init'
};

const request = (method: string, params?: Record<string, unknown>, id: number = 1) => ({
    jsonrpc: '2.0' as const,
    id,
    method,
    ...(params ? { params } : {})
});
const notification = (method: string) => ({ jsonrpc: '2.0' as const, method });

describe('createScopePolicy: the seed policy', () => {
    const policy = createScopePolicy(seed);

    it('requires init for initialize, ping and notifications', () => {
        expect(policy.requiredScopes(request('initialize', { protocolVersion: '2025-11-25' }))).toEqual(['init']);
        expect(policy.requiredScopes(request('ping'))).toEqual(['init']);
        expect(policy.requiredScopes(notification('notifications/initialized'))).toEqual(['init']);
        expect(policy.requiredScopes(notification('notifications/cancelled'))).toEqual(['init']);
    });

    it('requires mcp:tools:read for tools/list and mcp:tools:write for tools/call', () => {
        expect(policy.requiredScopes(request('tools/list'))).toEqual(['mcp:tools:read']);
        expect(policy.requiredScopes(request('tools/call', { name: 'echo', arguments: {} }))).toEqual([
            'mcp:tools:write'
        ]);
    });

    it('requires nothing beyond a valid token for unlisted methods when no default is set', () => {
        expect(policy.requiredScopes(request('resources/list'))).toEqual([]);
        expect(policy.requiredScopes(undefined)).toEqual([]);
    });

    it('does not treat implication-free scopes as satisfying each other', () => {
        expect(policy.isSatisfied(['mcp:tools:write'], ['mcp:tools:read'])).toBe(false);
        expect(policy.missing(['init'], ['mcp:tools:read'])).toEqual(['mcp:tools:read']);
        expect(policy.isSatisfied(['init', 'mcp:tools:read'], ['mcp:tools:read'])).toBe(true);
        expect(policy.isSatisfied([], [])).toBe(true);
    });

    it('resolves method names like "constructor" through its own rules, not the object prototype', () => {
        expect(policy.requiredScopes(request('constructor'))).toEqual([]);
        expect(policy.requiredScopes(request('tools/call', { name: '__proto__' }))).toEqual(['mcp:tools:write']);
    });
});

describe('createScopePolicy: finer rules', () => {
    const policy = createScopePolicy({
        ...seed,
        default: 'mcp:basic',
        methods: {
            ...seed.methods,
            'prompts/get': 'mcp:prompts',
            'resources/read': 'mcp:resources',
            'resources/subscribe': 'mcp:resources'
        },
        tools: { search: 'mcp:tools:read', deploy: ['mcp:tools:write', 'mcp:deploy'] },
        prompts: { secret: 'mcp:prompts:secret' },
        resources: {
            'file:///etc/passwd': 'mcp:root',
            'file:///*': 'mcp:files',
            'file:///home/*': 'mcp:home',
            'db://{table}/rows': 'mcp:db:rows',
            'repo://{+path}': 'mcp:repo'
        },
        responses: 'mcp:responses'
    });

    it('replaces the tools/call rule with a tool-specific one', () => {
        expect(policy.requiredScopes(request('tools/call', { name: 'search' }))).toEqual(['mcp:tools:read']);
        expect(policy.requiredScopes(request('tools/call', { name: 'deploy' }))).toEqual([
            'mcp:tools:write',
            'mcp:deploy'
        ]);
        expect(policy.requiredScopes(request('tools/call', { name: 'other' }))).toEqual(['mcp:tools:write']);
        expect(policy.requiredScopes(request('tools/call', { name: 42 }))).toEqual(['mcp:tools:write']);
        expect(policy.requiredScopes(request('tools/call'))).toEqual(['mcp:tools:write']);
    });

    it('applies prompt rules to prompts/get by name', () => {
        expect(policy.requiredScopes(request('prompts/get', { name: 'secret' }))).toEqual(['mcp:prompts:secret']);
        expect(policy.requiredScopes(request('prompts/get', { name: 'public' }))).toEqual(['mcp:prompts']);
    });

    it('matches resource URIs exactly before patterns, and the most specific pattern first', () => {
        const read = (uri: string) => policy.requiredScopes(request('resources/read', { uri }));
        expect(read('file:///etc/passwd')).toEqual(['mcp:root']);
        expect(read('file:///home/ada/notes.txt')).toEqual(['mcp:home']);
        expect(read('file:///var/log/syslog')).toEqual(['mcp:files']);
        expect(read('db://users/rows')).toEqual(['mcp:db:rows']);
        expect(read('db://users/x/rows')).toEqual(['mcp:resources']);
        expect(read('repo://a/b/c.ts')).toEqual(['mcp:repo']);
        expect(read('https://example.com/')).toEqual(['mcp:resources']);
        expect(policy.requiredScopes(request('resources/subscribe', { uri: 'file:///etc/passwd' }))).toEqual([
            'mcp:root'
        ]);
        expect(policy.requiredScopes(request('resources/unsubscribe', { uri: 'repo://x' }))).toEqual(['mcp:repo']);
    });

    it('treats regular-expression characters in resource patterns literally', () => {
        const p = createScopePolicy({ resources: { 'x://a.b/(c)?*': 's' } });
        const read = (uri: string) => p.requiredScopes(request('resources/read', { uri }));
        expect(read('x://a.b/(c)?/anything')).toEqual(['s']);
        expect(read('x://aXb/(c)?/anything')).toEqual([]);
    });

    it('uses the default for unlisted methods and for bodies that are not JSON-RPC', () => {
        expect(policy.requiredScopes(request('resources/list'))).toEqual(['mcp:basic']);
        expect(policy.requiredScopes('garbage')).toEqual(['mcp:basic']);
        expect(policy.requiredScopes(null)).toEqual(['mcp:basic']);
        expect(policy.requiredScopes([])).toEqual(['mcp:basic']);
        expect(policy.requiredScopes(undefined)).toEqual(['mcp:basic']);
    });

    it('applies the responses rule to JSON-RPC responses a client posts', () => {
        expect(policy.requiredScopes({ jsonrpc: '2.0', id: 1, result: {} })).toEqual(['mcp:responses']);
        expect(policy.requiredScopes({ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } })).toEqual([
            'mcp:responses'
        ]);
    });

    it('lets an explicit method rule beat the notifications rule', () => {
        const p = createScopePolicy({
            notifications: 'init',
            methods: { 'notifications/roots/list_changed': 'roots' }
        });
        expect(p.requiredScopes(notification('notifications/roots/list_changed'))).toEqual(['roots']);
        expect(p.requiredScopes(notification('notifications/initialized'))).toEqual(['init']);
    });
});

describe('createScopePolicy: batches', () => {
    const policy = createScopePolicy(seed);

    it('requires the union of the requirements of every message, without duplicates', () => {
        const batch = [
            request('tools/list', undefined, 1),
            request('ping', undefined, 2),
            request('tools/list', undefined, 3)
        ];
        expect(policy.requiredScopes(batch)).toEqual(['mcp:tools:read', 'init']);
    });

    it('treats a batch of one like the message itself', () => {
        expect(policy.requiredScopes([request('tools/call', { name: 'x' })])).toEqual(['mcp:tools:write']);
    });
});

describe('createScopePolicy: implications', () => {
    const policy = createScopePolicy({
        ...seed,
        implies: { 'mcp:tools:write': ['mcp:tools:read'], 'mcp:admin': 'mcp:tools:write init' }
    });

    it('lets a write token satisfy a read requirement', () => {
        expect(policy.isSatisfied(['mcp:tools:write'], ['mcp:tools:read'])).toBe(true);
        expect(policy.missing(['mcp:tools:write'], ['mcp:tools:read', 'init'])).toEqual(['init']);
    });

    it('applies implications transitively', () => {
        expect(policy.isSatisfied(['mcp:admin'], ['mcp:tools:read', 'mcp:tools:write', 'init'])).toBe(true);
    });

    it('does not apply implications backwards', () => {
        expect(policy.isSatisfied(['mcp:tools:read'], ['mcp:tools:write'])).toBe(false);
        expect(policy.missing(['mcp:tools:read'], ['mcp:tools:write'])).toEqual(['mcp:tools:write']);
    });

    it('still names the required scope, not its implying substitute', () => {
        expect(policy.requiredScopes(request('tools/list'))).toEqual(['mcp:tools:read']);
    });

    it('terminates on cyclic implications', () => {
        const p = createScopePolicy({ implies: { a: 'b', b: 'a' } });
        expect(p.isSatisfied(['a'], ['b'])).toBe(true);
        expect(p.isSatisfied(['b'], ['a'])).toBe(true);
        expect(p.isSatisfied(['a'], ['c'])).toBe(false);
    });
});

describe('createScopePolicy: invalid configuration', () => {
    const invalid: [string, unknown][] = [
        ['a scope with a double quote', { methods: { ping: 'in"it' } }],
        ['a scope with a backslash', { methods: { ping: ['a\\b'] } }],
        ['a non-ASCII scope', { default: 'café' }],
        ['a scope array containing a space', { tools: { x: ['a b'] } }],
        ['a non-string scope', { methods: { ping: [42] } }],
        ['a requirement that is neither string nor array', { methods: { ping: 42 } }],
        ['an empty method key', { methods: { '': 'init' } }],
        ['an invalid implication key', { implies: { 'a"b': ['c'] } }],
        ['an invalid implied scope', { implies: { a: ['b c'] } }],
        ['an unsupported template operator', { resources: { 'x://{?q}': 'a' } }],
        ['an unclosed template expression', { resources: { 'x://{name': 'a' } }],
        ['an empty template expression', { resources: { 'x://{}': 'a' } }],
        ['rules that are not an object', { tools: 'x' }],
        ['a config that is not an object', null]
    ];
    it.each(invalid)('throws AuthConfigError for %s', (_name, config) => {
        let caught: unknown;
        try {
            createScopePolicy(config as ScopePolicyConfig);
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(AuthConfigError);
        expect((caught as AuthConfigError).code).toBe('INVALID_AUTH_CONFIG');
    });

    it('accepts every printable scope character RFC 6749 §3.3 allows', () => {
        expect(() => createScopePolicy({ default: "!#$%&'()*+,-./:;<=>?@[]^_`{|}~ azAZ09" })).not.toThrow();
    });
});

describe('createScopePolicy: scope strings in the configuration', () => {
    it('splits a requirement on runs of spaces and tabs, ignoring the ends', () => {
        const policy = createScopePolicy({ methods: { 'tools/list': '  mcp:tools:read \t init  ' } });
        expect(policy.requiredScopes(request('tools/list'))).toEqual(['mcp:tools:read', 'init']);
    });

    it('refuses a requirement whose tokens contain a line break', () => {
        expect(() => createScopePolicy({ methods: { ping: 'init\nadmin' } })).toThrow(AuthConfigError);
    });
});
