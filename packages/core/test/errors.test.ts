import { describe, expect, it } from 'vitest';
import type { SdkError } from '../src/index.js';
import {
    CapabilityNotSupportedError,
    ErrorCode,
    McpError,
    NotConnectedError,
    UrlElicitationRequiredError
} from '../src/index.js';

describe('McpError.fromError', () => {
    it('keeps code, message and data of a JSON-RPC error object', () => {
        const error = McpError.fromError({ code: -32002, message: 'Resource not found', data: { uri: 'x' } });
        expect(error).toBeInstanceOf(McpError);
        expect(error).toMatchObject({ code: -32002, message: 'Resource not found', data: { uri: 'x' } });
        expect(error.toJSONRPCError()).toEqual({ code: -32002, message: 'Resource not found', data: { uri: 'x' } });
    });

    it('builds UrlElicitationRequiredError for -32042 with well-formed elicitations', () => {
        const elicitations = [{ mode: 'url', message: 'Authorize', elicitationId: 'e', url: 'https://x.test' }];
        const error = McpError.fromError({
            code: ErrorCode.UrlElicitationRequired,
            message: 'need',
            data: { elicitations }
        });
        expect(error).toBeInstanceOf(UrlElicitationRequiredError);
        expect((error as UrlElicitationRequiredError).elicitations).toEqual(elicitations);
    });

    it('falls back to a plain McpError for -32042 with malformed data', () => {
        const error = McpError.fromError({
            code: ErrorCode.UrlElicitationRequired,
            message: 'need',
            data: { elicitations: [{ mode: 'form' }] }
        });
        expect(error).not.toBeInstanceOf(UrlElicitationRequiredError);
        expect(error.code).toBe(ErrorCode.UrlElicitationRequired);
    });

    it('omits data from the error object when there is none', () => {
        expect(new McpError(ErrorCode.InternalError, 'x').toJSONRPCError()).toEqual({ code: -32603, message: 'x' });
    });
});

describe('SdkError family', () => {
    it('carries stable string codes and names', () => {
        const errors: SdkError[] = [new NotConnectedError(), new CapabilityNotSupportedError('tools/call', 'tools')];
        expect(errors.map(e => [e.name, e.code])).toEqual([
            ['NotConnectedError', 'NOT_CONNECTED'],
            ['CapabilityNotSupportedError', 'CAPABILITY_NOT_SUPPORTED']
        ]);
        expect(errors[1]!.message).toContain('tools/call');
    });
});
