/**
 * `completable()`: attaches an argument completer to a prompt argument schema, for `completion/complete`
 * (MCP 2025-11-25, Server › Utilities › Completion). The completer is kept in a registry keyed by the
 * schema object; zod internals are not touched.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion
 * @module
 */
import type { StandardSchemaV1 } from '@modelcontextprotocol/core/validators';

/** Suggests values for an argument given its partial value and the arguments already resolved. */
export type CompleteCallback<T extends StandardSchemaV1 = StandardSchemaV1> = (
    value: StandardSchemaV1.InferInput<T>,
    context?: { arguments?: Record<string, string> }
) => StandardSchemaV1.InferInput<T>[] | Promise<StandardSchemaV1.InferInput<T>[]>;

/** A schema returned by {@link completable}: the same schema type, with a completer attached. */
export type CompletableSchema<T extends StandardSchemaV1 = StandardSchemaV1> = T;

const completers = new WeakMap<object, CompleteCallback>();

/**
 * Returns a copy of `schema` (when the schema can be cloned, as zod 4 schemas can; otherwise the schema itself)
 * whose argument values can be completed with `complete`. Any Standard Schema is accepted; parsing is unchanged.
 *
 * @example
 * ```ts
 * argsSchema: { language: completable(z.string(), value => ['typescript', 'python'].filter(l => l.startsWith(value))) }
 * ```
 */
export function completable<T extends StandardSchemaV1>(schema: T, complete: CompleteCallback<T>): T {
    const cloneable = schema as T & { clone?: () => T };
    const copy = typeof cloneable.clone === 'function' ? cloneable.clone() : schema;
    completers.set(copy, complete as unknown as CompleteCallback);
    return copy;
}

/** True when `schema` came from {@link completable}. */
export function isCompletable(schema: unknown): boolean {
    return (typeof schema === 'object' || typeof schema === 'function') && schema !== null && completers.has(schema);
}

/** The completer attached to `schema`, if any. */
export function getCompleter(schema: object): CompleteCallback | undefined {
    return completers.get(schema);
}
