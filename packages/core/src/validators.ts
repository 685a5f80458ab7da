/**
 * `@modelcontextprotocol/core/validators`: the validation contracts the client and server packages build on —
 * the pluggable JSON Schema validator ({@link jsonSchemaValidator}) with the engine-independent halves of the
 * built-in ajv and `@cfworker/json-schema` validators, and the Standard Schema interfaces ({@link
 * StandardSchemaV1}, {@link StandardSchemaWithJSON}, …) with {@link validateStandardSchema}. Web-standard; imports
 * no validation engine.
 *
 * @module
 */
export {
    UnsupportedJsonSchemaDialectError,
    jsonSchemaDialect,
    standardSchemaFromJsonSchema
} from './shared/jsonSchemaValidator.js';
export type {
    JsonSchemaDialect,
    JsonSchemaType,
    JsonSchemaValidator,
    JsonSchemaValidatorFn,
    JsonSchemaValidatorResult,
    UnsupportedJsonSchemaDialectErrorCode,
    jsonSchemaValidator
} from './shared/jsonSchemaValidator.js';
export { AjvEngineValidator, CfWorkerEngineValidator } from './shared/jsonSchemaEngines.js';
export type {
    AjvEngineFactory,
    AjvLike,
    AjvValidateFunctionLike,
    CfWorkerEngineFactory,
    CfWorkerOutputUnit,
    CfWorkerSchemaDraft,
    CfWorkerValidatorLike,
    CfWorkerValidatorOptions
} from './shared/jsonSchemaEngines.js';
export {
    formatStandardSchemaIssues,
    isStandardSchema,
    isStandardSchemaWithJSON,
    validateStandardSchema
} from './shared/standardSchema.js';
export type {
    StandardJSONSchemaV1,
    StandardSchemaV1,
    StandardSchemaV1Sync,
    StandardSchemaValidation,
    StandardSchemaWithJSON,
    StandardTypedV1
} from './shared/standardSchema.js';
