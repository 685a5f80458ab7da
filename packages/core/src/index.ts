/**
 * `@modelcontextprotocol/core`: MCP 2025-11-25 schemas and types, JSON-RPC envelopes, errors, the `Protocol`
 * base class, stdio framing and the in-memory transport. Shared by the client and server packages, which
 * re-export what applications need. Every export is listed by name.
 *
 * @module
 */
export {
    BAGGAGE_META_KEY,
    CLIENT_CAPABILITIES_META_KEY,
    CLIENT_INFO_META_KEY,
    DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    ErrorCode,
    HEADER_MISMATCH,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    isModernProtocolVersion,
    JSONRPC_VERSION,
    LATEST_PROTOCOL_VERSION,
    LOG_LEVEL_META_KEY,
    METHOD_NOT_FOUND,
    MISSING_REQUIRED_CLIENT_CAPABILITY,
    MODERN_PROTOCOL_VERSION,
    PARSE_ERROR,
    PROTOCOL_VERSION_META_KEY,
    SERVER_INFO_META_KEY,
    SUBSCRIPTION_ID_META_KEY,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
    TRACEPARENT_META_KEY,
    TRACESTATE_META_KEY,
    UNSUPPORTED_PROTOCOL_VERSION
} from './types/constants.js';
export {
    decodeMcpHeaderValue,
    encodeMcpHeaderValue,
    mcpParamHeaderValues,
    readMcpParamHeaders,
    MCP_METHOD_HEADER,
    MCP_NAME_HEADER,
    MCP_NAME_SOURCES,
    MCP_PARAM_HEADER_PREFIX,
    MCP_PROTOCOL_VERSION_HEADER
} from './shared/mcpHeaders.js';
export type { McpParamHeader, McpParamHeaders } from './shared/mcpHeaders.js';
export {
    DiscoverRequestSchema,
    DiscoverResultSchema,
    InputRequestSchema,
    InputRequestsSchema,
    InputRequiredResultSchema,
    InputResponseSchema,
    InputResponsesSchema,
    isInputRequiredResult,
    ResultMetaObjectSchema,
    SubscriptionFilterSchema,
    SubscriptionsAcknowledgedNotificationParamsSchema,
    SubscriptionsAcknowledgedNotificationSchema,
    SubscriptionsListenRequestParamsSchema,
    SubscriptionsListenRequestSchema,
    SubscriptionsListenResultMetaSchema,
    SubscriptionsListenResultSchema
} from './types/modern.js';
export type {
    CacheScope,
    DiscoverRequest,
    DiscoverResult,
    InputRequest,
    InputRequests,
    InputRequiredResult,
    InputResponse,
    InputResponses,
    MessageClassification,
    RequestMetaEnvelope,
    RequestMetaObject,
    ResultMetaObject,
    SubscriptionFilter,
    SubscriptionsAcknowledgedNotification,
    SubscriptionsAcknowledgedNotificationParams,
    SubscriptionsListenRequest,
    SubscriptionsListenRequestParams,
    SubscriptionsListenResult,
    SubscriptionsListenResultMeta
} from './types/modern.js';
export {
    InvalidJSONRPCMessageError,
    JSONRPCErrorResponseSchema,
    JSONRPCMessageSchema,
    JSONRPCNotificationSchema,
    JSONRPCRequestSchema,
    JSONRPCResponseSchema,
    JSONRPCResultResponseSchema,
    RequestIdSchema,
    isJSONRPCErrorResponse,
    isJSONRPCNotification,
    isJSONRPCRequest,
    isJSONRPCResponse,
    isJSONRPCResultResponse,
    parseJSONRPCMessage
} from './types/jsonrpc.js';
export type {
    InternalError,
    InvalidParamsError,
    InvalidRequestError,
    JSONRPCErrorObject,
    JSONRPCErrorResponse,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    JSONRPCResultResponse,
    MethodNotFoundError,
    ParseError,
    ProgressToken,
    RequestId,
    RequestMeta
} from './types/jsonrpc.js';
export {
    AnnotationsSchema,
    BaseMetadataSchema,
    BaseNotificationParamsSchema,
    BaseRequestParamsSchema,
    CancelledNotificationParamsSchema,
    CursorSchema,
    EmptyResultSchema,
    IconSchema,
    IconsSchema,
    ImplementationSchema,
    MetaSchema,
    PaginatedRequestParamsSchema,
    PaginatedResultSchema,
    ProgressNotificationParamsSchema,
    ProgressTokenSchema,
    RequestMetaObjectSchema,
    ResultSchema,
    RoleSchema
} from './types/base.js';
export type {
    Annotations,
    BaseMetadata,
    BaseNotificationParams,
    BaseRequestParams,
    CancelledNotificationParams,
    Cursor,
    EmptyResult,
    Icon,
    Icons,
    Implementation,
    Meta,
    MetaObject,
    PaginatedRequestParams,
    PaginatedResult,
    ProgressNotificationParams,
    Result,
    Role
} from './types/base.js';
export { JSONArraySchema, JSONObjectSchema, JSONValueSchema } from './types/json.js';
export type { JSONArray, JSONObject, JSONValue } from './types/json.js';
export {
    ClientCapabilitiesSchema,
    InitializeRequestParamsSchema,
    InitializeResultSchema,
    ServerCapabilitiesSchema
} from './types/initialize.js';
export type {
    ClientCapabilities,
    InitializeRequestParams,
    InitializeResult,
    ServerCapabilities
} from './types/initialize.js';
export {
    AudioContentSchema,
    ContentBlockSchema,
    EmbeddedResourceSchema,
    ImageContentSchema,
    ResourceLinkSchema,
    TextContentSchema
} from './types/content.js';
export type {
    AudioContent,
    ContentBlock,
    EmbeddedResource,
    ImageContent,
    ResourceLink,
    TextContent
} from './types/content.js';
export {
    CallToolRequestParamsSchema,
    CallToolResultSchema,
    ListToolsResultSchema,
    ToolAnnotationsSchema,
    ToolExecutionSchema,
    ToolJsonSchemaSchema,
    ToolSchema
} from './types/tools.js';
export type {
    CallToolRequestParams,
    CallToolResult,
    ListToolsResult,
    Tool,
    ToolAnnotations,
    ToolExecution,
    ToolJsonSchema
} from './types/tools.js';
export {
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
} from './types/resources.js';
export type {
    BlobResourceContents,
    ListResourceTemplatesResult,
    ListResourcesResult,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    ResourceContents,
    ResourceRequestParams,
    ResourceTemplate,
    ResourceTemplateType,
    ResourceUpdatedNotificationParams,
    SubscribeRequestParams,
    TextResourceContents,
    UnsubscribeRequestParams
} from './types/resources.js';
export {
    GetPromptRequestParamsSchema,
    GetPromptResultSchema,
    ListPromptsResultSchema,
    PromptArgumentSchema,
    PromptMessageSchema,
    PromptSchema
} from './types/prompts.js';
export type {
    GetPromptRequestParams,
    GetPromptResult,
    ListPromptsResult,
    Prompt,
    PromptArgument,
    PromptMessage
} from './types/prompts.js';
export {
    CompleteRequestParamsSchema,
    CompleteResultSchema,
    PromptReferenceSchema,
    ResourceTemplateReferenceSchema
} from './types/completion.js';
export type {
    CompleteRequestParams,
    CompleteResult,
    PromptReference,
    ResourceTemplateReference
} from './types/completion.js';
export {
    LoggingLevelSchema,
    LoggingMessageNotificationParamsSchema,
    SetLevelRequestParamsSchema
} from './types/logging.js';
export type { LoggingLevel, LoggingMessageNotificationParams, SetLevelRequestParams } from './types/logging.js';
export {
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
} from './types/sampling.js';
export type {
    CreateMessageRequestParams,
    CreateMessageRequestParamsBase,
    CreateMessageRequestParamsWithTools,
    CreateMessageResult,
    CreateMessageResultWithTools,
    ModelHint,
    ModelPreferences,
    SamplingContent,
    SamplingMessage,
    SamplingMessageContentBlock,
    ToolChoice,
    ToolResultContent,
    ToolUseContent
} from './types/sampling.js';
export {
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
} from './types/elicitation.js';
export type {
    BooleanSchema,
    ElicitRequestFormParams,
    ElicitRequestParams,
    ElicitRequestURLParams,
    ElicitResult,
    ElicitationCompleteNotificationParams,
    EnumSchema,
    LegacyTitledEnumSchema,
    MultiSelectEnumSchema,
    NumberSchema,
    PrimitiveSchemaDefinition,
    SingleSelectEnumSchema,
    StringSchema,
    TitledMultiSelectEnumSchema,
    TitledSingleSelectEnumSchema,
    UntitledMultiSelectEnumSchema,
    UntitledSingleSelectEnumSchema
} from './types/elicitation.js';
export { ListRootsResultSchema, RootSchema } from './types/roots.js';
export type { ListRootsResult, Root } from './types/roots.js';
export {
    CancelTaskRequestSchema,
    CancelTaskResultSchema,
    CreateTaskResultSchema,
    GetTaskPayloadRequestSchema,
    GetTaskPayloadResultSchema,
    GetTaskRequestSchema,
    GetTaskResultSchema,
    isTaskAugmentedRequestParams,
    ListTasksRequestSchema,
    ListTasksResultSchema,
    RELATED_TASK_META_KEY,
    RelatedTaskMetadataSchema,
    TaskAugmentedRequestParamsSchema,
    TaskCreationParamsSchema,
    TaskMetadataSchema,
    TaskSchema,
    TaskStatusNotificationParamsSchema,
    TaskStatusNotificationSchema,
    TaskStatusSchema
} from './types/tasks.js';
export type {
    CancelTaskRequest,
    CancelTaskResult,
    CreateTaskResult,
    GetTaskPayloadRequest,
    GetTaskPayloadResult,
    GetTaskRequest,
    GetTaskResult,
    ListTasksRequest,
    ListTasksResult,
    RelatedTaskMetadata,
    Task,
    TaskAugmentedRequestParams,
    TaskCreationParams,
    TaskMetadata,
    TaskStatus,
    TaskStatusNotification,
    TaskStatusNotificationParams
} from './types/tasks.js';
export { getNotificationParamsSchema, getRequestParamsSchema, getResultSchema } from './types/methods.js';
export type {
    ClientNotificationMethods,
    ClientRequestMethods,
    Notification,
    NotificationFor,
    NotificationMethods,
    Request,
    RequestFor,
    RequestMethods,
    ResultFor,
    ServerNotificationMethods,
    ServerRequestMethods
} from './types/methods.js';
export {
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
} from './types/messages.js';
export type {
    CallToolRequest,
    CancelledNotification,
    ClientNotification,
    ClientRequest,
    ClientResult,
    CompatibilityCallToolResult,
    CompleteRequest,
    CreateMessageRequest,
    ElicitRequest,
    ElicitationCompleteNotification,
    GetPromptRequest,
    HandlerResultTypeMap,
    InitializeRequest,
    InitializedNotification,
    ListPromptsRequest,
    ListResourceTemplatesRequest,
    ListResourcesRequest,
    ListRootsRequest,
    ListToolsRequest,
    LoggingMessageNotification,
    NotificationMethod,
    NotificationTypeMap,
    PaginatedRequest,
    PingRequest,
    ProgressNotification,
    PromptListChangedNotification,
    ReadResourceRequest,
    RequestMethod,
    RequestTypeMap,
    ResourceListChangedNotification,
    ResourceUpdatedNotification,
    ResultTypeMap,
    RootsListChangedNotification,
    ServerNotification,
    ServerRequest,
    ServerResult,
    SetLevelRequest,
    SubscribeRequest,
    ToolListChangedNotification,
    UnsubscribeRequest
} from './types/messages.js';
export {
    assertCompleteRequestPrompt,
    assertCompleteRequestResourceTemplate,
    getDisplayName,
    isCallToolResult,
    isInitializeRequest,
    isInitializedNotification
} from './types/guards.js';
export type { CompleteRequestPrompt, CompleteRequestResourceTemplate } from './types/guards.js';
export {
    AlreadyConnectedError,
    CapabilityNotSupportedError,
    CompletionReferenceError,
    ConnectionClosedError,
    HandlerAlreadyRegisteredError,
    InvalidResultError,
    McpError,
    MissingRequiredClientCapabilityError,
    NotConnectedError,
    ProtocolError,
    ProtocolErrorCode,
    RequestTimeoutError,
    ResourceNotFoundError,
    SdkError,
    SdkErrorCode,
    SdkHttpError,
    StdioMessageTooLargeError,
    TransportClosedError,
    UnsupportedProtocolVersionError,
    UrlElicitationRequiredError
} from './errors.js';
export type {
    MissingRequiredClientCapabilityErrorData,
    SdkHttpErrorData,
    UnsupportedProtocolVersionErrorData
} from './errors.js';
export type { AuthInfo, MessageExtraInfo, RequestInfo, Transport, TransportSendOptions } from './shared/transport.js';
export { BuiltinHandlers, DEFAULT_REQUEST_TIMEOUT_MSEC, Protocol } from './shared/protocol.js';
export type {
    BaseContext,
    HttpRequestContext,
    McpReqContext,
    NotificationOptions,
    OutgoingMessage,
    Progress,
    ProgressCallback,
    ProtocolOptions,
    RequestHandlerExtra,
    RequestOptions,
    SharedNotificationHandler,
    SharedRequestHandler
} from './shared/protocol.js';
export { InMemoryTransport } from './shared/inMemory.js';
export type { InMemoryTransportSendOptions } from './shared/inMemory.js';
export { formatValidationError } from './shared/validation.js';
export { UriTemplate, UriTemplateError } from './shared/uriTemplate.js';
export type { UriTemplateMatch, UriTemplateValue, UriTemplateVariables, Variables } from './shared/uriTemplate.js';
export { ReadBuffer, STDIO_DEFAULT_MAX_BUFFER_SIZE, deserializeMessage, serializeMessage } from './shared/stdio.js';
export { mergeCapabilities } from './shared/capabilities.js';
export {
    OAuthMetadataSchema,
    OpenIdProviderDiscoveryMetadataSchema,
    OpenIdProviderMetadataSchema
} from './auth/authorizationServerMetadata.js';
export type {
    AuthorizationServerMetadata,
    OAuthMetadata,
    OpenIdProviderDiscoveryMetadata,
    OpenIdProviderMetadata
} from './auth/authorizationServerMetadata.js';
export {
    OAuthClientInformationFullSchema,
    OAuthClientInformationSchema,
    OAuthClientMetadataSchema,
    OAuthClientRegistrationErrorSchema
} from './auth/clientRegistration.js';
export type {
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientInformationMixed,
    OAuthClientMetadata,
    OAuthClientRegistrationError,
    StoredOAuthClientInformation
} from './auth/clientRegistration.js';
export { OAuthProtectedResourceMetadataSchema } from './auth/protectedResourceMetadata.js';
export type { OAuthProtectedResourceMetadata } from './auth/protectedResourceMetadata.js';
export {
    ID_JAG_TOKEN_TYPE,
    IdJagTokenExchangeResponseSchema,
    OAuthErrorResponseSchema,
    OAuthTokenRevocationRequestSchema,
    OAuthTokensSchema
} from './auth/tokens.js';
export type {
    IdJagTokenExchangeResponse,
    OAuthErrorResponse,
    OAuthTokenRevocationRequest,
    OAuthTokens,
    StoredOAuthTokens
} from './auth/tokens.js';
export { AnyUrlSchema, HttpUrlSchema } from './auth/urls.js';
export { OAuthError, OAuthErrorCode } from './auth/errors.js';
export type { OAuthErrorOptions } from './auth/errors.js';
export { checkResourceAllowed, resourceUrlFromServerUrl } from './auth/resourceUrl.js';
export type { ResourceAllowedInput } from './auth/resourceUrl.js';
export type { InferHandlerResult, RequestHandlerSchemas } from './shared/schemaHandlers.js';
export type { NotificationParams, RequestParams } from './types/base.js';
export type {
    ClientContext,
    RequestStateAccessor,
    ServerContext,
    ServerMcpReqContext
} from './shared/protocolTypes.js';
export { isJsonContentType, parseMediaType } from './shared/mediaType.js';
export type { MediaType } from './shared/mediaType.js';
export { createFetchWithInit } from './shared/fetch.js';
export type { FetchLike } from './shared/fetch.js';
export type { ListChangedCallback, ListChangedHandlers, ListChangedOptions } from './shared/listChanged.js';
export { isSpecType, preloadSchemas, specTypeSchemas } from './types/specTypes.js';
export type { SpecTypeInputs, SpecTypeName, SpecTypes } from './types/specTypes.js';
export { isLoopbackHostname, isScopeToken } from './shared/oauthGrammar.js';
export { JsonNestingError, MAX_JSON_DEPTH, parseJsonText } from './shared/jsonText.js';
export { concatBytes, declaredContentLength, readBoundedBytes } from './shared/boundedBody.js';
export type { BoundedRead, ReadBoundedOptions } from './shared/boundedBody.js';
