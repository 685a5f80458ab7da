import type { Tool } from '@modelcontextprotocol/core';
import { McpError } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/core/validators';
import { AjvJsonSchemaValidator } from '../../src/validators/ajv.js';
import { ToolOutputValidationError } from '../../src/client/clientErrors.js';
import type { Pair } from '../fixtures/fakeServer.js';
import { connectPair, DEFAULT_TOOLS, WEATHER_TOOL } from '../fixtures/fakeServer.js';

/** The real ajv validator, counting compilations. */
class CountingValidator implements jsonSchemaValidator {
    readonly compiled: JsonSchemaType[] = [];
    private readonly _inner = new AjvJsonSchemaValidator();
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
        this.compiled.push(schema);
        return this._inner.getValidator<T>(schema);
    }
}

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

const weather = (structured: unknown, isError?: boolean) => ({
    name: 'weather',
    arguments: isError === undefined ? { structured } : { structured, isError }
});

async function expectOutputError(promise: Promise<unknown>, fragment: string): Promise<void> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolOutputValidationError);
    expect(error).toBeInstanceOf(McpError);
    expect((error as ToolOutputValidationError).code).toBe(-32602);
    expect((error as ToolOutputValidationError).toolName).toBe('weather');
    expect((error as Error).message).toContain(fragment);
}

describe('Client tool output validation', () => {
    it('accepts structured content that matches the output schema', async () => {
        pair = await connectPair();
        await pair.client.listTools();
        const result = await pair.client.callTool(weather({ temperature: 21.5, unit: 'C' }));
        expect(result.structuredContent).toEqual({ temperature: 21.5, unit: 'C' });
    });

    it('rejects structured content that breaks the output schema with the validator message', async () => {
        pair = await connectPair();
        await pair.client.listTools();
        await expectOutputError(pair.client.callTool(weather({ temperature: 'warm', unit: 'C' })), 'temperature');
        await expectOutputError(pair.client.callTool(weather({ temperature: 1, unit: 'K' })), 'allowed values');
    });

    it('rejects a result without structured content from a tool with an output schema', async () => {
        pair = await connectPair();
        await pair.client.listTools();
        await expectOutputError(pair.client.callTool({ name: 'weather' }), 'did not return structured content');
    });

    it('skips validation of error results', async () => {
        pair = await connectPair();
        await pair.client.listTools();
        await expect(pair.client.callTool(weather(undefined, true))).resolves.toMatchObject({ isError: true });
        await expect(pair.client.callTool(weather({ wrong: true }, true))).resolves.toMatchObject({ isError: true });
    });

    it('does not validate tools it has not seen in tools/list', async () => {
        pair = await connectPair();
        await expect(pair.client.callTool(weather({ temperature: 'warm' }))).resolves.toHaveProperty(
            'structuredContent'
        );
    });

    it('compiles each output schema once, lazily, and again after a fresh listing', async () => {
        const validator = new CountingValidator();
        pair = await connectPair(undefined, { jsonSchemaValidator: validator });
        const { client } = pair;
        await client.listTools();
        expect(validator.compiled).toHaveLength(0);
        for (let i = 0; i < 3; i++) await client.callTool(weather({ temperature: i, unit: 'F' }));
        await expectOutputError(client.callTool(weather({ temperature: 'x', unit: 'F' })), 'temperature');
        expect(validator.compiled).toHaveLength(1);
        await client.callTool({ name: 'plain' });
        expect(validator.compiled).toHaveLength(1);

        await client.listTools();
        await client.callTool(weather({ temperature: 1, unit: 'C' }));
        await client.callTool(weather({ temperature: 2, unit: 'C' }));
        expect(validator.compiled).toHaveLength(2);
    });

    it('keeps output schemas from every page of a paginated listing', async () => {
        pair = await connectPair({
            pageSize: 1,
            tools: [{ name: 'plain', inputSchema: { type: 'object' } }, WEATHER_TOOL]
        });
        const tools = await pair.client.listAllTools();
        expect(tools.map(t => t.name)).toEqual(['plain', 'weather']);
        await expectOutputError(pair.client.callTool(weather({ temperature: 'x', unit: 'C' })), 'temperature');
    });

    it('follows the latest listing: a tool that lost its output schema is no longer validated', async () => {
        pair = await connectPair();
        const { client, server } = pair;
        await client.listTools();
        await expectOutputError(client.callTool(weather({})), 'temperature');
        server.tools = DEFAULT_TOOLS.map(({ outputSchema: _drop, ...tool }) => tool as Tool);
        await client.listTools();
        await expect(client.callTool(weather({}))).resolves.toHaveProperty('structuredContent', {});
    });

    it('reports an output schema that does not compile', async () => {
        const broken: Tool = {
            name: 'weather',
            inputSchema: { type: 'object' },
            outputSchema: { type: 'object', properties: { a: { type: 'not-a-type' } } }
        };
        pair = await connectPair({ tools: [broken] });
        await pair.client.listTools();
        await expectOutputError(pair.client.callTool(weather({ a: 1 })), 'does not compile');
    });
});

describe('default ajv validator', () => {
    it('checks formats, resolves $defs references and accepts a draft-07 $schema label', () => {
        const validate = new AjvJsonSchemaValidator().getValidator({
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { contact: { $ref: '#/$defs/email' } },
            $defs: { email: { type: 'string', format: 'email' } }
        });
        expect(validate({ contact: 'ada@example.com' })).toEqual({ valid: true, data: { contact: 'ada@example.com' } });
        const outcome = validate({ contact: 'not an email' });
        expect(outcome.valid).toBe(false);
        expect(outcome.errorMessage).toContain('format');
    });

    it('compiles a schema with the same $id again (a re-listed tool)', () => {
        const validator = new AjvJsonSchemaValidator();
        const schema = () => ({ $id: 'https://example.com/out', type: 'object', required: ['a'] });
        const first = validator.getValidator(schema());
        const second = validator.getValidator({ ...schema(), required: ['b'] });
        expect(first({ a: 1 }).valid).toBe(true);
        expect(second({ a: 1 }).valid).toBe(false);
        expect(second({ b: 1 }).valid).toBe(true);
    });

    it('throws for a schema that is not valid', () => {
        expect(() => new AjvJsonSchemaValidator().getValidator({ type: 'nope' })).toThrow();
    });
});
