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
import { Validator } from '@cfworker/json-schema';
import { CfWorkerEngineValidator } from '@modelcontextprotocol/core/validators';
import type { CfWorkerSchemaDraft, CfWorkerValidatorOptions } from '@modelcontextprotocol/core/validators';

/**
 * Validates JSON Schemas with `@cfworker/json-schema`. The draft follows each schema's `$schema` (none or
 * 2020-12, 2019-09, draft-07/06; any other throws `UnsupportedJsonSchemaDialectError`) unless `options.draft`
 * forces one for every schema. `shortcircuit` (default `true`) stops at the first error.
 */
export class CfWorkerJsonSchemaValidator extends CfWorkerEngineValidator {
    /**
     * @param options.shortcircuit stop at the first error (default `true`).
     * @param options.draft the draft to use for every schema, instead of reading `$schema`.
     */
    constructor(options?: CfWorkerValidatorOptions) {
        super((schema, draft, shortcircuit) => new Validator(schema, draft, shortcircuit), options);
    }
}

export type { CfWorkerSchemaDraft, CfWorkerValidatorOptions };
