/**
 * Logging: `logging/setLevel` and `notifications/message`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema, RequestMetaObjectSchema } from './base.js';

/** Schema for a syslog severity (RFC 5424 §6.2.1), least to most severe. */
export const LoggingLevelSchema = z.enum([
    'debug',
    'info',
    'notice',
    'warning',
    'error',
    'critical',
    'alert',
    'emergency'
]);
/** A syslog severity. */
export type LoggingLevel = z.infer<typeof LoggingLevelSchema>;

/** Schema for the params of `logging/setLevel`. */
export const SetLevelRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    /** The minimum level the client wants to receive. */
    level: LoggingLevelSchema
});
/** Params of `logging/setLevel`. */
export type SetLevelRequestParams = z.infer<typeof SetLevelRequestParamsSchema>;

/** Schema for the params of `notifications/message`. */
export const LoggingMessageNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    level: LoggingLevelSchema,
    /** The name of the logger. */
    logger: z.optional(z.string()),
    /** Any JSON-serialisable data. */
    data: z.unknown()
});
/** Params of `notifications/message`. */
export type LoggingMessageNotificationParams = z.infer<typeof LoggingMessageNotificationParamsSchema>;
