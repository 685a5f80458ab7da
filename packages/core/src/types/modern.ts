/**
 * Messages of protocol revision 2026-07-28 that earlier revisions lack: `server/discover`, the multi-round
 * `input_required` result with its input requests and responses, and the `_meta` a modern result carries.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/server/discover
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr
 * @module
 */
import * as z from 'zod/mini';
import { BaseRequestParamsSchema, ImplementationSchema, MetaSchema, RequestMetaObjectSchema } from './base.js';
import type {
    CLIENT_CAPABILITIES_META_KEY,
    CLIENT_INFO_META_KEY,
    LOG_LEVEL_META_KEY,
    PROTOCOL_VERSION_META_KEY
} from './constants.js';
import { SERVER_INFO_META_KEY, SUBSCRIPTION_ID_META_KEY } from './constants.js';
import type { Implementation } from './base.js';
import type { ClientCapabilities } from './initialize.js';
import type { LoggingLevel } from './logging.js';
import { RequestIdSchema } from './jsonrpc.js';
import { ElicitResultSchema } from './elicitation.js';
import { ServerCapabilitiesSchema } from './initialize.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from './messages.js';
import { ListRootsResultSchema } from './roots.js';
import { CreateMessageResultSchema } from './sampling.js';

/** Schema for the `_meta` of a modern result (the server's identity, and anything else). */
export const ResultMetaObjectSchema = z.looseObject({
    [SERVER_INFO_META_KEY]: z.optional(ImplementationSchema)
});
/** The `_meta` of a modern result. */
export type ResultMetaObject = z.infer<typeof ResultMetaObjectSchema>;

/** Who may reuse a cached result: anyone (`public`) or only the same authorization context (`private`). */
export type CacheScope = 'public' | 'private';

/** Schema for `server/discover`. */
export const DiscoverRequestSchema = z.looseObject({
    method: z.literal('server/discover'),
    params: z.optional(BaseRequestParamsSchema)
});
/** `server/discover`: the server's versions, capabilities and identity. */
export type DiscoverRequest = z.infer<typeof DiscoverRequestSchema>;

/** Schema for the result of `server/discover`. */
export const DiscoverResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    resultType: z.optional(z.string()),
    /** The protocol versions the server supports. */
    supportedVersions: z.array(z.string()),
    capabilities: ServerCapabilitiesSchema,
    /** Guidance for the model on how to use the server. */
    instructions: z.optional(z.string()),
    /** How long (ms) the client may cache this result. */
    ttlMs: z.optional(z.number()),
    /** Who may reuse the cached result. */
    cacheScope: z.optional(z.enum(['public', 'private']))
});
/** Result of `server/discover`. */
export type DiscoverResult = z.infer<typeof DiscoverResultSchema>;

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

/** Schema for what a `subscriptions/listen` stream asks for (or, acknowledged, what the server honours). */
export const SubscriptionFilterSchema = z.looseObject({
    toolsListChanged: z.optional(z.boolean()),
    promptsListChanged: z.optional(z.boolean()),
    resourcesListChanged: z.optional(z.boolean()),
    /** URIs whose `notifications/resources/updated` the client wants. */
    resourceSubscriptions: z.optional(z.array(z.string()))
});
/** What a `subscriptions/listen` stream asks for, or what the server honours of it. */
export type SubscriptionFilter = z.infer<typeof SubscriptionFilterSchema>;

/** Schema for the params of `subscriptions/listen`. */
export const SubscriptionsListenRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    notifications: SubscriptionFilterSchema
});
/** Params of `subscriptions/listen`. */
export type SubscriptionsListenRequestParams = z.infer<typeof SubscriptionsListenRequestParamsSchema>;

/** Schema for `subscriptions/listen`: a long-lived request whose stream carries the filtered notifications. */
export const SubscriptionsListenRequestSchema = z.looseObject({
    method: z.literal('subscriptions/listen'),
    params: SubscriptionsListenRequestParamsSchema
});
/** `subscriptions/listen`. */
export type SubscriptionsListenRequest = z.infer<typeof SubscriptionsListenRequestSchema>;

/** Schema for the `_meta` of a listen stream's messages: the subscription (the listen request's id). */
export const SubscriptionsListenResultMetaSchema = z.looseObject({
    [SUBSCRIPTION_ID_META_KEY]: RequestIdSchema
});
/** The `_meta` of a listen stream's messages. */
export type SubscriptionsListenResultMeta = z.infer<typeof SubscriptionsListenResultMetaSchema>;

/** Schema for the result that ends a subscription gracefully. */
export const SubscriptionsListenResultSchema = z.looseObject({
    _meta: SubscriptionsListenResultMetaSchema,
    resultType: z.optional(z.string())
});
/** The result that ends a subscription gracefully. */
export type SubscriptionsListenResult = z.infer<typeof SubscriptionsListenResultSchema>;

/** Schema for the params of `notifications/subscriptions/acknowledged`. */
export const SubscriptionsAcknowledgedNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    notifications: SubscriptionFilterSchema
});
/** Params of `notifications/subscriptions/acknowledged`. */
export type SubscriptionsAcknowledgedNotificationParams = z.infer<
    typeof SubscriptionsAcknowledgedNotificationParamsSchema
>;

/** Schema for `notifications/subscriptions/acknowledged`, the first message of every listen stream. */
export const SubscriptionsAcknowledgedNotificationSchema = z.looseObject({
    method: z.literal('notifications/subscriptions/acknowledged'),
    params: SubscriptionsAcknowledgedNotificationParamsSchema
});
/** `notifications/subscriptions/acknowledged`. */
export type SubscriptionsAcknowledgedNotification = z.infer<typeof SubscriptionsAcknowledgedNotificationSchema>;

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
