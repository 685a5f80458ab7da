/**
 * Roots: the filesystem boundaries a client exposes to servers.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/roots
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema } from './base.js';

/** Schema for a root directory or file. */
export const RootSchema = z.looseObject({
    /** A `file://` URI. */
    uri: z.string(),
    name: z.optional(z.string()),
    _meta: z.optional(MetaSchema)
});
/** A root directory or file. */
export type Root = z.infer<typeof RootSchema>;

/** Schema for the result of `roots/list`. */
export const ListRootsResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    roots: z.array(RootSchema)
});
/** Result of `roots/list`. */
export type ListRootsResult = z.infer<typeof ListRootsResultSchema>;
