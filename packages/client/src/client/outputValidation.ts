/**
 * Checking `tools/call` results against the tool's `outputSchema` (MCP 2025-11-25, Tools, "Output Schema":
 * clients SHOULD validate structured results against it).
 *
 * Output schemas are remembered from `tools/list` and compiled on the first call of each tool, once; a fresh
 * listing (no cursor) forgets them. Tools never seen in a listing are not validated.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema
 * @module
 */
import type { Tool } from '@modelcontextprotocol/core';
import { ToolOutputValidationError } from './clientErrors.js';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/core/validators';

/** Per-connection cache of tool output schemas and their compiled validators. */
export class ToolOutputValidators {
    private readonly _schemas = new Map<string, JsonSchemaType>();
    private readonly _compiled = new Map<string, JsonSchemaValidator>();
    /** Validators of schemas handed in with a call (`toolDefinition`), by schema object. */
    private readonly _bySchema = new WeakMap<object, JsonSchemaValidator>();

    constructor(private readonly _loadValidator: () => Promise<jsonSchemaValidator>) {}

    /** Records the output schemas of one `tools/list` page; a first page (`fresh`) replaces everything known. */
    remember(tools: readonly Tool[], fresh: boolean): void {
        if (fresh) this.clear();
        for (const tool of tools) {
            if (tool.outputSchema) this._schemas.set(tool.name, tool.outputSchema);
            else this._schemas.delete(tool.name);
            this._compiled.delete(tool.name);
        }
    }

    /** Forgets every schema and validator. */
    clear(): void {
        this._schemas.clear();
        this._compiled.clear();
    }

    /**
     * Checks one result of tool `name`.
     *
     * @throws {@link ToolOutputValidationError} when a tool with an output schema returned no structured content
     * (and `isError` is not true), the content does not validate, or the schema does not compile.
     */
    async check(
        name: string,
        result: { structuredContent?: unknown; isError?: unknown },
        definition?: Tool
    ): Promise<void> {
        const schema = definition === undefined ? this._schemas.get(name) : definition.outputSchema;
        if (schema === undefined || result.isError === true) return;
        if (result.structuredContent === undefined) {
            throw new ToolOutputValidationError(
                name,
                `Tool ${name} has an output schema but did not return structured content`
            );
        }
        let validate = definition === undefined ? this._compiled.get(name) : this._bySchema.get(schema);
        if (!validate) {
            const validator = await this._loadValidator();
            try {
                validate = validator.getValidator(schema);
            } catch (error) {
                throw new ToolOutputValidationError(
                    name,
                    `Tool ${name} has an output schema that does not compile: ${(error as Error).message}`
                );
            }
            // A listing that arrived while the validator loaded may have replaced the schema; compile what we had.
            if (definition !== undefined) this._bySchema.set(schema, validate);
            else if (this._schemas.get(name) === schema) this._compiled.set(name, validate);
        }
        const outcome = validate(result.structuredContent);
        if (!outcome.valid) {
            throw new ToolOutputValidationError(
                name,
                `Structured content of tool ${name} does not match its output schema: ${outcome.errorMessage}`
            );
        }
    }
}
