/**
 * The client's JSON Schema validation: the default validator used for tool output schemas (MCP 2025-11-25,
 * Tools, "Output Schema") and elicitation `requestedSchema`s when `ClientOptions.jsonSchemaValidator` is not
 * set, and {@link fromJsonSchema}. The contract itself ({@link jsonSchemaValidator}) is defined in
 * `@modelcontextprotocol/core/validators`.
 *
 * The default (ajv, from the `validators/ajv` entry) is loaded with a dynamic `import()` the first time a schema
 * is compiled, so clients that pass their own validator (or never validate) do not load ajv.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema
 * @module
 */
import { standardSchemaFromJsonSchema } from '@modelcontextprotocol/core/validators';
import type {
    JsonSchemaType,
    StandardSchemaWithJSON,
    jsonSchemaValidator
} from '@modelcontextprotocol/core/validators';

let defaultValidator: Promise<jsonSchemaValidator> | undefined;

/**
 * The shared default validator (`AjvJsonSchemaValidator`: ajv, draft 2020-12 by default, formats on), loaded on
 * first call. A failed load is not cached, so a later call retries.
 */
export function loadDefaultJsonSchemaValidator(): Promise<jsonSchemaValidator> {
    defaultValidator ??= import('../validators/ajv.js').then(
        module => new module.AjvJsonSchemaValidator(),
        (error: unknown) => {
            defaultValidator = undefined;
            throw error;
        }
    );
    return defaultValidator;
}

/**
 * Wraps a plain JSON Schema as a Standard Schema (with JSON Schema), for APIs that take one: its JSON Schema is the
 * schema as given, and values are checked with `validator` — by default the client's ajv validator, loaded on
 * first use (`validate` then answers asynchronously).
 *
 * @example
 * ```ts
 * const Weather = fromJsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } });
 * ```
 * @throws when `validator` is given and cannot compile the schema.
 */
export function fromJsonSchema<T = unknown>(
    schema: JsonSchemaType,
    validator?: jsonSchemaValidator
): StandardSchemaWithJSON<T, T> {
    return standardSchemaFromJsonSchema<T>(schema, validator ?? loadDefaultJsonSchemaValidator);
}
