/**
 * The pluggable JSON Schema validator contract, shared by the client (tool output schemas, elicitation
 * `requestedSchema`s) and the server (tools declared with a plain JSON Schema, elicitation answers). MCP schemas
 * default to JSON Schema 2020-12 (MCP 2025-11-25, Basic › JSON Schema Usage).
 *
 * Only the contract and engine-independent helpers live here. The implementations are in the
 * `@modelcontextprotocol/{client,server}/validators/ajv` and `…/validators/cf-worker` entries.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic#json-schema-usage
 * @see https://json-schema.org/draft/2020-12
 * @module
 */
import type { StandardSchemaV1, StandardSchemaWithJSON } from './standardSchema.js';

/** A JSON Schema (object form; boolean schemas are not used by MCP). */
export type JsonSchemaType = Record<string, unknown>;

/** The outcome of validating one value against a compiled schema. */
export type JsonSchemaValidatorResult<T = unknown> =
    { valid: true; data: T; errorMessage?: undefined } | { valid: false; data?: undefined; errorMessage: string };

/** A compiled schema: checks one value. Never throws for an invalid value. */
export type JsonSchemaValidator<T = unknown> = (input: unknown) => JsonSchemaValidatorResult<T>;

/**
 * A compiled schema (this SDK's earlier name of {@link JsonSchemaValidator}).
 *
 * @deprecated Use {@link JsonSchemaValidator}.
 */
export type JsonSchemaValidatorFn<T = unknown> = JsonSchemaValidator<T>;

/**
 * Compiles JSON Schemas: the extension point for validation engines, passed as the `jsonSchemaValidator` option
 * of `Client`, `Server` and `McpServer`. Callers compile a schema once and keep the returned function.
 *
 * @example
 * ```ts
 * class MyValidator implements jsonSchemaValidator {
 *     getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
 *         const check = compileWithMyEngine(schema);
 *         return input => (check(input) ? { valid: true, data: input as T } : { valid: false, errorMessage: 'invalid' });
 *     }
 * }
 * ```
 */
export interface jsonSchemaValidator {
    /**
     * Compiles `schema`.
     *
     * @throws when the schema cannot be compiled (invalid, or a dialect the engine does not support).
     */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidator<T>;
}

/** The JSON Schema dialects the built-in validators recognise from `$schema` (draft-06 is read as draft-07). */
export type JsonSchemaDialect = '2020-12' | '2019-09' | 'draft-07';

/** Stable code of {@link UnsupportedJsonSchemaDialectError}. */
export type UnsupportedJsonSchemaDialectErrorCode = 'UNSUPPORTED_JSON_SCHEMA_DIALECT';

/** A schema declares a `$schema` dialect the validator does not support (pass an engine configured for it). */
export class UnsupportedJsonSchemaDialectError extends Error {
    override name = 'UnsupportedJsonSchemaDialectError';
    /** The stable error code. */
    readonly code: UnsupportedJsonSchemaDialectErrorCode = 'UNSUPPORTED_JSON_SCHEMA_DIALECT';
    /** The `$schema` value found. */
    readonly dialect: unknown;

    constructor(dialect: unknown) {
        super(
            `Unsupported JSON Schema dialect ${JSON.stringify(dialect)}: supported are 2020-12, 2019-09, draft-07, draft-06`
        );
        this.dialect = dialect;
    }
}

const DIALECTS: ReadonlyArray<readonly [RegExp, JsonSchemaDialect]> = [
    [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, '2020-12'],
    [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, '2019-09'],
    [/^https?:\/\/json-schema\.org\/draft-0[67]\/schema#?$/, 'draft-07']
];

/**
 * The dialect a schema declares with `$schema`; no `$schema` means 2020-12 (the MCP default).
 *
 * @throws {@link UnsupportedJsonSchemaDialectError} for any other `$schema`.
 */
export function jsonSchemaDialect(schema: JsonSchemaType): JsonSchemaDialect {
    const declared = schema.$schema;
    if (declared === undefined) return '2020-12';
    if (typeof declared === 'string') {
        for (const [pattern, dialect] of DIALECTS) if (pattern.test(declared)) return dialect;
    }
    throw new UnsupportedJsonSchemaDialectError(declared);
}

/**
 * Wraps a JSON Schema as a {@link StandardSchemaWithJSON}: `~standard.jsonSchema.input/output` return the schema
 * as given, `~standard.validate` checks values with `validator`. The client and server entries export
 * `fromJsonSchema`, which supplies their default validator.
 *
 * @param validator the validator, or a function loading it (then `validate` answers asynchronously and the
 * schema is compiled on first use). Given a validator, the schema is compiled now.
 * @throws when `validator` is given and cannot compile the schema.
 */
export function standardSchemaFromJsonSchema<T = unknown>(
    schema: JsonSchemaType,
    validator: jsonSchemaValidator | (() => Promise<jsonSchemaValidator>)
): StandardSchemaWithJSON<T, T> {
    let check: JsonSchemaValidator<T> | undefined;
    let pending: Promise<JsonSchemaValidator<T>> | undefined;
    if (typeof validator !== 'function') check = validator.getValidator<T>(schema);
    const run = (compiled: JsonSchemaValidator<T>, value: unknown): StandardSchemaV1.Result<T> => {
        const outcome = compiled(value);
        return outcome.valid ? { value: outcome.data } : { issues: [{ message: outcome.errorMessage }] };
    };
    const load = typeof validator === 'function' ? validator : undefined;
    return {
        '~standard': {
            version: 1,
            vendor: 'mcp',
            jsonSchema: { input: () => schema, output: () => schema },
            validate: (value: unknown) => {
                if (check) return run(check, value);
                pending ??= load!().then(
                    loaded => (check = loaded.getValidator<T>(schema)),
                    (error: unknown) => {
                        pending = undefined; // a failed load is retried by the next call
                        throw error;
                    }
                );
                return pending.then(compiled => run(compiled, value));
            }
        }
    };
}
