/**
 * Engine-independent halves of the two built-in {@link jsonSchemaValidator}s: the `$schema` dispatch, caching and
 * result shaping, with the engine itself passed in. The `validators/ajv` and `validators/cf-worker` entries of the
 * client and server packages plug ajv and `@cfworker/json-schema` into these, so this package never imports an
 * engine and both packages share one implementation.
 *
 * @module
 */
import { jsonSchemaDialect } from './jsonSchemaValidator.js';
import type {
    JsonSchemaDialect,
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorResult,
    jsonSchemaValidator
} from './jsonSchemaValidator.js';

/** The part of an ajv instance the ajv validator uses (any ajv 8 class fits: `Ajv`, `Ajv2019`, `Ajv2020`). */
export interface AjvLike {
    /** Compiles a schema into a validation function. */
    compile(schema: unknown): AjvValidateFunctionLike;
    /** Formats the errors of the last failed validation. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ajv's own parameter type
    errorsText(errors?: any): string;
    /** Looks a schema up by `$id`. */
    getSchema?(keyRef: string): AjvValidateFunctionLike | undefined;
    /** Forgets a schema (by object or `$id`); used so ajv's registry does not grow and `$id`s can come again. */
    removeSchema?(schemaKeyRef?: unknown): unknown;
}

/** A function compiled by ajv. */
export interface AjvValidateFunctionLike {
    /** True when `input` is valid; the errors are then in `errors`. */
    (input: unknown): boolean;
    /** The errors of the last call. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ajv's own error objects
    errors?: any;
}

/** Creates the default ajv instance for a dialect. */
export type AjvEngineFactory = (dialect: JsonSchemaDialect) => AjvLike;

function success<T>(data: unknown): JsonSchemaValidatorResult<T> {
    return { valid: true, data: data as T, errorMessage: undefined };
}

function failure<T>(errorMessage: string): JsonSchemaValidatorResult<T> {
    return { valid: false, data: undefined, errorMessage };
}

/**
 * Validates with ajv. With an instance passed in, that instance compiles every schema whatever its `$schema`;
 * otherwise one default instance per dialect is created on first need (no `$schema` or 2020-12, 2019-09,
 * draft-07/06; any other `$schema` throws {@link UnsupportedJsonSchemaDialectError}).
 *
 * Compiled functions are cached per schema object (weakly), and ajv's own registry is emptied after each
 * compile, so long-lived validators do not grow and a schema `$id` may be compiled again (a re-listed tool).
 */
export class AjvEngineValidator implements jsonSchemaValidator {
    private readonly _ajv: AjvLike | undefined;
    private readonly _createEngine: AjvEngineFactory;
    private readonly _engines = new Map<JsonSchemaDialect, AjvLike>();
    private readonly _compiled = new WeakMap<JsonSchemaType, JsonSchemaValidator<unknown>>();

    /**
     * @param createEngine creates the default instance of a dialect.
     * @param ajv an instance to use for every schema instead.
     */
    constructor(createEngine: AjvEngineFactory, ajv?: AjvLike) {
        this._createEngine = createEngine;
        this._ajv = ajv;
    }

    /** @inheritDoc */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidator<T> {
        const cached = this._compiled.get(schema);
        if (cached) return cached as JsonSchemaValidator<T>;
        const ajv = this._ajv ?? this._engine(jsonSchemaDialect(schema));
        const validate = compileOnce(ajv, schema);
        const check: JsonSchemaValidator<unknown> = input =>
            validate(input) ? success(input) : failure(ajv.errorsText(validate.errors));
        this._compiled.set(schema, check);
        return check as JsonSchemaValidator<T>;
    }

    private _engine(dialect: JsonSchemaDialect): AjvLike {
        let engine = this._engines.get(dialect);
        if (!engine) {
            engine = this._createEngine(dialect);
            this._engines.set(dialect, engine);
        }
        return engine;
    }
}

/**
 * Compiles `schema`, leaving ajv's registry as it was. An engine without `removeSchema` keeps what it compiled,
 * so a schema whose `$id` it already knows is looked up instead of compiled again (which ajv refuses).
 */
function compileOnce(ajv: AjvLike, schema: JsonSchemaType): AjvValidateFunctionLike {
    const id = typeof schema.$id === 'string' ? schema.$id : undefined;
    if (!ajv.removeSchema) return (id !== undefined ? ajv.getSchema?.(id) : undefined) ?? ajv.compile(schema);
    if (id !== undefined) ajv.removeSchema(id);
    const validate = ajv.compile(schema);
    ajv.removeSchema(schema);
    return validate;
}

/** The JSON Schema drafts `@cfworker/json-schema` implements. */
export type CfWorkerSchemaDraft = '4' | '7' | '2019-09' | '2020-12';

/** One error reported by `@cfworker/json-schema`. */
export interface CfWorkerOutputUnit {
    /** The failing keyword. */
    readonly keyword: string;
    /** JSON pointer (as a `#` fragment) of the failing value. */
    readonly instanceLocation: string;
    /** What is wrong. */
    readonly error: string;
}

/** The part of a `@cfworker/json-schema` `Validator` the cf-worker validator uses. */
export interface CfWorkerValidatorLike {
    /** Validates one value. */
    validate(instance: unknown): { readonly valid: boolean; readonly errors: ReadonlyArray<CfWorkerOutputUnit> };
}

/** Creates a `@cfworker/json-schema` `Validator` for one schema. */
export type CfWorkerEngineFactory = (
    schema: JsonSchemaType,
    draft: CfWorkerSchemaDraft,
    shortcircuit: boolean
) => CfWorkerValidatorLike;

/** Options of the cf-worker validator. */
export interface CfWorkerValidatorOptions {
    /** Stop at the first error (default `true`). */
    shortcircuit?: boolean | undefined;
    /** Use this draft for every schema instead of reading `$schema`. */
    draft?: CfWorkerSchemaDraft | undefined;
}

const CF_WORKER_DRAFTS: Record<JsonSchemaDialect, CfWorkerSchemaDraft> = {
    '2020-12': '2020-12',
    '2019-09': '2019-09',
    'draft-07': '7'
};

/** At most this many errors are named in a message. */
const MAX_REPORTED_ERRORS = 5;

/**
 * Validates with `@cfworker/json-schema` (no code generation, so it runs where `eval` is not allowed, e.g.
 * Cloudflare Workers). The draft comes from `$schema` (no `$schema` or 2020-12, 2019-09, draft-07/06; any other
 * throws {@link UnsupportedJsonSchemaDialectError}) unless forced with `options.draft`.
 */
export class CfWorkerEngineValidator implements jsonSchemaValidator {
    private readonly _createEngine: CfWorkerEngineFactory;
    private readonly _shortcircuit: boolean;
    private readonly _draft: CfWorkerSchemaDraft | undefined;

    /**
     * @param createEngine creates the engine's validator for a schema.
     * @param options `shortcircuit` (default `true`) and a `draft` to force.
     */
    constructor(createEngine: CfWorkerEngineFactory, options?: CfWorkerValidatorOptions) {
        this._createEngine = createEngine;
        this._shortcircuit = options?.shortcircuit ?? true;
        this._draft = options?.draft;
    }

    /** @inheritDoc */
    getValidator<T = unknown>(schema: JsonSchemaType): JsonSchemaValidator<T> {
        const draft = this._draft ?? CF_WORKER_DRAFTS[jsonSchemaDialect(schema)];
        // The engine annotates the schema objects it is given (and cannot when they are frozen): give it a copy.
        const engine = this._createEngine(copyJson(schema), draft, this._shortcircuit);
        return input => {
            const outcome = engine.validate(input);
            return outcome.valid ? success<T>(input) : failure<T>(describeCfWorkerErrors(outcome.errors));
        };
    }
}

function copyJson(schema: JsonSchemaType): JsonSchemaType {
    return JSON.parse(JSON.stringify(schema)) as JsonSchemaType;
}

/** Keywords whose errors only say that a subschema failed; that subschema's own errors say why. */
const APPLICATOR_KEYWORDS = new Set([
    '$ref',
    '$dynamicRef',
    '$recursiveRef',
    'properties',
    'patternProperties',
    'additionalProperties',
    'unevaluatedProperties',
    'items',
    'prefixItems',
    'additionalItems',
    'unevaluatedItems',
    'contains',
    'dependentSchemas',
    'dependencies',
    'propertyNames',
    'allOf',
    'if',
    'then',
    'else'
]);

/** `data/a: problem, …`, naming the failing keywords rather than the subschemas that contain them. */
function describeCfWorkerErrors(errors: ReadonlyArray<CfWorkerOutputUnit>): string {
    const leaves = errors.filter(unit => !APPLICATOR_KEYWORDS.has(unit.keyword));
    const reported = leaves.length > 0 ? leaves : errors;
    if (reported.length === 0) return 'value does not match the schema';
    const shown = reported
        .slice(0, MAX_REPORTED_ERRORS)
        .map(unit => `${pointerOf(unit.instanceLocation)}: ${unit.error}`);
    if (reported.length > MAX_REPORTED_ERRORS) shown.push(`and ${reported.length - MAX_REPORTED_ERRORS} more`);
    return shown.join(', ');
}

function pointerOf(instanceLocation: string): string {
    const pointer = instanceLocation.startsWith('#') ? instanceLocation.slice(1) : instanceLocation;
    return `data${pointer}`;
}
