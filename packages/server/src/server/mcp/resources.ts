/**
 * The resource registry behind `McpServer.registerResource` (MCP 2025-11-25, Server › Resources): fixed
 * resources and resource templates, `resources/list` (fixed ones from a cached array, plus whatever template
 * listers return), `resources/templates/list`, `resources/read` (exact URI first, then templates in
 * registration order; unknown → `-32002`) and, when the server advertises `resources.subscribe`,
 * `resources/subscribe` / `resources/unsubscribe` with the set of subscribed URIs.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/resources
 * @module
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/core';
import type {
    InputRequiredResult,
    JSONRPCRequest,
    ListResourcesResult,
    ListResourceTemplatesResult,
    ReadResourceResult,
    Resource,
    ResourceTemplate as ResourceTemplateDefinition,
    UriTemplateMatch
} from '@modelcontextprotocol/core';
import { enforceScopeChallenge } from '../auth/scopeChallenge.js';
import type { ScopeChallengeHandler } from '../auth/scopeChallenge.js';
import type { Server } from '../index.js';
import type { ResourceTemplate } from './resourceTemplate.js';
import type { RegistryHost } from './host.js';
import { HandlerInstaller, Registry, RegistryEntry } from './registry.js';
import type { ServerContext } from '@modelcontextprotocol/core';

/** Everything describing a resource besides its URI and name. */
export type ResourceMetadata = Omit<Resource, 'uri' | 'name'>;

/** What `registerResource` accepts besides the name and URI: the listed metadata, and registration options. */
export type ResourceConfig = ResourceMetadata & {
    /** Decides, before a read or (un)subscribe is dispatched, whether it needs OAuth scopes the token lacks. */
    scopeChallenge?: ScopeChallengeHandler;
};

/** Reads a fixed resource. */
export type ReadResourceCallback = (
    uri: URL,
    extra: ServerContext
) => ReadResourceResult | InputRequiredResult | Promise<ReadResourceResult | InputRequiredResult>;

/** Reads a resource matched by a template; `variables` are the decoded template variables. */
export type ReadResourceTemplateCallback = (
    uri: URL,
    variables: UriTemplateMatch,
    extra: ServerContext
) => ReadResourceResult | InputRequiredResult | Promise<ReadResourceResult | InputRequiredResult>;

/** Shared handle methods. */
interface Toggle {
    readonly enabled: boolean;
    /** Lists and serves the resource again. */
    enable(): void;
    /** Hides it from listings; reads fail. */
    disable(): void;
    /** Unregisters it. */
    remove(): void;
}

/** A handle on a registered fixed resource. */
export interface RegisteredResource extends Toggle {
    readonly name: string;
    readonly uri: string;
    readonly metadata: ResourceMetadata;
    /** Changes the resource; `uri: null` removes it. */
    update(updates: {
        name?: string;
        uri?: string | null;
        metadata?: ResourceMetadata;
        callback?: ReadResourceCallback;
        enabled?: boolean;
    }): void;
}

/** A handle on a registered resource template. */
export interface RegisteredResourceTemplate extends Toggle {
    readonly name: string;
    readonly resourceTemplate: ResourceTemplate;
    readonly metadata: ResourceMetadata;
    /** Changes the template; `name: null` removes it. */
    update(updates: {
        name?: string | null;
        template?: ResourceTemplate;
        metadata?: ResourceMetadata;
        callback?: ReadResourceTemplateCallback;
        enabled?: boolean;
    }): void;
}

type ResourceUpdate = Parameters<RegisteredResource['update']>[0];
type TemplateUpdate = Parameters<RegisteredResourceTemplate['update']>[0];

class ResourceEntry extends RegistryEntry<ResourceUpdate> implements RegisteredResource {
    constructor(
        private readonly _registry: ResourceRegistry,
        public name: string,
        public uri: string,
        public metadata: ResourceMetadata,
        public callback: ReadResourceCallback,
        readonly scopeChallenge: ScopeChallengeHandler | undefined
    ) {
        super();
    }

    remove(): void {
        this.update({ uri: null });
    }
    update(updates: ResourceUpdate): void {
        this._registry.applyResource(this, updates);
    }
    definition(): Resource {
        return { uri: this.uri, name: this.name, ...this.metadata };
    }
}

class TemplateEntry extends RegistryEntry<TemplateUpdate> implements RegisteredResourceTemplate {
    constructor(
        private readonly _registry: ResourceRegistry,
        public name: string,
        public resourceTemplate: ResourceTemplate,
        public metadata: ResourceMetadata,
        public callback: ReadResourceTemplateCallback,
        readonly scopeChallenge: ScopeChallengeHandler | undefined
    ) {
        super();
    }

    remove(): void {
        this.update({ name: null });
    }
    update(updates: TemplateUpdate): void {
        this._registry.applyTemplate(this, updates);
    }
    definition(): ResourceTemplateDefinition {
        return { uriTemplate: this.resourceTemplate.uriTemplate.toString(), name: this.name, ...this.metadata };
    }
}

const RESOURCE_METHODS: readonly string[] = ['resources/list', 'resources/templates/list', 'resources/read'];
const SUBSCRIBE_METHODS: readonly string[] = [...RESOURCE_METHODS, 'resources/subscribe', 'resources/unsubscribe'];

function wrapResources(resources: Resource[]): ListResourcesResult {
    return { resources };
}

function wrapTemplates(resourceTemplates: ResourceTemplateDefinition[]): ListResourceTemplatesResult {
    return { resourceTemplates };
}

/** Registered resources and templates of one `McpServer`, and their request handlers. */
export class ResourceRegistry extends HandlerInstaller {
    private readonly _resources: Registry<ResourceEntry, Resource, ListResourcesResult>;
    private readonly _templates: Registry<TemplateEntry, ResourceTemplateDefinition, ListResourceTemplatesResult>;
    /** URIs the client subscribed to; created by the first `resources/subscribe`. */
    private _subscriptions: Set<string> | undefined;

    constructor(host: RegistryHost) {
        super();
        this._resources = new Registry('Resource', host, this, wrapResources);
        this._templates = new Registry('Resource template', host, this, wrapTemplates);
    }

    protected handlerMethods(server: Server): readonly string[] {
        return server.getCapabilities().resources?.subscribe === true ? SUBSCRIBE_METHODS : RESOURCE_METHODS;
    }

    protected installHandlers(server: Server, methods: readonly string[]): void {
        this._install(server, methods === SUBSCRIBE_METHODS);
    }

    /** Registers a fixed resource. @throws {@link RegistrationError} when the URI is taken. */
    registerResource(
        name: string,
        uri: string,
        config: ResourceConfig,
        callback: ReadResourceCallback
    ): RegisteredResource {
        const { scopeChallenge, ...metadata } = config;
        return this._resources.add(uri, () => new ResourceEntry(this, name, uri, metadata, callback, scopeChallenge));
    }

    /** Registers a resource template. @throws {@link RegistrationError} when the name is taken. */
    registerTemplate(
        name: string,
        template: ResourceTemplate,
        config: ResourceConfig,
        callback: ReadResourceTemplateCallback
    ): RegisteredResourceTemplate {
        const { scopeChallenge, ...metadata } = config;
        return this._templates.add(
            name,
            () => new TemplateEntry(this, name, template, metadata, callback, scopeChallenge)
        );
    }

    /**
     * The scope challenge handler for requests about `uri`: the fixed resource's, else that of the first enabled
     * template that matches (the choice `resources/read` makes).
     */
    scopeChallengeFor(uri: unknown): ScopeChallengeHandler | undefined {
        if (typeof uri !== 'string') return undefined;
        const exact = this._resources.entries.get(uri);
        if (exact) return exact.scopeChallenge;
        for (const entry of this._templates.entries.values()) {
            if (entry.enabled && entry.resourceTemplate.uriTemplate.match(uri)) return entry.scopeChallenge;
        }
        return undefined;
    }

    /** The scope challenge handler of the template whose URI template is `uriTemplate` (completion references). */
    scopeChallengeForTemplate(uriTemplate: unknown): ScopeChallengeHandler | undefined {
        if (typeof uriTemplate !== 'string') return undefined;
        for (const entry of this._templates.entries.values()) {
            if (entry.resourceTemplate.uriTemplate.toString() === uriTemplate) return entry.scopeChallenge;
        }
        return this._resources.entries.get(uriTemplate)?.scopeChallenge;
    }

    /** True when the client subscribed to `uri` (and has not unsubscribed). */
    isSubscribed(uri: string): boolean {
        return this._subscriptions?.has(uri) ?? false;
    }

    /** The enabled template whose URI template text is `uriTemplate`, for completion. */
    findTemplate(uriTemplate: string): ResourceTemplate | undefined {
        for (const entry of this._templates.entries.values()) {
            if (entry.enabled && entry.resourceTemplate.uriTemplate.toString() === uriTemplate) {
                return entry.resourceTemplate;
            }
        }
        return undefined;
    }

    /** True when any registered template has variable completers. */
    hasCompleters(): boolean {
        for (const entry of this._templates.entries.values()) if (entry.resourceTemplate.hasCompleters) return true;
        return false;
    }

    /** True when a fixed resource with this URI is registered. */
    hasResource(uri: string): boolean {
        return this._resources.entries.has(uri);
    }

    /** @internal Applies {@link RegisteredResource.update}. */
    applyResource(entry: ResourceEntry, updates: ResourceUpdate): void {
        this._resources.update(entry, entry.uri, updates.uri, () => {
            if (typeof updates.uri === 'string') entry.uri = updates.uri;
            if (updates.name !== undefined) entry.name = updates.name;
            if (updates.metadata !== undefined) entry.metadata = updates.metadata;
            if (updates.callback !== undefined) entry.callback = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
        });
    }

    /** @internal Applies {@link RegisteredResourceTemplate.update}. */
    applyTemplate(entry: TemplateEntry, updates: TemplateUpdate): void {
        this._templates.update(entry, entry.name, updates.name, () => {
            if (typeof updates.name === 'string') entry.name = updates.name;
            if (updates.template !== undefined) entry.resourceTemplate = updates.template;
            if (updates.metadata !== undefined) entry.metadata = updates.metadata;
            if (updates.callback !== undefined) entry.callback = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
        });
    }

    private _install(server: Server, subscribe: boolean): void {
        server.registerCapabilities({ resources: { listChanged: true } });
        server.setRequestHandler('resources/list', (_request, extra) => this._listResources(extra as ServerContext));
        server.setRequestHandler('resources/templates/list', () => this._templates.list());
        server.setRequestHandler('resources/read', (request, extra) =>
            this._read(request.params.uri, extra as ServerContext, request as unknown as JSONRPCRequest)
        );
        if (subscribe) {
            server.setRequestHandler('resources/subscribe', async (request, extra) => {
                const uri = request.params.uri;
                await enforceScopeChallenge(
                    this.scopeChallengeFor(uri),
                    request as unknown as JSONRPCRequest,
                    extra.authInfo
                );
                (this._subscriptions ??= new Set()).add(uri);
                return {};
            });
            server.setRequestHandler('resources/unsubscribe', async (request, extra) => {
                const uri = request.params.uri;
                await enforceScopeChallenge(
                    this.scopeChallengeFor(uri),
                    request as unknown as JSONRPCRequest,
                    extra.authInfo
                );
                this._subscriptions?.delete(uri);
                return {};
            });
        }
    }

    private async _listResources(extra: ServerContext): Promise<ListResourcesResult> {
        const fixed = this._resources.list();
        let resources: Resource[] | undefined;
        for (const entry of this._templates.entries.values()) {
            const list = entry.resourceTemplate.listCallback;
            if (!entry.enabled || !list) continue;
            resources ??= [...fixed.resources];
            const listed = await list(extra);
            for (const resource of listed.resources) resources.push({ ...entry.metadata, ...resource });
        }
        return resources ? { resources } : fixed;
    }

    private async _read(
        uri: string,
        extra: ServerContext,
        request: JSONRPCRequest
    ): Promise<ReadResourceResult | InputRequiredResult> {
        const exact = this._resources.entries.get(uri);
        if (exact) {
            await enforceScopeChallenge(exact.scopeChallenge, request, extra.authInfo);
            if (!exact.enabled) throw new McpError(ErrorCode.InvalidParams, `Resource ${uri} disabled`);
            return exact.callback(parseUri(uri), extra);
        }
        for (const entry of this._templates.entries.values()) {
            if (!entry.enabled) continue;
            const variables = entry.resourceTemplate.uriTemplate.match(uri);
            if (variables) {
                await enforceScopeChallenge(entry.scopeChallenge, request, extra.authInfo);
                return entry.callback(parseUri(uri), variables, extra);
            }
        }
        throw new McpError(ErrorCode.ResourceNotFound, `Resource ${uri} not found`, { uri });
    }
}

function parseUri(uri: string): URL {
    try {
        return new URL(uri);
    } catch {
        throw new McpError(ErrorCode.InvalidParams, `Invalid resource URI: ${uri}`);
    }
}
