/**
 * The `validators/ajv` and `validators/cf-worker` entries of the client: the shared contract (both engines accept
 * and reject the same values, formats included), the official constructor shapes, and their use as
 * `ClientOptions.jsonSchemaValidator`.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '../../src/client/index.js';
import { fromJsonSchema } from '../../src/client/jsonSchemaValidator.js';
import { Ajv, AjvJsonSchemaValidator, addFormats } from '../../src/validators/ajv.js';
import { CfWorkerJsonSchemaValidator } from '../../src/validators/cfWorker.js';
import type { CfWorkerSchemaDraft } from '../../src/validators/cfWorker.js';
import { describeJsonSchemaValidatorContract } from '../../../core/test/fixtures/jsonSchemaValidatorContract.js';

describeJsonSchemaValidatorContract('AjvJsonSchemaValidator', () => new AjvJsonSchemaValidator());
describeJsonSchemaValidatorContract('CfWorkerJsonSchemaValidator', () => new CfWorkerJsonSchemaValidator());

describe('AjvJsonSchemaValidator', () => {
    it('compiles each schema object once', () => {
        const validator = new AjvJsonSchemaValidator();
        const schema = { type: 'object' };
        expect(validator.getValidator(schema)).toBe(validator.getValidator(schema));
    });

    it('uses a given ajv instance for every schema, whatever its $schema', () => {
        const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
        addFormats(ajv);
        ajv.addFormat('even', /^\d*[02468]$/);
        const validator = new AjvJsonSchemaValidator(ajv);
        const validate = validator.getValidator({ $schema: 'http://json-schema.org/draft-04/schema#', format: 'even' });
        expect(validate('12').valid).toBe(true);
        expect(validate('13').valid).toBe(false);
        expect(validator.getValidator({ format: 'email' })('nope').valid).toBe(false);
    });

    it('accepts a structural ajv (compile, getSchema, errorsText) and reuses what it registered by $id', () => {
        const ajv = new Ajv({ strict: false });
        const structural = {
            compile: (schema: unknown) => ajv.compile(schema as object),
            getSchema: (id: string) => ajv.getSchema(id),
            errorsText: (errors?: unknown) => ajv.errorsText(errors as never)
        };
        const validator = new AjvJsonSchemaValidator(structural);
        const schema = () => ({ $id: 'https://example.com/s', type: 'object', required: ['a'] });
        expect(validator.getValidator(schema())({}).valid).toBe(false);
        expect(validator.getValidator(schema())({ a: 1 }).valid).toBe(true);
    });

    it('reports every error in ajv words', () => {
        const validate = new AjvJsonSchemaValidator().getValidator({
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'integer' } }
        });
        expect(validate({ a: 1, b: 1.5 }).errorMessage).toBe('data/a must be string, data/b must be integer');
    });

    it('throws for a schema that does not compile', () => {
        expect(() => new AjvJsonSchemaValidator().getValidator({ type: 'nope' })).toThrow();
    });
});

describe('CfWorkerJsonSchemaValidator', () => {
    it('stops at the first error by default, reports all with shortcircuit: false', () => {
        const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } };
        const first = new CfWorkerJsonSchemaValidator().getValidator(schema)({ a: 1, b: 1.5 });
        expect(first.errorMessage).toBe('data/a: Instance type "number" is invalid. Expected "string".');
        const all = new CfWorkerJsonSchemaValidator({ shortcircuit: false }).getValidator(schema)({ a: 1, b: 1.5 });
        expect(all.errorMessage).toContain('data/b: Instance type "number" is invalid. Expected "integer".');
    });

    it('uses a forced draft for every schema instead of reading $schema', () => {
        const draft: CfWorkerSchemaDraft = '4';
        const validate = new CfWorkerJsonSchemaValidator({ draft }).getValidator({
            $schema: 'http://json-schema.org/draft-04/schema#',
            type: 'number',
            maximum: 5,
            exclusiveMaximum: true
        });
        expect(validate(4).valid).toBe(true);
        expect(validate(5).valid).toBe(false);
    });
});

describe('fromJsonSchema', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

    it('checks synchronously with a given validator, and lists the schema as given', () => {
        const standard = fromJsonSchema<{ city: string }>(schema, new CfWorkerJsonSchemaValidator());
        expect(standard['~standard'].jsonSchema.input({ target: 'draft-2020-12' })).toBe(schema);
        expect(standard['~standard'].validate({ city: 'Paris' })).toEqual({ value: { city: 'Paris' } });
        expect(standard['~standard'].validate({})).toMatchObject({ issues: [{ message: expect.any(String) }] });
    });

    it('loads the default validator on first use (asynchronously), then checks synchronously', async () => {
        const standard = fromJsonSchema(schema);
        const first = standard['~standard'].validate({ city: 'Paris' });
        expect(first).toBeInstanceOf(Promise);
        expect(await first).toEqual({ value: { city: 'Paris' } });
        expect(standard['~standard'].validate({ city: 1 })).toHaveProperty('issues');
    });
});

describe('ClientOptions.jsonSchemaValidator', () => {
    it('accepts both validator classes', () => {
        const info = { name: 'c', version: '1' };
        expect(new Client(info, { jsonSchemaValidator: new AjvJsonSchemaValidator() })).toBeInstanceOf(Client);
        expect(new Client(info, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() })).toBeInstanceOf(Client);
    });
});
