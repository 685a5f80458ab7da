/**
 * Per-operation scope policy: which OAuth scopes each MCP operation requires, so a challenge can name exactly
 * the scopes of the operation at hand (RFC 6750 §3.1; MCP 2025-11-25 "Scope Challenge Handling").
 *
 * @module
 */
import { AuthConfigError } from './errors.js';
import {
    compileImplications,
    dedupe,
    isScopeToken,
    type ScopeImplications,
    splitScope,
    unionScopes
} from './scopes.js';

/** Scopes an operation requires: a space-delimited scope value (`'a b'`) or a list of scope tokens. */
export type ScopeRequirement = string | readonly string[];

/**
 * The policy's configuration. The most specific rule wins: a tool, prompt or resource rule replaces the rule of
 * its method; a method rule replaces `notifications` and `default`.
 *
 * @example
 * ```ts
 * const policy = createScopePolicy({
 *     methods: { initialize: 'init', ping: 'init', 'tools/list': 'mcp:tools:read', 'tools/call': 'mcp:tools:write' },
 *     notifications: 'init',
 *     tools: { search: 'mcp:tools:read' },
 *     implies: { 'mcp:tools:write': ['mcp:tools:read'] }
 * });
 * ```
 */
export interface ScopePolicyConfig {
    /** Required scopes by JSON-RPC method name. */
    methods?: Readonly<Record<string, ScopeRequirement>>;
    /** Required scopes of `tools/call` by tool name (`params.name`); replaces the `tools/call` method rule. */
    tools?: Readonly<Record<string, ScopeRequirement>>;
    /** Required scopes of `prompts/get` by prompt name (`params.name`); replaces the `prompts/get` method rule. */
    prompts?: Readonly<Record<string, ScopeRequirement>>;
    /**
     * Required scopes of `resources/read`, `resources/subscribe` and `resources/unsubscribe` by `params.uri`.
     * A key is an exact URI, or a pattern: `*` matches any run of characters, `{name}` one or more characters
     * other than `/`, `{+name}` one or more of any character (RFC 6570 reserved expansion). An exact key beats a
     * pattern; among patterns the one with the most literal characters wins, then the one declared first.
     */
    resources?: Readonly<Record<string, ScopeRequirement>>;
    /** Required scopes of notifications (methods starting with `notifications/`) without a method rule. Default: `default`. */
    notifications?: ScopeRequirement;
    /** Required scopes of JSON-RPC responses a client posts (answers to server requests). Default: `default`. */
    responses?: ScopeRequirement;
    /** Required scopes of HTTP requests that carry no JSON-RPC message (GET stream, DELETE session). Default: `default`. */
    withoutMessage?: ScopeRequirement;
    /** Required scopes of any method without a rule (and of bodies that are not JSON-RPC). Default: none. */
    default?: ScopeRequirement;
    /**
     * Scope implications: `{ 'mcp:tools:write': ['mcp:tools:read'] }` means a token holding `mcp:tools:write`
     * also satisfies a requirement of `mcp:tools:read`. Applied transitively. Challenges still name the scopes
     * the operation requires, never implied substitutes.
     */
    implies?: Readonly<Record<string, ScopeRequirement>>;
}

/** A compiled scope policy (see {@link createScopePolicy}). */
export interface ScopePolicy {
    /**
     * The scopes a parsed JSON-RPC body requires: one message, or the union over a batch. `undefined` (no
     * message) gets `withoutMessage`; a value that is not a JSON-RPC message gets `default`. The returned array
     * is shared and frozen for single messages: do not mutate it.
     */
    requiredScopes(message: unknown): readonly string[];
    /** True when `granted` (expanded by the implications) covers every scope in `required`. */
    isSatisfied(granted: readonly string[], required: readonly string[]): boolean;
    /** The members of `required` that `granted` (expanded by the implications) does not cover. */
    missing(granted: readonly string[], required: readonly string[]): string[];
}

type Scopes = readonly string[];

const NONE: Scopes = Object.freeze([]);
const RESOURCE_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

/**
 * Validates a scope requirement and returns its tokens (frozen, deduplicated).
 *
 * @throws {@link AuthConfigError} when a token is not an RFC 6749 §3.3 scope token.
 */
export function toScopeList(requirement: ScopeRequirement | undefined, where: string): Scopes {
    if (requirement === undefined) return NONE;
    let tokens: readonly unknown[];
    if (typeof requirement === 'string') {
        tokens = splitScope(requirement);
    } else if (Array.isArray(requirement)) {
        tokens = requirement;
    } else {
        throw new AuthConfigError(`${where}: expected a scope string or an array of scope tokens`);
    }
    for (const token of tokens) {
        if (!isScopeToken(token)) {
            throw new AuthConfigError(`${where}: ${JSON.stringify(token)} is not a valid scope token (RFC 6749 §3.3)`);
        }
    }
    return Object.freeze([...dedupe(tokens as string[])]);
}

function toRuleMap(rules: Readonly<Record<string, ScopeRequirement>> | undefined, where: string): Map<string, Scopes> {
    const map = new Map<string, Scopes>();
    if (rules === undefined) return map;
    if (typeof rules !== 'object' || rules === null) throw new AuthConfigError(`${where}: expected an object`);
    for (const [key, requirement] of Object.entries(rules)) {
        if (key === '') throw new AuthConfigError(`${where}: empty key`);
        map.set(key, toScopeList(requirement, `${where}[${JSON.stringify(key)}]`));
    }
    return map;
}

interface UriPattern {
    regex: RegExp;
    literalLength: number;
    scopes: Scopes;
}

/** Compiles a resource URI pattern (`*`, `{name}`, `{+name}`) to an anchored RegExp. */
function compileUriPattern(pattern: string, scopes: Scopes): UriPattern {
    let source = '^';
    let literalLength = 0;
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i] as string;
        if (ch === '*') {
            source += '.*';
        } else if (ch === '{') {
            const end = pattern.indexOf('}', i);
            const name = end === -1 ? '' : pattern.slice(i + 1, end);
            const reserved = name.startsWith('+');
            if (!/^[A-Za-z0-9_.%]+$/.test(reserved ? name.slice(1) : name)) {
                throw new AuthConfigError(
                    `resources[${JSON.stringify(pattern)}]: unsupported template expression at offset ${i} (use {name}, {+name} or *)`
                );
            }
            source += reserved ? '.+' : '[^/]+';
            i = end;
        } else {
            source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
            literalLength++;
        }
    }
    return { regex: new RegExp(`${source}$`, 's'), literalLength, scopes };
}

function stringParam(params: unknown, key: string): string | undefined {
    if (typeof params !== 'object' || params === null) return undefined;
    const value = (params as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
}

/**
 * Builds a {@link ScopePolicy}, validating the whole configuration once.
 *
 * @throws {@link AuthConfigError} for an invalid scope token, an unsupported resource pattern or a malformed rule.
 */
export function createScopePolicy(config: ScopePolicyConfig): ScopePolicy {
    if (typeof config !== 'object' || config === null) throw new AuthConfigError('scope policy: expected an object');
    const methods = toRuleMap(config.methods, 'methods');
    const tools = toRuleMap(config.tools, 'tools');
    const prompts = toRuleMap(config.prompts, 'prompts');
    const resourceRules = toRuleMap(config.resources, 'resources');
    const fallback = toScopeList(config.default, 'default');
    const notifications =
        config.notifications === undefined ? fallback : toScopeList(config.notifications, 'notifications');
    const responses = config.responses === undefined ? fallback : toScopeList(config.responses, 'responses');
    const withoutMessage =
        config.withoutMessage === undefined ? fallback : toScopeList(config.withoutMessage, 'withoutMessage');

    const exactResources = new Map<string, Scopes>();
    const resourcePatterns: UriPattern[] = [];
    for (const [key, scopes] of resourceRules) {
        if (key.includes('*') || key.includes('{')) resourcePatterns.push(compileUriPattern(key, scopes));
        else exactResources.set(key, scopes);
    }
    // Most literal characters first; Array.prototype.sort is stable, so declaration order breaks ties.
    resourcePatterns.sort((a, b) => b.literalLength - a.literalLength);

    const impliesMap: Record<string, string[]> = {};
    for (const [key, requirement] of toRuleMap(config.implies, 'implies')) {
        if (!isScopeToken(key)) {
            throw new AuthConfigError(`implies: ${JSON.stringify(key)} is not a valid scope token (RFC 6749 §3.3)`);
        }
        impliesMap[key] = [...requirement];
    }
    const implications: ScopeImplications | undefined = compileImplications(impliesMap);

    function forResource(uri: string | undefined): Scopes | undefined {
        if (uri === undefined) return undefined;
        const exact = exactResources.get(uri);
        if (exact !== undefined) return exact;
        for (const pattern of resourcePatterns) if (pattern.regex.test(uri)) return pattern.scopes;
        return undefined;
    }

    function forMessage(message: unknown): Scopes {
        if (typeof message !== 'object' || message === null) return fallback;
        const { method, params } = message as { method?: unknown; params?: unknown };
        if (typeof method !== 'string') return 'result' in message || 'error' in message ? responses : fallback;
        let specific: Scopes | undefined;
        if (method === 'tools/call') {
            const name = stringParam(params, 'name');
            specific = name === undefined ? undefined : tools.get(name);
        } else if (method === 'prompts/get') {
            const name = stringParam(params, 'name');
            specific = name === undefined ? undefined : prompts.get(name);
        } else if (RESOURCE_METHODS.has(method)) {
            specific = forResource(stringParam(params, 'uri'));
        }
        if (specific !== undefined) return specific;
        const byMethod = methods.get(method);
        if (byMethod !== undefined) return byMethod;
        return method.startsWith('notifications/') ? notifications : fallback;
    }

    return {
        requiredScopes(message) {
            if (message === undefined) return withoutMessage;
            if (!Array.isArray(message)) return forMessage(message);
            if (message.length === 0) return fallback;
            if (message.length === 1) return forMessage(message[0]);
            return unionScopes(message.map(forMessage));
        },
        isSatisfied(granted, required) {
            if (required.length === 0) return true;
            const have = implications?.expand(granted);
            for (const scope of required) if (!(have ? have.has(scope) : granted.includes(scope))) return false;
            return true;
        },
        missing(granted, required) {
            if (required.length === 0) return [];
            const have = implications?.expand(granted);
            return required.filter(scope => !(have ? have.has(scope) : granted.includes(scope)));
        }
    };
}
