import { describe, expect, it } from 'vitest';
import {
    CapabilityNotSupportedError,
    ConnectionClosedError,
    ErrorCode,
    InvalidResultError,
    McpError,
    NotConnectedError,
    ProtocolError,
    ProtocolErrorCode,
    RequestTimeoutError,
    ResourceNotFoundError,
    SdkError as SdkErrorClass,
    SdkErrorCode,
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
        const errors: SdkErrorClass[] = [
            new NotConnectedError(),
            new CapabilityNotSupportedError('tools/call', 'tools')
        ];
        expect(errors.map(e => [e.name, e.code])).toEqual([
            ['NotConnectedError', 'NOT_CONNECTED'],
            ['CapabilityNotSupportedError', 'CAPABILITY_NOT_SUPPORTED']
        ]);
        expect(errors[1]!.message).toContain('tools/call');
    });
});

describe('the official v2 error families', () => {
    it('every McpError is a ProtocolError, with the codes of ProtocolErrorCode', () => {
        const received = McpError.fromError({ code: ProtocolErrorCode.MethodNotFound, message: 'nope' });
        expect(received).toBeInstanceOf(ProtocolError);
        expect(ProtocolError.isInstance(received)).toBe(true);
        expect(received.code).toBe(-32601);
        const built = ProtocolError.fromError(ProtocolErrorCode.InvalidParams, 'bad', { field: 'x' });
        expect(built).toMatchObject({ code: -32602, message: 'bad', data: { field: 'x' } });
        const missing = new ResourceNotFoundError('file:///a');
        expect(missing).toBeInstanceOf(ProtocolError);
        expect(missing.toJSONRPCError()).toEqual({
            code: -32002,
            message: 'Resource file:///a not found',
            data: { uri: 'file:///a' }
        });
        expect(missing.uri).toBe('file:///a');
    });

    it('SdkError is a concrete class with string codes; the SDK raises its subclasses', () => {
        const error = new SdkErrorClass(SdkErrorCode.NotConnected, 'Transport is not connected');
        expect(error).toMatchObject({ name: 'SdkError', code: 'NOT_CONNECTED' });
        expect(new NotConnectedError()).toBeInstanceOf(SdkErrorClass);
        expect(SdkErrorClass.isInstance(new RequestTimeoutError('late', { timeout: 1 }))).toBe(true);
        expect(new ConnectionClosedError().code).toBe(SdkErrorCode.ConnectionClosed);
        expect(new InvalidResultError('tools/list', 'no tools').code).toBe(SdkErrorCode.InvalidResult);
        expect(ProtocolError.isInstance(error)).toBe(false);
    });
});
