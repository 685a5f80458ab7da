/**
 * `@modelcontextprotocol/client/_shims` under the `browser` and `workerd` conditions: the default JSON Schema
 * validator is `@cfworker/json-schema` ({@link DefaultJsonSchemaValidator}), a few kilobytes that need no code
 * generation (strict CSP pages and Cloudflare Workers forbid it), instead of ajv.
 *
 * @module
 */
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/core/validators/cf-worker';
