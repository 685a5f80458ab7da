/**
 * The 2026-07-28 messages that need nothing of the 2025 message set: `server/discover`, `subscriptions/listen` and
 * its acknowledgement, and a modern result's `_meta` (kept apart from `modern.ts` so the request and notification
 * unions of `messages.ts` can include them).
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/server/discover
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/subscriptions
 * @module
 */
import * as z from 'zod/mini';
import { BaseRequestParamsSchema, ImplementationSchema, MetaSchema, RequestMetaObjectSchema } from './base.js';
import { SERVER_INFO_META_KEY, SUBSCRIPTION_ID_META_KEY } from './constants.js';
import { ServerCapabilitiesSchema } from './initialize.js';
import { RequestIdSchema } from './jsonrpc.js';

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
