/**
 * JSON-RPC 2.0 message types, zod schemas and a fast envelope decoder.
 *
 * The decoder ({@link parseJSONRPCMessage}) checks only the envelope, by hand: it is the hot path for every
 * message a transport receives, so it avoids building zod issue trees for valid input.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR } from './constants.js';
import { ErrorCode, JSONRPC_VERSION } from './constants.js';

/** A JSON-RPC request id. */
export type RequestId = string | number;
/** A progress token: correlates `notifications/progress` with the request that asked for it. */
export type ProgressToken = string | number;

/** The `_meta` object that may accompany any request, notification or result. */
export interface RequestMeta {
    progressToken?: ProgressToken;
    [key: string]: unknown;
}

/** A JSON-RPC request (expects a response). */
export interface JSONRPCRequest {
    jsonrpc: '2.0';
    id: RequestId;
    method: string;
    params?: { _meta?: RequestMeta; [key: string]: unknown };
}

/** A JSON-RPC notification (no response). */
export interface JSONRPCNotification {
    jsonrpc: '2.0';
    method: string;
    params?: { _meta?: Record<string, unknown>; [key: string]: unknown };
}

/** A successful JSON-RPC response. */
export interface JSONRPCResultResponse {
    jsonrpc: '2.0';
    id: RequestId;
    result: { _meta?: Record<string, unknown>; [key: string]: unknown };
}

/** The error object of a JSON-RPC error response. */
export interface JSONRPCErrorObject {
    code: number;
    message: string;
    data?: unknown;
}

/** A JSON-RPC error object with code `-32700` (Parse error). */
export interface ParseError extends JSONRPCErrorObject {
    code: typeof PARSE_ERROR;
}
/** A JSON-RPC error object with code `-32600` (Invalid Request). */
export interface InvalidRequestError extends JSONRPCErrorObject {
    code: typeof INVALID_REQUEST;
}
/** A JSON-RPC error object with code `-32601` (Method not found). */
export interface MethodNotFoundError extends JSONRPCErrorObject {
    code: typeof METHOD_NOT_FOUND;
}
/** A JSON-RPC error object with code `-32602` (Invalid params). */
export interface InvalidParamsError extends JSONRPCErrorObject {
    code: typeof INVALID_PARAMS;
}
/** A JSON-RPC error object with code `-32603` (Internal error). */
export interface InternalError extends JSONRPCErrorObject {
    code: typeof INTERNAL_ERROR;
}

/** A JSON-RPC error response. `id` is absent only when the request id could not be read. */
export interface JSONRPCErrorResponse {
    jsonrpc: '2.0';
    id?: RequestId;
    error: JSONRPCErrorObject;
}

/** Either kind of response. */
export type JSONRPCResponse = JSONRPCResultResponse | JSONRPCErrorResponse;

/** Any JSON-RPC message. */
export type JSONRPCMessage = JSONRPCRequest | JSONRPCNotification | JSONRPCResultResponse | JSONRPCErrorResponse;

/** Schema for {@link RequestId}. */
export const RequestIdSchema = z.union([z.string(), z.number()]);

/** Schema for a JSON-RPC request envelope. */
export const JSONRPCRequestSchema = z.looseObject({
    jsonrpc: z.literal(JSONRPC_VERSION),
    id: RequestIdSchema,
    method: z.string(),
    params: z.optional(z.record(z.string(), z.unknown()))
});

/** Schema for a JSON-RPC notification envelope. */
export const JSONRPCNotificationSchema = z.looseObject({
    jsonrpc: z.literal(JSONRPC_VERSION),
    method: z.string(),
    params: z.optional(z.record(z.string(), z.unknown()))
});

/** Schema for a JSON-RPC success response envelope. */
export const JSONRPCResultResponseSchema = z.looseObject({
    jsonrpc: z.literal(JSONRPC_VERSION),
    id: RequestIdSchema,
    result: z.record(z.string(), z.unknown())
});

/** Schema for a JSON-RPC error response envelope. */
export const JSONRPCErrorResponseSchema = z.looseObject({
    jsonrpc: z.literal(JSONRPC_VERSION),
    id: z.optional(RequestIdSchema),
    error: z.looseObject({ code: z.number(), message: z.string(), data: z.optional(z.unknown()) })
});

/** Schema for any JSON-RPC response envelope: a result or an error. */
export const JSONRPCResponseSchema = z.union([JSONRPCResultResponseSchema, JSONRPCErrorResponseSchema]);

/** Schema for any JSON-RPC message. Prefer {@link parseJSONRPCMessage} on hot paths. */
export const JSONRPCMessageSchema = z.union([
    JSONRPCRequestSchema,
    JSONRPCNotificationSchema,
    JSONRPCResultResponseSchema,
    JSONRPCErrorResponseSchema
]);

/** Thrown by {@link parseJSONRPCMessage} when a value is not a JSON-RPC 2.0 message. */
export class InvalidJSONRPCMessageError extends Error {
    /** Stable error code. */
    readonly code = 'INVALID_JSONRPC_MESSAGE' as const;
    /** The JSON-RPC error code a server answers with. */
    readonly jsonRpcCode: number = ErrorCode.InvalidRequest;
    override readonly name = 'InvalidJSONRPCMessageError';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is RequestId {
    return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks a decoded JSON value is a JSON-RPC 2.0 message and returns it typed.
 *
 * @throws {@link InvalidJSONRPCMessageError} naming what is wrong.
 */
export function parseJSONRPCMessage(value: unknown): JSONRPCMessage {
    if (!isPlainObject(value)) throw new InvalidJSONRPCMessageError('JSON-RPC message must be an object');
    if (value.jsonrpc !== JSONRPC_VERSION)
        throw new InvalidJSONRPCMessageError('JSON-RPC message must have jsonrpc "2.0"');
    if ('params' in value && value.params !== undefined && !isPlainObject(value.params)) {
        throw new InvalidJSONRPCMessageError('JSON-RPC params must be an object');
    }
    if (typeof value.method === 'string') {
        if (!('id' in value)) return value as unknown as JSONRPCNotification;
        if (!isRequestId(value.id))
            throw new InvalidJSONRPCMessageError('JSON-RPC request id must be a string or number');
        return value as unknown as JSONRPCRequest;
    }
    if ('method' in value) throw new InvalidJSONRPCMessageError('JSON-RPC method must be a string');
    if ('result' in value) {
        if (!isRequestId(value.id))
            throw new InvalidJSONRPCMessageError('JSON-RPC response id must be a string or number');
        if (!isPlainObject(value.result)) throw new InvalidJSONRPCMessageError('JSON-RPC result must be an object');
        return value as unknown as JSONRPCResultResponse;
    }
    if ('error' in value) {
        const error = value.error;
        if (!isPlainObject(error) || typeof error.code !== 'number' || typeof error.message !== 'string') {
            throw new InvalidJSONRPCMessageError('JSON-RPC error must have a numeric code and a string message');
        }
        if (value.id !== undefined && value.id !== null && !isRequestId(value.id)) {
            throw new InvalidJSONRPCMessageError('JSON-RPC error id must be a string or number');
        }
        return value as unknown as JSONRPCErrorResponse;
    }
    throw new InvalidJSONRPCMessageError('JSON-RPC message is neither a request, a notification nor a response');
}

function envelope(value: unknown): Record<string, unknown> | undefined {
    return isPlainObject(value) && value.jsonrpc === JSONRPC_VERSION ? value : undefined;
}

/** True when `value` is a JSON-RPC request (`jsonrpc: "2.0"`, a string `method`, a string or number `id`). */
export function isJSONRPCRequest(value: unknown): value is JSONRPCRequest {
    const message = envelope(value);
    return message !== undefined && typeof message.method === 'string' && isRequestId(message.id);
}

/** True when `value` is a JSON-RPC notification (`jsonrpc: "2.0"`, a string `method`, no `id`). */
export function isJSONRPCNotification(value: unknown): value is JSONRPCNotification {
    const message = envelope(value);
    return message !== undefined && typeof message.method === 'string' && !('id' in message);
}

/** True when `value` is a JSON-RPC success response (`jsonrpc: "2.0"`, an `id`, an object `result`). */
export function isJSONRPCResultResponse(value: unknown): value is JSONRPCResultResponse {
    const message = envelope(value);
    return message !== undefined && isRequestId(message.id) && isPlainObject(message.result);
}

/** True when `value` is a JSON-RPC error response (`jsonrpc: "2.0"`, an `error` object with a numeric `code`). */
export function isJSONRPCErrorResponse(value: unknown): value is JSONRPCErrorResponse {
    const message = envelope(value);
    return message !== undefined && isPlainObject(message.error) && typeof message.error.code === 'number';
}

/** True when `value` is either kind of JSON-RPC response. */
export function isJSONRPCResponse(value: unknown): value is JSONRPCResponse {
    return isJSONRPCResultResponse(value) || isJSONRPCErrorResponse(value);
}
