/**
 * `@modelcontextprotocol/client/validators/cf-worker`: {@link CfWorkerJsonSchemaValidator}, a JSON Schema
 * validator built on `@cfworker/json-schema`, for runtimes that forbid code generation (Cloudflare Workers, strict
 * CSP pages) where ajv cannot compile.
 *
 * @example
 * ```ts
 * import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/client/validators/cf-worker';
 *
 * const client = new Client(info, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
 * ```
 * @module
 */
export { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/core/validators/cf-worker';
export type { CfWorkerSchemaDraft, CfWorkerValidatorOptions } from '@modelcontextprotocol/core/validators/cf-worker';
