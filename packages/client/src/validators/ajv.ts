/**
 * `@modelcontextprotocol/client/validators/ajv`: the ajv-backed {@link AjvJsonSchemaValidator} (the client's
 * default validator), and ajv's draft-07 `Ajv` class and `addFormats` for building a customised instance.
 *
 * @example
 * ```ts
 * import { Ajv, AjvJsonSchemaValidator, addFormats } from '@modelcontextprotocol/client/validators/ajv';
 *
 * const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
 * addFormats(ajv);
 * const client = new Client(info, { jsonSchemaValidator: new AjvJsonSchemaValidator(ajv) });
 * ```
 * @module
 */
import { AjvEngineValidator } from '@modelcontextprotocol/core/validators';
import type { AjvLike } from '@modelcontextprotocol/core/validators';
import { Ajv, addFormats, createDefaultAjv } from './ajvEngines.js';

/**
 * Validates JSON Schemas with ajv 8 (formats checked with `ajv-formats`). Without an instance, one per dialect
 * is created on first need, each with `strict: false`, `validateSchema: false`, `allErrors: true`: `Ajv2020`
 * for schemas without `$schema` or declaring 2020-12, `Ajv2019` for 2019-09, `Ajv` for draft-07 and draft-06;
 * any other `$schema` throws `UnsupportedJsonSchemaDialectError`. Compiled schemas are cached per schema object.
 */
export class AjvJsonSchemaValidator extends AjvEngineValidator {
    /** @param ajv an ajv instance to compile every schema with (its dialect is then the caller's choice). */
    constructor(ajv?: AjvLike) {
        super(createDefaultAjv, ajv);
    }
}

export { Ajv, addFormats };
