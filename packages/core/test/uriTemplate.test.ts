import { describe, expect, it } from 'vitest';
import { UriTemplate, UriTemplateError } from '../src/shared/uriTemplate.js';
import type { UriTemplateVariables } from '../src/shared/uriTemplate.js';

// Variable values from RFC 6570 §3.2.
const vars: UriTemplateVariables = {
    count: ['one', 'two', 'three'],
    dom: ['example', 'com'],
    dub: 'me/too',
    hello: 'Hello World!',
    half: '50%',
    var: 'value',
    who: 'fred',
    base: 'http://example.com/home/',
    path: '/foo/bar',
    list: ['red', 'green', 'blue'],
    v: '6',
    x: '1024',
    y: '768',
    empty: '',
    empty_list: [],
    undef: undefined
};

describe('UriTemplate.expand (RFC 6570 §3.2 examples)', () => {
    it.each([
        // level 1 / simple
        ['{var}', 'value'],
        ['{hello}', 'Hello%20World%21'],
        ['{half}', '50%25'],
        ['O{empty}X', 'OX'],
        ['O{undef}X', 'OX'],
        ['{x,y}', '1024,768'],
        ['{x,hello,y}', '1024,Hello%20World%21,768'],
        ['?{x,empty}', '?1024,'],
        ['?{x,undef}', '?1024'],
        ['?{undef,y}', '?768'],
        ['{var:3}', 'val'],
        ['{var:30}', 'value'],
        ['{list}', 'red,green,blue'],
        ['{list*}', 'red,green,blue'],
        ['{empty_list}', ''],
        // reserved
        ['{+var}', 'value'],
        ['{+hello}', 'Hello%20World!'],
        ['{+half}', '50%25'],
        ['{base}index', 'http%3A%2F%2Fexample.com%2Fhome%2Findex'],
        ['{+base}index', 'http://example.com/home/index'],
        ['{+path}/here', '/foo/bar/here'],
        ['here?ref={+path}', 'here?ref=/foo/bar'],
        ['up{+path}{var}/here', 'up/foo/barvalue/here'],
        ['{+path,x}/here', '/foo/bar,1024/here'],
        ['{+path:6}/here', '/foo/b/here'],
        // fragment
        ['{#var}', '#value'],
        ['{#hello}', '#Hello%20World!'],
        ['foo{#empty}', 'foo#'],
        ['foo{#undef}', 'foo'],
        ['{#path,x}/here', '#/foo/bar,1024/here'],
        ['{#list*}', '#red,green,blue'],
        // label
        ['{.who}', '.fred'],
        ['{.who,who}', '.fred.fred'],
        ['www{.dom*}', 'www.example.com'],
        ['X{.empty}', 'X.'],
        ['X{.undef}', 'X'],
        ['X{.list}', 'X.red,green,blue'],
        ['X{.list*}', 'X.red.green.blue'],
        // path segments
        ['{/who,who}', '/fred/fred'],
        ['{/who,dub}', '/fred/me%2Ftoo'],
        ['{/var,empty}', '/value/'],
        ['{/var,undef}', '/value'],
        ['{/var:1,var}', '/v/value'],
        ['{/list}', '/red,green,blue'],
        ['{/list*}', '/red/green/blue'],
        ['{/list*,path:4}', '/red/green/blue/%2Ffoo'],
        // path parameters
        ['{;who}', ';who=fred'],
        ['{;empty}', ';empty'],
        ['{;v,empty,who}', ';v=6;empty;who=fred'],
        ['{;x,y,undef}', ';x=1024;y=768'],
        ['{;hello:5}', ';hello=Hello'],
        ['{;list}', ';list=red,green,blue'],
        ['{;list*}', ';list=red;list=green;list=blue'],
        // query
        ['{?who}', '?who=fred'],
        ['{?half}', '?half=50%25'],
        ['{?x,y,empty}', '?x=1024&y=768&empty='],
        ['{?x,y,undef}', '?x=1024&y=768'],
        ['{?var:3}', '?var=val'],
        ['{?list}', '?list=red,green,blue'],
        ['{?list*}', '?list=red&list=green&list=blue'],
        ['{?undef}', ''],
        // query continuation
        ['?fixed=yes{&x}', '?fixed=yes&x=1024'],
        ['{&x,y,empty}', '&x=1024&y=768&empty='],
        ['{&list*}', '&list=red&list=green&list=blue']
    ])('expands %s to %s', (template, expected) => {
        expect(new UriTemplate(template).expand(vars)).toBe(expected);
    });

    it('encodes non-ASCII as UTF-8 percent-escapes', () => {
        expect(new UriTemplate('{x}').expand({ x: 'é😀' })).toBe('%C3%A9%F0%9F%98%80');
    });

    it('stringifies numbers and booleans', () => {
        expect(new UriTemplate('{?n,b}').expand({ n: 3, b: true })).toBe('?n=3&b=true');
    });
});

describe('UriTemplate.match', () => {
    it.each([
        ['users://{userId}/profile', 'users://42/profile', { userId: '42' }],
        ['file:///{+path}', 'file:///src/lib/a.ts', { path: 'src/lib/a.ts' }],
        ['/repos/{owner}/{repo}', '/repos/octo%20cat/hello', { owner: 'octo cat', repo: 'hello' }],
        ['search{?q,limit}', 'search?q=mcp&limit=10', { q: 'mcp', limit: '10' }],
        ['search{?q,limit}', 'search?limit=10&q=mcp&other=1', { q: 'mcp', limit: '10' }],
        ['search{?q,limit}', 'search', {}],
        ['file:///{+path}{?rev}', 'file:///a/b.txt?rev=3', { path: 'a/b.txt', rev: '3' }],
        ['{name}{.ext}', 'report.pdf', { name: 'report', ext: 'pdf' }],
        ['api{/segments*}', 'api/a/b/c', { segments: ['a', 'b', 'c'] }],
        ['tags{?tag*}', 'tags?tag=a&tag=b', { tag: ['a', 'b'] }],
        ['color://{list}', 'color://red,green', { list: 'red,green' }],
        ['pair://{x,y}', 'pair://1,2', { x: '1', y: '2' }],
        ['doc{#section}', 'doc#intro', { section: 'intro' }],
        ['m{;a,b}', 'm;a=1;b=2', { a: '1', b: '2' }]
    ])('matches %s against %s', (template, uri, expected) => {
        expect(new UriTemplate(template).match(uri)).toEqual(expected);
    });

    it.each([
        ['users://{userId}/profile', 'users://42/settings'],
        ['users://{userId}/profile', 'users://a/b/profile'],
        ['/items/{id}', '/items/1/2'],
        ['{/id}', '/a/b'],
        ['x://{v}', 'x://%E0%A4%A'],
        ['static://thing', 'static://other']
    ])('does not match %s against %s', (template, uri) => {
        expect(new UriTemplate(template).match(uri)).toBeNull();
    });

    it('round-trips expand → match for simple and query variables', () => {
        const template = new UriTemplate('notes://{folder}/{id}{?tag,sort}');
        const values = { folder: 'a b/c', id: '7', tag: 'x&y', sort: 'asc' };
        expect(template.match(template.expand(values))).toEqual(values);
    });

    it('returns null for a URI over the 16 KiB bound', () => {
        expect(new UriTemplate('{+all}').match('a'.repeat(20_000))).toBeNull();
    });
});

describe('UriTemplate parsing', () => {
    it.each(['{unclosed', 'a}b', '{=x}', '{bad name}', '{x:0}', '{x:abc}', '{}'])('rejects %s', template => {
        expect(() => new UriTemplate(template)).toThrow(UriTemplateError);
    });

    it('lists variable names and detects templates', () => {
        expect(new UriTemplate('a{b}{?c,d*}').variableNames).toEqual(['b', 'c', 'd']);
        expect(UriTemplate.isTemplate('file:///{path}')).toBe(true);
        expect(UriTemplate.isTemplate('file:///plain')).toBe(false);
    });
});
