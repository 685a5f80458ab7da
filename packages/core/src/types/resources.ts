/**
 * Resources: listing, templates, reading, subscriptions and their notifications.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/resources
 * @module
 */
import * as z from 'zod/mini';
import { AnnotationsSchema, IconSchema, MetaSchema, PaginatedResultSchema, RequestMetaObjectSchema } from './base.js';

/** Schema for a resource the server can read. */
export const ResourceSchema = z.looseObject({
    uri: z.string(),
    name: z.string(),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    mimeType: z.optional(z.string()),
    annotations: z.optional(AnnotationsSchema),
    /** Size in bytes of the raw content, when known. */
    size: z.optional(z.number()),
    icons: z.optional(z.array(IconSchema)),
    _meta: z.optional(MetaSchema)
});
/** A resource the server can read. */
export type Resource = z.infer<typeof ResourceSchema>;

/** Schema for a parameterised family of resources (RFC 6570 `uriTemplate`). */
export const ResourceTemplateSchema = z.looseObject({
    /** An RFC 6570 URI template. */
    uriTemplate: z.string(),
    name: z.string(),
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    mimeType: z.optional(z.string()),
    annotations: z.optional(AnnotationsSchema),
    icons: z.optional(z.array(IconSchema)),
    _meta: z.optional(MetaSchema)
});
/** A parameterised family of resources. */
export type ResourceTemplate = z.infer<typeof ResourceTemplateSchema>;
/** A resource template as listed (official v2 name; the server's `ResourceTemplate` is the registration class). */
export type ResourceTemplateType = ResourceTemplate;

/** Schema for the fields common to text and blob resource contents. */
export const ResourceContentsSchema = z.looseObject({
    uri: z.string(),
    mimeType: z.optional(z.string()),
    _meta: z.optional(MetaSchema)
});
/** The fields common to text and blob resource contents. */
export type ResourceContents = z.infer<typeof ResourceContentsSchema>;

/** Schema for textual resource contents. */
export const TextResourceContentsSchema = z.extend(ResourceContentsSchema, { text: z.string() });
/** Textual resource contents. */
export type TextResourceContents = z.infer<typeof TextResourceContentsSchema>;

/** Schema for binary resource contents (base64 `blob`). */
export const BlobResourceContentsSchema = z.extend(ResourceContentsSchema, { blob: z.string() });
/** Binary resource contents. */
export type BlobResourceContents = z.infer<typeof BlobResourceContentsSchema>;

/** Schema for the result of `resources/list`. */
export const ListResourcesResultSchema = z.extend(PaginatedResultSchema, { resources: z.array(ResourceSchema) });
/** Result of `resources/list`. */
export type ListResourcesResult = z.infer<typeof ListResourcesResultSchema>;

/** Schema for the result of `resources/templates/list`. */
export const ListResourceTemplatesResultSchema = z.extend(PaginatedResultSchema, {
    resourceTemplates: z.array(ResourceTemplateSchema)
});
/** Result of `resources/templates/list`. */
export type ListResourceTemplatesResult = z.infer<typeof ListResourceTemplatesResultSchema>;

/** Schema for params naming one resource by URI (`resources/read`, `subscribe`, `unsubscribe`). */
export const ResourceRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    uri: z.string()
});
/** Params of requests about one resource. */
export type ResourceRequestParams = z.infer<typeof ResourceRequestParamsSchema>;

/** Schema for the params of `resources/read`. */
export const ReadResourceRequestParamsSchema = ResourceRequestParamsSchema;
/** Params of `resources/read`. */
export type ReadResourceRequestParams = z.infer<typeof ReadResourceRequestParamsSchema>;

/** Schema for the result of `resources/read`. */
export const ReadResourceResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    contents: z.array(z.union([TextResourceContentsSchema, BlobResourceContentsSchema]))
});
/** Result of `resources/read`. */
export type ReadResourceResult = z.infer<typeof ReadResourceResultSchema>;

/** Schema for the params of `resources/subscribe`. */
export const SubscribeRequestParamsSchema = ResourceRequestParamsSchema;
/** Params of `resources/subscribe`. */
export type SubscribeRequestParams = z.infer<typeof SubscribeRequestParamsSchema>;

/** Schema for the params of `resources/unsubscribe`. */
export const UnsubscribeRequestParamsSchema = ResourceRequestParamsSchema;
/** Params of `resources/unsubscribe`. */
export type UnsubscribeRequestParams = z.infer<typeof UnsubscribeRequestParamsSchema>;

/** Schema for the params of `notifications/resources/updated`. */
export const ResourceUpdatedNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    /** The URI of the resource that changed (may be a sub-resource of the subscribed one). */
    uri: z.string()
});
/** Params of `notifications/resources/updated`. */
export type ResourceUpdatedNotificationParams = z.infer<typeof ResourceUpdatedNotificationParamsSchema>;
