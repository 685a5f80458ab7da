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
    DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
    DEFAULT_REQUEST_TIMEOUT_MSEC,
    InMemoryTransport,
    JSONRPC_VERSION,
    LATEST_PROTOCOL_VERSION,
    Protocol,
    ProtocolError,
    ProtocolErrorCode,
    ResourceNotFoundError,
    SUPPORTED_PROTOCOL_VERSIONS,
    SdkError,
    SdkErrorCode,
    UriTemplate,
    UrlElicitationRequiredError,
    isJSONRPCErrorResponse,
    isJSONRPCNotification,
    isJSONRPCRequest,
    isJSONRPCResponse,
    isJSONRPCResultResponse,
    parseJSONRPCMessage
} from '@modelcontextprotocol/core';
export type {
    Annotations,
    AudioContent,
    AuthInfo,
    AuthorizationServerMetadata,
    BaseMetadata,
    BlobResourceContents,
    CallToolRequestParams,
    CallToolResult,
    CancelledNotificationParams,
    ClientCapabilities,
    CompleteRequestParams,
    CompleteResult,
    ContentBlock,
    CreateMessageRequestParams,
    CreateMessageResult,
    Cursor,
    ElicitRequestFormParams,
    ElicitRequestParams,
    ElicitRequestURLParams,
    ElicitResult,
    ElicitationCompleteNotificationParams,
    EmbeddedResource,
    EmptyResult,
    GetPromptRequestParams,
    GetPromptResult,
    Icon,
    ImageContent,
    Implementation,
    InitializeRequestParams,
    InitializeResult,
    JSONRPCErrorResponse,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    JSONRPCResultResponse,
    ListPromptsResult,
    ListResourceTemplatesResult,
    ListResourcesResult,
    ListRootsResult,
    ListToolsResult,
    LoggingLevel,
    LoggingMessageNotificationParams,
    McpReqContext,
    MessageExtraInfo,
    ModelHint,
    ModelPreferences,
    Notification,
    NotificationOptions,
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthClientRegistrationError,
    OAuthErrorResponse,
    OAuthMetadata,
    OAuthProtectedResourceMetadata,
    OAuthTokens,
    OpenIdProviderDiscoveryMetadata,
    PaginatedRequestParams,
    PaginatedResult,
    PrimitiveSchemaDefinition,
    Progress,
    ProgressNotificationParams,
    ProgressToken,
    Prompt,
    PromptArgument,
    PromptMessage,
    PromptReference,
    ProtocolOptions,
    ReadResourceRequestParams,
    ReadResourceResult,
    Request,
    RequestId,
    RequestMeta,
    RequestOptions,
    Resource,
    ResourceContents,
    ResourceLink,
    ResourceTemplateReference,
    ResourceUpdatedNotificationParams,
    Result,
    Role,
    Root,
    SamplingMessage,
    SamplingMessageContentBlock,
    ServerCapabilities,
    SetLevelRequestParams,
    SubscribeRequestParams,
    TextContent,
    TextResourceContents,
    Tool,
    ToolAnnotations,
    ToolChoice,
    ToolExecution,
    ToolResultContent,
    ToolUseContent,
    Transport,
    TransportSendOptions,
    UnsubscribeRequestParams
} from '@modelcontextprotocol/core';

// Servers
export { Server } from './server/index.js';
export type { ServerContext, ServerMcpReqContext, ServerOptions } from './server/index.js';
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
    ResourceMetadata,
    ResourceTemplateCallbacks,
    ToolCallback,
    ToolConfig,
    ToolResult,
    ToolSchemaInput,
    ToolUpdate,
    ZodRawShape
} from './server/mcp.js';
export { AjvJsonSchemaValidator, defaultJsonSchemaValidator } from './server/jsonSchemaValidator.js';
export type {
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorFn,
    JsonSchemaValidatorResult
} from './server/jsonSchemaValidator.js';

// The official v2 web-standard entry point
export { createMcpHandler } from './server/createMcpHandler.js';
export type {
    CreateMcpHandlerOptions,
    McpHandlerRequestOptions,
    McpHttpHandler,
    McpRequestContext,
    McpServerFactory
} from './server/createMcpHandler.js';

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

// Request checks shared by every HTTP entry point
export { DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REQUEST_BODY_SIZE } from './server/requestBody.js';
export type { JsonBodyOutcome, ParsedJsonBody, ReadJsonBodyOptions } from './server/requestBody.js';
export { isJsonContentType, parseMediaType } from './server/mediaType.js';
export type { MediaType } from './server/mediaType.js';
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
    InvalidRequestError,
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
export type { TokenVerifier } from './server/auth/tokenVerifier.js';
