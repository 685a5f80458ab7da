/**
 * The default ajv instances of {@link AjvJsonSchemaValidator}, one class per JSON Schema dialect.
 *
 * @module
 */
import { Ajv as AjvDraft07 } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import type { AjvLike, JsonSchemaDialect } from '@modelcontextprotocol/core/validators';

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
export function createDefaultAjv(dialect: JsonSchemaDialect): AjvLike {
    const ajv =
        dialect === '2020-12'
            ? new Ajv2020(OPTIONS)
            : dialect === '2019-09'
              ? new Ajv2019(OPTIONS)
              : new AjvDraft07(OPTIONS);
    addFormats(ajv);
    return ajv;
}
