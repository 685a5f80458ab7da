/**
 * The ajv-backed JSON Schema validator, defined once and re-exported by `@modelcontextprotocol/client/validators/ajv`
 * and `@modelcontextprotocol/server/validators/ajv`: {@link AjvJsonSchemaValidator} picks ajv's draft-07, 2019-09 or
 * 2020-12 class from each schema's `$schema`, with `ajv-formats`. Kept out of core's main entry, which imports no
 * validation engine.
 *
 * @module
 */
import { Ajv as AjvDraft07 } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import type { AjvLike } from '../shared/jsonSchemaEngines.js';
import { AjvEngineValidator } from '../shared/jsonSchemaEngines.js';
import type { JsonSchemaDialect } from '../shared/jsonSchemaValidator.js';

/** ajv's draft-07 class (for a custom instance; use `Ajv2020` from `ajv/dist/2020.js` for 2020-12). */
export const Ajv: typeof AjvDraft07 = AjvDraft07;

/** The `ajv-formats` plugin: `addFormats(ajv)` adds the `format` checks (`email`, `uri`, `date-time`, …). */
export const addFormats: typeof formatsPlugin = formatsPlugin;

const OPTIONS = {
    strict: false,
    // Schemas are checked by compiling them; a meta-schema check would reject those labelled with another draft.
    validateSchema: false,
    validateFormats: true,
    allErrors: true,
    logger: false
} as const;

/** Creates the default instance for `dialect`, with formats. */
function createDefaultAjv(dialect: JsonSchemaDialect): AjvLike {
    const ajv =
        dialect === '2020-12'
            ? new Ajv2020(OPTIONS)
            : dialect === '2019-09'
              ? new Ajv2019(OPTIONS)
              : new AjvDraft07(OPTIONS);
    addFormats(ajv);
    return ajv;
}

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
