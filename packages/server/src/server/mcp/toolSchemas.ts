/**
 * Tool input and output schemas (MCP 2025-11-25, Server › Tools › Tool): the forms `registerTool` accepts — a
 * zod 4 schema (classic or mini), a zod raw shape, any other Standard Schema with JSON Schema (valibot, arktype,
 * `fromJsonSchema`, …), or a plain JSON Schema object — normalised once at registration into the JSON Schema that
 * `tools/list` shows and a validator for `tools/call`.
 *
 * Zod schemas are exported with `z.toJSONSchema` (draft 2020-12) once per schema object, on the first
 * `tools/list` (memoised weakly, so servers built per request from module-level schemas pay once, and servers
 * that only answer `tools/call` never do); other Standard Schemas are converted with `~standard.jsonSchema` at
 * registration (memoised the same way) and checked with `~standard.validate`; plain JSON Schemas are shown exactly
 * as given and compiled with the server's {@link jsonSchemaValidator} on first use.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool
 * @module
 */
import * as z from 'zod/mini';
import { formatValidationError } from '@modelcontextprotocol/core';
import type { ToolJsonSchema } from '@modelcontextprotocol/core';
import { isStandardSchema, isStandardSchemaWithJSON } from '@modelcontextprotocol/core/validators';
import type {
    JsonSchemaValidator,
    StandardSchemaWithJSON,
    jsonSchemaValidator
} from '@modelcontextprotocol/core/validators';
import { RegistrationError } from './errors.js';
import { checkStandardSchema, standardSchemaToToolJson } from './standardSchemas.js';
import type { SchemaCheck, SchemaIo } from './standardSchemas.js';

/** Any zod 4 schema, classic (`zod`) or mini (`zod/mini`). */
export type AnyZodSchema = z.core.$ZodType;

/** An object of zod schemas, wrapped in an object schema: `{ city: z.string() }`. */
export type ZodRawShape = { [key: string]: z.core.$ZodType };

/** A plain JSON Schema for an object (`type: "object"`); every other keyword is kept as given. */
export type JsonSchemaObject = { type: 'object'; [keyword: string]: unknown };

/** What `inputSchema` / `outputSchema` of `registerTool` accept. */
export type ToolSchemaInput = AnyZodSchema | ZodRawShape | StandardSchemaWithJSON | JsonSchemaObject;

/**
 * The arguments a handler receives for a given input schema: the parsed output of a zod or other Standard Schema,
 * the value as-is for a plain JSON Schema.
 */
export type InferSchemaOutput<S> = S extends z.core.$ZodType
    ? z.output<S>
    : S extends StandardSchemaWithJSON
      ? StandardSchemaWithJSON.InferOutput<S>
      : S extends ZodRawShape
        ? z.output<z.ZodMiniObject<S>>
        : Record<string, unknown>;

export type { SchemaCheck };

/** A schema ready for use: its JSON form for listing, and a checker. */
export interface CompiledToolSchema {
    /** The JSON Schema shown in `tools/list`. */
    readonly json: ToolJsonSchema;
    /** Checks (and for zod, parses) a value. Asynchronous only for zod schemas with async refinements. */
    check(value: unknown): SchemaCheck | Promise<SchemaCheck>;
}

/** True for any zod 4 schema (classic or mini; both carry `_zod`). */
export function isZodSchema(value: unknown): value is z.core.$ZodType {
    return typeof value === 'object' && value !== null && '_zod' in value;
}

/** True for a plain object whose values are all zod schemas (including `{}`). */
export function isZodRawShape(value: unknown): value is ZodRawShape {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || isZodSchema(value)) return false;
    for (const key in value) if (!isZodSchema((value as Record<string, unknown>)[key])) return false;
    return true;
}

const shapeObjects = new WeakMap<ZodRawShape, z.core.$ZodType>();

/** The object schema for a raw shape (one per shape object). */
export function objectFromShape(shape: ZodRawShape): z.core.$ZodType {
    let schema = shapeObjects.get(shape);
    if (!schema) {
        schema = z.object(shape);
        shapeObjects.set(shape, schema);
    }
    return schema;
}

type Io = SchemaIo;

const jsonCache: Record<Io, WeakMap<z.core.$ZodType, ToolJsonSchema>> = {
    input: new WeakMap(),
    output: new WeakMap()
};

/** Zod schema kinds that can never describe an object (rejected at registration without exporting). */
const NON_OBJECT_KINDS = new Set([
    'string',
    'number',
    'int',
    'boolean',
    'bigint',
    'symbol',
    'null',
    'undefined',
    'void',
    'never',
    'nan',
    'date',
    'array',
    'tuple',
    'literal',
    'enum',
    'template_literal',
    'file',
    'set',
    'map',
    'promise',
    'function'
]);

/** Exports a zod schema to the JSON Schema of a tool (once per schema object and direction). */
function zodToToolJson(schema: z.core.$ZodType, io: Io): ToolJsonSchema {
    const cached = jsonCache[io].get(schema);
    if (cached) return cached;
    let json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<
        string,
        unknown
    >;
    // e.g. a union of object schemas: still an object at the top level (an input is always an object; an output
    // may be any JSON value in 2026-07-28).
    if (json.type === undefined && io === 'input') json = { ...json, type: 'object' };
    const result = json as ToolJsonSchema;
    jsonCache[io].set(schema, result);
    return result;
}

/**
 * A zod schema. Its JSON Schema is exported on first use (the first `tools/list`), not at registration, so
 * servers built per request that only serve `tools/call` never pay for it; it is then kept.
 */
class ZodToolSchema implements CompiledToolSchema {
    private readonly _schema: z.core.$ZodType;
    private readonly _io: Io;
    private _json: ToolJsonSchema | undefined;

    constructor(schema: z.core.$ZodType, io: Io, label: string) {
        const kind = schema._zod.def.type;
        if (io === 'input' && NON_OBJECT_KINDS.has(kind)) {
            throw new RegistrationError('INVALID_SCHEMA', `${label} must describe an object, not ${kind}`);
        }
        this._schema = schema;
        this._io = io;
    }

    get json(): ToolJsonSchema {
        return (this._json ??= zodToToolJson(this._schema, this._io));
    }

    check(value: unknown): SchemaCheck | Promise<SchemaCheck> {
        let parsed: z.core.util.SafeParseResult<unknown>;
        try {
            parsed = z.safeParse(this._schema, value);
        } catch (error) {
            if (error instanceof z.core.$ZodAsyncError) return z.safeParseAsync(this._schema, value).then(toCheck);
            throw error;
        }
        return toCheck(parsed);
    }
}

function toCheck(parsed: z.core.util.SafeParseResult<unknown>): SchemaCheck {
    return parsed.success ? parsed : { success: false, message: formatValidationError(parsed.error) };
}

/** Any other Standard Schema with JSON Schema: converted at registration, checked with `~standard.validate`. */
class StandardToolSchema implements CompiledToolSchema {
    readonly json: ToolJsonSchema;
    private readonly _schema: StandardSchemaWithJSON;

    constructor(schema: StandardSchemaWithJSON, io: Io, label: string) {
        this.json = standardSchemaToToolJson(schema, io, label);
        this._schema = schema;
    }

    check(value: unknown): SchemaCheck | Promise<SchemaCheck> {
        return checkStandardSchema(this._schema, value);
    }
}

class JsonToolSchema implements CompiledToolSchema {
    readonly json: ToolJsonSchema;
    private readonly _validator: jsonSchemaValidator;
    private _validate: JsonSchemaValidator | undefined;

    constructor(schema: JsonSchemaObject, validator: jsonSchemaValidator) {
        this.json = schema as ToolJsonSchema;
        this._validator = validator;
    }

    check(value: unknown): SchemaCheck {
        const validate = (this._validate ??= this._validator.getValidator(this.json));
        const outcome = validate(value);
        return outcome.valid
            ? { success: true, data: outcome.data }
            : { success: false, message: outcome.errorMessage };
    }
}

/**
 * Normalises a tool schema given in any accepted form.
 *
 * @param label names the schema in error messages, e.g. `Input schema of tool "add"`.
 * @throws {@link RegistrationError} `INVALID_SCHEMA` when it is not an object schema, or a Standard Schema
 * without `~standard.jsonSchema`.
 */
export function compileToolSchema(
    schema: ToolSchemaInput,
    io: Io,
    validator: jsonSchemaValidator,
    label: string
): CompiledToolSchema {
    // Servers built per session or per request register the same schema objects again and again: a zod schema or
    // raw shape compiles once per direction (its JSON Schema with it), whatever the tool's name.
    const known = zodCompiled[io].get(schema as object);
    if (known !== undefined) return known;
    if (isZodSchema(schema)) return rememberZod(schema, new ZodToolSchema(schema, io, label), io);
    if (isStandardSchemaWithJSON(schema)) return new StandardToolSchema(schema, io, label);
    if (isStandardSchema(schema)) {
        throw new RegistrationError(
            'INVALID_SCHEMA',
            `${label} is a Standard Schema without ~standard.jsonSchema (from "${schema['~standard'].vendor}"); ` +
                'use a library version that implements Standard JSON Schema, or wrap a JSON Schema with fromJsonSchema()'
        );
    }
    if (isJsonSchemaObject(schema)) return new JsonToolSchema(schema, validator);
    if (isZodRawShape(schema)) return rememberZod(schema, new ZodToolSchema(objectFromShape(schema), io, label), io);
    // An output may be described by any JSON Schema (2026-07-28, SEP-2106): an array, a string, a union…
    if (io === 'output' && typeof schema === 'object' && schema !== null && !Array.isArray(schema)) {
        return new JsonToolSchema(schema as JsonSchemaObject, validator);
    }
    throw new RegistrationError(
        'INVALID_SCHEMA',
        `${label} must be a zod schema, an object of zod schemas, a Standard Schema with JSON Schema, or a JSON ` +
            'Schema with type "object"'
    );
}

/** Compiled zod schemas and raw shapes, by the object registered and the direction (see {@link compileToolSchema}). */
const zodCompiled: Record<Io, WeakMap<object, ZodToolSchema>> = { input: new WeakMap(), output: new WeakMap() };

function rememberZod(schema: object, compiled: ZodToolSchema, io: Io): ZodToolSchema {
    zodCompiled[io].set(schema, compiled);
    return compiled;
}

function isJsonSchemaObject(value: unknown): value is JsonSchemaObject {
    return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'object';
}

/** The JSON Schema of a tool that takes no arguments. */
export const EMPTY_OBJECT_SCHEMA: ToolJsonSchema = Object.freeze({ type: 'object', properties: {} }) as ToolJsonSchema;
