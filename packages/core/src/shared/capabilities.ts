/**
 * Capability objects: combining what a client or server declares in pieces (constructor options, later
 * `registerCapabilities` calls, features registering themselves).
 *
 * @module
 */
import type { ClientCapabilities, ServerCapabilities } from '../types/initialize.js';

/**
 * Merges `additional` into `base` one level deep and returns a new object: sub-objects such as `tools` or
 * `elicitation` are combined key by key, anything else is replaced; `undefined` members of `additional` are
 * skipped. Neither argument is changed.
 */
export function mergeCapabilities(
    base: ServerCapabilities,
    additional: Partial<ServerCapabilities>
): ServerCapabilities;
export function mergeCapabilities(
    base: ClientCapabilities,
    additional: Partial<ClientCapabilities>
): ClientCapabilities;
export function mergeCapabilities(
    base: Record<string, unknown>,
    additional: Record<string, unknown>
): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(additional)) {
        if (value === undefined) continue;
        const previous = merged[key];
        if (isPlainObject(value)) merged[key] = isPlainObject(previous) ? { ...previous, ...value } : { ...value };
        else merged[key] = value;
    }
    return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
