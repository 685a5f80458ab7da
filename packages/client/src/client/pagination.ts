/**
 * Following `nextCursor` across the pages of a list method, with bounds against a hostile or broken server: a
 * cursor seen before (a cycle) and more than `maxPages` pages each stop the listing with a typed error.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination
 * @module
 */
import type { RequestOptions } from '@modelcontextprotocol/core';
import { PaginationError } from './clientErrors.js';

/** The default bound on pages fetched by one `listAll*` call. */
export const DEFAULT_MAX_PAGES = 1000;

/** Options of the `Client.listAll*` helpers: request options applied to every page, plus the page bound. */
export interface ListAllOptions extends RequestOptions {
    /** Stop with a {@link PaginationError} after this many pages. Default {@link DEFAULT_MAX_PAGES}. */
    maxPages?: number;
}

/**
 * Fetches every page and concatenates the `key` arrays.
 *
 * @param fetchPage requests one page; `cursor` is `undefined` for the first.
 * @throws {@link PaginationError} on a repeated cursor or too many pages.
 */
export async function collectPages<K extends string, T>(
    method: string,
    key: K,
    fetchPage: (cursor: string | undefined) => Promise<{ nextCursor?: string | undefined } & Record<K, T[]>>,
    maxPages = DEFAULT_MAX_PAGES
): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; ;) {
        if (pages >= maxPages) throw new PaginationError('PAGINATION_PAGE_LIMIT', method, pages);
        const page = await fetchPage(cursor);
        pages++;
        for (const item of page[key]) items.push(item);
        cursor = page.nextCursor;
        if (cursor === undefined) return items;
        if (seen.has(cursor)) throw new PaginationError('PAGINATION_CURSOR_REPEATED', method, pages);
        seen.add(cursor);
    }
}
