/**
 * `@modelcontextprotocol/server`: `McpServer` and the low-level `Server`, the Streamable HTTP server transport
 * (web-standard and Node), bearer authorization with per-operation scope policies, protected resource metadata,
 * and the request checks every HTTP entry point shares (one parse of the body, `Origin`, `Host`).
 *
 * Every export is named here; nothing else is public.
 *
 * @module
 */

// The protocol itself (from @modelcontextprotocol/core), re-exported as the official server package does, so a
// server imports everything from this one package.
export {
    assertCompleteRequestPrompt,
    assertCompleteRequestResourceTemplate,
    BAGGAGE_META_KEY,
    checkResourceAllowed,
    CLIENT_CAPABILITIES_META_KEY,
    CLIENT_INFO_META_KEY,
    createFetchWithInit,
    DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    DEFAULT_REQUEST_TIMEOUT_MSEC,
    deserializeMessage,
    getDisplayName,
    InMemoryTransport,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    isCallToolResult,
    isInitializedNotification,
    isInitializeRequest,
    isInputRequiredResult,
    isJsonContentType,
    isJSONRPCErrorResponse,
    isJSONRPCNotification,
    isJSONRPCRequest,
    isJSONRPCResponse,
    isJSONRPCResultResponse,
    isModernProtocolVersion,
    isSpecType,
    isTaskAugmentedRequestParams,
    JSONRPC_VERSION,
    LATEST_PROTOCOL_VERSION,
    LOG_LEVEL_META_KEY,
    mergeCapabilities,
    METHOD_NOT_FOUND,
    MissingRequiredClientCapabilityError,
    MODERN_PROTOCOL_VERSION,
    OAuthError,
    OAuthErrorCode,
    PARSE_ERROR,
    parseJSONRPCMessage,
    parseMediaType,
    preloadSchemas,
    Protocol,
    PROTOCOL_VERSION_META_KEY,
    ProtocolError,
    ProtocolErrorCode,
    ReadBuffer,
    RELATED_TASK_META_KEY,
    ResourceNotFoundError,
    resourceUrlFromServerUrl,
    SdkError,
    SdkErrorCode,
    SdkHttpError,
    serializeMessage,
    SERVER_INFO_META_KEY,
    specTypeSchemas,
    STDIO_DEFAULT_MAX_BUFFER_SIZE,
    SUBSCRIPTION_ID_META_KEY,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
    TRACEPARENT_META_KEY,
    TRACESTATE_META_KEY,
    UnsupportedProtocolVersionError,
    UriTemplate,
    UrlElicitationRequiredError
} from '@modelcontextprotocol/core';
export type {
    Annotations,
    AudioContent,
    AuthInfo,
    AuthorizationServerMetadata,
    BaseContext,
    BaseMetadata,
    BlobResourceContents,
    BooleanSchema,
    CacheScope,
    CallToolRequest,
    CallToolRequestParams,
    CallToolResult,
    CancelledNotification,
    CancelledNotificationParams,
    CancelTaskRequest,
    CancelTaskResult,
    ClientCapabilities,
    ClientContext,
    ClientNotification,
    ClientRequest,
    ClientResult,
    CompatibilityCallToolResult,
    CompleteRequest,
    CompleteRequestParams,
    CompleteRequestPrompt,
    CompleteRequestResourceTemplate,
    CompleteResult,
    ContentBlock,
    CreateMessageRequest,
    CreateMessageRequestParams,
    CreateMessageRequestParamsBase,
    CreateMessageRequestParamsWithTools,
    CreateMessageResult,
    CreateMessageResultWithTools,
    CreateTaskResult,
    Cursor,
    DiscoverRequest,
    DiscoverResult,
    ElicitationCompleteNotification,
    ElicitationCompleteNotificationParams,
    ElicitRequest,
    ElicitRequestFormParams,
    ElicitRequestParams,
    ElicitRequestURLParams,
    ElicitResult,
    EmbeddedResource,
    EmptyResult,
    EnumSchema,
    FetchLike,
    GetPromptRequest,
    GetPromptRequestParams,
    GetPromptResult,
    GetTaskPayloadRequest,
    GetTaskPayloadResult,
    GetTaskRequest,
    GetTaskResult,
    HandlerResultTypeMap,
    Icon,
    Icons,
    IdJagTokenExchangeResponse,
    ImageContent,
    Implementation,
    InitializedNotification,
    InitializeRequest,
    InitializeRequestParams,
    InitializeResult,
    InputRequest,
    InputRequests,
    InputRequiredResult,
    InputResponse,
    InputResponses,
    InternalError,
    InvalidParamsError,
    InvalidRequestError,
    JSONArray,
    JSONObject,
    JSONRPCErrorResponse,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    JSONRPCResultResponse,
    JSONValue,
    LegacyTitledEnumSchema,
    ListChangedCallback,
    ListChangedHandlers,
    ListChangedOptions,
    ListPromptsRequest,
    ListPromptsResult,
    ListResourcesRequest,
    ListResourcesResult,
    ListResourceTemplatesRequest,
    ListResourceTemplatesResult,
    ListRootsRequest,
    ListRootsResult,
    ListTasksRequest,
    ListTasksResult,
    ListToolsRequest,
    ListToolsResult,
    LoggingLevel,
    LoggingMessageNotification,
    LoggingMessageNotificationParams,
    McpReqContext,
    MediaType,
    MessageClassification,
    MessageExtraInfo,
    MetaObject,
    MethodNotFoundError,
    MissingRequiredClientCapabilityErrorData,
    ModelHint,
    ModelPreferences,
    MultiSelectEnumSchema,
    Notification,
    NotificationMethod,
    NotificationOptions,
    NotificationParams,
    NotificationTypeMap,
    NumberSchema,
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientInformationMixed,
    OAuthClientMetadata,
    OAuthClientRegistrationError,
    OAuthErrorResponse,
    OAuthMetadata,
    OAuthProtectedResourceMetadata,
    OAuthTokenRevocationRequest,
    OAuthTokens,
    OpenIdProviderDiscoveryMetadata,
    OpenIdProviderMetadata,
    PaginatedRequest,
    PaginatedRequestParams,
    PaginatedResult,
    ParseError,
    PingRequest,
    PrimitiveSchemaDefinition,
    Progress,
    ProgressCallback,
    ProgressNotification,
    ProgressNotificationParams,
    ProgressToken,
    Prompt,
    PromptArgument,
    PromptListChangedNotification,
    PromptMessage,
    PromptReference,
    ProtocolOptions,
    ReadResourceRequest,
    ReadResourceRequestParams,
    ReadResourceResult,
    RelatedTaskMetadata,
    Request,
    RequestHandlerSchemas,
    RequestId,
    RequestMeta,
    RequestMetaEnvelope,
    RequestMetaObject,
    RequestMethod,
    RequestOptions,
    RequestParams,
    RequestStateAccessor,
    RequestTypeMap,
    Resource,
    ResourceContents,
    ResourceLink,
    ResourceListChangedNotification,
    ResourceRequestParams,
    ResourceTemplateReference,
    ResourceTemplateType,
    ResourceUpdatedNotification,
    ResourceUpdatedNotificationParams,
    Result,
    ResultMetaObject,
    ResultTypeMap,
    Role,
    Root,
    RootsListChangedNotification,
    SamplingContent,
    SamplingMessage,
    SamplingMessageContentBlock,
    SdkHttpErrorData,
    ServerCapabilities,
    ServerContext,
    ServerMcpReqContext,
    ServerNotification,
    ServerRequest,
    ServerResult,
    SetLevelRequest,
    SetLevelRequestParams,
    SingleSelectEnumSchema,
    SpecTypeName,
    SpecTypes,
    StoredOAuthClientInformation,
    StoredOAuthTokens,
    StringSchema,
    SubscribeRequest,
    SubscribeRequestParams,
    SubscriptionFilter,
    SubscriptionsAcknowledgedNotification,
    SubscriptionsAcknowledgedNotificationParams,
    SubscriptionsListenRequest,
    SubscriptionsListenRequestParams,
    SubscriptionsListenResult,
    SubscriptionsListenResultMeta,
    Task,
    TaskAugmentedRequestParams,
    TaskCreationParams,
    TaskMetadata,
    TaskStatus,
    TaskStatusNotification,
    TaskStatusNotificationParams,
    TextContent,
    TextResourceContents,
    TitledMultiSelectEnumSchema,
    TitledSingleSelectEnumSchema,
    Tool,
    ToolAnnotations,
    ToolChoice,
    ToolExecution,
    ToolListChangedNotification,
    ToolResultContent,
    ToolUseContent,
    Transport,
    TransportSendOptions,
    UnsubscribeRequest,
    UnsubscribeRequestParams,
    UnsupportedProtocolVersionErrorData,
    UntitledMultiSelectEnumSchema,
    UntitledSingleSelectEnumSchema,
    Variables
} from '@modelcontextprotocol/core';

// Servers
export { Server } from './server/index.js';
export type { ServerOptions } from './server/index.js';
export {
    MAX_COMPLETION_VALUES,
    McpServer,
    RegistrationError,
    ResourceTemplate,
    completable,
    completionResult,
    getCompleter,
    isCompletable
} from './server/mcp.js';
export type {
    AnyZodSchema,
    CompleteCallback,
    CompleteResourceTemplateCallback,
    InferPromptArgs,
    InferSchemaOutput,
    JsonSchemaObject,
    ListResourcesCallback,
    PromptArgsRawShape,
    PromptArgsSchema,
    PromptCallback,
    PromptConfig,
    PromptResult,
    PromptUpdate,
    ReadResourceCallback,
    ReadResourceTemplateCallback,
    RegisteredPrompt,
    RegisteredResource,
    RegisteredResourceTemplate,
    RegisteredTool,
    RegistrationErrorCode,
    AnyToolHandler,
    BaseToolCallback,
    CompletableSchema,
    McpServerOptions,
    ResourceConfig,
    ResourceMetadata,
    ResourceTemplateCallbacks,
    ToolCallback,
    ToolConfig,
    ToolResult,
    ToolSchemaInput,
    ToolUpdate,
    ZodRawShape
} from './server/mcp.js';
// JSON Schema validation (the contract is core's; the engines are in the `./validators/*` entries)
export { AjvJsonSchemaValidator, defaultJsonSchemaValidator, fromJsonSchema } from './server/jsonSchemaValidator.js';
export type {
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorFn,
    JsonSchemaValidatorResult,
    StandardSchemaV1,
    StandardSchemaV1Sync,
    StandardSchemaWithJSON,
    jsonSchemaValidator
} from '@modelcontextprotocol/core/validators';

// The official v2 web-standard entry point
export { createMcpHandler } from './server/createMcpHandler.js';
export type {
    CreateMcpHandlerOptions,
    McpHandlerRequestOptions,
    McpHttpHandler,
    McpRequestContext,
    McpServerFactory
} from './server/createMcpHandler.js';

// Protocol revision 2026-07-28: multi-round requests, request state, the era seam
export { acceptedContent, inputRequired, inputResponse } from './server/inputRequired.js';
export type {
    ElicitInputParams,
    InputRequiredBuilder,
    InputRequiredSpec,
    InputResponseView
} from './server/inputRequired.js';
export { classifyInboundRequest, isLegacyRequest, legacyStatelessFallback } from './server/inboundClassification.js';
export type {
    InboundClassificationOutcome,
    InboundHttpRequest,
    InboundLadderRejection,
    InboundLegacyRoute,
    InboundLegacyRouteReason,
    InboundModernRoute,
    InboundValidationRung,
    IsLegacyRequestOptions,
    LegacyHttpHandler,
    LegacyStatelessFallbackOptions
} from './server/inboundClassification.js';
export { PerRequestHTTPServerTransport } from './server/perRequestTransport.js';
export type {
    PerRequestHTTPServerTransportOptions,
    PerRequestMessageExtra,
    PerRequestResponseMode
} from './server/perRequestTransport.js';
export { createRequestStateCodec, RequestStateError } from './server/requestStateCodec.js';
export type { RequestStateCodec, RequestStateCodecOptions } from './server/requestStateCodec.js';
export type { CacheHint, ProtocolEra } from './server/era.js';
export { createServerNotifier, InMemoryServerEventBus } from './server/serverEventBus.js';
export type { ServerEvent, ServerEventBus, ServerNotifier } from './server/serverEventBus.js';

// Streamable HTTP transport
export { WebStandardStreamableHTTPServerTransport } from './server/streamableHttp.js';
export type { HandleRequestOptions, WebStandardStreamableHTTPServerTransportOptions } from './server/streamableHttp.js';
export { InMemoryEventStore } from './server/eventStore.js';
export type { EventId, EventStore, InMemoryEventStoreOptions, StreamId } from './server/eventStore.js';
export {
    ServerTransportError,
    TRANSPORT_ERROR_CODE,
    checkPostHeaders,
    checkProtocolVersionHeader,
    decodePostBody,
    jsonRpcErrorResponse
} from './server/transportErrors.js';
export type { ServerTransportErrorCode } from './server/transportErrors.js';

// Sessions of a stateful endpoint (the bookkeeping every adapter's session route shares)
export {
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_SESSIONS_PER_PRINCIPAL,
    DEFAULT_SESSION_IDLE_TIMEOUT_MS,
    SessionPool
} from './server/sessionPool.js';
export type {
    PooledSession,
    SessionPoolOptions,
    SessionPoolRefusal,
    SessionPoolRefusalReason,
    SessionReservation
} from './server/sessionPool.js';
export type { ConnectableServer } from './server/sessionRouting.js';
export {
    InMemorySessionDirectory,
    MAX_DIRECTORY_SESSION_ID_LENGTH,
    isWellFormedSessionId,
    isWellFormedSessionOwner
} from './server/sessionDirectory.js';
export type { InMemorySessionDirectoryOptions, SessionDirectory, SessionOwner } from './server/sessionDirectory.js';
export { FORWARDED_BY_HEADER } from './server/sessionForwarding.js';
export type { SessionDirectoryOperation, SessionForwardingOptions } from './server/sessionForwarding.js';

// Request checks shared by every HTTP entry point
export {
    DEFAULT_MAX_BATCH_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_REQUEST_BODY_SIZE,
    readRequestBody
} from './server/requestBody.js';
export type { JsonBodyOutcome, ParsedJsonBody, ReadJsonBodyOptions } from './server/requestBody.js';
export {
    LOCALHOST_ALLOWED_HOSTS,
    compileHostMatcher,
    hostHeaderValidationResponse,
    isLoopbackHost,
    localhostAllowedHostnames,
    parseHost,
    validateHostHeader
} from './server/hostValidation.js';
export type { HostAndPort, HostHeaderValidationResult, HostMatcher } from './server/hostValidation.js';
export {
    createOriginPolicy,
    localhostAllowedOrigins,
    markOriginValidated,
    originValidationResponse,
    validateOriginHeader
} from './server/originValidation.js';
export type { OriginPolicy, OriginValidationResult } from './server/originValidation.js';

// Authorization (resource server)
export {
    authorizationFailureResponse,
    authorizeRequest,
    extractBearerToken,
    validateBearerAuthOptions,
    withBearerAuth
} from './server/auth/bearerAuth.js';
export type {
    AuthorizationResult,
    AuthorizeRequestOptions,
    AuthorizedContext,
    BearerAuthOptions,
    HeadersInput,
    HttpAuthorizationResult,
    WebBearerAuthOptions
} from './server/auth/bearerAuth.js';
export {
    bearerAuthChallengeResponse,
    buildOAuthProtectedResourceMetadata,
    getOAuthProtectedResourceMetadataUrl,
    oauthMetadataResponse,
    requireBearerAuth,
    verifyBearerToken
} from './server/auth/resourceServer.js';
export type {
    AuthMetadataOptions,
    OAuthTokenVerifier,
    VerifyBearerTokenOptions
} from './server/auth/resourceServer.js';
export { principalKey, principalOf } from './server/auth/principal.js';
export type { Principal } from './server/auth/principal.js';
export { formatBearerChallenge, quoteHeaderValue, sanitizeErrorDescription } from './server/auth/challenge.js';
export type { BearerChallenge, BearerErrorCode } from './server/auth/challenge.js';
export {
    AuthConfigError,
    BearerTokenError,
    InsufficientScopeError,
    InvalidBearerRequestError,
    InvalidTokenError,
    MissingTokenError,
    ServerAuthError,
    ServerError
} from './server/auth/errors.js';
export type {
    AuthorizationFailure,
    ChallengeContext,
    OAuthErrorBody,
    ServerAuthErrorCode
} from './server/auth/errors.js';
export { createIntrospectionVerifier } from './server/auth/introspectionVerifier.js';
export type { IntrospectionVerifierOptions } from './server/auth/introspectionVerifier.js';
export { DEFAULT_JWT_ALGORITHMS, createJwtVerifier } from './server/auth/jwtVerifier.js';
export type { JwtVerifierOptions } from './server/auth/jwtVerifier.js';
export {
    PROTECTED_RESOURCE_METADATA_PATH,
    buildProtectedResourceMetadata,
    createProtectedResourceMetadataEndpoint,
    protectedResourceMetadataHandler,
    protectedResourceMetadataPaths,
    protectedResourceMetadataUrl
} from './server/auth/metadata.js';
export type {
    MetadataResponse,
    ProtectedResourceMetadata,
    ProtectedResourceMetadataEndpoint,
    ProtectedResourceMetadataOptions
} from './server/auth/metadata.js';
export { createScopePolicy } from './server/auth/scopePolicy.js';
export type { ScopePolicy, ScopePolicyConfig, ScopeRequirement } from './server/auth/scopePolicy.js';
export { requireScopes, ScopeChallengeError } from './server/auth/scopeChallenge.js';
export type { ScopeChallenge, ScopeChallengeHandler } from './server/auth/scopeChallenge.js';
export type { TokenVerifier } from './server/auth/tokenVerifier.js';
