/**
 * The server's JSON Schema validation: the default validator used for tools declared with a plain JSON Schema
 * (MCP 2025-11-25, Server › Tools, "Input/Output Schema") and for elicitation answers (Client › Elicitation)
 * when `ServerOptions.jsonSchemaValidator` is not set, and {@link fromJsonSchema}. The contract itself
 * ({@link jsonSchemaValidator}) is defined in `@modelcontextprotocol/core/validators`; the engines are in the
 * `validators/ajv` and `validators/cf-worker` entries.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool
 * @module
 */
import { standardSchemaFromJsonSchema } from '@modelcontextprotocol/core/validators';
import type {
    JsonSchemaType,
    StandardSchemaWithJSON,
    jsonSchemaValidator
} from '@modelcontextprotocol/core/validators';
import { AjvJsonSchemaValidator } from '../validators/ajv.js';

let shared: AjvJsonSchemaValidator | undefined;

/**
 * The process-wide default validator: one {@link AjvJsonSchemaValidator} (ajv, draft 2020-12 by default, formats
 * on) shared by every server that does not pass its own.
 */
export function defaultJsonSchemaValidator(): jsonSchemaValidator {
    return (shared ??= new AjvJsonSchemaValidator());
}

/**
 * Wraps a plain JSON Schema as a Standard Schema (with JSON Schema), e.g. for `registerTool`: `tools/list` shows
 * the schema as given, and arguments are checked with `validator` (default: the shared ajv validator).
 *
 * @example
 * ```ts
 * const inputSchema = fromJsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } });
 * server.registerTool('weather', { inputSchema }, ({ city }) => ({ content: [{ type: 'text', text: city }] }));
 * ```
 * @throws when the validator cannot compile the schema.
 */
export function fromJsonSchema<T = unknown>(
    schema: JsonSchemaType,
    validator?: jsonSchemaValidator
): StandardSchemaWithJSON<T, T> {
    return standardSchemaFromJsonSchema<T>(schema, validator ?? defaultJsonSchemaValidator());
}

export { AjvJsonSchemaValidator };
