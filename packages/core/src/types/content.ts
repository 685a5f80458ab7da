/**
 * Content blocks carried by tool results, prompt messages and sampling.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-result
 * @module
 */
import * as z from 'zod/mini';
import { AnnotationsSchema, MetaSchema } from './base.js';
import { BlobResourceContentsSchema, ResourceSchema, TextResourceContentsSchema } from './resources.js';

/** Schema for text content. */
export const TextContentSchema = z.looseObject({
    type: z.literal('text'),
    text: z.string(),
    annotations: z.optional(AnnotationsSchema),
    _meta: z.optional(MetaSchema)
});
/** Text content. */
export type TextContent = z.infer<typeof TextContentSchema>;

/** Schema for image content (base64 `data`). */
export const ImageContentSchema = z.looseObject({
    type: z.literal('image'),
    /** Base64-encoded image bytes. */
    data: z.string(),
    mimeType: z.string(),
    annotations: z.optional(AnnotationsSchema),
    _meta: z.optional(MetaSchema)
});
/** Image content. */
export type ImageContent = z.infer<typeof ImageContentSchema>;

/** Schema for audio content (base64 `data`). */
export const AudioContentSchema = z.looseObject({
    type: z.literal('audio'),
    /** Base64-encoded audio bytes. */
    data: z.string(),
    mimeType: z.string(),
    annotations: z.optional(AnnotationsSchema),
    _meta: z.optional(MetaSchema)
});
/** Audio content. */
export type AudioContent = z.infer<typeof AudioContentSchema>;

/** Schema for a link to a resource the client may read (`resources/read`). */
export const ResourceLinkSchema = z.extend(ResourceSchema, { type: z.literal('resource_link') });
/** A link to a resource. */
export type ResourceLink = z.infer<typeof ResourceLinkSchema>;

/** Schema for a resource embedded in content. */
export const EmbeddedResourceSchema = z.looseObject({
    type: z.literal('resource'),
    resource: z.union([TextResourceContentsSchema, BlobResourceContentsSchema]),
    annotations: z.optional(AnnotationsSchema),
    _meta: z.optional(MetaSchema)
});
/** A resource embedded in content. */
export type EmbeddedResource = z.infer<typeof EmbeddedResourceSchema>;

/** Schema for any content block. */
export const ContentBlockSchema = z.discriminatedUnion('type', [
    TextContentSchema,
    ImageContentSchema,
    AudioContentSchema,
    ResourceLinkSchema,
    EmbeddedResourceSchema
]);
/** Any content block. */
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
