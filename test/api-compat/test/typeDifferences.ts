/**
 * The official v2 names ours cannot yet stand in for at the type level, each with its reason: the only exception
 * `typeCompat.test.ts` allows. A listed name that becomes compatible must leave the list.
 *
 * Each reason starts with its kind, then says what differs, with the file of ours (under `packages/`) to change:
 * - `breaks:` ordinary code written for the official types does not compile against ours;
 * - `minor:` only code relying on the narrower official type in a particular way breaks (an exhaustive switch, a
 *   value used as `JSONValue`, a hand-annotated callback parameter);
 * - `harmless:` the types differ where user code does not reach (internals, members the SDK calls, a third-party
 *   type's version, ours wider where users read);
 * - `deliberate:` a difference documented in docs/migration.md;
 * - `STEP_7:`, `TYPED_ERRORS:` the difference follows from names listed in `differences.ts` for that
 *   reason (protocol revision 2026-07-28, the tasks extension, the typed transport errors);
 * - `TODO:` not triaged yet (the first mismatch found).
 * When a name has several differences, the reason lists them by kind.
 *
 * Two rules apply to every comparison and are deliberate, so they are not listed per name:
 * - Our exported schemas are zod mini (docs/migration.md, "Schemas are `zod/mini`"), theirs classic zod: two zod
 *   schemas are compared by the data they parse to (`~standard.types.output`), not by their classes (ours lack the
 *   chained methods `.extend()`, `.optional()`, …).
 * - Classes are compared by their public members: private members make a class nominal, and an instance of a class
 *   both SDKs export is always ours in a drop-in (the class's own entry compares the two).
 *
 * @module
 */

/** Incompatible names by official entry (`<alias> <subpath>`). */
export const TYPE_DIFFERENCES: Record<string, Record<string, string>> = {
    'official-core .': {
        ClientCapabilitiesSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ClientRequestSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        CreateMessageRequestParamsSchema:
            'minor: `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts:108)',
        CreateMessageRequestSchema:
            'minor: `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts:108)',
        CreateMessageResultSchema:
            'minor: our parsed `content` also admits tool_use/tool_result blocks (theirs only in CreateMessageResultWithTools): an exhaustive switch on `content.type` breaks',
        DiscoverResultSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        InitializeRequestParamsSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeRequestSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeResultSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ListToolsResultSchema:
            'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)',
        OAuthClientInformationFullSchema:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthClientMetadataSchema:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthMetadataSchema:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        OpenIdProviderDiscoveryMetadataSchema:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        ServerCapabilitiesSchema:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ServerRequestSchema:
            'minor: `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts:108)',
        ToolSchema:
            'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)'
    },
    'official-client .': {
        AuthorizationServerMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        AuthorizationServerMismatchError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        BaseContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        Client: 'minor: getServerCapabilities().experimental, listTools() inputSchema.properties and sampling metadata values are `unknown` in ours, `JSONValue` in theirs; harmless: generic signatures of request/setRequestHandler differ but v2-style calls compile',
        ClientAuthMethod:
            "harmless: ours adds 'private_key_jwt' (wider where users read it; an exhaustive switch breaks)",
        ClientCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ClientContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ClientCredentialsProvider:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types) (clientMetadata)',
        ClientRequest:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        CreateMessageRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        CreateMessageRequestParams:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        CreateMessageRequestParamsBase:
            'minor: ours is `Omit<CreateMessageRequestParams, …>` over a loose object, which keeps only the index signature: messages, maxTokens, … read as `unknown` (core/src/types/sampling.ts:138)',
        CreateMessageRequestParamsWithTools:
            'minor: ours is the same schema as CreateMessageRequestParams (tools optional), theirs requires `tools`',
        CreateMessageResult:
            'minor: `content` also admits tool_use/tool_result blocks in ours (theirs only in CreateMessageResultWithTools): an exhaustive switch on `content.type` breaks',
        CrossAppAccessProvider:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types) (clientMetadata); harmless: the optional `saveResourceUrl` hook is missing (the SDK calls it, users do not)',
        DiscoverResult:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        DpopSession:
            'harmless: the constructor is private in both (DpopSession.create() is the way in); ours keeps the key pair it was created with',
        HandlerResultTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeRequest:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeRequestParams:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeResult:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InputRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputRequests:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputRequiredResult:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputResponse:
            'minor: a sampling result may be tool-use content in ours (CreateMessageResultWithTools is the same schema as CreateMessageResult, core/src/types/sampling.ts), theirs splits the two',
        InputResponses:
            'minor: a sampling result may be tool-use content in ours (CreateMessageResultWithTools is the same schema as CreateMessageResult, core/src/types/sampling.ts), theirs splits the two',
        InsecureTokenEndpointError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        InsufficientScopeError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        IssuerMismatchError:
            "breaks (constructing it): ours is (expected, actual, options?), theirs (kind, expected, received): `new IssuerMismatchError('metadata', a, b)` does not compile and would swap meanings (client/src/client/auth/errors.ts:199)",
        ListChangedHandlers:
            'minor: `onChanged` receives our Tool, whose inputSchema.properties values are `unknown` (a callback annotated with their Tool[] does not compile; an inferred one does)',
        ListToolsResult:
            'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)',
        MissingRequiredClientCapabilityError:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        MissingRequiredClientCapabilityErrorData:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        OAuthClientFlowError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        OAuthClientInformationFull:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthClientMetadata:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthDiscoveryState:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        OAuthError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        OAuthMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        OAuthServerInfo:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        OpenIdProviderDiscoveryMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        PriorDiscovery:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        PrivateKeyJwtProvider:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types); harmless: `addClientAuthentication` is a readonly method in ours, a writable property in theirs',
        Protocol:
            'harmless: `fallbackNotificationHandler` takes a JSON-RPC notification (with `jsonrpc`), theirs a Notification (only calling it by hand breaks; core/src/shared/protocol.ts:111)',
        ProtocolErrorCode:
            'deliberate: ours adds HeaderMismatch (-32020), a 2026-07-28 code theirs leaves out (wider where users read)',
        RegistrationRejectedError:
            'minor: `status` is `number | undefined`, theirs `number` (client/src/client/auth/flowErrors.ts:63); ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types) (submittedMetadata); readonly name',
        RequestTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        ResultTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        SSEClientTransport:
            "minor: `eventSourceInit.fetch` must resolve to a web Response; theirs accepts the eventsource package's FetchLikeResponse (client/src/client/sse.ts)",
        SSEClientTransportOptions:
            "minor: `eventSourceInit.fetch` must resolve to a web Response; theirs accepts the eventsource package's FetchLikeResponse (client/src/client/sse.ts)",
        SUPPORTED_PROTOCOL_VERSIONS:
            'harmless: a readonly array in ours, `string[]` in theirs (only mutating it or passing it as `string[]` breaks)',
        SdkError: 'TYPED_ERRORS: `code` is our SdkErrorCode (no ClientHttp* nor 2026-07-28 codes, plus our own codes)',
        SdkErrorCode:
            'TYPED_ERRORS: ClientHttp* codes are replaced by the typed transport errors, the 2026-07-28 codes (UnsupportedResultType, EraNegotiationFailed, …) are missing; ours adds codes (wider where users read)',
        SdkHttpError:
            "TYPED_ERRORS: the constructor takes our SdkErrorCode, which has our transport codes instead of theirs' ClientHttp* (instances, `status` and `statusText` match)",
        ServerCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ServerContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ServerRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        SpecTypes:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema), seen through SpecTypes.ClientCapabilities',
        StaticPrivateKeyJwtProvider:
            "harmless: `addClientAuthentication`'s trailing `url` is optional in ours (the SDK always passes it); deliberate: `clientMetadata.redirect_uris` optional (docs/migration.md, OAuth metadata types)",
        Tool: 'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)',
        UnauthorizedError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        discoverAuthorizationServerMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        discoverOAuthMetadata:
            'deliberate: the resolved metadata leaves `authorization_endpoint` optional (docs/migration.md, OAuth metadata types)',
        discoverOAuthServerInfo:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        jsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)',
        mergeCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        registerClient: 'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        resolveClientMetadata:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        selectClientAuthMethod:
            "harmless: may return 'private_key_jwt', which theirs' ClientAuthMethod lacks (wider where users read it)",
        specTypeSchemas:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast'
    },
    'official-client ./stdio': {
        DEFAULT_INHERITED_ENV_VARS:
            'harmless: a readonly array in ours, `string[]` in theirs (only mutating it or passing it as `string[]` breaks)'
    },
    'official-client ./validators/ajv': {
        Ajv: "harmless: ours is ajv 8.17.1's class, theirs bundles ajv 8.18.0's declarations (InstanceOptions vs CurrentOptions deep in keyword definitions); option literals compile with both",
        AjvJsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)'
    },
    'official-client ./validators/cf-worker': {
        CfWorkerJsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)'
    },
    'official-server .': {
        AuthorizationServerMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        BaseContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ClientCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ClientContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ClientRequest:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        CreateMessageRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        CreateMessageRequestParams:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        CreateMessageRequestParamsBase:
            'minor: ours is `Omit<CreateMessageRequestParams, …>` over a loose object, which keeps only the index signature: messages, maxTokens, … read as `unknown` (core/src/types/sampling.ts:138)',
        CreateMessageRequestParamsWithTools:
            'minor: ours is the same schema as CreateMessageRequestParams (tools optional), theirs requires `tools`',
        CreateMessageResult:
            'minor: `content` also admits tool_use/tool_result blocks in ours (theirs only in CreateMessageResultWithTools): an exhaustive switch on `content.type` breaks',
        DiscoverResult:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        HandlerResultTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeRequest:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeRequestParams:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InitializeResult:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        InputRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputRequests:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputRequiredResult:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputRequiredSpec:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        InputResponse:
            'minor: a sampling result may be tool-use content in ours (CreateMessageResultWithTools is the same schema as CreateMessageResult, core/src/types/sampling.ts), theirs splits the two',
        InputResponses:
            'minor: a sampling result may be tool-use content in ours (CreateMessageResultWithTools is the same schema as CreateMessageResult, core/src/types/sampling.ts), theirs splits the two',
        ListChangedHandlers:
            'minor: `onChanged` receives our Tool, whose inputSchema.properties values are `unknown` (a callback annotated with their Tool[] does not compile; an inferred one does)',
        ListToolsResult:
            'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)',
        McpServer:
            'harmless: `toolInputSchemaJson` and other wire internals missing; `resolveScopeChallenge` readonly; registerTool/registerPrompt generic signatures differ but v2-style calls compile',
        MissingRequiredClientCapabilityError:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        MissingRequiredClientCapabilityErrorData:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (as ServerCapabilities / ClientCapabilities)',
        OAuthClientInformationFull:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthClientMetadata:
            'deliberate: ours leaves `redirect_uris` optional (docs/migration.md, OAuth metadata types)',
        OAuthError:
            "harmless: ours declares `readonly name`, theirs inherits Error's writable `name` (only `err.name = …` breaks)",
        OAuthMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        OpenIdProviderDiscoveryMetadata:
            'deliberate: ours leaves authorization_endpoint, token_endpoint, response_types_supported optional (docs/migration.md, OAuth metadata types)',
        Protocol:
            'harmless: `fallbackNotificationHandler` takes a JSON-RPC notification (with `jsonrpc`), theirs a Notification (only calling it by hand breaks; core/src/shared/protocol.ts:111)',
        ProtocolErrorCode:
            'deliberate: ours adds HeaderMismatch (-32020), a 2026-07-28 code theirs leaves out (wider where users read)',
        RegisteredPrompt:
            'harmless: ours lacks the internal `handler` theirs exposes and adds `name`; enable/disable/update/remove match',
        RegisteredResource:
            'harmless: ours lacks the internal `readCallback` theirs exposes and adds `uri`; enable/disable/update/remove match',
        RegisteredResourceTemplate:
            'harmless: ours lacks the internal `readCallback` theirs exposes and adds `name`; enable/disable/update/remove match',
        RegisteredTool:
            'harmless: ours lacks the internal `handler`, `executor` theirs exposes and adds `name`; enable/disable/update/remove match',
        RequestTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        ResourceTemplate:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ResultTypeMap:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast',
        SUPPORTED_PROTOCOL_VERSIONS:
            'harmless: a readonly array in ours, `string[]` in theirs (only mutating it or passing it as `string[]` breaks)',
        SdkError: 'TYPED_ERRORS: `code` is our SdkErrorCode (no ClientHttp* nor 2026-07-28 codes, plus our own codes)',
        SdkErrorCode:
            'TYPED_ERRORS: ClientHttp* codes are replaced by the typed transport errors, the 2026-07-28 codes (UnsupportedResultType, EraNegotiationFailed, …) are missing; ours adds codes (wider where users read)',
        SdkHttpError:
            "TYPED_ERRORS: the constructor takes our SdkErrorCode, which has our transport codes instead of theirs' ClientHttp* (instances, `status` and `statusText` match)",
        Server: "minor: `createElicitationCompletionNotifier(id)` lacks theirs' `options?` argument (server/src/server/index.ts:259); harmless: `projectCallToolResult` (wire internal) missing, fallback handlers typed with our context, setRequestHandler's generic signature differs but method-string calls compile",
        ServerCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        ServerContext:
            'harmless: ours also requires the v1 fields signal, requestId, sendNotification, sendRequest at the top of the context (handlers receive them; only hand-built contexts miss them)',
        ServerRequest:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        SpecTypes:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema), seen through SpecTypes.ClientCapabilities',
        Tool: 'minor: `inputSchema.properties` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/tools.ts:17)',
        completable:
            'minor: ours takes a zod schema (`T extends z.core.$ZodType`) and returns it, theirs any Standard Schema returning CompletableSchema<T>: zod works, valibot/arktype do not (server/src/server/mcp/completable.ts:31)',
        inputRequired:
            'minor: sampling `params.metadata` values are `unknown` in ours (Record<string, unknown>), `JSONValue` in theirs (core/src/types/sampling.ts)',
        jsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)',
        mergeCapabilities:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts:22,50 OpenObjectSchema); code using them as JSON values needs a cast',
        specTypeSchemas:
            'minor: `experimental.<capability>.<key>` values are `unknown` in ours, `JSONValue` in theirs (core/src/types/initialize.ts OpenObjectSchema); code using them as JSON values needs a cast'
    },
    'official-server ./stdio': {
        StdioServerTransport:
            'harmless: theirs declares its listeners _ondata, _onerror, _onstdouterror, _onstdinclose public (internals)'
    },
    'official-server ./validators/ajv': {
        Ajv: "harmless: ours is ajv 8.17.1's class, theirs bundles ajv 8.18.0's declarations (InstanceOptions vs CurrentOptions deep in keyword definitions); option literals compile with both",
        AjvJsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)'
    },
    'official-server ./validators/cf-worker': {
        CfWorkerJsonSchemaValidator:
            'harmless: our failure result has `data?: undefined`, theirs `data: undefined` (both read as undefined)'
    },
    'official-node .': {},
    'official-express .': {},
    'official-hono .': {},
    'official-fastify .': {}
};
