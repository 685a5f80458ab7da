/**
 * Per-request memos (the one parse of a body, its decoded messages, an adapter's `Origin` check) kept on the
 * request object itself, under a module-private symbol, instead of in a `WeakMap`.
 *
 * Why not a `WeakMap`: its table lives as long as the process, and each short-lived request object used as a key
 * is an ephemeron entry that every young-generation collection must process until a full GC clears it (in a
 * synthetic test, a long-lived `WeakMap` keyed by short-lived objects made scavenges take tens of milliseconds).
 * A property on the request dies with the request. The property is non-enumerable (invisible to `Object.keys`,
 * spreads and `JSON.stringify`) and cannot be reached from outside this package (the symbol is not exported); only
 * the object's own property counts. An object that no longer accepts the property (frozen or sealed) uses a
 * `WeakMap` instead, so every object works.
 *
 * @module
 */

/** One memo kept per request object. */
export interface RequestSlot<T> {
    /** The value stored for `carrier`, if any. */
    get(carrier: object): T | undefined;
    /** Stores `value` for `carrier` (replacing an earlier one). */
    set(carrier: object, value: T): void;
}

/** A new slot; `name` labels its symbol (for debugging only). */
export function requestSlot<T>(name: string): RequestSlot<T> {
    const key = Symbol(name);
    const hasOwn = Object.prototype.hasOwnProperty;
    let fallback: WeakMap<object, T> | undefined;
    return {
        get(carrier) {
            // The fallback first: it holds what was stored after the carrier stopped accepting the property.
            const stored = fallback?.get(carrier);
            if (stored !== undefined) return stored;
            // Own properties only: an object that inherits from the carrier is another request.
            return hasOwn.call(carrier, key) ? (carrier as Record<symbol, T>)[key] : undefined;
        },
        set(carrier, value) {
            if (!hasOwn.call(carrier, key) && Object.isExtensible(carrier)) {
                Object.defineProperty(carrier, key, { value, writable: true, configurable: true, enumerable: false });
                return;
            }
            const own = Object.getOwnPropertyDescriptor(carrier, key);
            if (own?.writable === true) {
                (carrier as Record<symbol, T>)[key] = value;
                return;
            }
            (fallback ??= new WeakMap()).set(carrier, value);
        }
    };
}
