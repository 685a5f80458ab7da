/**
 * `@modelcontextprotocol/client/_shims` on Node and every runtime that is not a browser or a worker: the default
 * JSON Schema validator is ajv ({@link DefaultJsonSchemaValidator}), loaded only when a schema is first compiled.
 *
 * @module
 */
export { AjvJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/core/validators/ajv';
