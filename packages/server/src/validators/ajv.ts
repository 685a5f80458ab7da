/**
 * `@modelcontextprotocol/server/validators/ajv`: the ajv-backed {@link AjvJsonSchemaValidator} (the server's
 * default validator), and ajv's draft-07 `Ajv` class and `addFormats` for building a customised instance.
 *
 * @example
 * ```ts
 * import { Ajv, AjvJsonSchemaValidator, addFormats } from '@modelcontextprotocol/server/validators/ajv';
 *
 * const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
 * addFormats(ajv);
 * const server = new McpServer(info, { jsonSchemaValidator: new AjvJsonSchemaValidator(ajv) });
 * ```
 * @module
 */
export { Ajv, AjvJsonSchemaValidator, addFormats } from '@modelcontextprotocol/core/validators/ajv';
