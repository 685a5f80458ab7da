import { describe, expect, it } from 'vitest';
import { InvalidJSONRPCMessageError, isJSONRPCRequest, parseJSONRPCMessage } from '../src/types/jsonrpc.js';

describe('parseJSONRPCMessage', () => {
    it('accepts a request and narrows it', () => {
        const message = parseJSONRPCMessage({ jsonrpc: '2.0', id: 1, method: 'ping' });
        expect(isJSONRPCRequest(message)).toBe(true);
    });

    it.each([
        ['a non-object', 'hello'],
        ['an array', []],
        ['a wrong version', { jsonrpc: '1.0', id: 1, method: 'ping' }],
        ['a non-string method', { jsonrpc: '2.0', id: 1, method: 7 }],
        ['an object id', { jsonrpc: '2.0', id: {}, method: 'ping' }],
        ['array params', { jsonrpc: '2.0', id: 1, method: 'ping', params: [] }],
        ['a result without id', { jsonrpc: '2.0', result: {} }],
        ['a malformed error', { jsonrpc: '2.0', id: 1, error: { code: 'x' } }],
        ['an empty envelope', { jsonrpc: '2.0' }]
    ])('rejects %s with a typed error', (_label, value) => {
        expect(() => parseJSONRPCMessage(value)).toThrow(InvalidJSONRPCMessageError);
    });
});
