/**
 * The `@cfworker/json-schema` validator (no code generation, so it runs where `eval` is not allowed: Cloudflare
 * Workers, strict CSP pages), defined once and re-exported by the client's and the server's `./validators/cf-worker`.
 *
 * @module
 */
import { Validator } from '@cfworker/json-schema';
import { CfWorkerEngineValidator } from '../shared/jsonSchemaEngines.js';
import type { CfWorkerSchemaDraft, CfWorkerValidatorOptions } from '../shared/jsonSchemaEngines.js';

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
