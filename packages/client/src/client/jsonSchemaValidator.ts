/**
 * The pluggable JSON Schema validator the `Client` uses for tool output schemas (MCP 2025-11-25, Tools, "Output
 * Schema") and elicitation `requestedSchema`s. Schemas on the wire default to JSON Schema 2020-12.
 *
 * This module holds only the contract; the default ajv-based implementation lives in `ajvJsonSchemaValidator.ts`
 * and is loaded with a dynamic `import()` the first time a schema is compiled, so clients that pass their own
 * validator (or never validate) do not load ajv.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema
 * @see https://json-schema.org/draft/2020-12
 * @module
 */

/** A JSON Schema, as received from a server. */
export type JsonSchemaType = Record<string, unknown>;

/** The outcome of validating one value. */
export type JsonSchemaValidatorResult<T = unknown> =
    { valid: true; data: T; errorMessage?: undefined } | { valid: false; data?: undefined; errorMessage: string };

/** A compiled schema: validates a value. Must not throw for invalid values. */
export type JsonSchemaValidatorFn<T = unknown> = (value: unknown) => JsonSchemaValidatorResult<T>;

/**
 * Compiles JSON Schemas. The `Client` calls {@link JsonSchemaValidator.getValidator} once per tool output
 * schema (and caches the result per tool) and once per elicitation request.
 */
export interface JsonSchemaValidator {
    /**
     * Compiles `schema`.
     *
     * @throws when the schema itself is invalid; the client reports that as a validation failure.
     */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidatorFn<T>;
}

let defaultValidator: Promise<JsonSchemaValidator> | undefined;

/**
 * The shared default validator (ajv with draft 2020-12 and formats), loaded on first call.
 *
 * A failed load is not cached, so a later call retries.
 */
export function loadDefaultJsonSchemaValidator(): Promise<JsonSchemaValidator> {
    defaultValidator ??= import('./ajvJsonSchemaValidator.js').then(
        module => new module.AjvJsonSchemaValidator(),
        (error: unknown) => {
            defaultValidator = undefined;
            throw error;
        }
    );
    return defaultValidator;
}
