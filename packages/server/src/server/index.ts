/**
 * The low-level MCP server: the server side of a session over any {@link Transport}. It answers
 * `initialize` (Basic › Lifecycle), enforces the server's side of capability negotiation, filters logging by
 * the level the client set, and offers typed helpers for the requests a server sends to its client
 * (sampling, elicitation, roots, ping) and the notifications it emits.
 *
 * Register handlers for the server features with {@link Server.setRequestHandler}; `McpServer` does that for
 * you from registered tools, resources and prompts.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle
 * @module
 */
import {
    CapabilityNotSupportedError,
    CreateMessageResultSchema,
    ElicitResultSchema,
    EmptyResultSchema,
    ErrorCode,
    isModernProtocolVersion,
    ListRootsResultSchema,
    LOG_LEVEL_META_KEY,
    McpError,
    mergeCapabilities,
    Protocol,
    SUBSCRIPTION_ID_META_KEY,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS
} from '@modelcontextprotocol/core';
import type {
    BaseRequestParams,
    ClientCapabilities,
    CreateMessageRequestParams,
    CreateMessageResult,
    ElicitRequestParams,
    DiscoverResult,
    ElicitResult,
    EmptyResult,
    Implementation,
    JSONRPCErrorObject,
    JSONRPCMessage,
    InitializeRequestParams,
    InitializeResult,
    ListRootsResult,
    LoggingLevel,
    LoggingMessageNotificationParams,
    NotificationOptions,
    JSONRPCRequest,
    ProtocolOptions,
    RequestHandlerExtra,
    RequestOptions,
    ResourceUpdatedNotificationParams,
    Result,
    ServerCapabilities,
    ServerContext,
    ServerMcpReqContext,
    Transport
} from '@modelcontextprotocol/core';
import { requireClientCapability, requireHandlerCapability, requireNotificationCapability } from './capabilities.js';
import { checkModernRequest, legacyResult, messageEra, modernError, modernResult } from './era.js';
import type { EraRejection } from './era.js';
import { initializeSession } from './handshake.js';
import type { ClientSession } from './handshake.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/core/validators';
import { defaultJsonSchemaValidator } from './jsonSchemaValidator.js';
import { honoredFilter, notificationFor } from './listen.js';
import { isDroppedForRequest, LogLevels } from './logging.js';
import { createServerNotifier, InMemoryServerEventBus } from './serverEventBus.js';
import type { ServerEventBus, ServerNotifier } from './serverEventBus.js';

/** A transport that lets the server check modern requests before it answers them (Streamable HTTP). */
interface ModernGateTransport {
    setModernRequestGate(gate: (message: JSONRPCMessage) => EraRejection | undefined): void;
}

/** Options of a {@link Server}. */
export interface ServerOptions extends ProtocolOptions {
    /** The capabilities to advertise; more can be added with {@link Server.registerCapabilities}. */
    capabilities?: ServerCapabilities;
    /** Usage hints for the client, returned by `initialize` (e.g. for a system prompt). */
    instructions?: string;
    /** Validates elicitation answers and JSON-Schema tool arguments. Default: a shared ajv (draft 2020-12). */
    jsonSchemaValidator?: jsonSchemaValidator;
    /**
     * Revisions this server accepts, newest first. Default: every revision the SDK supports — 2026-07-28 (served
     * statelessly, per request) and 2025-11-25 back to 2024-11-05 (through `initialize`). Leave the modern
     * revisions out to serve legacy clients only, or the legacy ones to serve modern clients only.
     */
    supportedProtocolVersions?: readonly string[];
    /**
     * Checks the `requestState` a modern request brings back (2026-07-28 multi-round requests) before its handler
     * runs: `verify` returns the payload `ctx.mcpReq.requestState()` then gives the handler, or throws (a
     * `RequestStateError` from `createRequestStateCodec(...).verify`, say) to answer with that error instead.
     */
    requestState?: { verify(state: string, ctx: ServerContext): unknown };
    /**
     * Where `subscriptions/listen` streams (2026-07-28) take their change events from, and where `sendToolListChanged`
     * & co. publish them. Give every server made per request (or per session) the same bus so a change made through
     * one reaches the streams held by the others. Default: a bus of this server's own.
     */
    eventBus?: ServerEventBus;
}

/** Where a request's verified `requestState` payload is kept on its `ctx.mcpReq`. */
const VERIFIED_STATE = Symbol('verifiedRequestState');
/** Every revision served by default, newest first, and the legacy ones among them (shared by every server). */
const DEFAULT_VERSIONS: readonly string[] = Object.freeze([
    ...SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    ...SUPPORTED_PROTOCOL_VERSIONS
]);
const DEFAULT_LEGACY_VERSIONS: readonly string[] = Object.freeze(
    DEFAULT_VERSIONS.filter(version => !isModernProtocolVersion(version))
);

/**
 * An MCP server session (the server side of one connection).
 *
 * @example
 * ```ts
 * const server = new Server({ name: 'demo', version: '1.0.0' }, { capabilities: { tools: {} } });
 * server.setRequestHandler('tools/list', () => ({ tools: [] }));
 * await server.connect(transport);
 * ```
 */
export class Server extends Protocol<ServerContext> {
    /** `initialize` and `notifications/initialized`, shared by every `Server` (no per-session closures). */
    private static readonly _builtins = Protocol.builtinHandlers.extend<Server>({
        requests: {
            initialize(request) {
                return this._oninitialize(request.params as InitializeRequestParams);
            },
            'server/discover'() {
                return this._ondiscover();
            },
            'subscriptions/listen'(request, extra) {
                return this._onlisten(request, extra);
            }
        },
        notifications: {
            'notifications/initialized'() {
                this.oninitialized?.();
            }
        }
    });

    private readonly _serverInfo: Implementation;
    private _capabilities: ServerCapabilities;
    private readonly _instructions: string | undefined;
    /** Every revision served, newest first (modern and legacy). */
    private readonly _supportedVersions: readonly string[];
    /** The legacy revisions `initialize` negotiates among. */
    private readonly _legacyVersions: readonly string[];
    private readonly _validator: jsonSchemaValidator | undefined;
    private readonly _stateVerifier: ServerOptions['requestState'];
    /** The `eventBus` option, one handed over by an entry, or this server's own (created on first use). */
    private _eventBus: ServerEventBus | undefined;
    /** True while the bus is this server's own (no `eventBus` option): an entry may hand it a shared one. */
    private _ownBus: boolean;
    /** Ends each open listen stream gracefully (on `close`); created by the first listen stream. */
    private _listens: Set<() => void> | undefined;
    /** Created by the first `logging/setLevel`. */
    private _logLevels: LogLevels | undefined;
    private _session: ClientSession | undefined;
    private _loggingHandlerInstalled = false;

    /** The event bus, this server's own created on first use (publishing to none that exists reaches no one). */
    private get _bus(): ServerEventBus {
        return (this._eventBus ??= new InMemoryServerEventBus(error => this.onerror?.(error)));
    }

    /** Called when the client sends `notifications/initialized`. */
    oninitialized?: () => void;

    constructor(serverInfo: Implementation, options?: ServerOptions) {
        super(options, Server._builtins);
        // A copy: a per-request server's info is usually a literal in the caller's factory, and keeping that very
        // object lets V8 pretenure the literal's allocation site, which then promotes every per-request server.
        this._serverInfo = { ...serverInfo };
        this._capabilities = mergeCapabilities({}, options?.capabilities ?? {});
        this._instructions = options?.instructions;
        const versions = options?.supportedProtocolVersions;
        this._supportedVersions = versions ?? DEFAULT_VERSIONS;
        this._legacyVersions =
            versions === undefined
                ? DEFAULT_LEGACY_VERSIONS
                : versions.filter(version => !isModernProtocolVersion(version));
        this._validator = options?.jsonSchemaValidator;
        this._stateVerifier = options?.requestState;
        this._eventBus = options?.eventBus;
        this._ownBus = options?.eventBus === undefined;
        if (this._capabilities.logging) this._installLoggingHandler();
    }

    /** Connects to `transport`; what was learnt about a previous client is forgotten. */
    override connect(transport: Transport): Promise<void> {
        if (!this.transport) {
            this._session = undefined;
            this._logLevels = undefined;
        }
        const gated = transport as Transport & Partial<ModernGateTransport>;
        if (typeof gated.setModernRequestGate === 'function') {
            gated.setModernRequestGate(message => this._checkModernMessage(message));
        }
        return super.connect(transport);
    }

    // ----- handshake ---------------------------------------------------------------------------------------

    /** The one seam of the stateful handshake: negotiates and remembers the client. */
    private _oninitialize(params: InitializeRequestParams): InitializeResult {
        const { session, result } = initializeSession(
            params,
            { serverInfo: this._serverInfo, capabilities: this._capabilities, instructions: this._instructions },
            this._legacyVersions
        );
        this._session = session;
        this.transport?.setProtocolVersion?.(session.protocolVersion);
        return result;
    }

    /** Answers `server/discover` (2026-07-28): the versions, capabilities and identity of this server. */
    private _ondiscover(): DiscoverResult {
        const result: DiscoverResult = {
            supportedVersions: [...this._supportedVersions],
            capabilities: this._capabilities
        };
        if (this._instructions !== undefined) result.instructions = this._instructions;
        return result;
    }

    /**
     * Serves `subscriptions/listen` (2026-07-28): acknowledges the honoured filter first, then forwards the bus's
     * matching events as notifications tagged with the subscription id (the request's id), until the client cancels
     * (closes the stream) or the server closes (then it answers with a result, ending the stream gracefully).
     */
    private async _onlisten(request: JSONRPCRequest, extra: RequestHandlerExtra): Promise<Result> {
        const id = request.id;
        const meta = { [SUBSCRIPTION_ID_META_KEY]: id };
        const filter = honoredFilter(
            (request.params as { notifications?: unknown } | undefined)?.notifications,
            this._capabilities
        );
        const related = { relatedRequestId: id };
        await this.notification(
            { method: 'notifications/subscriptions/acknowledged', params: { _meta: meta, notifications: filter } },
            related
        );
        await new Promise<void>(resolve => {
            const stop = this._bus.subscribe(event => {
                const notification = notificationFor(event, filter);
                if (notification === undefined || extra.signal.aborted) return;
                const params = { ...notification.params, _meta: { ...meta } };
                this.notification({ method: notification.method, params }, related).catch((error: unknown) =>
                    this.onerror?.(error instanceof Error ? error : new Error(String(error)))
                );
            });
            const end = (): void => {
                stop();
                this._listens?.delete(end);
                resolve();
            };
            (this._listens ??= new Set()).add(end);
            if (extra.signal.aborted) end();
            else extra.signal.addEventListener('abort', end, { once: true });
        });
        return { _meta: meta };
    }

    /** Ends every open listen stream with its result, then closes the connection. */
    override async close(): Promise<void> {
        if (this._listens) for (const end of [...this._listens]) end();
        return super.close();
    }

    /**
     * Uses `bus` for listen streams and change events, unless the server was given an `eventBus` of its own
     * (`createMcpHandler` hands every server it makes its handler's bus).
     *
     * @internal
     */
    _adoptEventBus(bus: ServerEventBus): void {
        if (!this._ownBus) return;
        this._eventBus = bus;
        this._ownBus = false;
    }

    /** Publishes change events for listen streams: the {@link ServerNotifier} of this server's `eventBus`. */
    get notify(): ServerNotifier {
        return createServerNotifier(this._bus);
    }

    // ----- eras --------------------------------------------------------------------------------------------

    /**
     * Checks a modern (2026-07-28) message before dispatch: its `_meta`, its version, its method. The Streamable
     * HTTP transport calls this on the decoded message to answer a refusal with the right HTTP status; the server
     * checks again on dispatch, on the same message.
     *
     * @returns `undefined` when the message may be dispatched (legacy messages always may, here).
     * @internal
     */
    _checkModernMessage(message: JSONRPCMessage): EraRejection | undefined {
        return checkModernRequest(message, {
            supportedVersions: this._supportedVersions,
            hasMethod: method => this._servesMethod(method)
        });
    }

    protected override _refuseRequest(request: JSONRPCRequest): JSONRPCErrorObject | undefined {
        if (messageEra(request) === 'modern') return this._checkModernMessage(request)?.error;
        if (request.method === 'server/discover' || request.method === 'subscriptions/listen') {
            return {
                code: ErrorCode.MethodNotFound,
                message: `Method not found: ${request.method} needs a modern _meta`
            };
        }
        if (this._legacyVersions.length === 0 && request.method === 'initialize') {
            return {
                code: ErrorCode.InvalidRequest,
                message: `This server speaks protocol revisions ${this._supportedVersions.join(', ')} only; initialize is not supported`
            };
        }
        return undefined;
    }

    protected override _prepareRequest(request: JSONRPCRequest, extra: RequestHandlerExtra): Promise<void> | undefined {
        const state = (request.params as { requestState?: unknown } | undefined)?.requestState;
        if (this._stateVerifier === undefined || typeof state !== 'string' || messageEra(request) !== 'modern') {
            return undefined;
        }
        const verifier = this._stateVerifier;
        return (async () => {
            const payload = await verifier.verify(state, extra as ServerContext);
            (extra.mcpReq as unknown as Record<symbol, unknown>)[VERIFIED_STATE] = payload;
        })();
    }

    protected override _completeResult(request: JSONRPCRequest, result: Result): Result {
        return messageEra(request) === 'modern'
            ? modernResult(request.method, result, this._serverInfo)
            : legacyResult(request.method, result);
    }

    protected override _completeError(request: JSONRPCRequest, error: JSONRPCErrorObject): JSONRPCErrorObject {
        return messageEra(request) === 'modern' ? modernError(error) : error;
    }

    /** The capabilities the client advertised in `initialize`, once it has initialized. */
    getClientCapabilities(): ClientCapabilities | undefined {
        return this._session?.capabilities;
    }

    /** The client's name and version from `initialize`, once it has initialized. */
    getClientVersion(): Implementation | undefined {
        return this._session?.clientInfo;
    }

    /** The protocol revision negotiated in `initialize`, once the client has initialized. */
    getNegotiatedProtocolVersion(): string | undefined {
        return this._session?.protocolVersion;
    }

    /** The capabilities this server advertises. */
    getCapabilities(): ServerCapabilities {
        return this._capabilities;
    }

    /**
     * Adds capabilities (merged one level deep). Clients learn capabilities at `initialize`, so register them
     * before connecting; turning `logging` on installs the built-in `logging/setLevel` handler.
     */
    registerCapabilities(capabilities: ServerCapabilities): void {
        this._capabilities = mergeCapabilities(this._capabilities, capabilities);
        if (this._capabilities.logging) this._installLoggingHandler();
    }

    // ----- capability hooks --------------------------------------------------------------------------------

    /** Server-to-client requests need the matching client capability. */
    protected assertCapabilityForMethod(method: string): void {
        requireClientCapability(method, this._session?.capabilities);
    }

    /** Notifications need the server's own capability (or the client's, for elicitation completion). */
    protected assertNotificationCapability(method: string): void {
        requireNotificationCapability(method, this._capabilities, this._session?.capabilities);
    }

    /** Handlers need the server capability their feature belongs to. */
    protected assertRequestHandlerCapability(method: string): void {
        requireHandlerCapability(method, this._capabilities);
    }

    // ----- requests to the client --------------------------------------------------------------------------

    /** Pings the client (Basic › Utilities › Ping). */
    ping(options?: RequestOptions): Promise<EmptyResult> {
        return this.request({ method: 'ping' }, EmptyResultSchema, options);
    }

    /**
     * Asks the client's LLM for a completion (Client › Sampling). Needs the client's `sampling` capability, and
     * `sampling.tools` when `tools` or `toolChoice` is given.
     *
     * Rejects with {@link CapabilityNotSupportedError}, before sending, when the client lacks the capability.
     */
    async createMessage(params: CreateMessageRequestParams, options?: RequestOptions): Promise<CreateMessageResult> {
        const client = this._session?.capabilities;
        requireClientCapability('sampling/createMessage', client);
        if ((params.tools !== undefined || params.toolChoice !== undefined) && !client?.sampling?.tools) {
            throw new CapabilityNotSupportedError(
                'sampling/createMessage',
                'sampling.tools',
                'Client does not support tool use in sampling (required when tools or toolChoice is given)'
            );
        }
        return this.request({ method: 'sampling/createMessage', params }, CreateMessageResultSchema, options);
    }

    /**
     * Asks the user for input through the client (Client › Elicitation). Form mode (the default) needs the
     * client's `elicitation` capability (an empty object means form), URL mode needs `elicitation.url`. An
     * accepted form answer is validated against `requestedSchema`.
     *
     * Rejects with {@link CapabilityNotSupportedError}, before sending, when the client lacks the capability,
     * and with {@link McpError} `InvalidParams` when the accepted content does not match `requestedSchema`.
     */
    async elicitInput(params: ElicitRequestParams, options?: RequestOptions): Promise<ElicitResult> {
        const client = this._session?.capabilities;
        requireClientCapability('elicitation/create', client);
        const elicitation = client?.elicitation ?? {};
        if (params.mode === 'url') {
            if (!elicitation.url) {
                throw new CapabilityNotSupportedError(
                    'elicitation/create',
                    'elicitation.url',
                    'Client does not support URL-mode elicitation'
                );
            }
            return this.request({ method: 'elicitation/create', params }, ElicitResultSchema, options);
        }
        if (!elicitation.form && elicitation.url) {
            throw new CapabilityNotSupportedError(
                'elicitation/create',
                'elicitation.form',
                'Client does not support form-mode elicitation'
            );
        }
        const result = await this.request({ method: 'elicitation/create', params }, ElicitResultSchema, options);
        if (result.action === 'accept' && result.content !== undefined) {
            const validator = this.jsonSchemaValidator.getValidator(params.requestedSchema);
            const outcome = validator(result.content);
            if (!outcome.valid) {
                throw new McpError(
                    ErrorCode.InvalidParams,
                    `Elicitation response content does not match the requested schema: ${outcome.errorMessage}`
                );
            }
        }
        return result;
    }

    /**
     * A function that tells the client a URL-mode elicitation finished (`notifications/elicitation/complete`).
     *
     * @throws {@link CapabilityNotSupportedError} when the client lacks `elicitation.url`.
     */
    createElicitationCompletionNotifier(elicitationId: string, options?: NotificationOptions): () => Promise<void> {
        requireNotificationCapability(
            'notifications/elicitation/complete',
            this._capabilities,
            this._session?.capabilities
        );
        return () =>
            this.notification({ method: 'notifications/elicitation/complete', params: { elicitationId } }, options);
    }

    /** Lists the client's roots (Client › Roots). Needs the client's `roots` capability. */
    async listRoots(params?: BaseRequestParams, options?: RequestOptions): Promise<ListRootsResult> {
        requireClientCapability('roots/list', this._session?.capabilities);
        return this.request(
            params === undefined ? { method: 'roots/list' } : { method: 'roots/list', params },
            ListRootsResultSchema,
            options
        );
    }

    // ----- notifications -----------------------------------------------------------------------------------

    /**
     * Sends a log message (Server › Utilities › Logging) unless it is below the level the session set with
     * `logging/setLevel`. Does nothing when the server has no `logging` capability.
     *
     * @param sessionId the session whose level applies; defaults to the transport's session.
     */
    async sendLoggingMessage(params: LoggingMessageNotificationParams, sessionId?: string): Promise<void> {
        if (!this._capabilities.logging) return;
        if (this._logLevels?.isDropped(params.level, sessionId ?? this.transport?.sessionId)) return;
        return this.notification({ method: 'notifications/message', params });
    }

    /**
     * The `mcpReq` of a request being handled, with what a server can send on its behalf: `log` (a
     * `notifications/message` routed on the request's own stream, dropped below the session's level),
     * `elicitInput` and `requestSampling` (related to the request).
     *
     * @internal
     */
    override _requestContext(extra: RequestHandlerExtra, request: JSONRPCRequest): ServerMcpReqContext {
        const base = super._requestContext(extra, request);
        const relatedRequestId = request.id;
        const sessionId = extra.sessionId;
        const modern = messageEra(request) === 'modern';
        const requestedLevel = modern ? request.params?._meta?.[LOG_LEVEL_META_KEY] : undefined;
        const params = request.params as { inputResponses?: unknown; requestState?: unknown } | undefined;
        const rawState = modern && typeof params?.requestState === 'string' ? params.requestState : undefined;
        const verifies = this._stateVerifier !== undefined;
        const context = base as ServerMcpReqContext & Record<symbol, unknown>;
        if (modern && isRecord(params?.inputResponses)) context.inputResponses = params.inputResponses;
        context.requestState = (<T>() =>
            (verifies ? context[VERIFIED_STATE] : rawState) as T | undefined) as ServerMcpReqContext['requestState'];
        return Object.assign(context, {
            log: async (level: LoggingLevel, data: unknown, logger?: string): Promise<void> => {
                if (!this._capabilities.logging) return;
                if (
                    modern ? isDroppedForRequest(level, requestedLevel) : this._logLevels?.isDropped(level, sessionId)
                ) {
                    return;
                }
                const params: LoggingMessageNotificationParams =
                    logger === undefined ? { level, data } : { level, data, logger };
                await this.notification({ method: 'notifications/message', params }, { relatedRequestId });
            },
            elicitInput: (params: ElicitRequestParams, options?: RequestOptions) =>
                this.elicitInput(params, { ...options, relatedRequestId }),
            requestSampling: (params: CreateMessageRequestParams, options?: RequestOptions) =>
                this.createMessage(params, { ...options, relatedRequestId })
        });
    }

    /** The level a session set with `logging/setLevel`, if any. */
    getLoggingLevel(sessionId?: string): LoggingLevel | undefined {
        return this._logLevels?.get(sessionId ?? this.transport?.sessionId);
    }

    /** Tells a subscribed client that a resource changed (Server › Resources › Subscriptions). */
    sendResourceUpdated(params: ResourceUpdatedNotificationParams): Promise<void> {
        this._eventBus?.publish({ kind: 'resource_updated', uri: params.uri });
        return this.notification({ method: 'notifications/resources/updated', params });
    }

    /** Tells the client the resource list changed (and the listen streams that asked, through the event bus). */
    sendResourceListChanged(): Promise<void> {
        this._eventBus?.publish({ kind: 'resources_list_changed' });
        return this.notification({ method: 'notifications/resources/list_changed' });
    }

    /** Tells the client the tool list changed (and the listen streams that asked, through the event bus). */
    sendToolListChanged(): Promise<void> {
        this._eventBus?.publish({ kind: 'tools_list_changed' });
        return this.notification({ method: 'notifications/tools/list_changed' });
    }

    /** Tells the client the prompt list changed (and the listen streams that asked, through the event bus). */
    sendPromptListChanged(): Promise<void> {
        this._eventBus?.publish({ kind: 'prompts_list_changed' });
        return this.notification({ method: 'notifications/prompts/list_changed' });
    }

    /** The validator used for elicitation answers and JSON-Schema tools. */
    get jsonSchemaValidator(): jsonSchemaValidator {
        return this._validator ?? defaultJsonSchemaValidator();
    }

    private _installLoggingHandler(): void {
        if (this._loggingHandlerInstalled) return;
        this._loggingHandlerInstalled = true;
        this.setRequestHandler('logging/setLevel', (request, extra) => {
            (this._logLevels ??= new LogLevels()).set(extra.sessionId, request.params.level);
            return {};
        });
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
