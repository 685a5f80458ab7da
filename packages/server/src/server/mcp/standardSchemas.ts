/**
 * Tool and prompt schemas given as a Standard Schema with JSON Schema (valibot through `toStandardJsonSchema`,
 * arktype, `fromJsonSchema`, any other library implementing both interfaces): the JSON Schema listed by
 * `tools/list` / `prompts/list` comes from `~standard.jsonSchema`, arguments are checked with
 * `~standard.validate` (synchronous or not).
 *
 * @see https://standardschema.dev
 * @module
 */
import { formatStandardSchemaIssues } from '@modelcontextprotocol/core/validators';
import type { StandardSchemaV1, StandardSchemaWithJSON } from '@modelcontextprotocol/core/validators';
import type { ToolJsonSchema } from '@modelcontextprotocol/core';
import { RegistrationError } from './errors.js';

/** Which JSON Schema of a schema: what it accepts (`input`) or what it produces (`output`). */
export type SchemaIo = 'input' | 'output';

/** The outcome of checking a value. */
export type SchemaCheck = { success: true; data: unknown } | { success: false; message: string };

/** The dialect requested from `~standard.jsonSchema` (the MCP default). */
const JSON_SCHEMA_TARGET = 'draft-2020-12';

const jsonCache: Record<SchemaIo, WeakMap<StandardSchemaWithJSON, ToolJsonSchema>> = {
    input: new WeakMap(),
    output: new WeakMap()
};

/**
 * The JSON Schema of a Standard Schema (once per schema object and direction), as MCP needs it for a tool's
 * `inputSchema`/`outputSchema` or a prompt's arguments: an object schema. A schema without a top-level `type`
 * (e.g. a union of objects) is marked `type: "object"`.
 *
 * @param label names the schema in error messages, e.g. `Input schema of tool add`.
 * @throws {@link RegistrationError} `INVALID_SCHEMA` when the library cannot convert it, or it does not describe
 * an object.
 */
export function standardSchemaToToolJson(schema: StandardSchemaWithJSON, io: SchemaIo, label: string): ToolJsonSchema {
    const cached = jsonCache[io].get(schema);
    if (cached) return cached;
    let json: Record<string, unknown>;
    try {
        json = schema['~standard'].jsonSchema[io]({ target: JSON_SCHEMA_TARGET });
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RegistrationError('INVALID_SCHEMA', `${label} cannot be converted to JSON Schema: ${reason}`, {
            cause: error
        });
    }
    if (typeof json !== 'object' || json === null) {
        throw new RegistrationError('INVALID_SCHEMA', `${label} was converted to no JSON Schema object`);
    }
    if (json.type === undefined) json = { type: 'object', ...json };
    else if (json.type !== 'object') {
        throw new RegistrationError(
            'INVALID_SCHEMA',
            `${label} must describe an object, not ${JSON.stringify(json.type)}`
        );
    }
    const result = json as ToolJsonSchema;
    jsonCache[io].set(schema, result);
    return result;
}

/** Checks `value` with `~standard.validate`, synchronously when the library answers synchronously. */
export function checkStandardSchema(schema: StandardSchemaV1, value: unknown): SchemaCheck | Promise<SchemaCheck> {
    const result = schema['~standard'].validate(value);
    return result instanceof Promise ? result.then(toCheck) : toCheck(result);
}

function toCheck(result: StandardSchemaV1.Result<unknown>): SchemaCheck {
    return result.issues === undefined
        ? { success: true, data: result.value }
        : { success: false, message: formatStandardSchemaIssues(result.issues) };
}
