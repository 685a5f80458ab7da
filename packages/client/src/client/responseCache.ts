/**
 * The client side of cache hints (MCP 2026-07-28, Caching): a result of `tools/list`, `prompts/list`,
 * `resources/list`, `resources/templates/list` or `resources/read` carries `ttlMs` and `cacheScope`; the client may
 * serve it again while fresh, never across authorization contexts when it is `private`, and drops it when the server
 * says the list or the resource changed.
 *
 * Entries are namespaced by the connected server (its reported identity) and, for `private` ones, by the client's
 * `cachePartition`, both JSON-encoded so a server-chosen name cannot reach into another namespace.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/server/utilities/caching
 * @module
 */
import type { CacheScope, RequestOptions } from '@modelcontextprotocol/core';

/** A value or a promise of one. */
export type MaybePromise<T> = T | Promise<T>;

/** `use` (default): serve a fresh entry, else fetch and store; `refresh`: fetch and store; `bypass`: fetch only. */
export type CacheMode = 'use' | 'refresh' | 'bypass';

/** Request options of the cacheable calls. */
export type CacheableRequestOptions = RequestOptions & {
    /** How the response cache takes part in this call (default `use`). */
    cacheMode?: CacheMode;
};

/** Where an entry lives: the method, its params key (`''` for the lists, the URI for reads), and the partition. */
export interface CacheKey {
    readonly method: string;
    readonly params?: string;
    readonly partition?: string;
}

/** A stored result (serialised) with its freshness. */
export interface CacheEntry {
    readonly value: string;
    /** The store's write counter for this entry. */
    readonly stamp: number;
    /** Absolute expiry, ms since the epoch. */
    readonly expiresAt?: number;
    readonly scope?: CacheScope;
}

/** A store of cached results (the in-memory default, or your own persistent or shared one). */
export interface ResponseCacheStore {
    get(key: CacheKey): MaybePromise<CacheEntry | undefined>;
    /** Stores `entry` under `key`; returns the entry's stamp. */
    set(key: CacheKey, entry: { value: string; expiresAt?: number; scope?: CacheScope }): MaybePromise<number>;
    delete(key: CacheKey): MaybePromise<void>;
    /** Drops every entry of `method`. */
    evict(method: string): MaybePromise<void>;
    clear(): MaybePromise<void>;
}

/** Options of {@link InMemoryResponseCacheStore}. */
export interface InMemoryResponseCacheStoreOptions {
    /** Most `resources/read` entries kept (oldest dropped first; the list entries do not count). Default 512; `0`: no bound. */
    maxEntries?: number;
}

/** The longest a server's `ttlMs` is honoured: 24 h. */
export const MAX_CACHE_TTL_MS = 86_400_000;

const LIST_METHODS = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);

function keyOf(key: CacheKey): string {
    return JSON.stringify([key.method, key.params ?? '', key.partition ?? '']);
}

/** The default {@link ResponseCacheStore}: a bounded in-process map. */
export class InMemoryResponseCacheStore implements ResponseCacheStore {
    private readonly _entries = new Map<string, CacheEntry & { method: string }>();
    private readonly _maxEntries: number;
    private _stamp = 0;
    private _capped = 0;

    constructor(options: InMemoryResponseCacheStoreOptions = {}) {
        this._maxEntries = options.maxEntries ?? 512;
    }

    /** Entries held. */
    get size(): number {
        return this._entries.size;
    }

    get(key: CacheKey): CacheEntry | undefined {
        return this._entries.get(keyOf(key));
    }

    set(key: CacheKey, entry: { value: string; expiresAt?: number; scope?: CacheScope }): number {
        const id = keyOf(key);
        const capped = !LIST_METHODS.has(key.method);
        if (this._entries.has(id)) this.delete(key);
        const stamp = ++this._stamp;
        this._entries.set(id, { ...entry, stamp, method: key.method });
        if (capped) {
            this._capped++;
            if (this._maxEntries > 0) {
                for (const [oldest, held] of this._entries) {
                    if (this._capped <= this._maxEntries) break;
                    if (LIST_METHODS.has(held.method)) continue;
                    this._entries.delete(oldest);
                    this._capped--;
                }
            }
        }
        return stamp;
    }

    delete(key: CacheKey): void {
        const id = keyOf(key);
        const held = this._entries.get(id);
        if (held === undefined) return;
        this._entries.delete(id);
        if (!LIST_METHODS.has(held.method)) this._capped--;
    }

    evict(method: string): void {
        for (const [id, held] of this._entries) {
            if (held.method !== method) continue;
            this._entries.delete(id);
            if (!LIST_METHODS.has(method)) this._capped--;
        }
    }

    clear(): void {
        this._entries.clear();
        this._capped = 0;
    }
}

/** What the client's cache needs to know: the store, whose entries are private, and the default TTL. */
export interface ResponseCacheOptions {
    store: ResponseCacheStore;
    /** The authorization context `private` entries belong to. Default `''`. */
    partition: string;
    /** TTL of a result without `ttlMs`. Default 0 (stored, never served). */
    defaultTtlMs: number;
}

/** The client's view of its store: freshness, scopes and partitions. */
export class ClientResponseCache {
    constructor(private readonly _options: ResponseCacheOptions) {}

    /** A fresh cached result of `method` (`params`: `''` or the URI) from `server`, if there is one. */
    async read(server: string, method: string, params: string): Promise<unknown> {
        const store = this._options.store;
        const own = await store.get({ method, params, partition: this._partition(server, 'private') });
        const entry = own ?? (await store.get({ method, params, partition: this._partition(server, 'public') }));
        if (entry === undefined || (own === undefined && entry.scope !== 'public')) return undefined;
        if (entry.expiresAt === undefined || entry.expiresAt <= Date.now()) return undefined;
        try {
            return JSON.parse(entry.value) as unknown;
        } catch {
            return undefined;
        }
    }

    /** Stores `result` per its hints (a read whose TTL is not positive is not stored). */
    async write(server: string, method: string, params: string, result: Record<string, unknown>): Promise<void> {
        const hinted = typeof result.ttlMs === 'number' && Number.isFinite(result.ttlMs) ? result.ttlMs : undefined;
        const ttl = Math.min(Math.max(hinted ?? this._options.defaultTtlMs, 0), MAX_CACHE_TTL_MS);
        if (!LIST_METHODS.has(method) && ttl <= 0) return;
        const scope: CacheScope = result.cacheScope === 'public' ? 'public' : 'private';
        await this._options.store.set(
            { method, params, partition: this._partition(server, scope) },
            { value: JSON.stringify(result), expiresAt: Date.now() + ttl, scope }
        );
    }

    /** Drops the cached results of `server` a change notification makes stale. */
    async invalidate(server: string, method: string, params = ''): Promise<void> {
        for (const scope of ['public', 'private'] as const) {
            await this._options.store.delete({ method, params, partition: this._partition(server, scope) });
        }
    }

    private _partition(server: string, scope: CacheScope): string {
        return JSON.stringify([server, scope === 'public' ? '' : this._options.partition]);
    }
}

/** The cache key of a cacheable call (`''` for a list without cursor, the URI for a read), else `undefined`. */
export function cacheKeyOf(method: string, params: object | undefined): string | undefined {
    const record = params as { cursor?: unknown; uri?: unknown } | undefined;
    if (method === 'resources/read') return typeof record?.uri === 'string' ? record.uri : undefined;
    if (!CACHED_LISTS.has(method)) return undefined;
    return record?.cursor === undefined ? '' : undefined;
}

const CACHED_LISTS = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);

/** The cached lists each change notification makes stale. */
export const STALE_LISTS: Readonly<Record<string, readonly string[]>> = {
    'notifications/tools/list_changed': ['tools/list'],
    'notifications/prompts/list_changed': ['prompts/list'],
    'notifications/resources/list_changed': ['resources/list', 'resources/templates/list']
};
