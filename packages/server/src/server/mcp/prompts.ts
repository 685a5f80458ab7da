/**
 * The prompt registry behind `McpServer.registerPrompt` (MCP 2025-11-25, Server › Prompts): `prompts/list`
 * from a cached array (arguments derived from the argument schema — zod fields, or the JSON Schema of any other
 * Standard Schema: name, description, required) and `prompts/get` with argument validation (invalid or unknown →
 * JSON-RPC `-32602`).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/prompts
 * @module
 */
import * as z from 'zod/mini';
import { ErrorCode, formatValidationError, McpError } from '@modelcontextprotocol/core';
import type {
    GetPromptRequestParams,
    GetPromptResult,
    Icon,
    InputRequiredResult,
    JSONRPCRequest,
    ListPromptsResult,
    Prompt,
    PromptArgument
} from '@modelcontextprotocol/core';
import { getCompleter } from './completable.js';
import type { CompleteCallback } from './completable.js';
import { RegistrationError } from './errors.js';
import { HandlerInstaller, Registry, RegistryEntry } from './registry.js';
import { isZodRawShape, isZodSchema, objectFromShape } from './toolSchemas.js';
import { isStandardSchemaWithJSON } from '@modelcontextprotocol/core/validators';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/core/validators';
import { checkStandardSchema, standardSchemaToToolJson } from './standardSchemas.js';
import type { SchemaCheck } from './standardSchemas.js';
import { enforceScopeChallenge } from '../auth/scopeChallenge.js';
import type { ScopeChallengeHandler } from '../auth/scopeChallenge.js';
import type { Server } from '../index.js';
import type { RegistryHost } from './host.js';
import type { ServerContext } from '@modelcontextprotocol/core';

/** Prompt arguments: zod schemas whose input is a string (optional ones may be omitted). */
export type PromptArgsRawShape = { [argument: string]: z.core.$ZodType<unknown, string | undefined> };

/**
 * What `argsSchema` accepts: a raw shape, a zod object schema of such fields, or any Standard Schema with JSON
 * Schema describing an object of string arguments (valibot through `toStandardJsonSchema`, arktype, …).
 */
export type PromptArgsSchema = PromptArgsRawShape | z.core.$ZodObject | StandardSchemaWithJSON;

/** The arguments a prompt callback receives. */
export type InferPromptArgs<A> = A extends z.core.$ZodType
    ? z.output<A>
    : A extends StandardSchemaWithJSON
      ? StandardSchemaWithJSON.InferOutput<A>
      : A extends PromptArgsRawShape
        ? z.output<z.ZodMiniObject<A>>
        : never;

/** The result a prompt callback returns. */
export type PromptResult = GetPromptResult | InputRequiredResult | Promise<GetPromptResult | InputRequiredResult>;

/** A prompt callback: `(args, extra)` when the prompt has arguments, else `(extra)`. */
export type PromptCallback<A extends PromptArgsSchema | undefined = undefined> = A extends PromptArgsSchema
    ? (args: InferPromptArgs<A>, extra: ServerContext) => PromptResult
    : (extra: ServerContext) => PromptResult;

/** What describes a prompt besides its name. */
export interface PromptConfig<A extends PromptArgsSchema | undefined = undefined> {
    title?: string;
    description?: string;
    argsSchema?: A;
    icons?: Icon[];
    _meta?: Record<string, unknown>;
    /** Decides, before `prompts/get` is dispatched, whether it needs OAuth scopes the token lacks. */
    scopeChallenge?: ScopeChallengeHandler;
}

/** Changes accepted by {@link RegisteredPrompt.update}; `name: null` removes the prompt. */
export interface PromptUpdate {
    name?: string | null;
    title?: string;
    description?: string;
    argsSchema?: PromptArgsSchema;
    icons?: Icon[];
    _meta?: Record<string, unknown>;
    callback?: AnyPromptCallback;
    enabled?: boolean;
}

/** A handle on a registered prompt. */
export interface RegisteredPrompt {
    readonly name: string;
    readonly title: string | undefined;
    readonly description: string | undefined;
    readonly enabled: boolean;
    /** Lists and serves the prompt again. */
    enable(): void;
    /** Hides the prompt; `prompts/get` fails with `-32602`. */
    disable(): void;
    /** Changes the prompt; clients are told the list changed. */
    update(updates: PromptUpdate): void;
    /** Unregisters the prompt. */
    remove(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPromptCallback = (...args: any[]) => PromptResult;

/** A prompt's argument schemas, resolved once. */
interface PromptArgs {
    /** The zod field schemas (for completers); empty for other Standard Schemas. */
    shape: Record<string, z.core.$ZodType>;
    list: PromptArgument[];
    check(value: unknown): SchemaCheck | Promise<SchemaCheck>;
}

function resolveArgs(name: string, argsSchema: PromptArgsSchema): PromptArgs {
    let shape: Record<string, z.core.$ZodType>;
    let schema: z.core.$ZodType;
    if (!isZodSchema(argsSchema) && isStandardSchemaWithJSON(argsSchema)) return resolveStandardArgs(name, argsSchema);
    if (isZodSchema(argsSchema)) {
        const def = argsSchema._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
        if (def.type !== 'object' || !def.shape) {
            throw new RegistrationError('INVALID_SCHEMA', `Arguments of prompt ${name} must be a zod object schema`);
        }
        shape = def.shape;
        schema = argsSchema;
    } else if (isZodRawShape(argsSchema)) {
        shape = argsSchema;
        schema = objectFromShape(argsSchema);
    } else {
        throw new RegistrationError('INVALID_SCHEMA', `Arguments of prompt ${name} must be zod schemas`);
    }
    const list: PromptArgument[] = [];
    for (const [argument, field] of Object.entries(shape)) {
        const entry: PromptArgument = { name: argument, required: field._zod.optin === undefined };
        const description = describe(field);
        if (description !== undefined) entry.description = description;
        list.push(entry);
    }
    return { shape, list, check: value => checkZod(schema, value) };
}

async function checkZod(schema: z.core.$ZodType, value: unknown): Promise<SchemaCheck> {
    const parsed = await z.safeParseAsync(schema, value);
    return parsed.success ? parsed : { success: false, message: formatValidationError(parsed.error) };
}

/** Arguments from the JSON Schema of a Standard Schema: its properties, `required` and descriptions. */
function resolveStandardArgs(name: string, schema: StandardSchemaWithJSON): PromptArgs {
    const json = standardSchemaToToolJson(schema, 'input', `Arguments of prompt ${name}`);
    const properties = (json.properties ?? {}) as Record<string, { description?: unknown } | undefined>;
    const required = new Set(Array.isArray(json.required) ? json.required : []);
    const list: PromptArgument[] = [];
    for (const [argument, property] of Object.entries(properties)) {
        const entry: PromptArgument = { name: argument, required: required.has(argument) };
        if (typeof property?.description === 'string') entry.description = property.description;
        list.push(entry);
    }
    return { shape: {}, list, check: value => checkStandardSchema(schema, value) };
}

/** The description of a field, looking through optional/default wrappers. */
function describe(field: z.core.$ZodType): string | undefined {
    let current: z.core.$ZodType | undefined = field;
    for (let depth = 0; current && depth < 4; depth++) {
        const description = z.globalRegistry.get(current)?.description;
        if (description !== undefined) return description;
        current = (current._zod.def as { innerType?: z.core.$ZodType }).innerType;
    }
    return undefined;
}

class PromptEntry extends RegistryEntry<PromptUpdate> implements RegisteredPrompt {
    args: PromptArgs | undefined;
    config: PromptConfig<PromptArgsSchema | undefined>;

    constructor(
        private readonly _registry: PromptRegistry,
        public name: string,
        config: PromptConfig<PromptArgsSchema | undefined>,
        public callback: AnyPromptCallback
    ) {
        super();
        // A copy, not the caller's object (often a literal in a per-request factory; see `Server`'s serverInfo).
        this.config = { ...config };
        this.args = config.argsSchema === undefined ? undefined : resolveArgs(name, config.argsSchema);
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
    update(updates: PromptUpdate): void {
        this._registry.applyUpdate(this, updates);
    }

    definition(): Prompt {
        const { title, description, icons, _meta } = this.config;
        const prompt: Prompt = { name: this.name };
        if (title !== undefined) prompt.title = title;
        if (description !== undefined) prompt.description = description;
        if (this.args) prompt.arguments = this.args.list;
        if (icons !== undefined) prompt.icons = icons;
        if (_meta !== undefined) prompt._meta = _meta;
        return prompt;
    }
}

const PROMPT_METHODS: readonly string[] = ['prompts/list', 'prompts/get'];

function wrapPrompts(prompts: Prompt[]): ListPromptsResult {
    return { prompts };
}

/** Registered prompts of one `McpServer`, and their request handlers. */
export class PromptRegistry extends HandlerInstaller {
    private readonly _registry: Registry<PromptEntry, Prompt, ListPromptsResult>;

    constructor(host: RegistryHost) {
        super();
        this._registry = new Registry('Prompt', host, this, wrapPrompts);
    }

    protected handlerMethods(): readonly string[] {
        return PROMPT_METHODS;
    }

    protected installHandlers(server: Server): void {
        server.registerCapabilities({ prompts: { listChanged: true } });
        server.setRequestHandler('prompts/list', () => this._registry.list());
        server.setRequestHandler('prompts/get', (request, extra) =>
            this._get(request.params, extra as ServerContext, request as unknown as JSONRPCRequest)
        );
    }

    /** Registers a prompt. @throws {@link RegistrationError} for a duplicate name or unusable arguments. */
    register(
        name: string,
        config: PromptConfig<PromptArgsSchema | undefined>,
        callback: AnyPromptCallback
    ): RegisteredPrompt {
        return this._registry.add(name, () => new PromptEntry(this, name, config, callback));
    }

    /** The scope challenge handler of prompt `name` (enabled or not). */
    scopeChallengeFor(name: unknown): ScopeChallengeHandler | undefined {
        if (typeof name !== 'string') return undefined;
        return this._registry.entries.get(name)?.config.scopeChallenge;
    }

    /** True when an argument of any registered prompt has a completer. */
    hasCompleters(): boolean {
        for (const entry of this._registry.entries.values()) {
            const shape = entry.args?.shape;
            if (shape && Object.values(shape).some(field => getCompleter(field) !== undefined)) return true;
        }
        return false;
    }

    /**
     * The completer of a prompt argument: `null` for an unknown or disabled prompt, `undefined` when the
     * argument has none.
     */
    completer(promptName: string, argument: string): CompleteCallback | undefined | null {
        const entry = this._registry.entries.get(promptName);
        if (!entry || !entry.enabled) return null;
        const field = entry.args?.shape[argument];
        return field ? getCompleter(field) : undefined;
    }

    /** @internal Applies {@link RegisteredPrompt.update}. */
    applyUpdate(entry: PromptEntry, updates: PromptUpdate): void {
        this._registry.update(entry, entry.name, updates.name, () => {
            const args = updates.argsSchema === undefined ? entry.args : resolveArgs(entry.name, updates.argsSchema);
            const config = { ...entry.config };
            if (updates.title !== undefined) config.title = updates.title;
            if (updates.description !== undefined) config.description = updates.description;
            if (updates.argsSchema !== undefined) config.argsSchema = updates.argsSchema;
            if (updates.icons !== undefined) config.icons = updates.icons;
            if (updates._meta !== undefined) config._meta = updates._meta;
            entry.config = config;
            entry.args = args;
            if (updates.callback !== undefined) entry.callback = updates.callback;
            if (updates.enabled !== undefined) entry.enabled = updates.enabled;
            if (typeof updates.name === 'string') entry.name = updates.name;
        });
    }

    private async _get(
        params: GetPromptRequestParams,
        extra: ServerContext,
        request: JSONRPCRequest
    ): Promise<GetPromptResult | InputRequiredResult> {
        const name = params.name;
        const entry = this._registry.entries.get(name);
        if (!entry) throw new McpError(ErrorCode.InvalidParams, `Prompt ${name} not found`);
        await enforceScopeChallenge(entry.config.scopeChallenge, request, extra.authInfo);
        if (!entry.enabled) throw new McpError(ErrorCode.InvalidParams, `Prompt ${name} disabled`);
        if (!entry.args) return entry.callback(extra);
        const parsed = await entry.args.check(params.arguments ?? {});
        if (!parsed.success) {
            throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for prompt ${name}: ${parsed.message}`);
        }
        return entry.callback(parsed.data, extra);
    }
}
