/**
 * Elicitation: servers asking the user for input, in form mode (a flat JSON Schema) or URL mode (an
 * out-of-band web page).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation
 * @module
 */
import * as z from 'zod/mini';
import { MetaSchema, RequestMetaObjectSchema } from './base.js';

const TitleDescription = {
    title: z.optional(z.string()),
    description: z.optional(z.string())
};

/** Schema for a `{ const, title }` option of a titled enum. */
const TitledOptionSchema = z.looseObject({ const: z.string(), title: z.string() });

/** Schema for a single-select enum field listing bare values (`enum`). */
export const UntitledSingleSelectEnumSchemaSchema = z.looseObject({
    type: z.literal('string'),
    ...TitleDescription,
    enum: z.array(z.string()),
    default: z.optional(z.string())
});
/** A single-select enum field listing bare values. */
export type UntitledSingleSelectEnumSchema = z.infer<typeof UntitledSingleSelectEnumSchemaSchema>;

/** Schema for a single-select enum field whose options carry display titles (`oneOf` of `{ const, title }`). */
export const TitledSingleSelectEnumSchemaSchema = z.looseObject({
    type: z.literal('string'),
    ...TitleDescription,
    oneOf: z.array(TitledOptionSchema),
    default: z.optional(z.string())
});
/** A single-select enum field with titled options. */
export type TitledSingleSelectEnumSchema = z.infer<typeof TitledSingleSelectEnumSchemaSchema>;

/** Schema for the legacy titled enum: `enum` with parallel display names in `enumNames` (prefer `oneOf`). */
export const LegacyTitledEnumSchemaSchema = z.looseObject({
    type: z.literal('string'),
    ...TitleDescription,
    enum: z.array(z.string()),
    enumNames: z.optional(z.array(z.string())),
    default: z.optional(z.string())
});
/** The legacy titled enum (`enum` + `enumNames`). */
export type LegacyTitledEnumSchema = z.infer<typeof LegacyTitledEnumSchemaSchema>;

/** Schema for a single-select enum field, untitled or titled. */
export const SingleSelectEnumSchemaSchema = z.union([
    UntitledSingleSelectEnumSchemaSchema,
    TitledSingleSelectEnumSchemaSchema
]);
/** A single-select enum field. */
export type SingleSelectEnumSchema = z.infer<typeof SingleSelectEnumSchemaSchema>;

const MultiSelectBase = {
    type: z.literal('array'),
    ...TitleDescription,
    minItems: z.optional(z.number()),
    maxItems: z.optional(z.number()),
    default: z.optional(z.array(z.string()))
};

/** Schema for a multi-select enum field whose items list bare values. */
export const UntitledMultiSelectEnumSchemaSchema = z.looseObject({
    ...MultiSelectBase,
    items: z.looseObject({ type: z.literal('string'), enum: z.array(z.string()) })
});
/** A multi-select enum field with bare values. */
export type UntitledMultiSelectEnumSchema = z.infer<typeof UntitledMultiSelectEnumSchemaSchema>;

/** Schema for a multi-select enum field whose items carry display titles (`anyOf` of `{ const, title }`). */
export const TitledMultiSelectEnumSchemaSchema = z.looseObject({
    ...MultiSelectBase,
    items: z.looseObject({ anyOf: z.array(TitledOptionSchema) })
});
/** A multi-select enum field with titled options. */
export type TitledMultiSelectEnumSchema = z.infer<typeof TitledMultiSelectEnumSchemaSchema>;

/** Schema for a multi-select enum field, untitled or titled. */
export const MultiSelectEnumSchemaSchema = z.union([
    UntitledMultiSelectEnumSchemaSchema,
    TitledMultiSelectEnumSchemaSchema
]);
/** A multi-select enum field. */
export type MultiSelectEnumSchema = z.infer<typeof MultiSelectEnumSchemaSchema>;

/** Schema for any enum field: legacy, single-select or multi-select. */
export const EnumSchemaSchema = z.union([
    LegacyTitledEnumSchemaSchema,
    SingleSelectEnumSchemaSchema,
    MultiSelectEnumSchemaSchema
]);
/** Any enum field. */
export type EnumSchema = z.infer<typeof EnumSchemaSchema>;

/** Schema for a free-text string field. */
export const StringSchemaSchema = z.looseObject({
    type: z.literal('string'),
    ...TitleDescription,
    minLength: z.optional(z.number()),
    maxLength: z.optional(z.number()),
    format: z.optional(z.enum(['email', 'uri', 'date', 'date-time'])),
    default: z.optional(z.string())
});
/** A free-text string field. */
export type StringSchema = z.infer<typeof StringSchemaSchema>;

/** Schema for a numeric field. */
export const NumberSchemaSchema = z.looseObject({
    type: z.enum(['number', 'integer']),
    ...TitleDescription,
    minimum: z.optional(z.number()),
    maximum: z.optional(z.number()),
    default: z.optional(z.number())
});
/** A numeric field. */
export type NumberSchema = z.infer<typeof NumberSchemaSchema>;

/** Schema for a boolean field. */
export const BooleanSchemaSchema = z.looseObject({
    type: z.literal('boolean'),
    ...TitleDescription,
    default: z.optional(z.boolean())
});
/** A boolean field. */
export type BooleanSchema = z.infer<typeof BooleanSchemaSchema>;

/** Schema for any field of a form-mode `requestedSchema` (primitive types only, no nesting). */
export const PrimitiveSchemaDefinitionSchema = z.union([
    EnumSchemaSchema,
    StringSchemaSchema,
    NumberSchemaSchema,
    BooleanSchemaSchema
]);
/** Any field of a form-mode `requestedSchema`. */
export type PrimitiveSchemaDefinition = z.infer<typeof PrimitiveSchemaDefinitionSchema>;

/** Schema for the params of a form-mode `elicitation/create` (`mode` absent means form). */
export const ElicitRequestFormParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    mode: z.optional(z.literal('form')),
    /** What is being asked and why. */
    message: z.string(),
    /** A flat object schema of primitive fields. */
    requestedSchema: z.looseObject({
        $schema: z.optional(z.string()),
        type: z.literal('object'),
        properties: z.record(z.string(), PrimitiveSchemaDefinitionSchema),
        required: z.optional(z.array(z.string()))
    })
});
/** Params of a form-mode `elicitation/create`. */
export type ElicitRequestFormParams = z.infer<typeof ElicitRequestFormParamsSchema>;

/** Schema for the params of a URL-mode `elicitation/create`: the user completes a flow at `url`. */
export const ElicitRequestURLParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    mode: z.literal('url'),
    message: z.string(),
    /** Correlates the later `notifications/elicitation/complete`. */
    elicitationId: z.string(),
    url: z.string()
});
/** Params of a URL-mode `elicitation/create`. */
export type ElicitRequestURLParams = z.infer<typeof ElicitRequestURLParamsSchema>;

/** Schema for the params of `elicitation/create`, either mode. */
export const ElicitRequestParamsSchema = z.union([ElicitRequestURLParamsSchema, ElicitRequestFormParamsSchema]);
/** Params of `elicitation/create`. */
export type ElicitRequestParams = z.infer<typeof ElicitRequestParamsSchema>;

/** Schema for the result of `elicitation/create`. */
export const ElicitResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    action: z.enum(['accept', 'decline', 'cancel']),
    /** Submitted values (form mode, `accept` only). */
    content: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])))
});
/** Result of `elicitation/create`. */
export type ElicitResult = z.infer<typeof ElicitResultSchema>;

/** Schema for the params of `notifications/elicitation/complete` (a URL-mode flow finished). */
export const ElicitationCompleteNotificationParamsSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    elicitationId: z.string()
});
/** Params of `notifications/elicitation/complete`. */
export type ElicitationCompleteNotificationParams = z.infer<typeof ElicitationCompleteNotificationParamsSchema>;
