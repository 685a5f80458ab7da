/**
 * Sampling: servers asking the client's LLM for a completion (`sampling/createMessage`), with tool use.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/sampling
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema, RequestMetaObjectSchema, RoleSchema } from './base.js';
import { AudioContentSchema, ContentBlockSchema, ImageContentSchema, TextContentSchema } from './content.js';
import { ToolSchema } from './tools.js';

/** Schema for a model's request to call a tool (in an assistant sampling message). */
export const ToolUseContentSchema = z.looseObject({
    type: z.literal('tool_use'),
    /** Correlates the call with its `tool_result`. */
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    _meta: z.optional(MetaSchema)
});
/** A model's request to call a tool. */
export type ToolUseContent = z.infer<typeof ToolUseContentSchema>;

/** Schema for the result of a tool call fed back to the model (in a user sampling message). */
export const ToolResultContentSchema = z.looseObject({
    type: z.literal('tool_result'),
    /** The `id` of the `tool_use` this answers. */
    toolUseId: z.string(),
    content: z.array(ContentBlockSchema),
    structuredContent: z.optional(z.unknown()),
    isError: z.optional(z.boolean()),
    _meta: z.optional(MetaSchema)
});
/** The result of a tool call fed back to the model. */
export type ToolResultContent = z.infer<typeof ToolResultContentSchema>;

/** Schema for a content block allowed in a sampling message. */
export const SamplingMessageContentBlockSchema = z.discriminatedUnion('type', [
    TextContentSchema,
    ImageContentSchema,
    AudioContentSchema,
    ToolUseContentSchema,
    ToolResultContentSchema
]);
/** A content block allowed in a sampling message. */
export type SamplingMessageContentBlock = z.infer<typeof SamplingMessageContentBlockSchema>;

/** Schema for plain sampling content (no tool use): one text, image or audio block. */
export const SamplingContentSchema = z.discriminatedUnion('type', [
    TextContentSchema,
    ImageContentSchema,
    AudioContentSchema
]);
/** Plain sampling content: one text, image or audio block. */
export type SamplingContent = z.infer<typeof SamplingContentSchema>;

/** Schema for the content of a sampling message: one block or several, tool use included. */
const SamplingMessageContentSchema = z.union([
    SamplingMessageContentBlockSchema,
    z.array(SamplingMessageContentBlockSchema)
]);

/** Schema for a message in a sampling conversation. */
export const SamplingMessageSchema = z.looseObject({
    role: RoleSchema,
    content: SamplingMessageContentSchema,
    _meta: z.optional(MetaSchema)
});
/** A message in a sampling conversation. */
export type SamplingMessage = z.infer<typeof SamplingMessageSchema>;

/** Schema for a model name hint (substring match, in preference order). */
export const ModelHintSchema = z.looseObject({ name: z.optional(z.string()) });
/** A model name hint. */
export type ModelHint = z.infer<typeof ModelHintSchema>;

const PrioritySchema = z.optional(z.number().check(z.gte(0), z.lte(1)));

/** Schema for the server's model selection preferences; priorities range 0–1. */
export const ModelPreferencesSchema = z.looseObject({
    hints: z.optional(z.array(ModelHintSchema)),
    costPriority: PrioritySchema,
    speedPriority: PrioritySchema,
    intelligencePriority: PrioritySchema
});
/** The server's model selection preferences. */
export type ModelPreferences = z.infer<typeof ModelPreferencesSchema>;

/** Schema for how the model may use the offered tools. */
export const ToolChoiceSchema = z.looseObject({
    mode: z.optional(z.enum(['auto', 'required', 'none']))
});
/** How the model may use the offered tools. */
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** Schema for the params of `sampling/createMessage`. */
export const CreateMessageRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    messages: z.array(SamplingMessageSchema),
    modelPreferences: z.optional(ModelPreferencesSchema),
    systemPrompt: z.optional(z.string()),
    /** Soft-deprecated; requires the client's `sampling.context` capability for values other than `"none"`. */
    includeContext: z.optional(z.enum(['none', 'thisServer', 'allServers'])),
    temperature: z.optional(z.number()),
    maxTokens: z.number(),
    stopSequences: z.optional(z.array(z.string())),
    /** Provider-specific metadata. */
    metadata: z.optional(z.record(z.string(), z.unknown())),
    /** Tools the model may call; requires the client's `sampling.tools` capability. */
    tools: z.optional(z.array(ToolSchema)),
    toolChoice: z.optional(ToolChoiceSchema)
});
/** Params of `sampling/createMessage`. */
export type CreateMessageRequestParams = z.infer<typeof CreateMessageRequestParamsSchema>;

/** Schema for the result of `sampling/createMessage`. */
export const CreateMessageResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    role: RoleSchema,
    content: SamplingMessageContentSchema,
    /** The model that produced the message. */
    model: z.string(),
    /** `endTurn`, `stopSequence`, `maxTokens`, `toolUse`, or a provider-specific string. */
    stopReason: z.optional(z.string())
});
/** Result of `sampling/createMessage`. */
export type CreateMessageResult = z.infer<typeof CreateMessageResultSchema>;

/**
 * Schema for the result of a `sampling/createMessage` that offered tools. {@link CreateMessageResultSchema}
 * already admits tool use and multiple blocks, so this is the same schema under the name v2 code imports.
 */
export const CreateMessageResultWithToolsSchema = CreateMessageResultSchema;
/** Result of a `sampling/createMessage` that offered tools. */
export type CreateMessageResultWithTools = CreateMessageResult;

/** Params of `sampling/createMessage` without the tool-use members. */
export type CreateMessageRequestParamsBase = {
    [
        K in keyof CreateMessageRequestParams as K extends 'tools' | 'toolChoice' ? never : K
    ]: CreateMessageRequestParams[K];
};
/** Params of `sampling/createMessage` that offer tools. */
export type CreateMessageRequestParamsWithTools = CreateMessageRequestParams & {
    tools: CreateMessageRequestParams['tools'] & object;
};
