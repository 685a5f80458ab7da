/**
 * The client's JSON Schema validation: the default validator used for tool output schemas (MCP 2025-11-25,
 * Tools, "Output Schema") and elicitation `requestedSchema`s when `ClientOptions.jsonSchemaValidator` is not
 * set, and {@link fromJsonSchema}. The contract itself ({@link jsonSchemaValidator}) is defined in
 * `@modelcontextprotocol/core/validators`.
 *
 * The default comes from the package's `_shims` entry, chosen by the runtime's resolver: ajv on Node,
 * `@cfworker/json-schema` under the `browser` and `workerd` conditions (a few kilobytes, no code generation). It is
 * loaded with a dynamic `import()` the first time a schema is compiled, so clients that pass their own validator (or
 * never validate) do not load it.
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
 * The shared default validator (draft 2020-12 by default: `AjvJsonSchemaValidator` with formats on Node,
 * `CfWorkerJsonSchemaValidator` in browsers and workers), loaded on first call. A failed load is not cached, so a
 * later call retries.
 */
export function loadDefaultJsonSchemaValidator(): Promise<jsonSchemaValidator> {
    defaultValidator ??= import('@modelcontextprotocol/client/_shims').then(
        module => new module.DefaultJsonSchemaValidator(),
        (error: unknown) => {
            defaultValidator = undefined;
            throw error;
        }
    );
    return defaultValidator;
}

/**
 * Wraps a plain JSON Schema as a Standard Schema (with JSON Schema), for APIs that take one: its JSON Schema is the
 * schema as given, and values are checked with `validator` — by default the client's default validator, loaded on
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
