/**
 * Lifecycle: capabilities, `initialize`, `notifications/initialized` and `ping`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle
 * @module
 */
import * as z from 'zod/mini';
import { ImplementationSchema, MetaSchema, RequestMetaObjectSchema } from './base.js';

/** An open object: capability sub-objects whose members are not (yet) interpreted. */
const OpenObjectSchema = z.looseObject({});

/** Schema for `{ listChanged?: boolean }`, shared by several capabilities. */
const ListChangedCapabilitySchema = z.looseObject({
    /** Whether the sender emits `list_changed` notifications. */
    listChanged: z.optional(z.boolean())
});

/** Schema for the capabilities a client advertises. @see spec `basic/lifecycle#capability-negotiation` */
export const ClientCapabilitiesSchema = z.looseObject({
    /** Non-standard capabilities. */
    experimental: z.optional(z.record(z.string(), OpenObjectSchema)),
    /** The client can list filesystem roots. */
    roots: z.optional(ListChangedCapabilitySchema),
    /** The client can sample from an LLM (`sampling/createMessage`). */
    sampling: z.optional(
        z.looseObject({
            /** Supports `includeContext` other than `"none"` (soft-deprecated). */
            context: z.optional(OpenObjectSchema),
            /** Supports `tools` and `toolChoice` in sampling requests. */
            tools: z.optional(OpenObjectSchema)
        })
    ),
    /** The client can elicit information from the user. An empty object means form mode only. */
    elicitation: z.optional(
        z.looseObject({
            form: z.optional(OpenObjectSchema),
            url: z.optional(OpenObjectSchema)
        })
    ),
    /** Task-augmented requests (experimental; kept open). */
    tasks: z.optional(OpenObjectSchema)
});
/** The capabilities a client advertises. */
export type ClientCapabilities = z.infer<typeof ClientCapabilitiesSchema>;

/** Schema for the capabilities a server advertises. @see spec `basic/lifecycle#capability-negotiation` */
export const ServerCapabilitiesSchema = z.looseObject({
    /** Non-standard capabilities. */
    experimental: z.optional(z.record(z.string(), OpenObjectSchema)),
    /** The server emits `notifications/message`. */
    logging: z.optional(OpenObjectSchema),
    /** The server answers `completion/complete`. */
    completions: z.optional(OpenObjectSchema),
    /** The server offers prompts. */
    prompts: z.optional(ListChangedCapabilitySchema),
    /** The server offers resources. */
    resources: z.optional(
        z.looseObject({
            /** Supports `resources/subscribe`. */
            subscribe: z.optional(z.boolean()),
            listChanged: z.optional(z.boolean())
        })
    ),
    /** The server offers tools. */
    tools: z.optional(ListChangedCapabilitySchema),
    /** Task-augmented requests (experimental; kept open). */
    tasks: z.optional(OpenObjectSchema)
});
/** The capabilities a server advertises. */
export type ServerCapabilities = z.infer<typeof ServerCapabilitiesSchema>;

/** Schema for the params of `initialize`. */
export const InitializeRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    /** The newest revision the client supports. */
    protocolVersion: z.string(),
    capabilities: ClientCapabilitiesSchema,
    clientInfo: ImplementationSchema
});
/** Params of `initialize`. */
export type InitializeRequestParams = z.infer<typeof InitializeRequestParamsSchema>;

/** Schema for the result of `initialize`. */
export const InitializeResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    /** The revision the server chose. */
    protocolVersion: z.string(),
    capabilities: ServerCapabilitiesSchema,
    serverInfo: ImplementationSchema,
    /** Hints for how to use the server, e.g. for a system prompt. */
    instructions: z.optional(z.string())
});
/** Result of `initialize`. */
export type InitializeResult = z.infer<typeof InitializeResultSchema>;
