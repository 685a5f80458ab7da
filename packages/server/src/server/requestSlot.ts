/**
 * Per-request memos (the one parse of a body, its decoded messages, an adapter's `Origin` check) kept on the
 * request object itself, under a module-private symbol, instead of in a `WeakMap`.
 *
 * Why not a `WeakMap`: its table lives as long as the server, so every request object used as a key is an entry
 * the young-generation collector must trace; under load that kept whole request graphs alive past their request
 * (promoted to the old generation, about 4 KB per `tools/call`) and made every scavenge several times slower.
 * A property on the request dies with the request. The property is non-enumerable (invisible to `Object.keys`,
 * spreads and `JSON.stringify`) and cannot be reached from outside this package (the symbol is not exported).
 * A frozen or sealed carrier falls back to a `WeakMap`, so every object works.
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
    let fallback: WeakMap<object, T> | undefined;
    return {
        get(carrier) {
            const own = (carrier as Record<symbol, T | undefined>)[key];
            return own !== undefined ? own : fallback?.get(carrier);
        },
        set(carrier, value) {
            if (Object.isExtensible(carrier) || Object.prototype.hasOwnProperty.call(carrier, key)) {
                Object.defineProperty(carrier, key, { value, writable: true, configurable: true, enumerable: false });
                return;
            }
            (fallback ??= new WeakMap()).set(carrier, value);
        }
    };
}
