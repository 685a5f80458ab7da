/**
 * The Standard Schema contracts (version 1): the `~standard` property that zod 4, valibot, arktype and other
 * schema libraries put on their schemas, so that code like this SDK can validate values and export JSON
 * Schemas without knowing which library made the schema. These are interface contracts only, written from the
 * published specification; nothing here depends on a schema library.
 *
 * - {@link StandardSchemaV1}: `~standard.validate(value)` → `{ value }` or `{ issues }` (maybe a promise).
 * - {@link StandardJSONSchemaV1}: `~standard.jsonSchema.input(options)` / `.output(options)` → a JSON Schema.
 * - {@link StandardSchemaWithJSON}: both at once — what `McpServer.registerTool` / `registerPrompt` accept.
 *
 * @see https://standardschema.dev
 * @module
 */

/* eslint-disable @typescript-eslint/no-namespace -- the specification's shape: `StandardSchemaV1.InferOutput<S>` etc. */

/** The part every Standard interface shares: the version, the vendor and (type-level only) the types. */
export interface StandardTypedV1<Input = unknown, Output = Input> {
    /** The Standard properties. */
    readonly '~standard': StandardTypedV1.Props<Input, Output>;
}

/** Types of {@link StandardTypedV1}. */
export declare namespace StandardTypedV1 {
    /** The properties every Standard interface has. */
    export interface Props<Input = unknown, Output = Input> {
        /** The version of the specification: always `1`. */
        readonly version: 1;
        /** The library that made the schema, e.g. `"zod"`, `"valibot"`, `"arktype"`. */
        readonly vendor: string;
        /** The input and output types, for type inference only (never present at runtime). */
        readonly types?: Types<Input, Output> | undefined;
    }
    /** The input and output types of a schema. */
    export interface Types<Input = unknown, Output = Input> {
        /** What the schema accepts. */
        readonly input: Input;
        /** What validation produces (after transforms). */
        readonly output: Output;
    }
    /** The input type of a schema. */
    export type InferInput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['input'];
    /** The output type of a schema. */
    export type InferOutput<Schema extends StandardTypedV1> = NonNullable<Schema['~standard']['types']>['output'];
}

/** A schema that validates values: `~standard.validate(value)`, synchronous or asynchronous. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
    /** The Standard properties. */
    readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** Types of {@link StandardSchemaV1}. */
export declare namespace StandardSchemaV1 {
    /** The properties of a validating schema. */
    export interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
        /** Validates `value`: the parsed value, or the issues found. */
        readonly validate: (value: unknown, options?: Options | undefined) => Result<Output> | Promise<Result<Output>>;
    }
    /** Options passed to `validate`. */
    export interface Options {
        /** Options specific to the schema library. */
        readonly libraryOptions?: Record<string, unknown> | undefined;
    }
    /** The outcome of `validate`. */
    export type Result<Output> = SuccessResult<Output> | FailureResult;
    /** Validation passed. */
    export interface SuccessResult<Output> {
        /** The parsed value (transforms and defaults applied). */
        readonly value: Output;
        /** Absent on success. */
        readonly issues?: undefined;
    }
    /** Validation failed. */
    export interface FailureResult {
        /** What is wrong, at least one issue. */
        readonly issues: ReadonlyArray<Issue>;
    }
    /** One problem with the value. */
    export interface Issue {
        /** A human-readable description. */
        readonly message: string;
        /** Where in the value: property keys, or segments carrying a key. */
        readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
    }
    /** A path segment given as an object. */
    export interface PathSegment {
        /** The property key. */
        readonly key: PropertyKey;
    }
    /** The input type of a schema. */
    export type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
    /** The output type of a schema. */
    export type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/** A schema that can describe itself as JSON Schema: `~standard.jsonSchema.input(options)` / `.output(options)`. */
export interface StandardJSONSchemaV1<Input = unknown, Output = Input> {
    /** The Standard properties. */
    readonly '~standard': StandardJSONSchemaV1.Props<Input, Output>;
}

/** Types of {@link StandardJSONSchemaV1}. */
export declare namespace StandardJSONSchemaV1 {
    /** The properties of a schema that converts to JSON Schema. */
    export interface Props<Input = unknown, Output = Input> extends StandardTypedV1.Props<Input, Output> {
        /** The converters. */
        readonly jsonSchema: Converter;
    }
    /** Produces the JSON Schema of what a schema accepts (`input`) or produces (`output`). */
    export interface Converter {
        /** The JSON Schema of the accepted values. */
        readonly input: (options: Options) => Record<string, unknown>;
        /** The JSON Schema of the parsed values. */
        readonly output: (options: Options) => Record<string, unknown>;
    }
    /** The JSON Schema dialect to produce; libraries may support others. */
    export type Target = 'draft-2020-12' | 'draft-07' | 'openapi-3.0' | (object & string);
    /** Options passed to the converters. */
    export interface Options {
        /** The dialect to produce. */
        readonly target: Target;
        /** Options specific to the schema library. */
        readonly libraryOptions?: Record<string, unknown> | undefined;
    }
    /** The input type of a schema. */
    export type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
    /** The output type of a schema. */
    export type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/**
 * A schema that both validates and converts to JSON Schema (zod 4, arktype, valibot through
 * `@valibot/to-json-schema`'s `toStandardJsonSchema`): what `registerTool` and `registerPrompt` accept.
 */
export interface StandardSchemaWithJSON<Input = unknown, Output = Input> {
    /** The Standard properties of both interfaces. */
    readonly '~standard': StandardSchemaV1.Props<Input, Output> & StandardJSONSchemaV1.Props<Input, Output>;
}

/** Types of {@link StandardSchemaWithJSON}. */
export declare namespace StandardSchemaWithJSON {
    /** The input type of a schema. */
    export type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
    /** The output type of a schema. */
    export type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/** A {@link StandardSchemaV1} whose `validate` never returns a promise. */
export interface StandardSchemaV1Sync<Input = unknown, Output = Input> extends StandardSchemaV1<Input, Output> {
    /** The Standard properties, with a synchronous `validate`. */
    readonly '~standard': StandardSchemaV1Sync.Props<Input, Output>;
}

/** Types of {@link StandardSchemaV1Sync}. */
export declare namespace StandardSchemaV1Sync {
    /** The properties of a synchronously validating schema. */
    export interface Props<Input = unknown, Output = Input> extends StandardSchemaV1.Props<Input, Output> {
        /** Validates `value` synchronously. */
        readonly validate: (
            value: unknown,
            options?: StandardSchemaV1.Options | undefined
        ) => StandardSchemaV1.Result<Output>;
    }
    /** The input type of a schema. */
    export type InferInput<Schema extends StandardTypedV1> = StandardTypedV1.InferInput<Schema>;
    /** The output type of a schema. */
    export type InferOutput<Schema extends StandardTypedV1> = StandardTypedV1.InferOutput<Schema>;
}

/* eslint-enable @typescript-eslint/no-namespace */

/** The outcome of {@link validateStandardSchema}: the parsed value, or the issues found. */
export type StandardSchemaValidation<Output = unknown> =
    | { readonly ok: true; readonly value: Output }
    | { readonly ok: false; readonly issues: ReadonlyArray<StandardSchemaV1.Issue> };

/** True when `value` carries a Standard `~standard.validate` (objects and functions: arktype types are functions). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    const standard = (value as { '~standard'?: { validate?: unknown } })['~standard'];
    return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function';
}

/** True when `value` is a {@link StandardSchemaV1} that also has `~standard.jsonSchema.input` and `.output`. */
export function isStandardSchemaWithJSON(value: unknown): value is StandardSchemaWithJSON {
    if (!isStandardSchema(value)) return false;
    const converter = (value['~standard'] as { jsonSchema?: { input?: unknown; output?: unknown } }).jsonSchema;
    return (
        typeof converter === 'object' &&
        converter !== null &&
        typeof converter.input === 'function' &&
        typeof converter.output === 'function'
    );
}

/**
 * Validates `value` with a Standard Schema, awaiting `validate` when the library answers with a promise.
 * Exceptions thrown by the library itself propagate.
 *
 * @example
 * ```ts
 * const outcome = await validateStandardSchema(schema, params);
 * if (!outcome.ok) throw new ProtocolError(ProtocolErrorCode.InvalidParams, formatStandardSchemaIssues(outcome.issues));
 * use(outcome.value);
 * ```
 */
export async function validateStandardSchema<S extends StandardSchemaV1>(
    schema: S,
    value: unknown,
    options?: StandardSchemaV1.Options
): Promise<StandardSchemaValidation<StandardSchemaV1.InferOutput<S>>> {
    const result = await schema['~standard'].validate(value, options);
    if (result.issues !== undefined) return { ok: false, issues: result.issues };
    return { ok: true, value: result.value as StandardSchemaV1.InferOutput<S> };
}

/** Formats at most the first `maxIssues` issues as `path: message; …` (`(root)` for the value itself). */
export function formatStandardSchemaIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>, maxIssues = 5): string {
    const parts: string[] = [];
    for (const issue of issues.slice(0, maxIssues)) parts.push(`${formatIssuePath(issue.path)}: ${issue.message}`);
    if (issues.length > maxIssues) parts.push(`and ${issues.length - maxIssues} more`);
    return parts.length > 0 ? parts.join('; ') : 'invalid value';
}

function formatIssuePath(path: StandardSchemaV1.Issue['path']): string {
    if (path === undefined || path.length === 0) return '(root)';
    let out = '';
    for (const segment of path) {
        const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
        out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
    }
    return out;
}
