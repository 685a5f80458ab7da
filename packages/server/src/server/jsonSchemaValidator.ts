/**
 * The pluggable JSON Schema validator the server uses for tools declared with a plain JSON Schema (MCP
 * 2025-11-25, Server › Tools, "Input/Output Schema") and for checking what a client returns to a form-mode
 * `elicitation/create` against its `requestedSchema` (Client › Elicitation). Schemas default to draft 2020-12.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool
 * @see https://json-schema.org/draft/2020-12
 * @module
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

/** A JSON Schema object. */
export type JsonSchemaType = Record<string, unknown>;

/** The outcome of validating one value. */
export type JsonSchemaValidatorResult<T = unknown> =
    { valid: true; data: T; errorMessage?: undefined } | { valid: false; data?: undefined; errorMessage: string };

/** A compiled schema. Must not throw for invalid values. */
export type JsonSchemaValidatorFn<T = unknown> = (value: unknown) => JsonSchemaValidatorResult<T>;

/** Compiles JSON Schemas; the server calls it once per schema and keeps the returned function. */
export interface JsonSchemaValidator {
    /** Compiles `schema`. @throws when the schema itself is invalid. */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidatorFn<T>;
}

type AjvInstance = InstanceType<typeof Ajv2020>;

/** Light checks for the string formats elicitation forms use (MCP 2025-11-25, Client › Elicitation). */
const FORMATS: Record<string, RegExp> = {
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
    'date-time':
        /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/
};

/**
 * The default {@link JsonSchemaValidator}: ajv 8 in draft 2020-12 mode, non-strict (unknown keywords and
 * formats are ignored), with light `email`, `uri`, `date` and `date-time` formats.
 *
 * Compiled functions are cached per schema object (weakly), and ajv's own cache is not used, so servers built
 * per request from module-level schemas compile each schema once, and throw-away schemas do not leak.
 */
export class AjvJsonSchemaValidator implements JsonSchemaValidator {
    private _ajv: AjvInstance | undefined;
    private readonly _compiled = new WeakMap<JsonSchemaType, JsonSchemaValidatorFn<unknown>>();

    /** @param ajv a configured ajv 2020 instance to use instead of the default one. */
    constructor(ajv?: AjvInstance) {
        this._ajv = ajv;
    }

    /** @inheritDoc */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidatorFn<T> {
        const cached = this._compiled.get(schema);
        if (cached) return cached as JsonSchemaValidatorFn<T>;
        const ajv = (this._ajv ??= createAjv());
        // An `$id` may be registered only once per ajv instance.
        if (typeof schema.$id === 'string') ajv.removeSchema(schema.$id);
        const validate = ajv.compile(schema);
        ajv.removeSchema(schema);
        const fn: JsonSchemaValidatorFn<unknown> = (value: unknown) =>
            validate(value)
                ? { valid: true, data: value }
                : { valid: false, errorMessage: ajv.errorsText(validate.errors, { dataVar: 'value' }) };
        this._compiled.set(schema, fn);
        return fn as JsonSchemaValidatorFn<T>;
    }
}

function createAjv(): AjvInstance {
    // `validateSchema: false`: schemas labelled with another draft's `$schema` (often draft-07) compile with the
    // 2020-12 vocabulary instead of failing for want of that draft's meta-schema.
    const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: false, logger: false });
    for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
    return ajv;
}

let shared: AjvJsonSchemaValidator | undefined;

/** The process-wide default validator (one ajv instance shared by every server that does not pass its own). */
export function defaultJsonSchemaValidator(): JsonSchemaValidator {
    return (shared ??= new AjvJsonSchemaValidator());
}
