/**
 * The default {@link JsonSchemaValidator}: ajv 8 in JSON Schema draft 2020-12 mode with ajv-formats.
 *
 * @see https://json-schema.org/draft/2020-12
 * @module
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchemaType, JsonSchemaValidator, JsonSchemaValidatorFn } from './jsonSchemaValidator.js';

/** The ajv instance type this validator accepts. */
export type AjvInstance = InstanceType<typeof Ajv2020>;

/**
 * Validates with ajv (draft 2020-12, formats on). The ajv instance is created on the first
 * {@link AjvJsonSchemaValidator.getValidator} call unless one is passed in.
 *
 * Compiled schemas are not kept in ajv's own cache (callers cache the returned function), so compiling the
 * schemas of a long-lived connection whose tool list keeps changing does not grow memory.
 */
export class AjvJsonSchemaValidator implements JsonSchemaValidator {
    private _ajv: AjvInstance | undefined;

    /** @param ajv a configured ajv instance to use instead of the default one. */
    constructor(ajv?: AjvInstance) {
        this._ajv = ajv;
    }

    /** @inheritDoc */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidatorFn<T> {
        const ajv = (this._ajv ??= createAjv());
        // A schema with an `$id` may only be registered once per ajv instance; a re-listed tool brings it again.
        if (typeof schema.$id === 'string') ajv.removeSchema(schema.$id);
        const validate = ajv.compile(schema);
        ajv.removeSchema(schema);
        return (value: unknown) =>
            validate(value)
                ? { valid: true, data: value as T }
                : { valid: false, errorMessage: ajv.errorsText(validate.errors) };
    }
}

function createAjv(): AjvInstance {
    // `validateSchema: false`: servers often label schemas with an older `$schema` (draft-07) that this ajv
    // build has no meta-schema for; the keywords they use compile the same way.
    const ajv = new Ajv2020({ strict: false, validateSchema: false, validateFormats: true, allErrors: false });
    addFormats(ajv);
    return ajv;
}
