/**
 * Method maps: which requests and notifications each side sends, their params and results — as types (to type
 * `setRequestHandler`, `request` helpers and notification handlers) and as runtime schema lookups (so the
 * receiving `Protocol` validates params of known methods once).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/schema
 * @module
 */
import * as z from 'zod/mini';
import type {
    BaseNotificationParams,
    BaseRequestParams,
    CancelledNotificationParams,
    EmptyResult,
    PaginatedRequestParams,
    ProgressNotificationParams,
    Result
} from './base.js';
import {
    BaseNotificationParamsSchema,
    BaseRequestParamsSchema,
    CancelledNotificationParamsSchema,
    EmptyResultSchema,
    PaginatedRequestParamsSchema,
    ProgressNotificationParamsSchema
} from './base.js';
import type { CompleteRequestParams, CompleteResult } from './completion.js';
import { CompleteRequestParamsSchema, CompleteResultSchema } from './completion.js';
import type { ElicitationCompleteNotificationParams, ElicitRequestParams, ElicitResult } from './elicitation.js';
import {
    ElicitationCompleteNotificationParamsSchema,
    ElicitRequestParamsSchema,
    ElicitResultSchema
} from './elicitation.js';
import type { InitializeRequestParams, InitializeResult } from './initialize.js';
import { InitializeRequestParamsSchema, InitializeResultSchema } from './initialize.js';
import type { LoggingMessageNotificationParams, SetLevelRequestParams } from './logging.js';
import { LoggingMessageNotificationParamsSchema, SetLevelRequestParamsSchema } from './logging.js';
import type { GetPromptRequestParams, GetPromptResult, ListPromptsResult } from './prompts.js';
import { GetPromptRequestParamsSchema, GetPromptResultSchema, ListPromptsResultSchema } from './prompts.js';
import type {
    ListResourcesResult,
    ListResourceTemplatesResult,
    ReadResourceRequestParams,
    ReadResourceResult,
    ResourceUpdatedNotificationParams,
    SubscribeRequestParams,
    UnsubscribeRequestParams
} from './resources.js';
import {
    ListResourcesResultSchema,
    ListResourceTemplatesResultSchema,
    ReadResourceRequestParamsSchema,
    ReadResourceResultSchema,
    ResourceUpdatedNotificationParamsSchema,
    SubscribeRequestParamsSchema,
    UnsubscribeRequestParamsSchema
} from './resources.js';
import type {
    DiscoverResult,
    InputRequiredResult,
    SubscriptionsAcknowledgedNotificationParams,
    SubscriptionsListenRequestParams,
    SubscriptionsListenResult
} from './modern.js';
import {
    DiscoverResultSchema,
    SubscriptionsAcknowledgedNotificationParamsSchema,
    SubscriptionsListenRequestParamsSchema,
    SubscriptionsListenResultSchema
} from './modern.js';
import type { ListRootsResult } from './roots.js';
import { ListRootsResultSchema } from './roots.js';
import type { CreateMessageRequestParams, CreateMessageResult } from './sampling.js';
import { CreateMessageRequestParamsSchema, CreateMessageResultSchema } from './sampling.js';
import type { CallToolRequestParams, CallToolResult, ListToolsResult } from './tools.js';
import { CallToolRequestParamsSchema, CallToolResultSchema, ListToolsResultSchema } from './tools.js';

/** Requests a client sends to a server: method → params (with `undefined` when params are optional) and result. */
export interface ClientRequestMethods {
    initialize: { params: InitializeRequestParams; result: InitializeResult };
    ping: { params: BaseRequestParams | undefined; result: EmptyResult };
    'tools/list': { params: PaginatedRequestParams | undefined; result: ListToolsResult };
    'tools/call': { params: CallToolRequestParams; result: CallToolResult };
    'resources/list': { params: PaginatedRequestParams | undefined; result: ListResourcesResult };
    'resources/templates/list': { params: PaginatedRequestParams | undefined; result: ListResourceTemplatesResult };
    'resources/read': { params: ReadResourceRequestParams; result: ReadResourceResult };
    'resources/subscribe': { params: SubscribeRequestParams; result: EmptyResult };
    'resources/unsubscribe': { params: UnsubscribeRequestParams; result: EmptyResult };
    'prompts/list': { params: PaginatedRequestParams | undefined; result: ListPromptsResult };
    'prompts/get': { params: GetPromptRequestParams; result: GetPromptResult };
    'completion/complete': { params: CompleteRequestParams; result: CompleteResult };
    'logging/setLevel': { params: SetLevelRequestParams; result: EmptyResult };
    /** 2026-07-28. */
    'server/discover': { params: BaseRequestParams | undefined; result: DiscoverResult };
    /** 2026-07-28. */
    'subscriptions/listen': { params: SubscriptionsListenRequestParams; result: SubscriptionsListenResult };
}

/** Requests a server sends to a client: method → params and result. */
export interface ServerRequestMethods {
    ping: { params: BaseRequestParams | undefined; result: EmptyResult };
    'sampling/createMessage': { params: CreateMessageRequestParams; result: CreateMessageResult };
    'elicitation/create': { params: ElicitRequestParams; result: ElicitResult };
    'roots/list': { params: BaseRequestParams | undefined; result: ListRootsResult };
}

/** Notifications a client sends: method → params. */
export interface ClientNotificationMethods {
    'notifications/cancelled': CancelledNotificationParams;
    'notifications/progress': ProgressNotificationParams;
    'notifications/initialized': BaseNotificationParams | undefined;
    'notifications/roots/list_changed': BaseNotificationParams | undefined;
}

/** Notifications a server sends: method → params. */
export interface ServerNotificationMethods {
    'notifications/cancelled': CancelledNotificationParams;
    'notifications/progress': ProgressNotificationParams;
    'notifications/message': LoggingMessageNotificationParams;
    'notifications/resources/updated': ResourceUpdatedNotificationParams;
    'notifications/resources/list_changed': BaseNotificationParams | undefined;
    'notifications/tools/list_changed': BaseNotificationParams | undefined;
    'notifications/prompts/list_changed': BaseNotificationParams | undefined;
    'notifications/elicitation/complete': ElicitationCompleteNotificationParams;
    /** 2026-07-28: the first message of a `subscriptions/listen` stream. */
    'notifications/subscriptions/acknowledged': SubscriptionsAcknowledgedNotificationParams;
}

/** Every request method either side sends (`ping` has the same shape both ways). */
export type RequestMethods = ClientRequestMethods & ServerRequestMethods;
/** Every notification method either side sends. */
export type NotificationMethods = ClientNotificationMethods & ServerNotificationMethods;

/** A request of any method, untyped. */
export interface Request {
    method: string;
    params?: Record<string, unknown>;
}

/** A notification of any method, untyped. */
export interface Notification {
    method: string;
    params?: Record<string, unknown>;
}

/**
 * The request a handler for `M` receives: typed for known methods (with `params` optional where the method's
 * params are), {@link Request} otherwise.
 */
export type RequestFor<M extends string> = M extends keyof RequestMethods
    ? undefined extends RequestMethods[M]['params']
        ? { method: M; params?: RequestMethods[M]['params'] }
        : { method: M; params: RequestMethods[M]['params'] }
    : Request;

/** The result a handler for `M` returns: typed for known methods, {@link Result} otherwise. */
export type ResultFor<M extends string> = M extends keyof RequestMethods ? RequestMethods[M]['result'] : Result;

/** The methods whose handlers may answer `input_required` (2026-07-28 multi-round requests). */
export type MultiRoundMethod = 'tools/call' | 'prompts/get' | 'resources/read';

/** What a handler for `M` may return: {@link ResultFor}, or an `input_required` result for a multi-round method. */
export type HandlerResultFor<M extends string> = M extends MultiRoundMethod
    ? ResultFor<M> | InputRequiredResult
    : ResultFor<M>;

/** The notification a handler for `M` receives: typed for known methods, {@link Notification} otherwise. */
export type NotificationFor<M extends string> = M extends keyof NotificationMethods
    ? undefined extends NotificationMethods[M]
        ? { method: M; params?: NotificationMethods[M] }
        : { method: M; params: NotificationMethods[M] }
    : Notification;

/** A zod schema of any kind (mini or classic), as stored in the lookups. */
type AnySchema = z.core.$ZodType;

const OptionalRequestParams = z.optional(BaseRequestParamsSchema);
const OptionalPaginatedParams = z.optional(PaginatedRequestParamsSchema);
const OptionalNotificationParams = z.optional(BaseNotificationParamsSchema);

const requestParamsSchemas = new Map<string, AnySchema>([
    ['initialize', InitializeRequestParamsSchema],
    ['ping', OptionalRequestParams],
    ['tools/list', OptionalPaginatedParams],
    ['tools/call', CallToolRequestParamsSchema],
    ['resources/list', OptionalPaginatedParams],
    ['resources/templates/list', OptionalPaginatedParams],
    ['resources/read', ReadResourceRequestParamsSchema],
    ['resources/subscribe', SubscribeRequestParamsSchema],
    ['resources/unsubscribe', UnsubscribeRequestParamsSchema],
    ['prompts/list', OptionalPaginatedParams],
    ['prompts/get', GetPromptRequestParamsSchema],
    ['completion/complete', CompleteRequestParamsSchema],
    ['logging/setLevel', SetLevelRequestParamsSchema],
    ['server/discover', OptionalRequestParams],
    ['subscriptions/listen', SubscriptionsListenRequestParamsSchema],
    ['sampling/createMessage', CreateMessageRequestParamsSchema],
    ['elicitation/create', ElicitRequestParamsSchema],
    ['roots/list', OptionalRequestParams]
]);

const resultSchemas = new Map<string, AnySchema>([
    ['initialize', InitializeResultSchema],
    ['ping', EmptyResultSchema],
    ['tools/list', ListToolsResultSchema],
    ['tools/call', CallToolResultSchema],
    ['resources/list', ListResourcesResultSchema],
    ['resources/templates/list', ListResourceTemplatesResultSchema],
    ['resources/read', ReadResourceResultSchema],
    ['resources/subscribe', EmptyResultSchema],
    ['resources/unsubscribe', EmptyResultSchema],
    ['prompts/list', ListPromptsResultSchema],
    ['prompts/get', GetPromptResultSchema],
    ['completion/complete', CompleteResultSchema],
    ['logging/setLevel', EmptyResultSchema],
    ['server/discover', DiscoverResultSchema],
    ['subscriptions/listen', SubscriptionsListenResultSchema],
    ['sampling/createMessage', CreateMessageResultSchema],
    ['elicitation/create', ElicitResultSchema],
    ['roots/list', ListRootsResultSchema]
]);

const notificationParamsSchemas = new Map<string, AnySchema>([
    ['notifications/cancelled', CancelledNotificationParamsSchema],
    ['notifications/progress', ProgressNotificationParamsSchema],
    ['notifications/initialized', OptionalNotificationParams],
    ['notifications/roots/list_changed', OptionalNotificationParams],
    ['notifications/message', LoggingMessageNotificationParamsSchema],
    ['notifications/resources/updated', ResourceUpdatedNotificationParamsSchema],
    ['notifications/resources/list_changed', OptionalNotificationParams],
    ['notifications/tools/list_changed', OptionalNotificationParams],
    ['notifications/prompts/list_changed', OptionalNotificationParams],
    ['notifications/elicitation/complete', ElicitationCompleteNotificationParamsSchema],
    ['notifications/subscriptions/acknowledged', SubscriptionsAcknowledgedNotificationParamsSchema]
]);

/** The params schema of a known request method (wrapped in `optional` when params may be omitted), else `undefined`. */
export function getRequestParamsSchema(method: string): AnySchema | undefined {
    return requestParamsSchemas.get(method);
}

/** The result schema of a known request method, else `undefined`. */
export function getResultSchema(method: string): AnySchema | undefined {
    return resultSchemas.get(method);
}

/** The params schema of a known notification method (optional when params may be omitted), else `undefined`. */
export function getNotificationParamsSchema(method: string): AnySchema | undefined {
    return notificationParamsSchemas.get(method);
}
