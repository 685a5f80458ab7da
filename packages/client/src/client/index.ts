/**
 * The MCP client: connects to a server over any {@link Transport}, performs the lifecycle handshake, checks
 * capabilities, and offers typed helpers for every client → server request.
 *
 * The handshake lives in one private step (`_negotiate`) so a later, stateless protocol revision can replace it
 * without touching the rest of the class.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server
 * @module
 */
import type {
    CallToolRequestParams,
    ClientCapabilities,
    CompleteRequestParams,
    CompleteResult,
    DiscoverResult,
    EmptyResult,
    McpParamHeader,
    GetPromptRequestParams,
    GetPromptResult,
    Implementation,
    JSONRPCNotification,
    JSONRPCRequest,
    ListPromptsResult,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ListToolsResult,
    LoggingLevel,
    PaginatedRequestParams,
    Prompt,
    ProtocolOptions,
    ReadResourceRequestParams,
    ReadResourceResult,
    RequestOptions,
    Resource,
    ResourceTemplate,
    Result,
    ServerCapabilities,
    SubscriptionFilter,
    SubscribeRequestParams,
    Tool,
    Transport,
    UnsubscribeRequestParams,
    ClientContext
} from '@modelcontextprotocol/core';
import {
    AlreadyConnectedError,
    CallToolResultSchema,
    CapabilityNotSupportedError,
    CompleteResultSchema,
    DiscoverResultSchema,
    EmptyResultSchema,
    GetPromptResultSchema,
    InitializeResultSchema,
    InputRequiredResultSchema,
    LATEST_PROTOCOL_VERSION,
    ListPromptsResultSchema,
    ListResourcesResultSchema,
    ListResourceTemplatesResultSchema,
    ListToolsResultSchema,
    McpError,
    ErrorCode,
    mcpParamHeaderValues,
    mergeCapabilities,
    readMcpParamHeaders,
    Protocol,
    ReadResourceResultSchema,
    RequestTimeoutError,
    SdkError,
    SdkErrorCode,
    SERVER_INFO_META_KEY,
    SubscriptionsListenResultSchema,
    SUPPORTED_PROTOCOL_VERSIONS,
    DEFAULT_REQUEST_TIMEOUT_MSEC,
    UnsupportedProtocolVersionError
} from '@modelcontextprotocol/core';
import * as z from 'zod/mini';
import { wrapElicitationHandler } from './elicitation.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/core/validators';
import { loadDefaultJsonSchemaValidator } from './jsonSchemaValidator.js';
import type { ListChangedHandlers } from '@modelcontextprotocol/core';
import type { ListChangedHandler } from './listChanged.js';
import { listChangedListener } from './listChanged.js';
import { openSubscription, PendingAcknowledgements } from './listen.js';
import type { McpSubscription } from './listen.js';
import { MULTI_ROUND_METHODS, runMultiRound } from './multiRound.js';
import { cacheKeyOf, ClientResponseCache, InMemoryResponseCacheStore, STALE_LISTS } from './responseCache.js';
import type { CacheableRequestOptions, CacheMode, ResponseCacheStore } from './responseCache.js';
import { ToolOutputValidators } from './outputValidation.js';
import { SessionRecovery } from './sessionRecovery.js';
import type { SessionRecoveredEvent, SessionRecoveryMode } from './sessionRecovery.js';
import type { SessionExpiredError } from './transportErrors.js';
import {
    DEFAULT_MAX_INPUT_ROUNDS,
    firstProbeVersion,
    judgeDiscover,
    judgeProbeError,
    LEGACY_ONLY_METHODS,
    modernMeta,
    overHttp,
    withModernMeta
} from './versionNegotiation.js';
import type {
    InputRequiredOptions,
    ProbeVerdict,
    ProtocolEra,
    VersionNegotiationMode,
    VersionNegotiationOptions
} from './versionNegotiation.js';
import type { ListAllOptions } from './pagination.js';
import { collectPages } from './pagination.js';
import {
    CLIENT_CAPABILITY_FOR_HANDLER,
    CLIENT_CAPABILITY_FOR_NOTIFICATION,
    hasCapability,
    SERVER_CAPABILITY_FOR_METHOD
} from './capabilities.js';

/** Options of {@link Client.callTool}: the request options, and the definition of the tool being called. */
export type CallToolRequestOptions = RequestOptions & {
    /**
     * The tool's definition, used to validate the result's structured content against its `outputSchema` instead
     * of the one remembered from `tools/list` (for tools listed elsewhere, or never listed by this client).
     */
    toolDefinition?: Tool;
};

/** Options of {@link Client.connect}: the handshake's request options (`initialize`, or the `server/discover` probe). */
export type ConnectOptions = RequestOptions & {
    /**
     * An era verdict kept from an earlier connection to the same server: `{ kind: 'modern', discover }` (e.g. from
     * `getDiscoverResult()`) is adopted without a probe, `{ kind: 'legacy' }` skips the probe and runs `initialize`.
     * Freshness is the caller's: a stale modern verdict fails at the first request, a stale legacy one never does.
     */
    prior?: PriorDiscovery;
};

/** A cached era verdict for {@link ConnectOptions.prior}. */
export type PriorDiscovery = { kind: 'modern'; discover: DiscoverResult } | { kind: 'legacy' };

/** Options of a {@link Client}. */
export interface ClientOptions extends ProtocolOptions {
    /** The capabilities to advertise in `initialize`. More can be added with {@link Client.registerCapabilities}. */
    capabilities?: ClientCapabilities;
    /**
     * Compiles tool output schemas and elicitation `requestedSchema`s. Default (draft 2020-12, loaded on first use):
     * ajv with formats on Node, `@cfworker/json-schema` under the `browser` / `workerd` conditions.
     */
    jsonSchemaValidator?: jsonSchemaValidator;
    /** Re-fetch lists when the server sends `list_changed` notifications. */
    listChanged?: ListChangedHandlers;
    /**
     * Protocol revision 2026-07-28: `mode: 'auto'` probes with `server/discover` and speaks the modern revision to a
     * server that answers it (falling back to `initialize` otherwise), `{ pin: '2026-07-28' }` insists on it. Default
     * `'legacy'`: the `initialize` handshake only, as the official v2 client does.
     */
    versionNegotiation?: VersionNegotiationOptions;
    /** How `input_required` results of a modern server are handled (default: fulfilled automatically). */
    inputRequired?: InputRequiredOptions;
    /**
     * Where results with 2026-07-28 cache hints (`ttlMs`, `cacheScope`) are kept: the list calls without a cursor and
     * `readResource`. Default: an `InMemoryResponseCacheStore` of this client's own. Entries are namespaced by server,
     * and `private` ones by {@link ClientOptions.cachePartition}.
     */
    responseCacheStore?: ResponseCacheStore;
    /** The authorization context `private` cached results belong to (set it when clients share a store). Default `''`. */
    cachePartition?: string;
    /** TTL of a cacheable result without `ttlMs`, in ms. Default 0: stored, never served. */
    defaultCacheTtlMs?: number;
    /**
     * When the server answers 404 to a request carrying the session id (the session expired, or the instance that
     * held it is gone): `'off'` (default, as the official client) rejects with `SessionExpiredError`;
     * `'reinitialize'` starts a new session by itself, once for all the requests that failed together, sends each
     * of them once more and tells {@link Client.onsessionrecovered}; a request the server had already accepted (its
     * response stream broke and resuming it met the 404) fails with `SessionExpiredError` whose `afterDispatch` is
     * `true`, never sent twice, and the next request recovers. State of the old session (resource
     * subscriptions, the logging level) is not carried over: re-create it in `onsessionrecovered`. Addition.
     */
    sessionRecovery?: SessionRecoveryMode;
}

/**
 * An MCP client session. Same shape as the official SDK's `Client`:
 *
 * @example
 * ```ts
 * const client = new Client({ name: 'my-app', version: '1.0.0' });
 * await client.connect(new StreamableHTTPClientTransport(new URL('https://example.com/mcp')));
 * const { tools } = await client.listTools();
 * const result = await client.callTool({ name: tools[0].name, arguments: {} });
 * ```
 */

export class Client extends Protocol<ClientContext> {
    private _capabilities: ClientCapabilities;
    private readonly _jsonSchemaValidator: jsonSchemaValidator | undefined;
    private readonly _toolOutputs: ToolOutputValidators;
    private _serverCapabilities: ServerCapabilities | undefined;
    private _serverVersion: Implementation | undefined;
    private _instructions: string | undefined;
    private _negotiatedProtocolVersion: string | undefined;
    private _negotiationMode: VersionNegotiationMode;
    private _probe: VersionNegotiationOptions['probe'];
    private readonly _inputRounds: Required<InputRequiredOptions>;
    private _era: ProtocolEra | undefined;
    /** The modern version the next request carries in `_meta` (set while probing, and once modern). */
    private _modernVersion: string | undefined;
    private _discover: DiscoverResult | undefined;
    private readonly _acknowledgements = new PendingAcknowledgements();
    private readonly _cache: ClientResponseCache;
    private _listening = false;
    /** The `x-mcp-header` annotations of the tools listed so far (modern era). */
    private readonly _paramHeaders = new Map<string, McpParamHeader[]>();
    private readonly _sessionRecovery: SessionRecovery;

    /**
     * Called after the client replaced an expired session by a new one (`sessionRecovery: 'reinitialize'`), before
     * the requests that met the expiry are sent again. Addition.
     */
    onsessionrecovered?: (event: SessionRecoveredEvent) => void;

    /**
     * @param _clientInfo the name and version sent as `clientInfo` in `initialize`.
     */
    constructor(
        private readonly _clientInfo: Implementation,
        options?: ClientOptions
    ) {
        super(options);
        this._capabilities = { ...options?.capabilities };
        this._jsonSchemaValidator = options?.jsonSchemaValidator;
        this._toolOutputs = new ToolOutputValidators(this._loadValidator);
        this._cache = new ClientResponseCache({
            store: options?.responseCacheStore ?? new InMemoryResponseCacheStore(),
            partition: options?.cachePartition ?? '',
            defaultTtlMs: options?.defaultCacheTtlMs ?? 0
        });
        this._negotiationMode = options?.versionNegotiation?.mode ?? 'legacy';
        this._probe = options?.versionNegotiation?.probe;
        this._sessionRecovery = new SessionRecovery(options?.sessionRecovery ?? 'off', expired =>
            this._reinitialize(expired)
        );
        this._inputRounds = {
            autoFulfill: options?.inputRequired?.autoFulfill ?? true,
            maxRounds: options?.inputRequired?.maxRounds ?? DEFAULT_MAX_INPUT_ROUNDS
        };
        const listChanged = options?.listChanged;
        if (listChanged?.tools) this._onListChanged('tools', listChanged.tools, o => this.listAllTools(o));
        if (listChanged?.prompts) this._onListChanged('prompts', listChanged.prompts, o => this.listAllPrompts(o));
        if (listChanged?.resources) {
            this._onListChanged('resources', listChanged.resources, o => this.listAllResources(o));
        }
    }

    /**
     * Adds capabilities to advertise. Only before connecting: they are sent in `initialize`.
     *
     * @throws {@link AlreadyConnectedError} when connected.
     */
    registerCapabilities(capabilities: ClientCapabilities): void {
        if (this.transport) {
            throw new AlreadyConnectedError('Cannot register capabilities after connecting to a transport');
        }
        this._capabilities = mergeCapabilities(this._capabilities, capabilities);
    }

    /**
     * Connects and initializes: sends `initialize`, checks the server's protocol revision, then sends
     * `notifications/initialized`. A transport that already carries a session id is resuming an initialized
     * session, so the handshake is skipped. On failure the transport is closed and the error rethrown.
     *
     * @param options request options for `initialize` (timeout, signal).
     * @throws {@link UnsupportedProtocolVersionError} when the server chose a revision this client lacks.
     */
    override async connect(transport: Transport, options?: ConnectOptions): Promise<void> {
        await super.connect(transport);
        if (transport.sessionId !== undefined) {
            if (this._negotiatedProtocolVersion !== undefined) {
                transport.setProtocolVersion?.(this._negotiatedProtocolVersion);
            }
            return;
        }
        try {
            if (this._negotiationMode === 'legacy') await this._negotiate(transport, options);
            else await this._negotiateEra(transport, options);
        } catch (error) {
            await this.close().catch(() => {});
            throw error;
        }
    }

    protected override _retryAfter(error: unknown, request: { method: string }): Promise<boolean> {
        return this._sessionRecovery.retry(error, request.method, this.transport?.sessionId);
    }

    /** A new `initialize` handshake on the same transport, after `expired` (see `sessionRecovery`). */
    private async _reinitialize(expired: SessionExpiredError): Promise<void> {
        const transport = this.transport;
        if (transport === undefined) throw expired;
        await this._negotiate(transport, undefined);
        this.onsessionrecovered?.({ expiredSessionId: expired.sessionId, sessionId: transport.sessionId });
    }

    /**
     * The 2025-11-25 lifecycle handshake.
     *
     * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#initialization
     */
    private async _negotiate(transport: Transport, options: ConnectOptions | undefined): Promise<void> {
        this._era = 'legacy';
        this._modernVersion = undefined;
        const { prior: _prior, ...requestOptions } = options ?? {};
        const result = await this.request(
            {
                method: 'initialize',
                params: {
                    protocolVersion: LATEST_PROTOCOL_VERSION,
                    capabilities: this._capabilities,
                    clientInfo: this._clientInfo
                }
            },
            InitializeResultSchema,
            requestOptions
        );
        if (!SUPPORTED_PROTOCOL_VERSIONS.includes(result.protocolVersion)) {
            throw new UnsupportedProtocolVersionError(
                { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested: result.protocolVersion },
                `Server chose protocol version ${JSON.stringify(result.protocolVersion)}, which this client does not ` +
                    `support (requested ${LATEST_PROTOCOL_VERSION}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`
            );
        }
        this._serverCapabilities = result.capabilities;
        this._serverVersion = result.serverInfo;
        this._instructions = result.instructions;
        this._negotiatedProtocolVersion = result.protocolVersion;
        this._toolOutputs.clear();
        transport.setProtocolVersion?.(result.protocolVersion);
        await this.notification({ method: 'notifications/initialized' });
    }

    /**
     * Settles the era with a `server/discover` probe (or the `prior` result): modern on a discover result at a
     * version both sides speak (one retry at the server's version after `-32022`), else — in `'auto'` mode — the
     * `initialize` handshake. A pinned client never falls back.
     *
     * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning#backward-compatibility
     */
    private async _negotiateEra(transport: Transport, options: ConnectOptions | undefined): Promise<void> {
        const mode = this._negotiationMode;
        const { prior, ...requestOptions } = options ?? {};
        if (prior?.kind === 'legacy' && typeof mode !== 'object') return this._negotiate(transport, requestOptions);
        if (prior?.kind === 'modern') {
            const verdict = judgeDiscover(prior.discover, firstProbeVersion(mode), mode);
            if (verdict.kind === 'modern') return this._adoptModern(verdict.version, verdict.discover);
        }
        const probeOptions: RequestOptions = { ...requestOptions };
        if (this._probe?.timeoutMs !== undefined) probeOptions.timeout = this._probe.timeoutMs;
        let version = firstProbeVersion(mode);
        let retried = false;
        let timeouts = 0;
        for (;;) {
            let verdict: ProbeVerdict;
            this._modernVersion = version;
            try {
                const discover = await this.request({ method: 'server/discover' }, DiscoverResultSchema, probeOptions);
                verdict = judgeDiscover(discover, version, mode);
            } catch (error) {
                if (error instanceof RequestTimeoutError && timeouts < (this._probe?.maxRetries ?? 0)) {
                    timeouts++;
                    continue;
                }
                verdict = judgeProbeError(error, version, mode, retried, overHttp(transport));
            }
            this._modernVersion = undefined;
            if (verdict.kind === 'modern') return this._adoptModern(verdict.version, verdict.discover);
            if (verdict.kind === 'legacy') return this._negotiate(transport, requestOptions);
            if (verdict.kind === 'fail') throw verdict.error;
            version = verdict.version;
            retried = true;
        }
    }

    private _adoptModern(version: string, discover: DiscoverResult): void {
        this._era = 'modern';
        this._modernVersion = version;
        this._discover = discover;
        this._serverCapabilities = discover.capabilities;
        const info = (discover._meta as Record<string, unknown> | undefined)?.[SERVER_INFO_META_KEY];
        this._serverVersion = typeof info === 'object' && info !== null ? (info as Implementation) : undefined;
        this._instructions = discover.instructions;
        this._negotiatedProtocolVersion = version;
        this._toolOutputs.clear();
    }

    /** Modern requests carry the client's version, capabilities and identity in `_meta` (its own keys win). */
    protected override _outgoingParams(
        method: string,
        params: Record<string, unknown> | undefined
    ): Record<string, unknown> | undefined {
        if (this._modernVersion === undefined) return params;
        return withModernMeta(params, modernMeta(this._modernVersion, this._capabilities, this._clientInfo));
    }

    /**
     * Sets how the next `connect()` picks the era (the `versionNegotiation` option; `undefined`: `'legacy'`).
     *
     * @throws {@link AlreadyConnectedError} when connected.
     */
    setVersionNegotiation(options: VersionNegotiationOptions | undefined): void {
        if (this.transport) throw new AlreadyConnectedError('Set the version negotiation before connecting');
        this._negotiationMode = options?.mode ?? 'legacy';
        this._probe = options?.probe;
    }

    /**
     * Asks the server again for its `server/discover` result (2026-07-28) and keeps it.
     *
     * @throws {@link SdkError} `METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION` on a legacy connection.
     */
    async discover(options?: RequestOptions): Promise<DiscoverResult> {
        if (this._era !== 'modern') {
            throw new SdkError(
                SdkErrorCode.MethodNotSupportedByProtocolVersion,
                'server/discover needs protocol revision 2026-07-28',
                { method: 'server/discover', era: this._era ?? 'legacy' }
            );
        }
        const result = await this.request({ method: 'server/discover' }, DiscoverResultSchema, options);
        this._adoptModern(this._modernVersion!, result);
        return result;
    }

    /** A subscription the client opened by itself: none (this client opens subscriptions only through `listen`). */
    get autoOpenedSubscription(): McpSubscription | undefined {
        return undefined;
    }

    /**
     * The era this client speaks with its server: `modern` (2026-07-28, per-request `_meta`), `legacy`
     * (`initialize`), or `undefined` before `connect()`.
     */
    getProtocolEra(): ProtocolEra | undefined {
        return this._era;
    }

    /** The server's `server/discover` result, when the era is modern (keep it for `connect({ prior })`). */
    getDiscoverResult(): DiscoverResult | undefined {
        return this._discover;
    }

    /** The capabilities the server advertised in `initialize`. */
    getServerCapabilities(): ServerCapabilities | undefined {
        return this._serverCapabilities;
    }

    /** The server's name and version from `initialize`. */
    getServerVersion(): Implementation | undefined {
        return this._serverVersion;
    }

    /** The server's usage instructions from `initialize`, if any. */
    getInstructions(): string | undefined {
        return this._instructions;
    }

    /** The protocol revision agreed in `initialize`. */
    getNegotiatedProtocolVersion(): string | undefined {
        return this._negotiatedProtocolVersion;
    }

    // ----- capability checks ------------------------------------------------------------------------------

    /** @throws {@link CapabilityNotSupportedError} when the server did not advertise what `method` needs. */
    protected assertCapabilityForMethod(method: string): void {
        const capability = SERVER_CAPABILITY_FOR_METHOD.get(method);
        if (capability !== undefined && !hasCapability(this._serverCapabilities, capability)) {
            throw new CapabilityNotSupportedError(
                method,
                capability,
                `Server does not support ${capability} (required for ${method})`
            );
        }
    }

    /** @throws {@link CapabilityNotSupportedError} when this client did not advertise what `method` needs. */
    protected assertNotificationCapability(method: string): void {
        const capability = CLIENT_CAPABILITY_FOR_NOTIFICATION.get(method);
        if (capability !== undefined && !hasCapability(this._capabilities, capability)) {
            throw new CapabilityNotSupportedError(
                method,
                capability,
                `Client does not advertise ${capability} (required to send ${method})`
            );
        }
    }

    /** @throws {@link CapabilityNotSupportedError} when this client did not advertise what handling `method` needs. */
    protected assertRequestHandlerCapability(method: string): void {
        const capability = CLIENT_CAPABILITY_FOR_HANDLER.get(method);
        if (capability !== undefined && !hasCapability(this._capabilities, capability)) {
            throw new CapabilityNotSupportedError(
                method,
                capability,
                `Client does not advertise ${capability} (required to handle ${method})`
            );
        }
    }

    /**
     * Registers a handler for a server → client request (`sampling/createMessage`, `elicitation/create`,
     * `roots/list`, …). The client must advertise the matching capability first. Elicitation handlers are wrapped:
     * the requested mode must be advertised, and accepted form content gets schema defaults (when
     * `elicitation.form.applyDefaults` is set) and is validated against the `requestedSchema`.
     *
     * @throws {@link CapabilityNotSupportedError} when the capability is not advertised.
     */
    protected override _setRequestHandler(
        method: string,
        handler: (request: JSONRPCRequest, ctx: ClientContext) => unknown
    ): void {
        if (method === 'elicitation/create') {
            const wrapped = wrapElicitationHandler(
                handler as unknown as Parameters<typeof wrapElicitationHandler>[0],
                () => this._capabilities,
                this._loadValidator
            );
            super._setRequestHandler(method, wrapped as unknown as typeof handler);
            return;
        }
        super._setRequestHandler(method, handler);
    }

    // ----- typed requests ---------------------------------------------------------------------------------

    /** Sends `ping`. @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/ping */
    ping(options?: RequestOptions): Promise<EmptyResult> {
        return this._call('ping', undefined, EmptyResultSchema, options);
    }

    /** Asks for argument completions. @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion */
    complete(params: CompleteRequestParams, options?: RequestOptions): Promise<CompleteResult> {
        return this._call('completion/complete', params, CompleteResultSchema, options);
    }

    /** Sets the server's log level. @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging */
    setLoggingLevel(level: LoggingLevel, options?: RequestOptions): Promise<EmptyResult> {
        return this._call('logging/setLevel', { level }, EmptyResultSchema, options);
    }

    /** Gets a prompt. @see https://modelcontextprotocol.io/specification/2025-11-25/server/prompts */
    getPrompt(params: GetPromptRequestParams, options?: RequestOptions): Promise<GetPromptResult> {
        return this._call('prompts/get', params, GetPromptResultSchema, options);
    }

    /** Lists one page of prompts. */
    listPrompts(params?: PaginatedRequestParams, options?: CacheableRequestOptions): Promise<ListPromptsResult> {
        return this._call('prompts/list', params, ListPromptsResultSchema, options);
    }

    /** Lists one page of resources. @see https://modelcontextprotocol.io/specification/2025-11-25/server/resources */
    listResources(params?: PaginatedRequestParams, options?: CacheableRequestOptions): Promise<ListResourcesResult> {
        return this._call('resources/list', params, ListResourcesResultSchema, options);
    }

    /** Lists one page of resource templates. */
    listResourceTemplates(
        params?: PaginatedRequestParams,
        options?: CacheableRequestOptions
    ): Promise<ListResourceTemplatesResult> {
        return this._call('resources/templates/list', params, ListResourceTemplatesResultSchema, options);
    }

    /** Reads a resource. */
    readResource(params: ReadResourceRequestParams, options?: CacheableRequestOptions): Promise<ReadResourceResult> {
        return this._call('resources/read', params, ReadResourceResultSchema, options);
    }

    /** Subscribes to updates of a resource (`notifications/resources/updated`). */
    subscribeResource(params: SubscribeRequestParams, options?: RequestOptions): Promise<EmptyResult> {
        return this._call('resources/subscribe', params, EmptyResultSchema, options);
    }

    /** Ends a resource subscription. */
    unsubscribeResource(params: UnsubscribeRequestParams, options?: RequestOptions): Promise<EmptyResult> {
        return this._call('resources/unsubscribe', params, EmptyResultSchema, options);
    }

    /**
     * Calls a tool. When the tool was seen in a `tools/list` with an `outputSchema`, the result's
     * `structuredContent` must be present (unless `isError`) and valid.
     *
     * @param resultSchema the schema to parse the result with (default {@link CallToolResultSchema}).
     * @throws {@link ToolOutputValidationError} when the structured content breaks the output schema.
     * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools
     */
    callTool(
        params: CallToolRequestParams,
        options?: CallToolRequestOptions
    ): Promise<z.output<typeof CallToolResultSchema>>;
    callTool(
        params: CallToolRequestParams,
        resultSchema: undefined,
        options?: CallToolRequestOptions
    ): Promise<z.output<typeof CallToolResultSchema>>;
    callTool<S extends z.core.$ZodType>(
        params: CallToolRequestParams,
        resultSchema: S,
        options?: CallToolRequestOptions
    ): Promise<z.output<S>>;
    /**
     * Calls a tool: `callTool(params, options?)` (the v2 shape), or `callTool(params, resultSchema, options?)`.
     * A second argument is taken for a result schema only when it is a zod schema, so an options object is never
     * mistaken for one.
     */
    async callTool<S extends z.core.$ZodType>(
        params: CallToolRequestParams,
        schemaOrOptions?: S | CallToolRequestOptions,
        maybeOptions?: CallToolRequestOptions
    ): Promise<z.output<S>> {
        const isSchema = typeof schemaOrOptions === 'object' && schemaOrOptions !== null && '_zod' in schemaOrOptions;
        const schema = (isSchema ? schemaOrOptions : CallToolResultSchema) as S;
        const options =
            isSchema || schemaOrOptions === undefined ? maybeOptions : (schemaOrOptions as CallToolRequestOptions);
        const { toolDefinition, ...requestOptions } = options ?? {};
        if (this._era === 'modern') {
            const annotated = toolDefinition ? readMcpParamHeaders(toolDefinition.inputSchema) : undefined;
            const headers = annotated?.valid ? annotated.headers : this._paramHeaders.get(params.name);
            if (headers !== undefined && headers.length > 0) {
                const values = mcpParamHeaderValues(headers, params.arguments as Record<string, unknown> | undefined);
                requestOptions.headers = { ...requestOptions.headers, ...values };
            }
        }
        const result = await this._call('tools/call', params, schema, requestOptions);
        if (typeof result === 'object' && result !== null) {
            await this._toolOutputs.check(params.name, result, toolDefinition);
        }
        return result;
    }

    /**
     * Opens a `subscriptions/listen` stream (2026-07-28): resolves once the server acknowledges it (within the
     * request timeout); the stream's change notifications reach the handlers registered with
     * `setNotificationHandler` (or `listChanged`), as unsolicited ones do on a legacy connection.
     *
     * @throws {@link SdkError} `METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION` on a legacy connection (use
     * `subscribeResource` and `listChanged` there).
     */
    listen(filter: SubscriptionFilter, options?: RequestOptions): Promise<McpSubscription> {
        if (this._era !== 'modern') {
            return Promise.reject(
                new SdkError(
                    SdkErrorCode.MethodNotSupportedByProtocolVersion,
                    'subscriptions/listen needs protocol revision 2026-07-28; use subscribeResource and listChanged',
                    { method: 'subscriptions/listen', era: this._era ?? 'legacy' }
                )
            );
        }
        if (!this._listening) {
            this._listening = true;
            this.setNotificationHandler('notifications/subscriptions/acknowledged', notification =>
                this._acknowledgements.acknowledged(notification.params as Record<string, unknown> | undefined)
            );
        }
        const { signal, timeout, ...rest } = options ?? {};
        return openSubscription({
            send: (abort, onId) =>
                this._requestWithId(
                    { method: 'subscriptions/listen', params: { notifications: filter } },
                    SubscriptionsListenResultSchema,
                    { ...rest, signal: abort, timeout: Infinity },
                    onId
                ),
            acknowledgements: this._acknowledgements,
            ackTimeoutMs: timeout ?? DEFAULT_REQUEST_TIMEOUT_MSEC,
            signal
        });
    }

    /** Lists one page of tools, remembering their output schemas for {@link Client.callTool}. */
    async listTools(params?: PaginatedRequestParams, options?: CacheableRequestOptions): Promise<ListToolsResult> {
        const result = await this._call('tools/list', params, ListToolsResultSchema, options);
        if (this._era === 'modern')
            result.tools = this._keepMirrorableTools(result.tools, params?.cursor === undefined);
        this._toolOutputs.remember(result.tools, params?.cursor === undefined);
        return result;
    }

    /** Tells the server the client's roots changed. Needs the `roots.listChanged` capability. */
    sendRootsListChanged(): Promise<void> {
        return this.notification({ method: 'notifications/roots/list_changed' });
    }

    // ----- pagination -------------------------------------------------------------------------------------

    /**
     * Lists every tool, following `nextCursor`.
     *
     * @throws {@link PaginationError} on a repeated cursor or more than `maxPages` pages.
     * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination
     */
    listAllTools(options?: ListAllOptions): Promise<Tool[]> {
        return collectPages('tools/list', 'tools', c => this.listTools(cursorParams(c), options), options?.maxPages);
    }

    /** Lists every prompt, following `nextCursor`. @throws {@link PaginationError} */
    listAllPrompts(options?: ListAllOptions): Promise<Prompt[]> {
        return collectPages(
            'prompts/list',
            'prompts',
            c => this.listPrompts(cursorParams(c), options),
            options?.maxPages
        );
    }

    /** Lists every resource, following `nextCursor`. @throws {@link PaginationError} */
    listAllResources(options?: ListAllOptions): Promise<Resource[]> {
        return collectPages(
            'resources/list',
            'resources',
            c => this.listResources(cursorParams(c), options),
            options?.maxPages
        );
    }

    /** Lists every resource template, following `nextCursor`. @throws {@link PaginationError} */
    listAllResourceTemplates(options?: ListAllOptions): Promise<ResourceTemplate[]> {
        return collectPages(
            'resources/templates/list',
            'resourceTemplates',
            c => this.listResourceTemplates(cursorParams(c), options),
            options?.maxPages
        );
    }

    // ----- internals --------------------------------------------------------------------------------------

    private _call<S extends z.core.$ZodType>(
        method: string,
        params: object | undefined,
        schema: S,
        options: CacheableRequestOptions | undefined
    ): Promise<z.output<S>> {
        const cacheKey = this._era === 'modern' ? cacheKeyOf(method, params) : undefined;
        if (cacheKey !== undefined && options?.cacheMode !== 'bypass') {
            const { cacheMode, ...requestOptions } = options ?? {};
            return this._cachedCall(method, params, schema, requestOptions, cacheMode ?? 'use', cacheKey);
        }
        const { cacheMode: _mode, ...requestOptions } = options ?? {};
        return this._send(method, params, schema, requestOptions);
    }

    /** A cacheable call: a fresh cached result when allowed, else the server's, stored per its hints. */
    private async _cachedCall<S extends z.core.$ZodType>(
        method: string,
        params: object | undefined,
        schema: S,
        options: RequestOptions,
        mode: CacheMode,
        key: string
    ): Promise<z.output<S>> {
        const server = JSON.stringify([this._serverVersion?.name ?? '', this._serverVersion?.version ?? '']);
        if (mode === 'use') {
            const cached = await this._cache.read(server, method, key);
            const parsed = cached === undefined ? undefined : z.safeParse(schema, cached);
            if (parsed?.success) return parsed.data;
        }
        const result = await this._send(method, params, schema, options);
        await this._cache.write(server, method, key, result as Record<string, unknown>);
        return result;
    }

    private _send<S extends z.core.$ZodType>(
        method: string,
        params: object | undefined,
        schema: S,
        options: RequestOptions | undefined
    ): Promise<z.output<S>> {
        if (this._era === 'modern' && LEGACY_ONLY_METHODS.has(method)) {
            return Promise.reject(
                new SdkError(
                    SdkErrorCode.MethodNotSupportedByProtocolVersion,
                    `${method} does not exist in protocol revision ${this._modernVersion} (use ${LEGACY_ONLY_METHODS.get(method)})`,
                    { method, era: 'modern' }
                )
            );
        }
        if (this._era !== 'modern' || !MULTI_ROUND_METHODS.has(method)) {
            return this.request(params === undefined ? { method } : { method, params }, schema, options);
        }
        const either = z.union([InputRequiredResultSchema, schema]);
        const signal = options?.signal ?? new AbortController().signal;
        return runMultiRound(method, params as Record<string, unknown> | undefined, {
            send: async round =>
                (await this.request(
                    round === undefined ? { method } : { method, params: round },
                    either,
                    options
                )) as Result,
            fulfil: request => this._handleLocally(request, signal),
            ...this._inputRounds
        }) as Promise<z.output<S>>;
    }

    /**
     * 2026-07-28 Streamable HTTP › Custom Headers: a tool whose `x-mcp-header` annotations break the rules is left out
     * of the list (reported to `onerror`); the others' annotations are remembered for `callTool`'s `Mcp-Param-*`.
     */
    private _keepMirrorableTools(tools: Tool[], firstPage: boolean): Tool[] {
        if (firstPage) this._paramHeaders.clear();
        return tools.filter(tool => {
            const annotated = readMcpParamHeaders(tool.inputSchema);
            if (!annotated.valid) {
                this._report(new McpError(ErrorCode.InvalidParams, `Dropped tool ${tool.name}: ${annotated.reason}`));
                return false;
            }
            if (annotated.headers.length > 0) this._paramHeaders.set(tool.name, annotated.headers);
            else this._paramHeaders.delete(tool.name);
            return true;
        });
    }

    /** Drops the cached results a change notification makes stale. */
    protected override _observeNotification(notification: JSONRPCNotification): void {
        const server = JSON.stringify([this._serverVersion?.name ?? '', this._serverVersion?.version ?? '']);
        const lists = STALE_LISTS[notification.method];
        const drop = (method: string, key?: string) =>
            void this._cache.invalidate(server, method, key).catch((error: unknown) => this._report(error));
        if (lists !== undefined) for (const method of lists) drop(method);
        const uri = (notification.params as { uri?: unknown } | undefined)?.uri;
        if (notification.method === 'notifications/resources/updated' && typeof uri === 'string') {
            drop('resources/read', uri);
        }
    }

    private readonly _loadValidator = (): Promise<jsonSchemaValidator> =>
        this._jsonSchemaValidator ? Promise.resolve(this._jsonSchemaValidator) : loadDefaultJsonSchemaValidator();

    private _onListChanged<T>(
        list: 'tools' | 'prompts' | 'resources',
        handler: ListChangedHandler<T>,
        fetchAll: (options: ListAllOptions) => Promise<T[]>
    ): void {
        const listener = listChangedListener(
            handler,
            () => fetchAll({}),
            error => this._report(error)
        );
        this.setNotificationHandler(`notifications/${list}/list_changed`, listener);
    }

    private _report(error: unknown): void {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
}

function cursorParams(cursor: string | undefined): PaginatedRequestParams | undefined {
    return cursor === undefined ? undefined : { cursor };
}
