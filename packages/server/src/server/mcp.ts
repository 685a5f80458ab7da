/**
 * `McpServer`: the high-level server. Register tools, resources (fixed or templated) and prompts; it
 * installs the matching request handlers and capabilities on its low-level {@link Server} on first use, keeps
 * list results cached, completes prompt arguments and template variables, and tells connected clients when a
 * list changes (coalesced per tick).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server
 * @module
 */
import type {
    Implementation,
    LoggingMessageNotificationParams,
    McpParamHeader,
    ResourceUpdatedNotificationParams,
    Transport
} from '@modelcontextprotocol/core';
import { Server } from './index.js';
import type { ServerOptions } from './index.js';
import { CompletionProvider } from './mcp/completions.js';
import { RegistrationError } from './mcp/errors.js';
import { PromptRegistry } from './mcp/prompts.js';
import type { PromptArgsSchema, PromptCallback, PromptConfig, RegisteredPrompt } from './mcp/prompts.js';
import type { ResourceTemplate } from './mcp/resourceTemplate.js';
import { ResourceRegistry } from './mcp/resources.js';
import type {
    ReadResourceCallback,
    ReadResourceTemplateCallback,
    RegisteredResource,
    RegisteredResourceTemplate,
    ResourceConfig
} from './mcp/resources.js';
import { ToolRegistry } from './mcp/tools.js';
import type { ScopeChallengeHandler } from './auth/scopeChallenge.js';
import type { RegisteredTool, ToolCallback, ToolConfig } from './mcp/tools.js';
import type { ToolSchemaInput } from './mcp/toolSchemas.js';

/**
 * List-changed notifications coalesced by default (several registrations in one tick → one notification).
 * Frozen, so every session shares one set of them.
 */
const LIST_CHANGED_METHODS: readonly string[] = Object.freeze([
    'notifications/tools/list_changed',
    'notifications/resources/list_changed',
    'notifications/prompts/list_changed'
]);

/** Options of an {@link McpServer}: the low-level server's, and limits on what tools accept. */
export type McpServerOptions = ServerOptions & {
    /**
     * Largest number of array elements plus object members (at any depth) one `tools/call`'s `arguments` may hold;
     * a larger payload is refused with `-32602` before it is validated. At least 1; default no limit.
     */
    maxToolInputElements?: number;
};

/**
 * A server you describe by registering tools, resources and prompts.
 *
 * @example
 * ```ts
 * const server = new McpServer({ name: 'demo', version: '1.0.0' });
 * server.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
 *     content: [{ type: 'text', text: String(a + b) }]
 * }));
 * await server.connect(transport);
 * ```
 */
export class McpServer {
    /** The low-level server, for anything not covered here (custom handlers, requests to the client). */
    readonly server: Server;
    // The registries are created on first use: a session pays only for the features its server registers.
    private _toolRegistry: ToolRegistry | undefined;
    private _resourceRegistry: ResourceRegistry | undefined;
    private _promptRegistry: PromptRegistry | undefined;
    private _completionProvider: CompletionProvider | undefined;
    private readonly _maxToolInputElements: number;

    /**
     * @throws {@link RegistrationError} `INVALID_OPTIONS` when `maxToolInputElements` is not a number of at least 1.
     */
    constructor(serverInfo: Implementation, options?: McpServerOptions) {
        const limit = options?.maxToolInputElements ?? Infinity;
        if (typeof limit !== 'number' || Number.isNaN(limit) || limit < 1) {
            throw new RegistrationError('INVALID_OPTIONS', 'maxToolInputElements must be a number of at least 1');
        }
        this._maxToolInputElements = limit;
        this.server = new Server(
            serverInfo,
            options?.debouncedNotificationMethods === undefined
                ? { ...options, debouncedNotificationMethods: LIST_CHANGED_METHODS }
                : options
        );
    }

    private get _tools(): ToolRegistry {
        return (this._toolRegistry ??= new ToolRegistry(
            { server: this.server, listChanged: () => this._notify(() => this.sendToolListChanged()) },
            this._maxToolInputElements
        ));
    }

    private get _resources(): ResourceRegistry {
        return (this._resourceRegistry ??= new ResourceRegistry({
            server: this.server,
            listChanged: () => {
                this._ensureCompletions();
                this._notify(() => this.sendResourceListChanged());
            }
        }));
    }

    private get _prompts(): PromptRegistry {
        return (this._promptRegistry ??= new PromptRegistry({
            server: this.server,
            listChanged: () => {
                this._ensureCompletions();
                this._notify(() => this.sendPromptListChanged());
            }
        }));
    }

    /** Connects to `transport` and starts serving. */
    connect(transport: Transport): Promise<void> {
        if (acceptsScopeChallenges(transport)) transport.setScopeChallengeResolver(this.resolveScopeChallenge);
        const headerChecked = transport as Transport & {
            setParamHeaderResolver?: (resolve: (tool: unknown) => readonly McpParamHeader[] | undefined) => void;
        };
        headerChecked.setParamHeaderResolver?.(name => this._toolRegistry?.paramHeadersFor(name));
        return this.server.connect(transport);
    }

    /**
     * Routes a request to the `scopeChallenge` of what it addresses: the tool of a `tools/call`, the prompt of a
     * `prompts/get`, the resource (or matching template) of `resources/read` / `subscribe` / `unsubscribe`.
     * `connect` hands it to transports that take one (`setScopeChallengeResolver`), which consult it on the decoded
     * messages before dispatching them.
     */
    readonly resolveScopeChallenge: ScopeChallengeHandler = context => {
        const { method, params } = context.request;
        let handler: ScopeChallengeHandler | undefined;
        if (method === 'tools/call') handler = this._toolRegistry?.scopeChallengeFor(params?.name);
        else if (method === 'prompts/get') handler = this._promptRegistry?.scopeChallengeFor(params?.name);
        else if (RESOURCE_METHODS.has(method)) handler = this._resourceRegistry?.scopeChallengeFor(params?.uri);
        else if (method === 'completion/complete') handler = this._completionChallenge(params?.ref);
        return handler?.(context);
    };

    /** A completion asks about a prompt or a resource template: it needs what they need. */
    private _completionChallenge(ref: unknown): ScopeChallengeHandler | undefined {
        if (typeof ref !== 'object' || ref === null) return undefined;
        const { type, name, uri } = ref as { type?: unknown; name?: unknown; uri?: unknown };
        if (type === 'ref/prompt') return this._promptRegistry?.scopeChallengeFor(name);
        if (type === 'ref/resource') return this._resourceRegistry?.scopeChallengeForTemplate(uri);
        return undefined;
    }

    /** Closes the connection. */
    close(): Promise<void> {
        return this.server.close();
    }

    /** True while connected to a transport. */
    isConnected(): boolean {
        return this.server.transport !== undefined;
    }

    /**
     * Registers a tool (Server › Tools). `inputSchema` / `outputSchema` may be a zod 4 object schema (classic
     * or mini), a zod raw shape, any Standard Schema with JSON Schema (valibot through `toStandardJsonSchema`,
     * arktype, `fromJsonSchema`: listed from `~standard.jsonSchema`, checked with `~standard.validate`), or a JSON
     * Schema object (listed as given, validated with the server's `jsonSchemaValidator`).
     *
     * @throws {@link RegistrationError} for a duplicate name or an unusable schema.
     */
    registerTool<I extends ToolSchemaInput | undefined = undefined, O extends ToolSchemaInput | undefined = undefined>(
        name: string,
        config: ToolConfig<I, O>,
        handler: ToolCallback<I>
    ): RegisteredTool {
        return this._tools.register(name, config, handler);
    }

    /**
     * Registers a fixed resource (Server › Resources).
     *
     * @throws {@link RegistrationError} when the URI is already registered.
     */
    registerResource(
        name: string,
        uri: string,
        metadata: ResourceConfig,
        readCallback: ReadResourceCallback
    ): RegisteredResource;
    /**
     * Registers a resource template (Server › Resources › Resource Templates); reads of matching URIs get the
     * template variables.
     *
     * @throws {@link RegistrationError} when the name is already registered.
     */
    registerResource(
        name: string,
        template: ResourceTemplate,
        metadata: ResourceConfig,
        readCallback: ReadResourceTemplateCallback
    ): RegisteredResourceTemplate;
    registerResource(
        name: string,
        uriOrTemplate: string | ResourceTemplate,
        metadata: ResourceConfig,
        readCallback: ReadResourceCallback | ReadResourceTemplateCallback
    ): RegisteredResource | RegisteredResourceTemplate {
        if (typeof uriOrTemplate === 'string') {
            return this._resources.registerResource(
                name,
                uriOrTemplate,
                metadata,
                readCallback as ReadResourceCallback
            );
        }
        return this._resources.registerTemplate(
            name,
            uriOrTemplate,
            metadata,
            readCallback as ReadResourceTemplateCallback
        );
    }

    /**
     * Registers a prompt (Server › Prompts). `argsSchema` is a zod raw shape (or object schema) of string
     * arguments, or any Standard Schema with JSON Schema describing an object of them; wrap a zod field in
     * {@link completable} to offer completions.
     *
     * @throws {@link RegistrationError} for a duplicate name or unusable arguments.
     */
    registerPrompt<A extends PromptArgsSchema | undefined = undefined>(
        name: string,
        config: PromptConfig<A>,
        callback: PromptCallback<A>
    ): RegisteredPrompt {
        return this._prompts.register(name, config, callback);
    }

    /** Sends a log message, honouring the level the client set (see {@link Server.sendLoggingMessage}). */
    sendLoggingMessage(params: LoggingMessageNotificationParams, sessionId?: string): Promise<void> {
        return this.server.sendLoggingMessage(params, sessionId);
    }

    /**
     * Tells the client a resource changed — when the server offers subscriptions, only if the client subscribed
     * to that URI. Does nothing when not connected.
     */
    async sendResourceUpdated(params: ResourceUpdatedNotificationParams): Promise<void> {
        if (!this.isConnected()) return;
        if (this.server.getCapabilities().resources?.subscribe && !this.isSubscribed(params.uri)) return;
        return this.server.sendResourceUpdated(params);
    }

    /** True when the client subscribed to `uri` (`resources/subscribe`). */
    isSubscribed(uri: string): boolean {
        return this._resourceRegistry?.isSubscribed(uri) ?? false;
    }

    /** Tells the client the tool list changed (when connected). */
    async sendToolListChanged(): Promise<void> {
        if (this.isConnected()) return this.server.sendToolListChanged();
    }

    /** Tells the client the resource list changed (when connected). */
    async sendResourceListChanged(): Promise<void> {
        if (this.isConnected()) return this.server.sendResourceListChanged();
    }

    /** Tells the client the prompt list changed (when connected). */
    async sendPromptListChanged(): Promise<void> {
        if (this.isConnected()) return this.server.sendPromptListChanged();
    }

    private _notify(send: () => Promise<void>): void {
        if (!this.isConnected()) return;
        send().catch((error: unknown) =>
            this.server.onerror?.(error instanceof Error ? error : new Error(String(error)))
        );
    }

    private _ensureCompletions(): void {
        if (this._promptRegistry?.hasCompleters() || this._resourceRegistry?.hasCompleters()) {
            this._completionProvider ??= new CompletionProvider(this.server, this._prompts, this._resources);
            this._completionProvider.install();
        }
    }
}

export { ResourceTemplate } from './mcp/resourceTemplate.js';
export type {
    CompleteResourceTemplateCallback,
    ListResourcesCallback,
    ResourceTemplateCallbacks
} from './mcp/resourceTemplate.js';
export { completable, getCompleter, isCompletable } from './mcp/completable.js';
export type { CompleteCallback } from './mcp/completable.js';
export { completionResult, MAX_COMPLETION_VALUES } from './mcp/completions.js';
export { RegistrationError } from './mcp/errors.js';
export type { RegistrationErrorCode } from './mcp/errors.js';
export type { AnyToolHandler, BaseToolCallback } from './mcp/tools.js';
export type { CompletableSchema } from './mcp/completable.js';
export type {
    InferPromptArgs,
    PromptArgsRawShape,
    PromptArgsSchema,
    PromptCallback,
    PromptConfig,
    PromptResult,
    PromptUpdate,
    RegisteredPrompt
} from './mcp/prompts.js';
export type {
    ReadResourceCallback,
    ReadResourceTemplateCallback,
    RegisteredResource,
    RegisteredResourceTemplate,
    ResourceConfig,
    ResourceMetadata
} from './mcp/resources.js';
export type { RegisteredTool, ToolCallback, ToolConfig, ToolResult, ToolUpdate } from './mcp/tools.js';
export type {
    AnyZodSchema,
    InferSchemaOutput,
    JsonSchemaObject,
    ToolSchemaInput,
    ZodRawShape
} from './mcp/toolSchemas.js';

const RESOURCE_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

/** A transport that consults a scope challenge resolver (the Streamable HTTP server transports). */
interface ScopeChallengeTransport extends Transport {
    setScopeChallengeResolver(resolver: ScopeChallengeHandler): void;
}

function acceptsScopeChallenges(transport: Transport): transport is ScopeChallengeTransport {
    return typeof (transport as Partial<ScopeChallengeTransport>).setScopeChallengeResolver === 'function';
}
