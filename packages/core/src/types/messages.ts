/**
 * Whole request and notification messages (`{ method, params }`) for every MCP 2025-11-25 method, the unions of
 * what each side sends, and the maps from method to message, params and result. The params and result schemas
 * live beside their feature (`tools.ts`, `resources.ts`, …); this module only wraps them.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema
 * @module
 */
import * as z from 'zod/mini';
import {
    BaseNotificationParamsSchema,
    BaseRequestParamsSchema,
    CancelledNotificationParamsSchema,
    EmptyResultSchema,
    MetaSchema,
    PaginatedRequestParamsSchema,
    ProgressNotificationParamsSchema,
    RequestMetaObjectSchema
} from './base.js';
import { CompleteRequestParamsSchema, CompleteResultSchema } from './completion.js';
import {
    ElicitationCompleteNotificationParamsSchema,
    ElicitRequestParamsSchema,
    ElicitResultSchema
} from './elicitation.js';
import { InitializeRequestParamsSchema, InitializeResultSchema } from './initialize.js';
import {
    DiscoverRequestSchema,
    SubscriptionsAcknowledgedNotificationSchema,
    SubscriptionsListenRequestSchema
} from './discover.js';
import { LoggingMessageNotificationParamsSchema, SetLevelRequestParamsSchema } from './logging.js';
import type {
    ClientNotificationMethods,
    ClientRequestMethods,
    HandlerResultFor,
    NotificationFor,
    RequestFor,
    ServerNotificationMethods,
    ServerRequestMethods
} from './methods.js';
import { GetPromptRequestParamsSchema, GetPromptResultSchema, ListPromptsResultSchema } from './prompts.js';
import {
    ListResourcesResultSchema,
    ListResourceTemplatesResultSchema,
    ReadResourceRequestParamsSchema,
    ReadResourceResultSchema,
    ResourceUpdatedNotificationParamsSchema,
    SubscribeRequestParamsSchema,
    UnsubscribeRequestParamsSchema
} from './resources.js';
import { ListRootsResultSchema } from './roots.js';
import { CreateMessageRequestParamsSchema, CreateMessageResultSchema } from './sampling.js';
import { CallToolRequestParamsSchema, CallToolResultSchema, ListToolsResultSchema } from './tools.js';

function request<M extends string, P extends z.core.$ZodType>(method: M, params: P) {
    return z.looseObject({ method: z.literal(method), params });
}
function notification<M extends string, P extends z.core.$ZodType>(method: M, params: P) {
    return z.looseObject({ method: z.literal(method), params });
}

const OptionalRequestParams = z.optional(BaseRequestParamsSchema);
const OptionalPaginatedParams = z.optional(PaginatedRequestParamsSchema);
const OptionalNotificationParams = z.optional(BaseNotificationParamsSchema);

/** Schema for the `_meta` of a request's params (alias of the progress-token carrying object). */
export const RequestMetaSchema = RequestMetaObjectSchema;

/** Schema for a request of any method: `method` and optional params with `_meta`. */
export const RequestSchema = z.looseObject({ method: z.string(), params: OptionalRequestParams });
/** Schema for a notification of any method. */
export const NotificationSchema = z.looseObject({ method: z.string(), params: OptionalNotificationParams });
/** Schema for a paginated list request of any method. */
export const PaginatedRequestSchema = z.looseObject({ method: z.string(), params: OptionalPaginatedParams });

/** Schema for a progress update (`Progress`): `progress`, optional `total` and `message`. */
export const ProgressSchema = z.looseObject({
    progress: z.number(),
    total: z.optional(z.number()),
    message: z.optional(z.string())
});

// ----- requests ---------------------------------------------------------------------------------------------

/** Schema for an `initialize` request. */
export const InitializeRequestSchema = request('initialize', InitializeRequestParamsSchema);
/** Schema for a `ping` request. */
export const PingRequestSchema = request('ping', OptionalRequestParams);
/** Schema for a `tools/list` request. */
export const ListToolsRequestSchema = request('tools/list', OptionalPaginatedParams);
/** Schema for a `tools/call` request. */
export const CallToolRequestSchema = request('tools/call', CallToolRequestParamsSchema);
/** Schema for a `resources/list` request. */
export const ListResourcesRequestSchema = request('resources/list', OptionalPaginatedParams);
/** Schema for a `resources/templates/list` request. */
export const ListResourceTemplatesRequestSchema = request('resources/templates/list', OptionalPaginatedParams);
/** Schema for a `resources/read` request. */
export const ReadResourceRequestSchema = request('resources/read', ReadResourceRequestParamsSchema);
/** Schema for a `resources/subscribe` request. */
export const SubscribeRequestSchema = request('resources/subscribe', SubscribeRequestParamsSchema);
/** Schema for a `resources/unsubscribe` request. */
export const UnsubscribeRequestSchema = request('resources/unsubscribe', UnsubscribeRequestParamsSchema);
/** Schema for a `prompts/list` request. */
export const ListPromptsRequestSchema = request('prompts/list', OptionalPaginatedParams);
/** Schema for a `prompts/get` request. */
export const GetPromptRequestSchema = request('prompts/get', GetPromptRequestParamsSchema);
/** Schema for a `completion/complete` request. */
export const CompleteRequestSchema = request('completion/complete', CompleteRequestParamsSchema);
/** Schema for a `logging/setLevel` request. */
export const SetLevelRequestSchema = request('logging/setLevel', SetLevelRequestParamsSchema);
/** Schema for a `sampling/createMessage` request. */
export const CreateMessageRequestSchema = request('sampling/createMessage', CreateMessageRequestParamsSchema);
/** Schema for an `elicitation/create` request. */
export const ElicitRequestSchema = request('elicitation/create', ElicitRequestParamsSchema);
/** Schema for a `roots/list` request. */
export const ListRootsRequestSchema = request('roots/list', OptionalRequestParams);

// ----- notifications ----------------------------------------------------------------------------------------

/** Schema for `notifications/cancelled`. */
export const CancelledNotificationSchema = notification('notifications/cancelled', CancelledNotificationParamsSchema);
/** Schema for `notifications/progress`. */
export const ProgressNotificationSchema = notification('notifications/progress', ProgressNotificationParamsSchema);
/** Schema for `notifications/initialized`. */
export const InitializedNotificationSchema = notification('notifications/initialized', OptionalNotificationParams);
/** Schema for `notifications/roots/list_changed`. */
export const RootsListChangedNotificationSchema = notification(
    'notifications/roots/list_changed',
    OptionalNotificationParams
);
/** Schema for `notifications/message` (a log message). */
export const LoggingMessageNotificationSchema = notification(
    'notifications/message',
    LoggingMessageNotificationParamsSchema
);
/** Schema for `notifications/resources/updated`. */
export const ResourceUpdatedNotificationSchema = notification(
    'notifications/resources/updated',
    ResourceUpdatedNotificationParamsSchema
);
/** Schema for `notifications/resources/list_changed`. */
export const ResourceListChangedNotificationSchema = notification(
    'notifications/resources/list_changed',
    OptionalNotificationParams
);
/** Schema for `notifications/tools/list_changed`. */
export const ToolListChangedNotificationSchema = notification(
    'notifications/tools/list_changed',
    OptionalNotificationParams
);
/** Schema for `notifications/prompts/list_changed`. */
export const PromptListChangedNotificationSchema = notification(
    'notifications/prompts/list_changed',
    OptionalNotificationParams
);
/** Schema for `notifications/elicitation/complete`. */
export const ElicitationCompleteNotificationSchema = notification(
    'notifications/elicitation/complete',
    ElicitationCompleteNotificationParamsSchema
);

// ----- what each side sends ---------------------------------------------------------------------------------

/** Schema for any request a client sends. */
export const ClientRequestSchema = z.discriminatedUnion('method', [
    InitializeRequestSchema,
    PingRequestSchema,
    ListToolsRequestSchema,
    CallToolRequestSchema,
    ListResourcesRequestSchema,
    ListResourceTemplatesRequestSchema,
    ReadResourceRequestSchema,
    SubscribeRequestSchema,
    UnsubscribeRequestSchema,
    ListPromptsRequestSchema,
    GetPromptRequestSchema,
    CompleteRequestSchema,
    SetLevelRequestSchema,
    DiscoverRequestSchema,
    SubscriptionsListenRequestSchema
]);
/** Schema for any request a server sends. */
export const ServerRequestSchema = z.discriminatedUnion('method', [
    PingRequestSchema,
    CreateMessageRequestSchema,
    ElicitRequestSchema,
    ListRootsRequestSchema
]);
/** Schema for any notification a client sends. */
export const ClientNotificationSchema = z.discriminatedUnion('method', [
    CancelledNotificationSchema,
    ProgressNotificationSchema,
    InitializedNotificationSchema,
    RootsListChangedNotificationSchema
]);
/** Schema for any notification a server sends. */
export const ServerNotificationSchema = z.discriminatedUnion('method', [
    CancelledNotificationSchema,
    ProgressNotificationSchema,
    LoggingMessageNotificationSchema,
    ResourceUpdatedNotificationSchema,
    ResourceListChangedNotificationSchema,
    ToolListChangedNotificationSchema,
    PromptListChangedNotificationSchema,
    ElicitationCompleteNotificationSchema,
    SubscriptionsAcknowledgedNotificationSchema
]);
/** Schema for any result a client returns (the specific shapes first; the empty result matches any object). */
export const ClientResultSchema = z.union([
    CreateMessageResultSchema,
    ElicitResultSchema,
    ListRootsResultSchema,
    EmptyResultSchema
]);
/** Schema for any result a server returns (the specific shapes first; the empty result matches any object). */
export const ServerResultSchema = z.union([
    InitializeResultSchema,
    CallToolResultSchema,
    ListToolsResultSchema,
    ListResourcesResultSchema,
    ListResourceTemplatesResultSchema,
    ReadResourceResultSchema,
    ListPromptsResultSchema,
    GetPromptResultSchema,
    CompleteResultSchema,
    EmptyResultSchema
]);

/**
 * Schema for a `tools/call` result as older servers may send it: the current shape, or the 2024-10-07
 * `{ toolResult }` form.
 */
export const CompatibilityCallToolResultSchema = z.union([
    CallToolResultSchema,
    z.looseObject({ _meta: z.optional(MetaSchema), toolResult: z.unknown() })
]);
/** A `tools/call` result in the current or the 2024-10-07 shape. */
export type CompatibilityCallToolResult = z.infer<typeof CompatibilityCallToolResultSchema>;

// ----- types ------------------------------------------------------------------------------------------------

/** Method → whole request message, for every request either side sends. */
export type RequestTypeMap = { [M in keyof ClientRequestMethods | keyof ServerRequestMethods]: RequestFor<M> };
/** Method → whole notification message, for every notification either side sends. */
export type NotificationTypeMap = {
    [M in keyof ClientNotificationMethods | keyof ServerNotificationMethods]: NotificationFor<M>;
};
/** Method → result, for every request either side sends. */
export type ResultTypeMap = {
    [M in keyof ClientRequestMethods | keyof ServerRequestMethods]: M extends keyof ClientRequestMethods
        ? ClientRequestMethods[M]['result']
        : M extends keyof ServerRequestMethods
          ? ServerRequestMethods[M]['result']
          : never;
};
/** What a request handler for each method may return: its result, or `input_required` for a multi-round method. */
export type HandlerResultTypeMap = { [M in keyof ResultTypeMap]: HandlerResultFor<M> };
/** Every request method of the protocol. */
export type RequestMethod = keyof RequestTypeMap;
/** Every notification method of the protocol. */
export type NotificationMethod = keyof NotificationTypeMap;

/** Any request a client sends. */
export type ClientRequest = { [M in keyof ClientRequestMethods]: RequestFor<M> }[keyof ClientRequestMethods];
/** Any request a server sends. */
export type ServerRequest = { [M in keyof ServerRequestMethods]: RequestFor<M> }[keyof ServerRequestMethods];
/** Any notification a client sends. */
export type ClientNotification = {
    [M in keyof ClientNotificationMethods]: NotificationFor<M>;
}[keyof ClientNotificationMethods];
/** Any notification a server sends. */
export type ServerNotification = {
    [M in keyof ServerNotificationMethods]: NotificationFor<M>;
}[keyof ServerNotificationMethods];
/** Any result a client returns. */
export type ClientResult = ServerRequestMethods[keyof ServerRequestMethods]['result'];
/** Any result a server returns. */
export type ServerResult = ClientRequestMethods[keyof ClientRequestMethods]['result'];

/** An `initialize` request. */
export type InitializeRequest = RequestFor<'initialize'>;
/** A `ping` request. */
export type PingRequest = RequestFor<'ping'>;
/** A `tools/list` request. */
export type ListToolsRequest = RequestFor<'tools/list'>;
/** A `tools/call` request. */
export type CallToolRequest = RequestFor<'tools/call'>;
/** A `resources/list` request. */
export type ListResourcesRequest = RequestFor<'resources/list'>;
/** A `resources/templates/list` request. */
export type ListResourceTemplatesRequest = RequestFor<'resources/templates/list'>;
/** A `resources/read` request. */
export type ReadResourceRequest = RequestFor<'resources/read'>;
/** A `resources/subscribe` request. */
export type SubscribeRequest = RequestFor<'resources/subscribe'>;
/** A `resources/unsubscribe` request. */
export type UnsubscribeRequest = RequestFor<'resources/unsubscribe'>;
/** A `prompts/list` request. */
export type ListPromptsRequest = RequestFor<'prompts/list'>;
/** A `prompts/get` request. */
export type GetPromptRequest = RequestFor<'prompts/get'>;
/** A `completion/complete` request. */
export type CompleteRequest = RequestFor<'completion/complete'>;
/** A `logging/setLevel` request. */
export type SetLevelRequest = RequestFor<'logging/setLevel'>;
/** A `sampling/createMessage` request. */
export type CreateMessageRequest = RequestFor<'sampling/createMessage'>;
/** An `elicitation/create` request. */
export type ElicitRequest = RequestFor<'elicitation/create'>;
/** A `roots/list` request. */
export type ListRootsRequest = RequestFor<'roots/list'>;
/** A paginated list request of any method. */
export type PaginatedRequest = z.infer<typeof PaginatedRequestSchema>;

/** A `notifications/cancelled` message. */
export type CancelledNotification = NotificationFor<'notifications/cancelled'>;
/** A `notifications/progress` message. */
export type ProgressNotification = NotificationFor<'notifications/progress'>;
/** A `notifications/initialized` message. */
export type InitializedNotification = NotificationFor<'notifications/initialized'>;
/** A `notifications/roots/list_changed` message. */
export type RootsListChangedNotification = NotificationFor<'notifications/roots/list_changed'>;
/** A `notifications/message` (log) message. */
export type LoggingMessageNotification = NotificationFor<'notifications/message'>;
/** A `notifications/resources/updated` message. */
export type ResourceUpdatedNotification = NotificationFor<'notifications/resources/updated'>;
/** A `notifications/resources/list_changed` message. */
export type ResourceListChangedNotification = NotificationFor<'notifications/resources/list_changed'>;
/** A `notifications/tools/list_changed` message. */
export type ToolListChangedNotification = NotificationFor<'notifications/tools/list_changed'>;
/** A `notifications/prompts/list_changed` message. */
export type PromptListChangedNotification = NotificationFor<'notifications/prompts/list_changed'>;
/** A `notifications/elicitation/complete` message. */
export type ElicitationCompleteNotification = NotificationFor<'notifications/elicitation/complete'>;
