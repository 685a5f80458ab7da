/**
 * The schema-validated form of `setRequestHandler` / `setNotificationHandler` for custom methods: the params
 * are checked with a Standard Schema (zod, valibot, arktype, …) before the handler runs, and the handler gets
 * the parsed params.
 *
 * @module
 */
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '../errors.js';
import type { Result } from '../types/base.js';
import type { Notification } from '../types/methods.js';
import type { StandardSchemaV1 } from './standardSchema.js';
import { formatStandardSchemaIssues, isStandardSchema, validateStandardSchema } from './standardSchema.js';

/**
 * The schemas of `setRequestHandler`'s three-argument form: `params` validates the request's params; `result`
 * (optional) types the handler's return value and is not checked at run time.
 */
export interface RequestHandlerSchemas<
    P extends StandardSchemaV1 = StandardSchemaV1,
    R extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined
> {
    params: P;
    result?: R;
}

/** What a schema-validated request handler returns: the `result` schema's output, else any {@link Result}. */
export type InferHandlerResult<R extends StandardSchemaV1 | undefined> = R extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<R>
    : Result;

/** Wraps `handler` so it runs on the params parsed by `schema`; invalid params throw a `-32602` {@link ProtocolError}. */
export function withParamsSchema(
    method: string,
    schema: StandardSchemaV1,
    handler: (params: unknown, ctx: unknown) => unknown
): (request: { params?: unknown }, ctx: unknown) => Promise<unknown> {
    return async (request, ctx) => {
        const outcome = await validateStandardSchema(schema, request.params ?? {});
        if (!outcome.ok) {
            throw new ProtocolError(
                ProtocolErrorCode.InvalidParams,
                `Invalid params for ${method}: ${formatStandardSchemaIssues(outcome.issues)}`
            );
        }
        return handler(outcome.value, ctx);
    };
}

/** Wraps a notification handler so it runs on the params parsed by `schema`; invalid params throw (reported via `onerror`). */
export function notificationWithParamsSchema(
    method: string,
    schema: StandardSchemaV1,
    handler: (params: unknown, notification: Notification) => void | Promise<void>
): (notification: Notification) => Promise<void> {
    return async notification => {
        const outcome = await validateStandardSchema(schema, notification.params ?? {});
        if (!outcome.ok) {
            throw new ProtocolError(
                ProtocolErrorCode.InvalidParams,
                `Invalid params for notification ${method}: ${formatStandardSchemaIssues(outcome.issues)}`
            );
        }
        await handler(outcome.value, notification);
    };
}

/**
 * Checks the three-argument registration form at registration time.
 *
 * @throws {@link SdkError} `INVALID_HANDLER_SCHEMA` when `params` is not a Standard Schema or `handler` is not a
 * function (instead of failing every request later).
 */
export function checkSchemaHandler(method: string, params: unknown, handler: unknown): void {
    if (!isStandardSchema(params)) {
        throw new SdkError(
            SdkErrorCode.InvalidHandlerSchema,
            `setRequestHandler/setNotificationHandler('${method}', { params }, …): params must be a Standard Schema (zod, valibot, arktype, …)`
        );
    }
    if (typeof handler !== 'function') {
        throw new SdkError(SdkErrorCode.InvalidHandlerSchema, `No handler given for '${method}'`);
    }
}

/**
 * Handlers are registered by method name. The v1 form `setRequestHandler(CallToolRequestSchema, handler)` would
 * otherwise register a handler no request ever reaches.
 *
 * @throws {@link SdkError} `INVALID_HANDLER_SCHEMA` when `method` is not a string.
 */
export function checkMethodName(method: unknown): void {
    if (typeof method === 'string') return;
    throw new SdkError(
        SdkErrorCode.InvalidHandlerSchema,
        "Handlers are registered by method name, e.g. setRequestHandler('tools/call', handler); the v1 form with a request schema is not supported"
    );
}
