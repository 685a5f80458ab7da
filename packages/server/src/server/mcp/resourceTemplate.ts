/**
 * `ResourceTemplate`: a parameterised family of resources (MCP 2025-11-25, Server › Resources › Resource
 * Templates) with an RFC 6570 URI template, an optional lister of its concrete resources, and optional
 * completers for its variables (Server › Utilities › Completion).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/resources#resource-templates
 * @module
 */
import { UriTemplate } from '@modelcontextprotocol/core';
import type { ListResourcesResult } from '@modelcontextprotocol/core';
import type { ServerContext } from '@modelcontextprotocol/core';

/** Lists the concrete resources of a template (merged into `resources/list`). */
export type ListResourcesCallback = (extra: ServerContext) => ListResourcesResult | Promise<ListResourcesResult>;

/** Suggests values for a template variable or prompt argument given its partial value. */
export type CompleteResourceTemplateCallback = (
    value: string,
    context?: { arguments?: Record<string, string> }
) => string[] | Promise<string[]>;

/** Callbacks of a {@link ResourceTemplate}. */
export interface ResourceTemplateCallbacks {
    /** Lists resources matching the template; `undefined` when they cannot be enumerated. */
    list: ListResourcesCallback | undefined;
    /** Completers by variable name. */
    complete?: { [variable: string]: CompleteResourceTemplateCallback };
}

/**
 * A URI template with its callbacks, for `McpServer.registerResource`.
 *
 * @example
 * ```ts
 * new ResourceTemplate('users://{id}/profile', { list: undefined, complete: { id: v => ids.filter(i => i.startsWith(v)) } });
 * ```
 */
export class ResourceTemplate {
    private readonly _uriTemplate: UriTemplate;
    private readonly _callbacks: ResourceTemplateCallbacks;

    /** @throws `UriTemplateError` for a malformed template. */
    constructor(uriTemplate: string | UriTemplate, callbacks: ResourceTemplateCallbacks) {
        this._uriTemplate = typeof uriTemplate === 'string' ? new UriTemplate(uriTemplate) : uriTemplate;
        this._callbacks = callbacks;
    }

    /** The parsed URI template. */
    get uriTemplate(): UriTemplate {
        return this._uriTemplate;
    }

    /** The lister, if any. */
    get listCallback(): ListResourcesCallback | undefined {
        return this._callbacks.list;
    }

    /** The completer of `variable`, if any. */
    completeCallback(variable: string): CompleteResourceTemplateCallback | undefined {
        return this._callbacks.complete?.[variable];
    }

    /** True when at least one variable has a completer. */
    get hasCompleters(): boolean {
        const complete = this._callbacks.complete;
        return complete !== undefined && Object.keys(complete).length > 0;
    }
}
