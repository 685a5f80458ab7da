/**
 * JSON values: the types and schemas for data that survives `JSON.stringify` / `JSON.parse` unchanged
 * (structured tool output, elicitation answers, custom `_meta` payloads).
 *
 * @module
 */
import * as z from 'zod/mini';

/** Any JSON value. */
export type JSONValue = string | number | boolean | null | JSONObject | JSONArray;
/** A JSON object: string keys, JSON values. */
export interface JSONObject {
    [key: string]: JSONValue;
}
/** A JSON array. */
export type JSONArray = JSONValue[];

/** Schema for any JSON value (finite numbers only; `undefined`, functions and symbols are refused). */
export const JSONValueSchema: z.ZodMiniType<JSONValue> = z.lazy(() =>
    z.union([
        z.string(),
        z.number().check(z.refine(Number.isFinite)),
        z.boolean(),
        z.null(),
        JSONObjectSchema,
        JSONArraySchema
    ])
);
/** Schema for a JSON object. */
export const JSONObjectSchema: z.ZodMiniType<JSONObject> = z.lazy(() => z.record(z.string(), JSONValueSchema));
/** Schema for a JSON array. */
export const JSONArraySchema: z.ZodMiniType<JSONArray> = z.lazy(() => z.array(JSONValueSchema));
