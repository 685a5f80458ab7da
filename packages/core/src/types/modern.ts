/**
 * Messages of protocol revision 2026-07-28 that earlier revisions lack: `server/discover`, the multi-round
 * `input_required` result with its input requests and responses, and the `_meta` a modern result carries.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/server/discover
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema } from './base.js';
import type { RequestMetaObjectSchema } from './base.js';
import type {
    CLIENT_CAPABILITIES_META_KEY,
    CLIENT_INFO_META_KEY,
    LOG_LEVEL_META_KEY,
    PROTOCOL_VERSION_META_KEY
} from './constants.js';
import type { Implementation } from './base.js';
import type { ClientCapabilities } from './initialize.js';
import type { LoggingLevel } from './logging.js';
import { ElicitResultSchema } from './elicitation.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from './messages.js';
import { ListRootsResultSchema } from './roots.js';
import { CreateMessageResultSchema } from './sampling.js';
export {
    DiscoverRequestSchema,
    DiscoverResultSchema,
    ResultMetaObjectSchema,
    SubscriptionFilterSchema,
    SubscriptionsAcknowledgedNotificationParamsSchema,
    SubscriptionsAcknowledgedNotificationSchema,
    SubscriptionsListenRequestParamsSchema,
    SubscriptionsListenRequestSchema,
    SubscriptionsListenResultMetaSchema,
    SubscriptionsListenResultSchema
} from './discover.js';
export type {
    CacheScope,
    DiscoverRequest,
    DiscoverResult,
    ResultMetaObject,
    SubscriptionFilter,
    SubscriptionsAcknowledgedNotification,
    SubscriptionsAcknowledgedNotificationParams,
    SubscriptionsListenRequest,
    SubscriptionsListenRequestParams,
    SubscriptionsListenResult,
    SubscriptionsListenResultMeta
} from './discover.js';

/** Schema for one request a server needs the client to fulfil before it can finish (sampling, roots, elicitation). */
export const InputRequestSchema = z.union([CreateMessageRequestSchema, ListRootsRequestSchema, ElicitRequestSchema]);
/** A request the server needs fulfilled before it can finish. */
export type InputRequest = z.infer<typeof InputRequestSchema>;

/** Schema for the client's answer to one {@link InputRequest}. */
export const InputResponseSchema = z.union([CreateMessageResultSchema, ListRootsResultSchema, ElicitResultSchema]);
/** The client's answer to one {@link InputRequest}. */
export type InputResponse = z.infer<typeof InputResponseSchema>;

/** Schema for the input requests of an `input_required` result, by server-chosen key. */
export const InputRequestsSchema = z.record(z.string(), InputRequestSchema);
/** The input requests of an `input_required` result, by server-chosen key. */
export type InputRequests = z.infer<typeof InputRequestsSchema>;

/** Schema for the client's answers, under the keys of the input requests they answer. */
export const InputResponsesSchema = z.record(z.string(), InputResponseSchema);
/** The client's answers, under the keys of the input requests they answer. */
export type InputResponses = z.infer<typeof InputResponsesSchema>;

/**
 * Schema for an `input_required` result: the request cannot finish until the client fulfils `inputRequests`
 * and repeats the request with `inputResponses` and the byte-exact `requestState`.
 */
export const InputRequiredResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    resultType: z.literal('input_required'),
    inputRequests: z.optional(InputRequestsSchema),
    /** Opaque server state to echo back unchanged. */
    requestState: z.optional(z.string())
});
/** An `input_required` result. */
export type InputRequiredResult = z.infer<typeof InputRequiredResultSchema>;

/** True when `value` is an `input_required` result carrying input requests or request state. */
export function isInputRequiredResult(value: unknown): value is InputRequiredResult {
    if (!InputRequiredResultSchema.safeParse(value).success) return false;
    const result = value as InputRequiredResult;
    return result.inputRequests !== undefined || result.requestState !== undefined;
}

/** The per-request `_meta` a 2026-07-28 request carries: its version, capabilities, identity and log level. */
export type RequestMetaEnvelope = {
    [PROTOCOL_VERSION_META_KEY]?: string;
    [CLIENT_CAPABILITIES_META_KEY]?: ClientCapabilities;
    [CLIENT_INFO_META_KEY]?: Implementation;
    [LOG_LEVEL_META_KEY]?: LoggingLevel;
};

/** A request's `_meta`: the progress token and the 2026-07-28 envelope, plus any other keys. */
export type RequestMetaObject = z.infer<typeof RequestMetaObjectSchema> & RequestMetaEnvelope;

/** The era a transport classified a message into at its edge (`revision` when it derived one). */
export interface MessageClassification {
    era: 'legacy' | 'modern';
    revision?: string;
}
