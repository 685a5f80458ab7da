/**
 * The set of notification methods a `Protocol` debounces (`ProtocolOptions.debouncedNotificationMethods`):
 * parameterless notifications of these methods sent within one tick are coalesced into one message.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities
 * @module
 */

/** The debounced-method sets of frozen option arrays, shared by every session built with the same array. */
const sharedDebounceSets = new WeakMap<readonly string[], ReadonlySet<string>>();
const NO_DEBOUNCED_METHODS: ReadonlySet<string> = new Set();

/** The set of debounced methods; shared when the option is a frozen array (or absent). */
export function debounceSet(methods: readonly string[] | undefined): ReadonlySet<string> {
    if (methods === undefined || methods.length === 0) return NO_DEBOUNCED_METHODS;
    if (!Object.isFrozen(methods)) return new Set(methods);
    let set = sharedDebounceSets.get(methods);
    if (!set) sharedDebounceSets.set(methods, (set = new Set(methods)));
    return set;
}
