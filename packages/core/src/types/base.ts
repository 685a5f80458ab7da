/**
 * Building blocks shared by every MCP message: `_meta`, pagination, results, progress and cancellation,
 * annotations, icons and implementation metadata.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic
 * @module
 */
import * as z from 'zod/mini';
import { RequestIdSchema } from './jsonrpc.js';

/** Schema for a progress token (`string | number`). */
export const ProgressTokenSchema = z.union([z.string(), z.number()]);

/** Schema for an opaque pagination cursor. @see spec `basic/utilities/pagination` */
export const CursorSchema = z.string();
/** An opaque pagination cursor. */
export type Cursor = z.infer<typeof CursorSchema>;

/** Schema for a free-form `_meta` object (reserved for protocol-level metadata). @see spec `basic#_meta` */
export const MetaSchema = z.record(z.string(), z.unknown());
/** A free-form `_meta` object. */
export type Meta = z.infer<typeof MetaSchema>;
/** A free-form `_meta` object (official v2 name of {@link Meta}). */
export type MetaObject = Meta;

/** Schema for the `_meta` of a request's params; may carry a `progressToken`. */
export const RequestMetaObjectSchema = z.looseObject({
    /** When present, the sender wants `notifications/progress` for this request. */
    progressToken: z.optional(ProgressTokenSchema)
});

/** Schema for params every request may carry. */
export const BaseRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema)
});
/** Params every request may carry. */
export type BaseRequestParams = z.infer<typeof BaseRequestParamsSchema>;
/** Params every request may carry (official v2 name of {@link BaseRequestParams}). */
export type RequestParams = BaseRequestParams;

/** Schema for params every notification may carry. */
export const BaseNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema)
});
/** Params every notification may carry. */
export type BaseNotificationParams = z.infer<typeof BaseNotificationParamsSchema>;
/** Params every notification may carry (official v2 name of {@link BaseNotificationParams}). */
export type NotificationParams = BaseNotificationParams;

/** Schema for the params of a paginated list request. @see spec `basic/utilities/pagination` */
export const PaginatedRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    /** Where to continue listing from (the previous page's `nextCursor`). */
    cursor: z.optional(CursorSchema)
});
/** Params of a paginated list request. */
export type PaginatedRequestParams = z.infer<typeof PaginatedRequestParamsSchema>;

/** Schema for any result: an object that may carry `_meta`. */
export const ResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema)
});
/** Any result. */
export type Result = z.infer<typeof ResultSchema>;

/** Schema for a result with no content (e.g. the `ping` response). */
export const EmptyResultSchema = ResultSchema;
/** A result with no content. */
export type EmptyResult = Result;

/** Schema for a page of a paginated list result. */
export const PaginatedResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    /** Present when more results are available. */
    nextCursor: z.optional(CursorSchema)
});
/** A page of a paginated list result. */
export type PaginatedResult = z.infer<typeof PaginatedResultSchema>;

/** Schema for the params of `notifications/progress`. @see spec `basic/utilities/progress` */
export const ProgressNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    /** The token from the original request's `_meta.progressToken`. */
    progressToken: ProgressTokenSchema,
    /** Progress so far; increases with each notification. */
    progress: z.number(),
    /** Total amount of work, when known. */
    total: z.optional(z.number()),
    /** A human-readable description of the current step. */
    message: z.optional(z.string())
});
/** Params of `notifications/progress`. */
export type ProgressNotificationParams = z.infer<typeof ProgressNotificationParamsSchema>;

/** Schema for the params of `notifications/cancelled`. @see spec `basic/utilities/cancellation` */
export const CancelledNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    /** The id of the request to cancel (a request sent in the same direction). */
    requestId: z.optional(RequestIdSchema),
    /** Why the request was cancelled. */
    reason: z.optional(z.string())
});
/** Params of `notifications/cancelled`. */
export type CancelledNotificationParams = z.infer<typeof CancelledNotificationParamsSchema>;

/** Schema for a conversation role. */
export const RoleSchema = z.enum(['user', 'assistant']);
/** A conversation role. */
export type Role = z.infer<typeof RoleSchema>;

/** Schema for client-facing annotations on content and resources. @see spec `server/resources#annotations` */
export const AnnotationsSchema = z.looseObject({
    /** Who the content is intended for. */
    audience: z.optional(z.array(RoleSchema)),
    /** Importance from 0 (least) to 1 (most). */
    priority: z.optional(z.number().check(z.gte(0), z.lte(1))),
    /** ISO 8601 timestamp of the last modification. */
    lastModified: z.optional(z.string())
});
/** Client-facing annotations on content and resources. */
export type Annotations = z.infer<typeof AnnotationsSchema>;

/** Schema for an icon a client may display. @see spec `basic/index#icons` */
export const IconSchema = z.looseObject({
    /** An `https:` or `data:` URI of the image. */
    src: z.string(),
    /** MIME type override. */
    mimeType: z.optional(z.string()),
    /** Sizes such as `"48x48"` or `"any"`. */
    sizes: z.optional(z.array(z.string())),
    /** The theme the icon is designed for. */
    theme: z.optional(z.enum(['light', 'dark']))
});
/** An icon a client may display. */
export type Icon = z.infer<typeof IconSchema>;

/** Schema for the `icons` member that tools, prompts, resources and implementations may carry. */
export const IconsSchema = z.looseObject({
    icons: z.optional(z.array(IconSchema))
});
/** The `icons` member that tools, prompts, resources and implementations may carry. */
export type Icons = z.infer<typeof IconsSchema>;

/** Schema for the name/title pair shared by tools, prompts, resources and implementations. */
export const BaseMetadataSchema = z.looseObject({
    /** Programmatic identifier. */
    name: z.string(),
    /** Human-readable display name. */
    title: z.optional(z.string())
});
/** The name/title pair shared by tools, prompts, resources and implementations. */
export type BaseMetadata = z.infer<typeof BaseMetadataSchema>;

/** Schema for the name and version of an MCP client or server. @see spec `basic/lifecycle#initialization` */
export const ImplementationSchema = z.looseObject({
    name: z.string(),
    title: z.optional(z.string()),
    version: z.string(),
    /** A human-readable description. */
    description: z.optional(z.string()),
    icons: z.optional(z.array(IconSchema)),
    /** The implementation's website. */
    websiteUrl: z.optional(z.string())
});
/** The name and version of an MCP client or server. */
export type Implementation = z.infer<typeof ImplementationSchema>;
