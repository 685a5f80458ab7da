/**
 * A per-instance, unbounded in-memory storage adapter for oidc-provider.
 *
 * The provider's built-in adapter is a shared LRU of 1000 entries (and warns on start); tests that start many
 * servers or run many authorizations need neither eviction nor sharing.
 *
 * @module
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
    payload: AdapterPayload;
    /** Epoch milliseconds after which the entry is gone, if any. */
    expiresAt: number | undefined;
}

/** Creates an adapter factory whose models live in Maps owned by the returned closure (one per provider). */
export function createMemoryAdapterFactory(): AdapterFactory {
    const entries = new Map<string, Entry>();
    const byGrant = new Map<string, Set<string>>();
    const byUid = new Map<string, string>();
    const byUserCode = new Map<string, string>();

    const live = (key: string | undefined): AdapterPayload | undefined => {
        if (key === undefined) return undefined;
        const entry = entries.get(key);
        if (!entry) return undefined;
        if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
            entries.delete(key);
            return undefined;
        }
        return entry.payload;
    };

    return (name: string): Adapter => {
        const keyOf = (id: string): string => `${name}:${id}`;
        return {
            async upsert(id, payload, expiresIn) {
                const key = keyOf(id);
                entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
                if (payload.grantId) {
                    const keys = byGrant.get(payload.grantId) ?? new Set<string>();
                    keys.add(key);
                    byGrant.set(payload.grantId, keys);
                }
                if (payload.uid) byUid.set(payload.uid, key);
                if (payload.userCode) byUserCode.set(payload.userCode, key);
            },
            async find(id) {
                return live(keyOf(id));
            },
            async findByUid(uid) {
                return live(byUid.get(uid));
            },
            async findByUserCode(userCode) {
                return live(byUserCode.get(userCode));
            },
            async consume(id) {
                const payload = live(keyOf(id));
                if (payload) payload.consumed = Math.floor(Date.now() / 1000);
            },
            async destroy(id) {
                entries.delete(keyOf(id));
            },
            async revokeByGrantId(grantId) {
                for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
                byGrant.delete(grantId);
            }
        };
    };
}
