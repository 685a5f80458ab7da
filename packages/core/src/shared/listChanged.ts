/**
 * The shapes of a client's list-changed handling (`ClientOptions.listChanged`): what to do when the server says
 * its tools, prompts or resources changed.
 *
 * @module
 */
import type { Prompt } from '../types/prompts.js';
import type { Resource } from '../types/resources.js';
import type { Tool } from '../types/tools.js';

/**
 * Receives a list's new content (`items`) or the error of fetching it; with `autoRefresh: false`, `(null, null)`
 * on each notification.
 */
export type ListChangedCallback<T> = (error: Error | null, items: T[] | null) => void;

/** What to do when one list changes. */
export interface ListChangedOptions<T> {
    /** Fetch the whole list (all pages) before calling `onChanged`. Default `true`. */
    autoRefresh?: boolean;
    /**
     * Wait this many milliseconds after a notification before refreshing, so a burst of notifications costs one
     * refresh. Default `0` (refreshes never overlap anyway: notifications during a refresh coalesce into one more).
     */
    debounceMs?: number;
    /** Called with the fresh list, or the error of the refresh. */
    onChanged: ListChangedCallback<T>;
}

/** `ClientOptions.listChanged`: handlers per list. */
export interface ListChangedHandlers {
    tools?: ListChangedOptions<Tool>;
    prompts?: ListChangedOptions<Prompt>;
    resources?: ListChangedOptions<Resource>;
}
