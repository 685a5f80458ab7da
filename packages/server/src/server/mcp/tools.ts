/**
 * The tool registry behind `McpServer.registerTool` (MCP 2025-11-25, Server › Tools): `tools/list` from a
 * cached array rebuilt only when the tool set changes, and `tools/call` with argument validation, result
 * checks against the output schema, and errors reported the way the spec asks — unknown or disabled tools
 * as JSON-RPC `-32602`, invalid arguments and handler failures as tool results with `isError: true`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 * @module
 */
import {
    ErrorCode,
    McpError,
    ProtocolError,
    ProtocolErrorCode,
    readMcpParamHeaders,
    UrlElicitationRequiredError
} from '@modelcontextprotocol/core';
import type {
    CallToolRequestParams,
    McpParamHeader,
    CallToolResult,
    Icon,
    InputRequiredResult,
    JSONRPCRequest,
    ListToolsResult,
    Result,
    Tool,
    ToolAnnotations,
    ToolExecution
} from '@modelcontextprotocol/core';
import { enforceScopeChallenge } from '../auth/scopeChallenge.js';
import type { ScopeChallengeHandler } from '../auth/scopeChallenge.js';
import type { Server } from '../index.js';
import type { RegistryHost } from './host.js';
import { HandlerInstaller, Registry, RegistryEntry } from './registry.js';
import { compileToolSchema, EMPTY_OBJECT_SCHEMA } from './toolSchemas.js';
import type { CompiledToolSchema, InferSchemaOutput, ToolSchemaInput } from './toolSchemas.js';
import type { ServerContext } from '@modelcontextprotocol/core';

/** The result a tool handler returns. */
export type ToolResult = CallToolResult | InputRequiredResult | Promise<CallToolResult | InputRequiredResult>;

/**
 * A handler returning `SendResultT` with context `Ctx`: `(args, ctx)` when `Args` is an input schema (args parsed
 * by it), else `(ctx)` (official v2 shape).
 */
export type BaseToolCallback<
    SendResultT extends Result,
    Ctx extends ServerContext,
    Args extends ToolSchemaInput | undefined
> = Args extends ToolSchemaInput
    ? (args: InferSchemaOutput<Args>, ctx: Ctx) => SendResultT | Promise<SendResultT>
    : (ctx: Ctx) => SendResultT | Promise<SendResultT>;

/**
 * A tool handler: `(args, extra)` when the tool has an input schema (args parsed by it), else `(extra)`. It returns
 * the tool's result, or (2026-07-28) an `input_required` result built with `inputRequired(...)`.
 */
export type ToolCallback<I extends ToolSchemaInput | undefined = undefined> = BaseToolCallback<
    CallToolResult | InputRequiredResult,
    ServerContext,
    I
>;

/** Any tool handler (official v2 name of {@link ToolCallback}). */
export type AnyToolHandler<I extends ToolSchemaInput | undefined = undefined> = ToolCallback<I>;

/** What describes a tool besides its name (the `Tool` fields of the spec, with schemas in any accepted form). */
export interface ToolConfig<
    I extends ToolSchemaInput | undefined = undefined,
    O extends ToolSchemaInput | undefined = undefined
> {
    title?: string;
    description?: string;
    /**
     * Arguments: a zod object schema, a zod raw shape, any Standard Schema with JSON Schema (valibot through
     * `toStandardJsonSchema`, arktype, `fromJsonSchema`, …), or a JSON Schema with `type: "object"`.
     */
    inputSchema?: I;
    /** Structured result: same forms; when set, results must carry matching `structuredContent`. */
    outputSchema?: O;
    annotations?: ToolAnnotations;
    execution?: ToolExecution;
    icons?: Icon[];
    _meta?: Record<string, unknown>;
    /**
     * Decides, before a call is dispatched, whether it needs OAuth scopes the caller's token lacks (e.g.
     * `requireScopes('files:write')`); the Streamable HTTP transport answers a challenge with `403 insufficient_scope`.
     */
    scopeChallenge?: ScopeChallengeHandler;
}

/** Changes accepted by {@link RegisteredTool.update}; `name: null` removes the tool. */
export interface ToolUpdate {
    name?: string | null;
    title?: string;
    description?: string;
    inputSchema?: ToolSchemaInput;
    /** Alias of `inputSchema`. */
    paramsSchema?: ToolSchemaInput;
    outputSchema?: ToolSchemaInput;
    annotations?: ToolAnnotations;
    execution?: ToolExecution;
    icons?: Icon[];
    _meta?: Record<string, unknown>;
    /** A new handler (same calling convention as before, per the input schema). */
    callback?: StoredToolHandler;
    enabled?: boolean;
}

/** A handle on a registered tool. */
export interface RegisteredTool {
    readonly name: string;
    readonly title: string | undefined;
    readonly description: string | undefined;
    readonly enabled: boolean;
    /** Lists and allows calling the tool again. */
    enable(): void;
    /** Hides the tool from `tools/list`; calls fail with `-32602`. */
    disable(): void;
    /** Changes the tool; clients are told the list changed. */
    update(updates: ToolUpdate): void;
    /** Unregisters the tool. */
    remove(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StoredToolHandler = (...args: any[]) => ToolResult;

class ToolEntry extends RegistryEntry<ToolUpdate> implements RegisteredTool {
    name: string;
    config: ToolConfig<ToolSchemaInput | undefined, ToolSchemaInput | undefined>;
    input: CompiledToolSchema | undefined;
    output: CompiledToolSchema | undefined;
    handler: StoredToolHandler;
    private readonly _registry: ToolRegistry;

    constructor(
        registry: ToolRegistry,
        name: string,
        config: ToolConfig<ToolSchemaInput | undefined, ToolSchemaInput | undefined>,
        handler: StoredToolHandler
    ) {
        super();
        this._registry = registry;
        this.name = name;
        // A copy, not the caller's object (often a literal in a per-request factory; see `Server`'s serverInfo).
        this.config = { ...config };
        this.handler = handler;
        this.input = registry.compile(config.inputSchema, 'input', name);
        this.output = registry.compile(config.outputSchema, 'output', name);
    }

    get title(): string | undefined {
        return this.config.title;
    }

    get description(): string | undefined {
        return this.config.description;
    }

    remove(): void {
        this.update({ name: null });
    }

    update(updates: ToolUpdate): void {
        this._registry.applyUpdate(this, updates);
    }

    /** The `Tool` shown in `tools/list`. */
    definition(): Tool {
        const { title, description, annotations, execution, icons, _meta } = this.config;
        const tool: Tool = { name: this.name, inputSchema: this.input?.json ?? EMPTY_OBJECT_SCHEMA };
        if (title !== undefined) tool.title = title;
        if (description !== undefined) tool.description = description;
        if (this.output) tool.outputSchema = this.output.json;
        if (annotations !== undefined) tool.annotations = annotations;
        if (execution !== undefined) tool.execution = execution;
        if (icons !== undefined) tool.icons = icons;
        if (_meta !== undefined) tool._meta = _meta;
        return tool;
    }
}

const TOOL_METHODS: readonly string[] = ['tools/list', 'tools/call'];

function wrapTools(tools: Tool[]): ListToolsResult {
    return { tools };
}

/** Registered tools of one `McpServer`, and its `tools/list` / `tools/call` handlers. */
export class ToolRegistry extends HandlerInstaller {
    private readonly _host: RegistryHost;
    private readonly _registry: Registry<ToolEntry, Tool, ListToolsResult>;

    /** @param _maxInputElements - Largest number of array elements plus object members one call's arguments may hold. */
    constructor(
        host: RegistryHost,
        private readonly _maxInputElements = Infinity
    ) {
        super();
        this._host = host;
        this._registry = new Registry('Tool', host, this, wrapTools);
    }

    protected handlerMethods(): readonly string[] {
        return TOOL_METHODS;
    }

    protected installHandlers(server: Server): void {
        server.registerCapabilities({ tools: { listChanged: true } });
        server.setRequestHandler('tools/list', () => this._registry.list());
        server.setRequestHandler('tools/call', (request, extra) =>
            this._call(request.params, extra as ServerContext, request as unknown as JSONRPCRequest)
        );
    }

    /** Registers a tool. @throws {@link RegistrationError} for a duplicate name or an unusable schema. */
    register(
        name: string,
        config: ToolConfig<ToolSchemaInput | undefined, ToolSchemaInput | undefined>,
        handler: StoredToolHandler
    ): RegisteredTool {
        return this._registry.add(name, () => new ToolEntry(this, name, config, handler));
    }

    /** The scope challenge handler of tool `name` (enabled or not: a disabled tool's scopes are no secret). */
    scopeChallengeFor(name: unknown): ScopeChallengeHandler | undefined {
        if (typeof name !== 'string') return undefined;
        return this._registry.entries.get(name)?.config.scopeChallenge;
    }

    /**
     * The `x-mcp-header` annotations of tool `name` (2026-07-28 Streamable HTTP › Custom Headers), which the
     * transport holds the `Mcp-Param-*` headers of a `tools/call` to; `undefined` for an unknown tool.
     */
    paramHeadersFor(name: unknown): readonly McpParamHeader[] | undefined {
        if (typeof name !== 'string') return undefined;
        const tool = this._registry.entries.get(name);
        if (tool === undefined) return undefined;
        const annotated = readMcpParamHeaders(tool.input?.json);
        return annotated.valid ? annotated.headers : [];
    }

    /** @internal Compiles one of a tool's schemas with the server's validator. */
    compile(schema: ToolSchemaInput | undefined, io: 'input' | 'output', name: string): CompiledToolSchema | undefined {
        if (schema === undefined) return undefined;
        const label = `${io === 'input' ? 'Input' : 'Output'} schema of tool ${name}`;
        return compileToolSchema(schema, io, this._host.server.jsonSchemaValidator, label);
    }

    /** @internal Applies {@link RegisteredTool.update}. */
    applyUpdate(entry: ToolEntry, updates: ToolUpdate): void {
        this._registry.update(entry, entry.name, updates.name, () => {
            const inputSchema = updates.inputSchema ?? updates.paramsSchema;
            // Compile first so a bad schema leaves the tool unchanged.
            const input = inputSchema === undefined ? entry.input : this.compile(inputSchema, 'input', entry.name);
            const output =
                updates.outputSchema === undefined
                    ? entry.output
                    : this.compile(updates.outputSchema, 'output', entry.name);
            const config = { ...entry.config };
            if (updates.title !== undefined) config.title = updates.title;
            if (updates.description !== undefined) config.description = updates.description;
            if (inputSchema !== undefined) config.inputSchema = inputSchema;
            if (updates.outputSchema !== undefined) config.outputSchema = updates.outputSchema;
            if (updates.annotations !== undefined) config.annotations = updates.annotations;
            if (updates.execution !== undefined) config.execution = updates.execution;
            if (updates.icons !== undefined) config.icons = updates.icons;
            if (updates._meta !== undefined) config._meta = updates._meta;
            entry.config = config;
            entry.input = input;
            entry.output = output;
            if (updates.callback !== undefined) entry.handler = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
            if (typeof updates.name === 'string') entry.name = updates.name;
        });
    }

    private async _call(
        params: CallToolRequestParams,
        extra: ServerContext,
        request: JSONRPCRequest
    ): Promise<CallToolResult | InputRequiredResult> {
        const name = params.name;
        const tool = this._registry.entries.get(name);
        if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} not found`);
        const challenged = enforceScopeChallenge(tool.config.scopeChallenge, request, extra.authInfo);
        if (challenged !== undefined) await challenged;
        if (!tool.enabled) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} disabled`);
        if (exceedsElements(params.arguments, this._maxInputElements)) {
            throw new McpError(
                ErrorCode.InvalidParams,
                `Arguments of tool ${name} hold more than ${this._maxInputElements} elements`
            );
        }

        let result: CallToolResult | InputRequiredResult;
        try {
            if (tool.input) {
                let checked = tool.input.check(params.arguments ?? {});
                if (checked instanceof Promise) checked = await checked;
                if (!checked.success) {
                    return errorResult(
                        `Input validation error: Invalid arguments for tool ${name}: ${checked.message}`
                    );
                }
                result = await tool.handler(checked.data, extra);
            } else {
                result = await tool.handler(extra);
            }
        } catch (error) {
            // URL elicitation must reach the client as the protocol error it is (Client › Elicitation).
            if (error instanceof UrlElicitationRequiredError) throw error;
            if (error instanceof ProtocolError && PROTOCOL_LEVEL_CODES.has(error.code)) throw error;
            return errorResult(error instanceof Error ? error.message : String(error));
        }
        if (typeof result !== 'object' || result === null) {
            throw new McpError(ErrorCode.InternalError, `Tool ${name} returned no result`);
        }
        if (result.resultType === 'input_required') return result as InputRequiredResult;
        const complete = result as CallToolResult;
        if (tool.output && !complete.isError) await checkStructuredContent(name, tool.output, complete);
        return complete;
    }
}

async function checkStructuredContent(name: string, output: CompiledToolSchema, result: CallToolResult): Promise<void> {
    if (result.structuredContent === undefined) {
        throw new McpError(
            ErrorCode.InvalidParams,
            `Output validation error: Tool ${name} has an output schema but no structured content was provided`
        );
    }
    let checked = output.check(result.structuredContent);
    if (checked instanceof Promise) checked = await checked;
    if (!checked.success) {
        throw new McpError(
            ErrorCode.InvalidParams,
            `Output validation error: Invalid structured content for tool ${name}: ${checked.message}`
        );
    }
}

/**
 * Errors a tool handler throws that reach the client as JSON-RPC errors rather than `isError` results: URL
 * elicitation required (Client › Elicitation), and a missing client capability (2026-07-28).
 */
const PROTOCOL_LEVEL_CODES: ReadonlySet<number> = new Set([
    ErrorCode.UrlElicitationRequired,
    ProtocolErrorCode.MissingRequiredClientCapability
]);

function errorResult(message: string): CallToolResult {
    return { content: [{ type: 'text', text: message }], isError: true };
}

/** True when `value` holds more than `limit` array elements and object members in all (counted without recursion). */
function exceedsElements(value: unknown, limit: number): boolean {
    if (limit === Infinity) return false;
    let count = 0;
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const next = pending.pop();
        if (typeof next !== 'object' || next === null) continue;
        const children = Array.isArray(next) ? next : Object.values(next);
        count += children.length;
        if (count > limit) return true;
        for (const child of children) if (typeof child === 'object' && child !== null) pending.push(child);
    }
    return false;
}
