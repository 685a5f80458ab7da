import { describe, expect, it } from 'vitest';
import type { StandardJSONSchemaV1 } from '@modelcontextprotocol/core/validators';
import * as z from 'zod';
import { AjvJsonSchemaValidator, defaultJsonSchemaValidator } from '../../src/server/jsonSchemaValidator.js';
import { McpServer, RegistrationError } from '../../src/server/mcp.js';
import { compileToolSchema, isZodRawShape } from '../../src/server/mcp/toolSchemas.js';
import { Server } from '../../src/server/index.js';

const validator = defaultJsonSchemaValidator();

describe('compileToolSchema', () => {
    it('exports a zod schema once and reuses the JSON Schema for every registration', () => {
        const schema = z.object({ q: z.string() });
        const first = compileToolSchema(schema, 'input', validator, 'x');
        const second = compileToolSchema(schema, 'input', validator, 'x');
        expect(first.json).toBe(first.json);
        expect(second.json).toBe(first.json);
        expect(compileToolSchema(schema, 'output', validator, 'x').json).not.toBe(first.json);
    });

    it('reuses the object schema of a raw shape object', () => {
        const shape = { q: z.string() };
        expect(compileToolSchema(shape, 'input', validator, 'x').json).toBe(
            compileToolSchema(shape, 'input', validator, 'x').json
        );
    });

    it('keeps a plain JSON Schema by identity', () => {
        const json = { type: 'object' as const, properties: { a: { type: 'integer' } } };
        const compiled = compileToolSchema(json, 'input', validator, 'x');
        expect(compiled.json).toBe(json);
        expect(compiled.check({ a: 1 })).toEqual({ success: true, data: { a: 1 } });
        expect(compiled.check({ a: 1.5 })).toMatchObject({
            success: false,
            message: expect.stringContaining('integer')
        });
    });

    it('exports input and output views of transforms and defaults', () => {
        const schema = z.object({ n: z.number().default(1) });
        expect(compileToolSchema(schema, 'input', validator, 'x').json.required).toBeUndefined();
        expect(compileToolSchema(schema, 'output', validator, 'x').json.required).toEqual(['n']);
    });

    it('marks a union of object schemas as an object', () => {
        const schema = z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]);
        expect(compileToolSchema(schema, 'input', validator, 'x').json).toMatchObject({ type: 'object' });
    });

    it('tells raw shapes from JSON Schemas', () => {
        expect(isZodRawShape({})).toBe(true);
        expect(isZodRawShape({ a: z.string() })).toBe(true);
        expect(isZodRawShape({ type: 'object' })).toBe(false);
        expect(isZodRawShape(z.object({}))).toBe(false);
    });
});

/** A hand-written Standard Schema with JSON Schema: strings only, trimmed; optionally async. */
function trimmedText(options: { async?: boolean; json?: Record<string, unknown> } = {}) {
    const validate = (value: unknown) => {
        const text = (value as { text?: unknown } | null)?.text;
        const result =
            typeof text === 'string'
                ? { value: { text: text.trim() } }
                : { issues: [{ message: 'expected a string', path: [{ key: 'text' }] }] };
        return options.async ? Promise.resolve(result) : result;
    };
    const json = options.json ?? { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
    return {
        '~standard': {
            version: 1 as const,
            vendor: 'test',
            validate,
            jsonSchema: {
                input: (_options: StandardJSONSchemaV1.Options) => json,
                output: (_options: StandardJSONSchemaV1.Options) => json
            }
        }
    };
}

describe('compileToolSchema with other Standard Schemas', () => {
    it('lists ~standard.jsonSchema.input and checks with ~standard.validate (sync)', () => {
        const compiled = compileToolSchema(trimmedText(), 'input', validator, 'x');
        expect(compiled.json).toEqual({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
        expect(compiled.check({ text: ' a ' })).toEqual({ success: true, data: { text: 'a' } });
        expect(compiled.check({ text: 1 })).toEqual({ success: false, message: 'text: expected a string' });
    });

    it('awaits an asynchronous validate', async () => {
        const compiled = compileToolSchema(trimmedText({ async: true }), 'input', validator, 'x');
        await expect(compiled.check({ text: ' a ' })).resolves.toEqual({ success: true, data: { text: 'a' } });
    });

    it('asks for draft 2020-12 and marks a typeless root as an object', () => {
        const targets: unknown[] = [];
        const schema = trimmedText({ json: { anyOf: [{ type: 'object' }] } });
        const converter = schema['~standard'].jsonSchema;
        schema['~standard'].jsonSchema = {
            input: options => (targets.push(options.target), converter.input(options)),
            output: options => (targets.push(options.target), converter.output(options))
        };
        expect(compileToolSchema(schema, 'output', validator, 'x').json).toEqual({
            type: 'object',
            anyOf: [{ type: 'object' }]
        });
        expect(targets).toEqual(['draft-2020-12']);
    });

    it('refuses a non-object schema, a failing conversion and a schema without jsonSchema', () => {
        const expectInvalid = (schema: unknown, message: RegExp) => {
            expect(() => compileToolSchema(schema as never, 'input', validator, 'Input schema of tool t')).toThrow(
                expect.objectContaining({
                    name: 'RegistrationError',
                    code: 'INVALID_SCHEMA',
                    message: expect.stringMatching(message)
                })
            );
        };
        expectInvalid(trimmedText({ json: { type: 'string' } }), /must describe an object, not "string"/);
        const failing = trimmedText();
        failing['~standard'].jsonSchema.input = () => {
            throw new Error('unrepresentable');
        };
        expectInvalid(failing, /cannot be converted to JSON Schema: unrepresentable/);
        const { jsonSchema: _omitted, ...withoutJson } = trimmedText()['~standard'];
        expectInvalid({ '~standard': withoutJson }, /without ~standard.jsonSchema \(from "test"\)/);
    });
});

describe('AjvJsonSchemaValidator', () => {
    it('compiles each schema object once', () => {
        const own = new AjvJsonSchemaValidator();
        const schema = { type: 'object', properties: { a: { type: 'string' } } };
        expect(own.getValidator(schema)).toBe(own.getValidator(schema));
    });

    it('compiles a schema labelled draft-07 with the draft-07 engine', () => {
        const validate = new AjvJsonSchemaValidator().getValidator({
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            required: ['a']
        });
        expect(validate({ a: 1 }).valid).toBe(true);
        expect(validate({}).valid).toBe(false);
    });

    it('checks the elicitation string formats', () => {
        const own = new AjvJsonSchemaValidator();
        const check = (format: string, value: string) => own.getValidator({ type: 'string', format })(value).valid;
        expect(check('email', 'a@b.co')).toBe(true);
        expect(check('email', 'nope')).toBe(false);
        expect(check('uri', 'https://example.com/x')).toBe(true);
        expect(check('uri', 'not a uri')).toBe(false);
        expect(check('date', '2025-11-25')).toBe(true);
        expect(check('date', '2025-13-01')).toBe(false);
        expect(check('date-time', '2025-11-25T10:00:00Z')).toBe(true);
        expect(check('date-time', '2025-11-25 10:00')).toBe(false);
    });

    it('throws for an invalid schema', () => {
        expect(() =>
            new AjvJsonSchemaValidator().getValidator({ type: 'object', properties: { a: { $ref: '#/nope' } } })
        ).toThrow();
    });
});

describe('registration conflicts', () => {
    it('refuses to register tools when the Server already has a tools handler', () => {
        const mcp = new McpServer({ name: 's', version: '1' }, { capabilities: { tools: {} } });
        mcp.server.setRequestHandler('tools/list', () => ({ tools: [] }));
        expect(() => mcp.registerTool('a', {}, () => ({ content: [] }))).toThrow(
            expect.objectContaining({ code: 'HANDLER_CONFLICT' })
        );
        expect(() => mcp.registerTool('a', {}, () => ({ content: [] }))).toThrow(RegistrationError);
    });

    it('exposes the low-level server', () => {
        const mcp = new McpServer({ name: 's', version: '1' });
        expect(mcp.server).toBeInstanceOf(Server);
        expect(mcp.isConnected()).toBe(false);
    });
});
