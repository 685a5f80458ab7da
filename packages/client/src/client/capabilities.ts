/**
 * Which capability each method needs (MCP 2025-11-25, Lifecycle, "Capability Negotiation"), and small helpers to
 * test and merge capability objects.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#capability-negotiation
 * @module
 */

/** Server capability (dot path) each client → server request needs (MCP 2025-11-25, capability negotiation). */
export const SERVER_CAPABILITY_FOR_METHOD = new Map<string, string>([
    ['logging/setLevel', 'logging'],
    ['prompts/get', 'prompts'],
    ['prompts/list', 'prompts'],
    ['resources/list', 'resources'],
    ['resources/templates/list', 'resources'],
    ['resources/read', 'resources'],
    ['resources/subscribe', 'resources.subscribe'],
    ['resources/unsubscribe', 'resources'],
    ['tools/call', 'tools'],
    ['tools/list', 'tools'],
    ['completion/complete', 'completions']
]);

/** Client capability each server → client request handler needs. */
export const CLIENT_CAPABILITY_FOR_HANDLER = new Map<string, string>([
    ['sampling/createMessage', 'sampling'],
    ['elicitation/create', 'elicitation'],
    ['roots/list', 'roots']
]);

/** Client capability each client notification needs. */
export const CLIENT_CAPABILITY_FOR_NOTIFICATION = new Map<string, string>([
    ['notifications/roots/list_changed', 'roots.listChanged']
]);

/** Whether `capabilities` has a truthy value at the dot `path` (e.g. `"resources.subscribe"`). */
export function hasCapability(capabilities: object | undefined, path: string): boolean {
    let value: unknown = capabilities;
    for (const key of path.split('.')) {
        if (typeof value !== 'object' || value === null) return false;
        value = (value as Record<string, unknown>)[key];
    }
    return value !== undefined && value !== null && value !== false;
}
