/**
 * Every MCP spec type by name, as a runtime validator: {@link specTypeSchemas} (Standard Schema, synchronous)
 * and {@link isSpecType} (type guards). For validating spec-shaped values at boundaries the SDK does not own — a
 * `CallToolResult` embedded in a custom method's payload, a `Tool` read back from storage.
 *
 * @module
 */
import * as z from 'zod/mini';
import {
    OAuthMetadataSchema,
    OpenIdProviderDiscoveryMetadataSchema,
    OpenIdProviderMetadataSchema
} from '../auth/authorizationServerMetadata.js';
import {
    OAuthClientInformationFullSchema,
    OAuthClientInformationSchema,
    OAuthClientMetadataSchema,
    OAuthClientRegistrationErrorSchema
} from '../auth/clientRegistration.js';
import { OAuthProtectedResourceMetadataSchema } from '../auth/protectedResourceMetadata.js';
import {
    IdJagTokenExchangeResponseSchema,
    OAuthErrorResponseSchema,
    OAuthTokenRevocationRequestSchema,
    OAuthTokensSchema
} from '../auth/tokens.js';
import {
    AnnotationsSchema,
    BaseMetadataSchema,
    CancelledNotificationParamsSchema,
    CursorSchema,
    EmptyResultSchema,
    IconSchema,
    IconsSchema,
    ImplementationSchema,
    PaginatedRequestParamsSchema,
    PaginatedResultSchema,
    ProgressNotificationParamsSchema,
    ProgressTokenSchema,
    ResultSchema,
    RoleSchema
} from './base.js';
import {
    CompleteRequestParamsSchema,
    CompleteResultSchema,
    PromptReferenceSchema,
    ResourceTemplateReferenceSchema
} from './completion.js';
import {
    AudioContentSchema,
    ContentBlockSchema,
    EmbeddedResourceSchema,
    ImageContentSchema,
    ResourceLinkSchema,
    TextContentSchema
} from './content.js';
import {
    BooleanSchemaSchema,
    ElicitRequestFormParamsSchema,
    ElicitRequestParamsSchema,
    ElicitRequestURLParamsSchema,
    ElicitResultSchema,
    ElicitationCompleteNotificationParamsSchema,
    EnumSchemaSchema,
    LegacyTitledEnumSchemaSchema,
    MultiSelectEnumSchemaSchema,
    NumberSchemaSchema,
    PrimitiveSchemaDefinitionSchema,
    SingleSelectEnumSchemaSchema,
    StringSchemaSchema,
    TitledMultiSelectEnumSchemaSchema,
    TitledSingleSelectEnumSchemaSchema,
    UntitledMultiSelectEnumSchemaSchema,
    UntitledSingleSelectEnumSchemaSchema
} from './elicitation.js';
import {
    ClientCapabilitiesSchema,
    InitializeRequestParamsSchema,
    InitializeResultSchema,
    ServerCapabilitiesSchema
} from './initialize.js';
import { JSONArraySchema, JSONObjectSchema, JSONValueSchema } from './json.js';
import {
    JSONRPCErrorResponseSchema,
    JSONRPCMessageSchema,
    JSONRPCNotificationSchema,
    JSONRPCRequestSchema,
    JSONRPCResponseSchema,
    JSONRPCResultResponseSchema,
    RequestIdSchema
} from './jsonrpc.js';
import { LoggingLevelSchema, LoggingMessageNotificationParamsSchema, SetLevelRequestParamsSchema } from './logging.js';
import {
    CallToolRequestSchema,
    CancelledNotificationSchema,
    ClientNotificationSchema,
    ClientRequestSchema,
    ClientResultSchema,
    CompatibilityCallToolResultSchema,
    CompleteRequestSchema,
    CreateMessageRequestSchema,
    ElicitRequestSchema,
    ElicitationCompleteNotificationSchema,
    GetPromptRequestSchema,
    InitializeRequestSchema,
    InitializedNotificationSchema,
    ListPromptsRequestSchema,
    ListResourceTemplatesRequestSchema,
    ListResourcesRequestSchema,
    ListRootsRequestSchema,
    ListToolsRequestSchema,
    LoggingMessageNotificationSchema,
    NotificationSchema,
    PaginatedRequestSchema,
    PingRequestSchema,
    ProgressNotificationSchema,
    ProgressSchema,
    PromptListChangedNotificationSchema,
    ReadResourceRequestSchema,
    RequestMetaSchema,
    RequestSchema,
    ResourceListChangedNotificationSchema,
    ResourceUpdatedNotificationSchema,
    RootsListChangedNotificationSchema,
    ServerNotificationSchema,
    ServerRequestSchema,
    ServerResultSchema,
    SetLevelRequestSchema,
    SubscribeRequestSchema,
    ToolListChangedNotificationSchema,
    UnsubscribeRequestSchema
} from './messages.js';
import {
    GetPromptRequestParamsSchema,
    GetPromptResultSchema,
    ListPromptsResultSchema,
    PromptArgumentSchema,
    PromptMessageSchema,
    PromptSchema
} from './prompts.js';
import {
    BlobResourceContentsSchema,
    ListResourceTemplatesResultSchema,
    ListResourcesResultSchema,
    ReadResourceRequestParamsSchema,
    ReadResourceResultSchema,
    ResourceContentsSchema,
    ResourceRequestParamsSchema,
    ResourceSchema,
    ResourceTemplateSchema,
    ResourceUpdatedNotificationParamsSchema,
    SubscribeRequestParamsSchema,
    TextResourceContentsSchema,
    UnsubscribeRequestParamsSchema
} from './resources.js';
import { ListRootsResultSchema, RootSchema } from './roots.js';
import {
    CreateMessageRequestParamsSchema,
    CreateMessageResultSchema,
    CreateMessageResultWithToolsSchema,
    ModelHintSchema,
    ModelPreferencesSchema,
    SamplingContentSchema,
    SamplingMessageContentBlockSchema,
    SamplingMessageSchema,
    ToolChoiceSchema,
    ToolResultContentSchema,
    ToolUseContentSchema
} from './sampling.js';
import {
    CallToolRequestParamsSchema,
    CallToolResultSchema,
    ListToolsResultSchema,
    ToolAnnotationsSchema,
    ToolExecutionSchema,
    ToolSchema
} from './tools.js';
import {
    CancelTaskRequestSchema,
    CancelTaskResultSchema,
    CreateTaskResultSchema,
    GetTaskPayloadRequestSchema,
    GetTaskPayloadResultSchema,
    GetTaskRequestSchema,
    GetTaskResultSchema,
    ListTasksRequestSchema,
    ListTasksResultSchema,
    RelatedTaskMetadataSchema,
    TaskAugmentedRequestParamsSchema,
    TaskCreationParamsSchema,
    TaskMetadataSchema,
    TaskSchema,
    TaskStatusNotificationParamsSchema,
    TaskStatusNotificationSchema,
    TaskStatusSchema
} from './tasks.js';
import {
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
} from './modern.js';
import type { StandardSchemaV1Sync } from '../shared/standardSchema.js';

const SCHEMAS = {
    AnnotationsSchema,
    AudioContentSchema,
    BaseMetadataSchema,
    BlobResourceContentsSchema,
    BooleanSchemaSchema,
    CallToolRequestSchema,
    CallToolRequestParamsSchema,
    CallToolResultSchema,
    CancelledNotificationSchema,
    CancelledNotificationParamsSchema,
    ClientCapabilitiesSchema,
    ClientNotificationSchema,
    ClientRequestSchema,
    ClientResultSchema,
    CompatibilityCallToolResultSchema,
    CompleteRequestSchema,
    CompleteRequestParamsSchema,
    CompleteResultSchema,
    ContentBlockSchema,
    CreateMessageRequestSchema,
    CreateMessageRequestParamsSchema,
    CreateMessageResultSchema,
    CreateMessageResultWithToolsSchema,
    CursorSchema,
    ElicitationCompleteNotificationSchema,
    ElicitationCompleteNotificationParamsSchema,
    ElicitRequestSchema,
    ElicitRequestFormParamsSchema,
    ElicitRequestParamsSchema,
    ElicitRequestURLParamsSchema,
    ElicitResultSchema,
    EmbeddedResourceSchema,
    EmptyResultSchema,
    EnumSchemaSchema,
    GetPromptRequestSchema,
    GetPromptRequestParamsSchema,
    GetPromptResultSchema,
    IconSchema,
    IconsSchema,
    ImageContentSchema,
    ImplementationSchema,
    InitializedNotificationSchema,
    InitializeRequestSchema,
    InitializeRequestParamsSchema,
    InitializeResultSchema,
    JSONArraySchema,
    JSONObjectSchema,
    JSONRPCErrorResponseSchema,
    JSONRPCMessageSchema,
    JSONRPCNotificationSchema,
    JSONRPCRequestSchema,
    JSONRPCResponseSchema,
    JSONRPCResultResponseSchema,
    JSONValueSchema,
    LegacyTitledEnumSchemaSchema,
    ListPromptsRequestSchema,
    ListPromptsResultSchema,
    ListResourcesRequestSchema,
    ListResourcesResultSchema,
    ListResourceTemplatesRequestSchema,
    ListResourceTemplatesResultSchema,
    ListRootsRequestSchema,
    ListRootsResultSchema,
    ListToolsRequestSchema,
    ListToolsResultSchema,
    LoggingLevelSchema,
    LoggingMessageNotificationSchema,
    LoggingMessageNotificationParamsSchema,
    ModelHintSchema,
    ModelPreferencesSchema,
    MultiSelectEnumSchemaSchema,
    NotificationSchema,
    NumberSchemaSchema,
    PaginatedRequestSchema,
    PaginatedRequestParamsSchema,
    PaginatedResultSchema,
    PingRequestSchema,
    PrimitiveSchemaDefinitionSchema,
    ProgressSchema,
    ProgressNotificationSchema,
    ProgressNotificationParamsSchema,
    ProgressTokenSchema,
    PromptSchema,
    PromptArgumentSchema,
    PromptListChangedNotificationSchema,
    PromptMessageSchema,
    PromptReferenceSchema,
    ReadResourceRequestSchema,
    ReadResourceRequestParamsSchema,
    ReadResourceResultSchema,
    RequestSchema,
    RequestIdSchema,
    RequestMetaSchema,
    ResourceSchema,
    ResourceContentsSchema,
    ResourceLinkSchema,
    ResourceListChangedNotificationSchema,
    ResourceRequestParamsSchema,
    ResourceTemplateSchema,
    ResourceTemplateReferenceSchema,
    ResourceUpdatedNotificationSchema,
    ResourceUpdatedNotificationParamsSchema,
    ResultSchema,
    RoleSchema,
    RootSchema,
    RootsListChangedNotificationSchema,
    SamplingContentSchema,
    SamplingMessageSchema,
    SamplingMessageContentBlockSchema,
    ServerCapabilitiesSchema,
    ServerNotificationSchema,
    ServerRequestSchema,
    ServerResultSchema,
    SetLevelRequestSchema,
    SetLevelRequestParamsSchema,
    SingleSelectEnumSchemaSchema,
    StringSchemaSchema,
    SubscribeRequestSchema,
    SubscribeRequestParamsSchema,
    TextContentSchema,
    TextResourceContentsSchema,
    TitledMultiSelectEnumSchemaSchema,
    TitledSingleSelectEnumSchemaSchema,
    ToolSchema,
    ToolAnnotationsSchema,
    ToolChoiceSchema,
    ToolExecutionSchema,
    ToolListChangedNotificationSchema,
    ToolResultContentSchema,
    ToolUseContentSchema,
    UnsubscribeRequestSchema,
    UnsubscribeRequestParamsSchema,
    UntitledMultiSelectEnumSchemaSchema,
    UntitledSingleSelectEnumSchemaSchema,
    CancelTaskRequestSchema,
    CancelTaskResultSchema,
    CreateTaskResultSchema,
    GetTaskPayloadRequestSchema,
    GetTaskPayloadResultSchema,
    GetTaskRequestSchema,
    GetTaskResultSchema,
    ListTasksRequestSchema,
    ListTasksResultSchema,
    RelatedTaskMetadataSchema,
    TaskAugmentedRequestParamsSchema,
    TaskCreationParamsSchema,
    TaskMetadataSchema,
    TaskSchema,
    TaskStatusNotificationParamsSchema,
    TaskStatusNotificationSchema,
    TaskStatusSchema,
    DiscoverRequestSchema,
    DiscoverResultSchema,
    ResultMetaObjectSchema,
    SubscriptionFilterSchema,
    SubscriptionsAcknowledgedNotificationParamsSchema,
    SubscriptionsAcknowledgedNotificationSchema,
    SubscriptionsListenRequestParamsSchema,
    SubscriptionsListenRequestSchema,
    SubscriptionsListenResultMetaSchema,
    SubscriptionsListenResultSchema,
    IdJagTokenExchangeResponseSchema,
    OAuthClientInformationFullSchema,
    OAuthClientInformationSchema,
    OAuthClientMetadataSchema,
    OAuthClientRegistrationErrorSchema,
    OAuthErrorResponseSchema,
    OAuthMetadataSchema,
    OAuthProtectedResourceMetadataSchema,
    OAuthTokenRevocationRequestSchema,
    OAuthTokensSchema,
    OpenIdProviderDiscoveryMetadataSchema,
    OpenIdProviderMetadataSchema
};

type Schemas = typeof SCHEMAS;
type Strip<K> = K extends `${infer Name}Schema` ? Name : never;

/** The name of every spec type with a validator (`'CallToolResult'`, `'Tool'`, `'OAuthTokens'`, …). */
export type SpecTypeName = Strip<keyof Schemas>;
/** Each spec type by name: `SpecTypes['Tool']` is `Tool`. */
export type SpecTypes = { [K in keyof Schemas as Strip<K>]: z.output<Schemas[K]> };
/** What each spec type's validator accepts (before defaults), by name. */
export type SpecTypeInputs = { [K in keyof Schemas as Strip<K>]: z.input<Schemas[K]> };

const schemaEntries = Object.entries(SCHEMAS).map(([key, schema]) => [key.slice(0, -'Schema'.length), schema] as const);

/**
 * A synchronous Standard Schema validator for every spec type, by name.
 *
 * @example
 * ```ts
 * const result = specTypeSchemas.CallToolResult['~standard'].validate(untrusted);
 * if (result.issues === undefined) use(result.value);
 * ```
 */
export const specTypeSchemas: {
    readonly [K in SpecTypeName]: StandardSchemaV1Sync<SpecTypeInputs[K], SpecTypes[K]>;
} = Object.freeze(Object.fromEntries(schemaEntries)) as never;

/**
 * A type guard for every spec type, by name; each is a standalone function (`values.filter(isSpecType.Tool)`).
 */
export const isSpecType: { readonly [K in SpecTypeName]: (value: unknown) => value is SpecTypeInputs[K] } =
    Object.freeze(
        Object.fromEntries(
            schemaEntries.map(([name, schema]) => [
                name,
                (value: unknown): boolean => z.safeParse(schema as z.core.$ZodType, value).success
            ])
        )
    ) as never;

/**
 * Builds every validator ahead of first use. Ours are built when the module loads, so this does nothing; it
 * exists for code written against the official SDK, whose schemas are built lazily.
 */
export function preloadSchemas(): void {}
