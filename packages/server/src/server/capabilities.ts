/**
 * Capability rules of the server side (MCP 2025-11-25, Basic › Lifecycle › Capability Negotiation): which
 * capability each request handler, outgoing notification and outgoing request needs.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#capability-negotiation
 * @module
 */
import { CapabilityNotSupportedError } from '@modelcontextprotocol/core';
import type { ClientCapabilities, ServerCapabilities } from '@modelcontextprotocol/core';

/** The server capability each client-to-server request method needs a handler for. */
const HANDLER_CAPABILITY: Record<string, keyof ServerCapabilities> = {
    'logging/setLevel': 'logging',
    'prompts/list': 'prompts',
    'prompts/get': 'prompts',
    'resources/list': 'resources',
    'resources/templates/list': 'resources',
    'resources/read': 'resources',
    'resources/subscribe': 'resources',
    'resources/unsubscribe': 'resources',
    'tools/list': 'tools',
    'tools/call': 'tools',
    'completion/complete': 'completions'
};

/** The server capability each server-to-client notification needs. */
const NOTIFICATION_CAPABILITY: Record<string, keyof ServerCapabilities> = {
    'notifications/message': 'logging',
    'notifications/resources/updated': 'resources',
    'notifications/resources/list_changed': 'resources',
    'notifications/tools/list_changed': 'tools',
    'notifications/prompts/list_changed': 'prompts'
};

/** The client capability each server-to-client request needs. */
const REQUEST_CAPABILITY: Record<string, keyof ClientCapabilities> = {
    'sampling/createMessage': 'sampling',
    'elicitation/create': 'elicitation',
    'roots/list': 'roots'
};

/**
 * Throws unless the server advertises what handling `method` needs (e.g. `tools/call` needs `tools`).
 *
 * @throws {@link CapabilityNotSupportedError}
 */
export function requireHandlerCapability(method: string, server: ServerCapabilities): void {
    const needed = HANDLER_CAPABILITY[method];
    if (needed && !server[needed]) {
        throw new CapabilityNotSupportedError(
            method,
            needed,
            `Server does not support ${needed} (required for ${method}); declare the capability first`
        );
    }
}

/**
 * Throws unless the server may send notification `method`: its own capability for list changes, updates and
 * logging; the client's `elicitation.url` for `notifications/elicitation/complete`.
 *
 * @throws {@link CapabilityNotSupportedError}
 */
export function requireNotificationCapability(
    method: string,
    server: ServerCapabilities,
    client: ClientCapabilities | undefined
): void {
    const needed = NOTIFICATION_CAPABILITY[method];
    if (needed && !server[needed]) {
        throw new CapabilityNotSupportedError(
            method,
            needed,
            `Server does not support ${needed} (required for ${method})`
        );
    }
    if (method === 'notifications/elicitation/complete' && !client?.elicitation?.url) {
        throw new CapabilityNotSupportedError(
            method,
            'elicitation.url',
            `Client does not support URL elicitation (required for ${method})`
        );
    }
}

/**
 * Throws unless the client advertised what the server-to-client request `method` needs.
 *
 * @throws {@link CapabilityNotSupportedError}
 */
export function requireClientCapability(method: string, client: ClientCapabilities | undefined): void {
    const needed = REQUEST_CAPABILITY[method];
    if (needed && !client?.[needed]) {
        throw new CapabilityNotSupportedError(
            method,
            needed,
            `Client does not support ${needed} (required for ${method})`
        );
    }
}
