/**
 * The change events a server publishes for its `subscriptions/listen` streams (MCP 2026-07-28, Subscriptions), and
 * the bus that carries them from where a change happens to every open stream. Servers made per request share one
 * bus (pass the same `eventBus` to each); a multi-process deployment implements {@link ServerEventBus} over its own
 * pub/sub.
 *
 * @module
 */
import type { JSONRPCNotification } from '@modelcontextprotocol/core';

/**
 * A change, mapped onto one notification method: `tools_list_changed`, `prompts_list_changed`,
 * `resources_list_changed` (the list notifications) and `resource_updated` (`notifications/resources/updated` for
 * `uri`). `params` are forwarded with the notification.
 */
export type ServerEvent = (
    | { kind: 'tools_list_changed' }
    | { kind: 'prompts_list_changed' }
    | { kind: 'resources_list_changed' }
    | { kind: 'resource_updated'; uri: string }
) & {
    /** Notification params to forward (the subscription id and the URI are stamped by the server). */
    params?: JSONRPCNotification['params'];
};

/** Carries {@link ServerEvent}s to every open listen stream. */
export interface ServerEventBus {
    /** Delivers `event` to every listener. */
    publish(event: ServerEvent): void;
    /** Adds a listener; the returned function removes it (calling it again does nothing). */
    subscribe(listener: (event: ServerEvent) => void): () => void;
}

/** Publishes the four kinds of change by name (see {@link ServerEvent}). */
export interface ServerNotifier {
    /** `notifications/tools/list_changed` to every stream that asked for it. */
    toolsChanged(): void;
    /** `notifications/prompts/list_changed` to every stream that asked for it. */
    promptsChanged(): void;
    /** `notifications/resources/list_changed` to every stream that asked for it. */
    resourcesChanged(): void;
    /** `notifications/resources/updated` for `uri` to every stream subscribed to it. */
    resourceUpdated(uri: string): void;
}

/**
 * An in-process {@link ServerEventBus}: `publish` calls every listener synchronously; one that throws does not stop
 * the others (its error goes to `onerror`).
 */
export class InMemoryServerEventBus implements ServerEventBus {
    private readonly _listeners = new Set<(event: ServerEvent) => void>();

    constructor(private readonly onerror?: (error: Error) => void) {}

    publish(event: ServerEvent): void {
        for (const listener of [...this._listeners]) {
            try {
                listener(event);
            } catch (error) {
                this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            }
        }
    }

    subscribe(listener: (event: ServerEvent) => void): () => void {
        const own = (event: ServerEvent): void => listener(event);
        this._listeners.add(own);
        return () => {
            this._listeners.delete(own);
        };
    }

    /** How many listeners are registered (open listen streams, for a server's own bus). */
    get listenerCount(): number {
        return this._listeners.size;
    }
}

/** A {@link ServerNotifier} publishing on `bus`. */
export function createServerNotifier(bus: ServerEventBus): ServerNotifier {
    return {
        toolsChanged: () => bus.publish({ kind: 'tools_list_changed' }),
        promptsChanged: () => bus.publish({ kind: 'prompts_list_changed' }),
        resourcesChanged: () => bus.publish({ kind: 'resources_list_changed' }),
        resourceUpdated: uri => bus.publish({ kind: 'resource_updated', uri })
    };
}
