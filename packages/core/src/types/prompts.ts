/**
 * Prompts: templates the server offers, listing and rendering.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/prompts
 * @module
 */
import * as z from 'zod/mini';
import { IconSchema, MetaSchema, PaginatedResultSchema, RequestMetaObjectSchema, RoleSchema } from './base.js';
import { ContentBlockSchema } from './content.js';

/** Schema for an argument a prompt accepts. */
export const PromptArgumentSchema = z.looseObject({
    name: z.string(),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    required: z.optional(z.boolean())
});
/** An argument a prompt accepts. */
export type PromptArgument = z.infer<typeof PromptArgumentSchema>;

/** Schema for a prompt definition. */
export const PromptSchema = z.looseObject({
    name: z.string(),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    arguments: z.optional(z.array(PromptArgumentSchema)),
    icons: z.optional(z.array(IconSchema)),
    _meta: z.optional(MetaSchema)
});
/** A prompt definition. */
export type Prompt = z.infer<typeof PromptSchema>;

/** Schema for the result of `prompts/list`. */
export const ListPromptsResultSchema = z.extend(PaginatedResultSchema, { prompts: z.array(PromptSchema) });
/** Result of `prompts/list`. */
export type ListPromptsResult = z.infer<typeof ListPromptsResultSchema>;

/** Schema for the params of `prompts/get`. */
export const GetPromptRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    name: z.string(),
    /** Argument values; prompt arguments are strings. */
    arguments: z.optional(z.record(z.string(), z.string()))
});
/** Params of `prompts/get`. */
export type GetPromptRequestParams = z.infer<typeof GetPromptRequestParamsSchema>;

/** Schema for one message of a rendered prompt. */
export const PromptMessageSchema = z.looseObject({
    role: RoleSchema,
    content: ContentBlockSchema
});
/** One message of a rendered prompt. */
export type PromptMessage = z.infer<typeof PromptMessageSchema>;

/** Schema for the result of `prompts/get`. */
export const GetPromptResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    description: z.optional(z.string()),
    messages: z.array(PromptMessageSchema)
});
/** Result of `prompts/get`. */
export type GetPromptResult = z.infer<typeof GetPromptResultSchema>;
