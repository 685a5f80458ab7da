/**
 * The `validators/ajv` and `validators/cf-worker` entries of the server: the shared contract (both engines accept
 * and reject the same values, formats included), the official constructor shapes, `fromJsonSchema`, and their use
 * as the `jsonSchemaValidator` option of `McpServer` / `Server`.
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/core';
import type {
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorResult,
    StandardSchemaV1,
    jsonSchemaValidator
} from '@modelcontextprotocol/core/validators';
import { Server } from '../../src/server/index.js';
import { defaultJsonSchemaValidator, fromJsonSchema } from '../../src/server/jsonSchemaValidator.js';
import { McpServer } from '../../src/server/mcp.js';
import { Ajv, AjvJsonSchemaValidator, addFormats } from '../../src/validators/ajv.js';
import { CfWorkerJsonSchemaValidator } from '../../src/validators/cfWorker.js';
import { describeJsonSchemaValidatorContract } from '../../../core/test/fixtures/jsonSchemaValidatorContract.js';
import { connectClient } from '../fixtures/testClient.js';

describeJsonSchemaValidatorContract('AjvJsonSchemaValidator', () => new AjvJsonSchemaValidator());
describeJsonSchemaValidatorContract('CfWorkerJsonSchemaValidator', () => new CfWorkerJsonSchemaValidator());

const info = { name: 'validators-server', version: '1.0.0' };
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
});

describe('the server default validator', () => {
    it('is one shared AjvJsonSchemaValidator', () => {
        expect(defaultJsonSchemaValidator()).toBeInstanceOf(AjvJsonSchemaValidator);
        expect(defaultJsonSchemaValidator()).toBe(defaultJsonSchemaValidator());
        expect(new Server(info).jsonSchemaValidator).toBe(defaultJsonSchemaValidator());
    });

    it('can be replaced by a customised ajv instance', () => {
        const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
        addFormats(ajv, ['email']);
        const validator = new AjvJsonSchemaValidator(ajv);
        expect(new Server(info, { jsonSchemaValidator: validator }).jsonSchemaValidator).toBe(validator);
        expect(validator.getValidator({ format: 'email' })('nope').valid).toBe(false);
    });
});

describe('jsonSchemaValidator option of McpServer', () => {
    it('accepts a validator written against the official contract', () => {
        class AcceptAll implements jsonSchemaValidator {
            getValidator<T>(_schema: JsonSchemaType): JsonSchemaValidator<T> {
                return (input: unknown): JsonSchemaValidatorResult<T> => ({
                    valid: true,
                    data: input as T,
                    errorMessage: undefined
                });
            }
        }
        const server = new McpServer(info, { jsonSchemaValidator: new AcceptAll() });
        expect(server.server.jsonSchemaValidator.getValidator({ type: 'string' })(1)).toEqual({
            valid: true,
            data: 1,
            errorMessage: undefined
        });
        const standard = fromJsonSchema<{ city: string }>({ type: 'object' }, new AcceptAll());
        expect(standard['~standard'].validate({})).toEqual({ value: {} });
        expectTypeOf<StandardSchemaV1.InferOutput<typeof standard>>().toEqualTypeOf<{ city: string }>();
    });

    it.each([
        ['ajv', () => new AjvJsonSchemaValidator()],
        ['cf-worker', () => new CfWorkerJsonSchemaValidator()]
    ])('validates the arguments of a JSON-Schema tool with %s', async (_name, create) => {
        const server = new McpServer(info, { jsonSchemaValidator: create() });
        server.registerTool(
            'mail',
            {
                inputSchema: {
                    type: 'object',
                    properties: { to: { type: 'string', format: 'email' } },
                    required: ['to']
                }
            },
            args => ({ content: [{ type: 'text', text: String(args.to) }] })
        );
        const { client } = await connectClient(server);
        open.push(client, server);
        const ok = (await client.call('tools/call', {
            name: 'mail',
            arguments: { to: 'ada@example.com' }
        })) as CallToolResult;
        expect(ok).toEqual({ content: [{ type: 'text', text: 'ada@example.com' }] });
        const bad = (await client.call('tools/call', { name: 'mail', arguments: { to: 'nope' } })) as CallToolResult;
        expect(bad.isError).toBe(true);
        expect(bad.content[0]).toMatchObject({
            type: 'text',
            text: expect.stringContaining('Input validation error: Invalid arguments for tool mail:')
        });
    });
});

describe('fromJsonSchema', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

    it('wraps a JSON Schema for registerTool: listed as given, checked with the validator', async () => {
        const inputSchema = fromJsonSchema<{ city: string }>(schema, new CfWorkerJsonSchemaValidator());
        const server = new McpServer(info);
        server.registerTool('weather', { inputSchema }, ({ city }) => {
            expectTypeOf(city).toEqualTypeOf<string>();
            return { content: [{ type: 'text', text: city }] };
        });
        const { client } = await connectClient(server);
        open.push(client, server);
        const { tools } = await client.call('tools/list');
        expect(tools[0]!.inputSchema).toEqual(schema);
        expect(await client.call('tools/call', { name: 'weather', arguments: { city: 'Paris' } })).toEqual({
            content: [{ type: 'text', text: 'Paris' }]
        });
        const bad = (await client.call('tools/call', { name: 'weather', arguments: {} })) as CallToolResult;
        expect(bad.isError).toBe(true);
    });

    it('uses the default validator when none is given, and compiles at once', () => {
        const standard = fromJsonSchema(schema);
        expect(standard['~standard'].validate({ city: 'Paris' })).toEqual({ value: { city: 'Paris' } });
        expect(standard['~standard'].vendor).toBe('mcp');
        expect(() => fromJsonSchema({ type: 'nope' })).toThrow();
    });
});
