/**
 * The decisions of a `subscriptions/listen` stream (MCP 2026-07-28, Subscriptions): which of the requested
 * notification types the server honours (those its capabilities announce), and which notification, if any, a
 * {@link ServerEvent} becomes on a stream with that filter. Pure; `Server` runs the stream.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/subscriptions
 * @module
 */
import type { ServerCapabilities, SubscriptionFilter } from '@modelcontextprotocol/core';
import type { ServerEvent } from './serverEventBus.js';

/** At most this many resource URIs are honoured per stream (the rest are left out of the acknowledgement). */
export const MAX_RESOURCE_SUBSCRIPTIONS = 1000;

/**
 * The subset of `requested` the server honours: list-changed types whose capability announces `listChanged`, and
 * resource subscriptions when `resources.subscribe` is announced. Anything malformed is left out.
 */
export function honoredFilter(requested: unknown, capabilities: ServerCapabilities): SubscriptionFilter {
    const filter: SubscriptionFilter = {};
    if (typeof requested !== 'object' || requested === null) return filter;
    const asked = requested as Record<string, unknown>;
    if (asked.toolsListChanged === true && capabilities.tools?.listChanged) filter.toolsListChanged = true;
    if (asked.promptsListChanged === true && capabilities.prompts?.listChanged) filter.promptsListChanged = true;
    if (asked.resourcesListChanged === true && capabilities.resources?.listChanged) filter.resourcesListChanged = true;
    const uris = asked.resourceSubscriptions;
    if (Array.isArray(uris) && capabilities.resources?.subscribe) {
        const honored = uris
            .filter((uri): uri is string => typeof uri === 'string')
            .slice(0, MAX_RESOURCE_SUBSCRIPTIONS);
        if (honored.length > 0) filter.resourceSubscriptions = [...new Set(honored)];
    }
    return filter;
}

/** The notification `event` becomes on a stream with `filter`, or `undefined` when the stream did not ask for it. */
export function notificationFor(
    event: ServerEvent,
    filter: SubscriptionFilter
): { method: string; params: Record<string, unknown> } | undefined {
    const params = { ...event.params };
    switch (event.kind) {
        case 'tools_list_changed':
            return filter.toolsListChanged ? { method: 'notifications/tools/list_changed', params } : undefined;
        case 'prompts_list_changed':
            return filter.promptsListChanged ? { method: 'notifications/prompts/list_changed', params } : undefined;
        case 'resources_list_changed':
            return filter.resourcesListChanged ? { method: 'notifications/resources/list_changed', params } : undefined;
        case 'resource_updated':
            return filter.resourceSubscriptions?.includes(event.uri)
                ? { method: 'notifications/resources/updated', params: { ...params, uri: event.uri } }
                : undefined;
    }
}
