/**
 * Re-fetching a list when the server says it changed (`notifications/tools/list_changed`, `…/prompts/…`,
 * `…/resources/…`). Refreshes never overlap: notifications that arrive during a refresh coalesce into one more
 * refresh, so a server spamming notifications costs at most one listing at a time.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#list-changed-notification
 * @module
 */
import type { ListChangedOptions } from '@modelcontextprotocol/core';

/** What to do when one list changes (our earlier name of the official `ListChangedOptions`). */
export type ListChangedHandler<T> = ListChangedOptions<T>;

/**
 * Builds the notification callback for one list.
 *
 * @param fetchAll fetches the whole list.
 * @param report receives errors thrown by `onChanged` itself.
 */
export function listChangedListener<T>(
    handler: ListChangedHandler<T>,
    fetchAll: () => Promise<T[]>,
    report: (error: unknown) => void
): () => Promise<void> {
    let running = false;
    let dirty = false;
    const deliver = (error: Error | null, items: T[] | null): void => {
        try {
            handler.onChanged(error, items);
        } catch (thrown) {
            report(thrown);
        }
    };
    const refresh = async (): Promise<void> => {
        if (handler.autoRefresh === false) return deliver(null, null);
        if (running) {
            dirty = true;
            return;
        }
        running = true;
        try {
            do {
                dirty = false;
                try {
                    const items = await fetchAll();
                    // A newer notification arrived meanwhile: this list may be stale, fetch again instead.
                    if (!dirty) deliver(null, items);
                } catch (error) {
                    deliver(error instanceof Error ? error : new Error(String(error)), null);
                }
            } while (dirty);
        } finally {
            running = false;
        }
    };
    const debounceMs = handler.debounceMs ?? 0;
    if (!(debounceMs > 0)) return refresh;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return async () => {
        if (timer !== undefined) return;
        await new Promise<void>(resolve => {
            timer = setTimeout(() => {
                timer = undefined;
                resolve();
            }, debounceMs);
        });
        await refresh();
    };
}
