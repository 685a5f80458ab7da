/**
 * `completable()`: attaches an argument completer to a prompt argument schema, for `completion/complete`
 * (MCP 2025-11-25, Server › Utilities › Completion). The completer is kept in a registry keyed by the
 * schema object; zod internals are not touched.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion
 * @module
 */
import type * as z from 'zod/mini';

/** Suggests values for an argument given its partial value and the arguments already resolved. */
export type CompleteCallback<T extends z.core.$ZodType = z.core.$ZodType> = (
    value: z.input<T>,
    context?: { arguments?: Record<string, string> }
) => z.input<T>[] | Promise<z.input<T>[]>;

/** A schema returned by {@link completable}: the same schema type, with a completer attached. */
export type CompletableSchema<T extends z.core.$ZodType = z.core.$ZodType> = T;

const completers = new WeakMap<z.core.$ZodType, CompleteCallback>();

/**
 * Returns a copy of `schema` (when the schema can be cloned, as zod 4 schemas can) whose argument values can be
 * completed with `complete`. Parsing is unchanged.
 *
 * @example
 * ```ts
 * argsSchema: { language: completable(z.string(), value => ['typescript', 'python'].filter(l => l.startsWith(value))) }
 * ```
 */
export function completable<T extends z.core.$ZodType>(schema: T, complete: CompleteCallback<T>): T {
    const cloneable = schema as T & { clone?: () => T };
    const copy = typeof cloneable.clone === 'function' ? cloneable.clone() : schema;
    completers.set(copy, complete as unknown as CompleteCallback);
    return copy;
}

/** True when `schema` came from {@link completable}. */
export function isCompletable(schema: unknown): boolean {
    return typeof schema === 'object' && schema !== null && completers.has(schema as z.core.$ZodType);
}

/** The completer attached to `schema`, if any. */
export function getCompleter(schema: z.core.$ZodType): CompleteCallback | undefined {
    return completers.get(schema);
}
