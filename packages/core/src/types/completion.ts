/**
 * Argument autocompletion (`completion/complete`).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema, RequestMetaObjectSchema } from './base.js';

/** Schema for a reference to a prompt by name. */
export const PromptReferenceSchema = z.looseObject({
    type: z.literal('ref/prompt'),
    name: z.string(),
    title: z.optional(z.string())
});
/** A reference to a prompt by name. */
export type PromptReference = z.infer<typeof PromptReferenceSchema>;

/** Schema for a reference to a resource template (or resource) by URI. */
export const ResourceTemplateReferenceSchema = z.looseObject({
    type: z.literal('ref/resource'),
    /** The URI or URI template. */
    uri: z.string()
});
/** A reference to a resource template by URI. */
export type ResourceTemplateReference = z.infer<typeof ResourceTemplateReferenceSchema>;

/** Schema for the params of `completion/complete`. */
export const CompleteRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    ref: z.discriminatedUnion('type', [PromptReferenceSchema, ResourceTemplateReferenceSchema]),
    /** The argument being completed and its partial value. */
    argument: z.looseObject({ name: z.string(), value: z.string() }),
    /** Values of arguments already resolved. */
    context: z.optional(z.looseObject({ arguments: z.optional(z.record(z.string(), z.string())) }))
});
/** Params of `completion/complete`. */
export type CompleteRequestParams = z.infer<typeof CompleteRequestParamsSchema>;

/** Schema for the result of `completion/complete`. */
export const CompleteResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    completion: z.looseObject({
        /** Suggested values, at most 100. */
        values: z.array(z.string()).check(z.maxLength(100)),
        /** Total number of matches, which may exceed `values.length`. */
        total: z.optional(z.number()),
        /** Whether more values exist than were returned. */
        hasMore: z.optional(z.boolean())
    })
});
/** Result of `completion/complete`. */
export type CompleteResult = z.infer<typeof CompleteResultSchema>;
