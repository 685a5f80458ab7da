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
    ListResourcesResult,
    ListResourceTemplatesResult,
    ReadResourceResult,
    RequestHandlerExtra,
    Resource,
    ResourceTemplate as ResourceTemplateDefinition,
    UriTemplateMatch
} from '@modelcontextprotocol/core';
import { RegistrationError } from './errors.js';
import type { ResourceTemplate } from './resourceTemplate.js';
import type { RegistryHost } from './host.js';

/** Everything describing a resource besides its URI and name. */
export type ResourceMetadata = Omit<Resource, 'uri' | 'name'>;

/** Reads a fixed resource. */
export type ReadResourceCallback = (
    uri: URL,
    extra: RequestHandlerExtra
) => ReadResourceResult | Promise<ReadResourceResult>;

/** Reads a resource matched by a template; `variables` are the decoded template variables. */
export type ReadResourceTemplateCallback = (
    uri: URL,
    variables: UriTemplateMatch,
    extra: RequestHandlerExtra
) => ReadResourceResult | Promise<ReadResourceResult>;

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

class ResourceEntry implements RegisteredResource {
    enabled = true;
    constructor(
        private readonly _registry: ResourceRegistry,
        public name: string,
        public uri: string,
        public metadata: ResourceMetadata,
        public callback: ReadResourceCallback
    ) {}

    enable(): void {
        this.update({ enabled: true });
    }
    disable(): void {
        this.update({ enabled: false });
    }
    remove(): void {
        this.update({ uri: null });
    }
    update(updates: Parameters<RegisteredResource['update']>[0]): void {
        this._registry.applyResource(this, updates);
    }
    definition(): Resource {
        return { uri: this.uri, name: this.name, ...this.metadata };
    }
}

class TemplateEntry implements RegisteredResourceTemplate {
    enabled = true;
    constructor(
        private readonly _registry: ResourceRegistry,
        public name: string,
        public resourceTemplate: ResourceTemplate,
        public metadata: ResourceMetadata,
        public callback: ReadResourceTemplateCallback
    ) {}

    enable(): void {
        this.update({ enabled: true });
    }
    disable(): void {
        this.update({ enabled: false });
    }
    remove(): void {
        this.update({ name: null });
    }
    update(updates: Parameters<RegisteredResourceTemplate['update']>[0]): void {
        this._registry.applyTemplate(this, updates);
    }
    definition(): ResourceTemplateDefinition {
        return { uriTemplate: this.resourceTemplate.uriTemplate.toString(), name: this.name, ...this.metadata };
    }
}

/** Registered resources and templates of one `McpServer`, and their request handlers. */
export class ResourceRegistry {
    private readonly _host: RegistryHost;
    private readonly _resources = new Map<string, ResourceEntry>();
    private readonly _templates = new Map<string, TemplateEntry>();
    private readonly _subscriptions = new Set<string>();
    private _list: ListResourcesResult | undefined;
    private _templateList: ListResourceTemplatesResult | undefined;
    private _installed = false;

    constructor(host: RegistryHost) {
        this._host = host;
    }

    /** Registers a fixed resource. @throws {@link RegistrationError} when the URI is taken. */
    registerResource(
        name: string,
        uri: string,
        metadata: ResourceMetadata,
        callback: ReadResourceCallback
    ): RegisteredResource {
        if (this._resources.has(uri))
            throw new RegistrationError('ALREADY_REGISTERED', `Resource ${uri} is already registered`);
        this._install();
        const entry = new ResourceEntry(this, name, uri, metadata, callback);
        this._resources.set(uri, entry);
        this._changed();
        return entry;
    }

    /** Registers a resource template. @throws {@link RegistrationError} when the name is taken. */
    registerTemplate(
        name: string,
        template: ResourceTemplate,
        metadata: ResourceMetadata,
        callback: ReadResourceTemplateCallback
    ): RegisteredResourceTemplate {
        if (this._templates.has(name)) {
            throw new RegistrationError('ALREADY_REGISTERED', `Resource template ${name} is already registered`);
        }
        this._install();
        const entry = new TemplateEntry(this, name, template, metadata, callback);
        this._templates.set(name, entry);
        this._changed();
        return entry;
    }

    /** True when the client subscribed to `uri` (and has not unsubscribed). */
    isSubscribed(uri: string): boolean {
        return this._subscriptions.has(uri);
    }

    /** The enabled template whose URI template text is `uriTemplate`, for completion. */
    findTemplate(uriTemplate: string): ResourceTemplate | undefined {
        for (const entry of this._templates.values()) {
            if (entry.enabled && entry.resourceTemplate.uriTemplate.toString() === uriTemplate) {
                return entry.resourceTemplate;
            }
        }
        return undefined;
    }

    /** True when any registered template has variable completers. */
    hasCompleters(): boolean {
        for (const entry of this._templates.values()) if (entry.resourceTemplate.hasCompleters) return true;
        return false;
    }

    /** True when a fixed resource with this URI is registered. */
    hasResource(uri: string): boolean {
        return this._resources.has(uri);
    }

    /** @internal Applies {@link RegisteredResource.update}. */
    applyResource(entry: ResourceEntry, updates: Parameters<RegisteredResource['update']>[0]): void {
        if (this._resources.get(entry.uri) !== entry) return;
        if (updates.uri === null) {
            this._resources.delete(entry.uri);
        } else {
            if (updates.uri !== undefined && updates.uri !== entry.uri) {
                if (this._resources.has(updates.uri)) {
                    throw new RegistrationError('ALREADY_REGISTERED', `Resource ${updates.uri} is already registered`);
                }
                this._resources.delete(entry.uri);
                entry.uri = updates.uri;
                this._resources.set(entry.uri, entry);
            }
            if (updates.name !== undefined) entry.name = updates.name;
            if (updates.metadata !== undefined) entry.metadata = updates.metadata;
            if (updates.callback !== undefined) entry.callback = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
        }
        this._changed();
    }

    /** @internal Applies {@link RegisteredResourceTemplate.update}. */
    applyTemplate(entry: TemplateEntry, updates: Parameters<RegisteredResourceTemplate['update']>[0]): void {
        if (this._templates.get(entry.name) !== entry) return;
        if (updates.name === null) {
            this._templates.delete(entry.name);
        } else {
            if (updates.name !== undefined && updates.name !== entry.name) {
                if (this._templates.has(updates.name)) {
                    throw new RegistrationError(
                        'ALREADY_REGISTERED',
                        `Resource template ${updates.name} is already registered`
                    );
                }
                this._templates.delete(entry.name);
                entry.name = updates.name;
                this._templates.set(entry.name, entry);
            }
            if (updates.template !== undefined) entry.resourceTemplate = updates.template;
            if (updates.metadata !== undefined) entry.metadata = updates.metadata;
            if (updates.callback !== undefined) entry.callback = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
        }
        this._changed();
    }

    private _changed(): void {
        this._list = undefined;
        this._templateList = undefined;
        this._host.listChanged();
    }

    private _install(): void {
        if (this._installed) return;
        const server = this._host.server;
        const subscribe = server.getCapabilities().resources?.subscribe === true;
        const methods = ['resources/list', 'resources/templates/list', 'resources/read'];
        if (subscribe) methods.push('resources/subscribe', 'resources/unsubscribe');
        for (const method of methods) {
            try {
                server.assertCanSetRequestHandler(method);
            } catch (error) {
                throw new RegistrationError('HANDLER_CONFLICT', `A ${method} handler is already set on the Server`, {
                    cause: error
                });
            }
        }
        server.registerCapabilities({ resources: { listChanged: true } });
        server.setRequestHandler('resources/list', (_request, extra) => this._listResources(extra));
        server.setRequestHandler('resources/templates/list', () => this._listTemplates());
        server.setRequestHandler('resources/read', (request, extra) => this._read(request.params.uri, extra));
        if (subscribe) {
            server.setRequestHandler('resources/subscribe', request => {
                this._subscriptions.add(request.params.uri);
                return {};
            });
            server.setRequestHandler('resources/unsubscribe', request => {
                this._subscriptions.delete(request.params.uri);
                return {};
            });
        }
        this._installed = true;
    }

    private _staticList(): ListResourcesResult {
        if (this._list) return this._list;
        const resources: Resource[] = [];
        for (const entry of this._resources.values()) if (entry.enabled) resources.push(entry.definition());
        return (this._list = { resources });
    }

    private async _listResources(extra: RequestHandlerExtra): Promise<ListResourcesResult> {
        const fixed = this._staticList();
        let resources: Resource[] | undefined;
        for (const entry of this._templates.values()) {
            const list = entry.resourceTemplate.listCallback;
            if (!entry.enabled || !list) continue;
            resources ??= [...fixed.resources];
            const listed = await list(extra);
            for (const resource of listed.resources) resources.push({ ...entry.metadata, ...resource });
        }
        return resources ? { resources } : fixed;
    }

    private _listTemplates(): ListResourceTemplatesResult {
        if (this._templateList) return this._templateList;
        const resourceTemplates: ResourceTemplateDefinition[] = [];
        for (const entry of this._templates.values()) if (entry.enabled) resourceTemplates.push(entry.definition());
        return (this._templateList = { resourceTemplates });
    }

    private async _read(uri: string, extra: RequestHandlerExtra): Promise<ReadResourceResult> {
        const exact = this._resources.get(uri);
        if (exact) {
            if (!exact.enabled) throw new McpError(ErrorCode.InvalidParams, `Resource ${uri} disabled`);
            return exact.callback(parseUri(uri), extra);
        }
        for (const entry of this._templates.values()) {
            if (!entry.enabled) continue;
            const variables = entry.resourceTemplate.uriTemplate.match(uri);
            if (variables) return entry.callback(parseUri(uri), variables, extra);
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
