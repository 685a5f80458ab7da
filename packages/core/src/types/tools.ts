/**
 * Tools: definitions, listing and calling.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 * @module
 */
import * as z from 'zod/mini';
import { IconSchema, MetaSchema, PaginatedResultSchema, RequestMetaObjectSchema } from './base.js';
import { ContentBlockSchema } from './content.js';

/**
 * Schema for a tool's input or output JSON Schema: an object schema (`type: "object"`). Every other keyword
 * (`$schema`, `$defs`, `additionalProperties`, …) passes through untouched.
 */
export const ToolJsonSchemaSchema = z.looseObject({
    type: z.literal('object'),
    properties: z.optional(z.record(z.string(), z.unknown())),
    required: z.optional(z.array(z.string()))
});
/** A tool's input or output JSON Schema. */
export type ToolJsonSchema = z.infer<typeof ToolJsonSchemaSchema>;

/** Schema for behaviour hints about a tool. Hints are untrusted unless the server is. */
export const ToolAnnotationsSchema = z.looseObject({
    title: z.optional(z.string()),
    /** The tool does not modify its environment. */
    readOnlyHint: z.optional(z.boolean()),
    /** The tool may perform destructive updates (meaningful when not read-only). */
    destructiveHint: z.optional(z.boolean()),
    /** Calling repeatedly with the same arguments has no additional effect. */
    idempotentHint: z.optional(z.boolean()),
    /** The tool interacts with an open world of external entities. */
    openWorldHint: z.optional(z.boolean())
});
/** Behaviour hints about a tool. */
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

/** Schema for execution properties of a tool. */
export const ToolExecutionSchema = z.looseObject({
    /** Whether the tool can be invoked as a task. */
    taskSupport: z.optional(z.enum(['forbidden', 'optional', 'required']))
});
/** Execution properties of a tool. */
export type ToolExecution = z.infer<typeof ToolExecutionSchema>;

/** Schema for a tool definition. */
export const ToolSchema = z.looseObject({
    name: z.string(),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    inputSchema: ToolJsonSchemaSchema,
    /**
     * The JSON Schema of `structuredContent`: any 2020-12 schema (2026-07-28); a 2025-era server sends an object
     * schema (see the server's wrapping of other schemas as `{ result }` for 2025 clients).
     */
    outputSchema: z.optional(z.record(z.string(), z.unknown())),
    annotations: z.optional(ToolAnnotationsSchema),
    execution: z.optional(ToolExecutionSchema),
    icons: z.optional(z.array(IconSchema)),
    _meta: z.optional(MetaSchema)
});
/** A tool definition. */
export type Tool = z.infer<typeof ToolSchema>;

/** Schema for the result of `tools/list`. */
export const ListToolsResultSchema = z.extend(PaginatedResultSchema, { tools: z.array(ToolSchema) });
/** Result of `tools/list`. */
export type ListToolsResult = z.infer<typeof ListToolsResultSchema>;

/** Schema for the params of `tools/call`. */
export const CallToolRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    name: z.string(),
    arguments: z.optional(z.record(z.string(), z.unknown()))
});
/** Params of `tools/call`. */
export type CallToolRequestParams = z.infer<typeof CallToolRequestParamsSchema>;

/** Schema for the result of `tools/call`. Tool errors are reported with `isError: true`, not JSON-RPC errors. */
export const CallToolResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    content: z.array(ContentBlockSchema),
    /** Structured output, any JSON value (an object before 2026-07-28); conforms to the tool's `outputSchema`. */
    structuredContent: z.optional(z.unknown()),
    isError: z.optional(z.boolean())
});
/** Result of `tools/call`. */
export type CallToolResult = z.infer<typeof CallToolResultSchema>;
