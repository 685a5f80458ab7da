/**
 * The one seam between the protocol eras a server speaks: which era a request belongs to, the checks a modern
 * (2026-07-28) request must pass before dispatch, and what a modern result or error looks like on the wire.
 * Pure decisions, no I/O: `Server` uses them for every transport, and the Streamable HTTP transport uses the
 * same functions to pick the HTTP status of a rejection.
 *
 * - A request whose `_meta` carries `io.modelcontextprotocol/protocolVersion` is modern and is served statelessly:
 *   everything the server learns about the client comes from that request's `_meta`.
 * - Anything else is legacy (2025-11-25 and older): `initialize` opens a session whose facts later requests use.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning
 * @module
 */
import {
    CLIENT_CAPABILITIES_META_KEY,
    isModernProtocolVersion,
    ProtocolErrorCode,
    PROTOCOL_VERSION_META_KEY,
    SERVER_INFO_META_KEY
} from '@modelcontextprotocol/core';
import type {
    ClientCapabilities,
    Implementation,
    JSONRPCErrorObject,
    JSONRPCMessage,
    Result
} from '@modelcontextprotocol/core';

/** The era of a request: `legacy` (the `initialize` handshake revisions) or `modern` (per-request `_meta`). */
export type ProtocolEra = 'legacy' | 'modern';

/** A modern request refused before dispatch: the JSON-RPC error, and the HTTP status it travels with. */
export interface EraRejection {
    /** HTTP status for Streamable HTTP (400, or 404 for an unknown method). */
    readonly status: number;
    /** The JSON-RPC error object. */
    readonly error: JSONRPCErrorObject;
}

/**
 * Methods only the legacy era has (removed in 2026-07-28, or replaced by per-request `_meta`); a modern request
 * for one is an unknown method.
 */
export const LEGACY_ONLY_METHODS: ReadonlySet<string> = new Set([
    'initialize',
    'ping',
    'logging/setLevel',
    'resources/subscribe',
    'resources/unsubscribe',
    'tasks/get',
    'tasks/result',
    'tasks/list',
    'tasks/cancel'
]);

function metaOf(message: JSONRPCMessage): Record<string, unknown> | undefined {
    if (!('method' in message)) return undefined;
    const params = (message as { params?: unknown }).params;
    if (typeof params !== 'object' || params === null) return undefined;
    const meta = (params as { _meta?: unknown })._meta;
    return typeof meta === 'object' && meta !== null && !Array.isArray(meta)
        ? (meta as Record<string, unknown>)
        : undefined;
}

/** True when `value` is a plain JSON object (not an array, not null). */
function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The era of one message: modern when its `_meta` names a protocol version (whatever the value, so a bad value is
 * answered by the modern checks) or, over HTTP, when the `MCP-Protocol-Version` header names a modern revision.
 */
export function messageEra(message: JSONRPCMessage, headerVersion?: string): ProtocolEra {
    const meta = metaOf(message);
    if (meta !== undefined && Object.hasOwn(meta, PROTOCOL_VERSION_META_KEY)) return 'modern';
    return isModernProtocolVersion(headerVersion) ? 'modern' : 'legacy';
}

/** The protocol version a modern message's `_meta` names, when it names one as a string. */
export function requestedVersion(message: JSONRPCMessage): string | undefined {
    const version = metaOf(message)?.[PROTOCOL_VERSION_META_KEY];
    return typeof version === 'string' ? version : undefined;
}

/** The client capabilities a modern request declares (`{}` when it declares none or is not modern). */
export function declaredClientCapabilities(message: JSONRPCMessage): ClientCapabilities {
    const capabilities = metaOf(message)?.[CLIENT_CAPABILITIES_META_KEY];
    return isObject(capabilities) ? (capabilities as ClientCapabilities) : {};
}

function reject(status: number, code: number, message: string, data?: unknown): EraRejection {
    return { status, error: data === undefined ? { code, message } : { code, message, data } };
}

/**
 * The envelope check of a modern request: `_meta` names the protocol version as a non-empty string and declares
 * `clientCapabilities` as an object; else `-32602` Invalid params (HTTP 400).
 */
export function envelopeRejection(message: JSONRPCMessage): EraRejection | undefined {
    const meta = metaOf(message);
    const version = meta?.[PROTOCOL_VERSION_META_KEY];
    if (typeof version !== 'string' || version === '') {
        return reject(
            400,
            ProtocolErrorCode.InvalidParams,
            `Invalid params: _meta["${PROTOCOL_VERSION_META_KEY}"] is required`
        );
    }
    if (!isObject(meta?.[CLIENT_CAPABILITIES_META_KEY])) {
        return reject(
            400,
            ProtocolErrorCode.InvalidParams,
            `Invalid params: _meta["${CLIENT_CAPABILITIES_META_KEY}"] is required`
        );
    }
    return undefined;
}

/** What {@link checkModernRequest} needs to know about the server. */
export interface ModernServerFacts {
    /** Every protocol version the server supports, modern and legacy (listed in `-32022`'s `data.supported`). */
    readonly supportedVersions: readonly string[];
    /** True when the server serves `method` (a handler is registered). */
    hasMethod(method: string): boolean;
}

/**
 * Checks a modern request before dispatch, in the order the 2026-07-28 revision gives them:
 * 1. `_meta` names the protocol version as a string and declares `clientCapabilities` as an object, else
 *    `-32602` Invalid params (400);
 * 2. the version is one the server supports, else `-32022` with `data: { supported, requested }` (400);
 * 3. the method is one the server serves in this era, else `-32601` Method not found (404).
 *
 * @returns `undefined` when the request may be dispatched.
 */
export function checkModernRequest(message: JSONRPCMessage, server: ModernServerFacts): EraRejection | undefined {
    const malformed = envelopeRejection(message);
    if (malformed) return malformed;
    const version = requestedVersion(message)!;
    if (!isModernProtocolVersion(version) || !server.supportedVersions.includes(version)) {
        return reject(400, ProtocolErrorCode.UnsupportedProtocolVersion, 'Unsupported protocol version', {
            supported: [...server.supportedVersions],
            requested: version
        });
    }
    if (!('id' in message)) return undefined;
    const method = (message as { method: string }).method;
    if (LEGACY_ONLY_METHODS.has(method) || !server.hasMethod(method)) {
        return reject(404, ProtocolErrorCode.MethodNotFound, `Method not found: ${method}`);
    }
    return undefined;
}

/** The methods whose modern results carry cache hints (`ttlMs`, `cacheScope`). */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
    'server/discover',
    'tools/list',
    'prompts/list',
    'resources/list',
    'resources/templates/list',
    'resources/read'
]);

/** How long a client may cache a result, and who may share it (2026-07-28 Caching). */
export interface CacheHint {
    /** Milliseconds the result stays fresh (0, the default: re-fetch every time). */
    ttlMs?: number;
    /** `public`: any client or shared cache may reuse it; `private` (the default): only the same authorization context. */
    cacheScope?: 'public' | 'private';
}

/** The hint used when neither the handler nor the server configured one: immediately stale, never shared. */
export const DEFAULT_CACHE_HINT: Required<CacheHint> = { ttlMs: 0, cacheScope: 'private' };

/**
 * A modern result: `resultType` (`complete` unless the handler set one), the server's identity in `_meta`, and for
 * a cacheable method the cache hint (the handler's own `ttlMs` / `cacheScope` win over `cacheHint`).
 */
export function modernResult(
    method: string,
    result: Result,
    serverInfo: Implementation,
    cacheHint: CacheHint = DEFAULT_CACHE_HINT
): Result {
    const meta = isObject(result._meta) ? result._meta : {};
    const completed: Result = {
        ...result,
        resultType: typeof result.resultType === 'string' ? result.resultType : 'complete',
        _meta: { ...meta, [SERVER_INFO_META_KEY]: serverInfo }
    };
    if (CACHEABLE_METHODS.has(method) && completed.resultType === 'complete') {
        if (!(Number.isInteger(completed.ttlMs) && (completed.ttlMs as number) >= 0)) {
            completed.ttlMs = cacheHint.ttlMs ?? DEFAULT_CACHE_HINT.ttlMs;
        }
        if (completed.cacheScope !== 'public' && completed.cacheScope !== 'private') {
            completed.cacheScope = cacheHint.cacheScope ?? DEFAULT_CACHE_HINT.cacheScope;
        }
    }
    return completed;
}

/** A modern error: 2026-07-28 has no `-32002`; a resource that does not exist is `-32602` Invalid params. */
export function modernError(error: JSONRPCErrorObject): JSONRPCErrorObject {
    return error.code === ProtocolErrorCode.ResourceNotFound
        ? { ...error, code: ProtocolErrorCode.InvalidParams }
        : error;
}

/**
 * A result as a 2025-era client can read it: 2026-07-28 lets `structuredContent` be any JSON value and `outputSchema`
 * any schema, the earlier revisions want objects, so a tool's non-object output travels as `{ result: value }` and
 * its schema as `{ type: 'object', properties: { result: schema }, required: ['result'] }` (SEP-2106).
 */
export function legacyResult(method: string, result: Result): Result {
    if (method === 'tools/call') {
        const content = result.structuredContent;
        if (content === undefined || isObject(content)) return result;
        return { ...result, structuredContent: { result: content } };
    }
    if (method === 'tools/list' && Array.isArray(result.tools)) {
        const tools = result.tools as Array<Record<string, unknown>>;
        if (!tools.some(tool => isObject(tool.outputSchema) && tool.outputSchema.type !== 'object')) return result;
        return {
            ...result,
            tools: tools.map(tool =>
                isObject(tool.outputSchema) && tool.outputSchema.type !== 'object'
                    ? {
                          ...tool,
                          outputSchema: {
                              type: 'object',
                              properties: { result: tool.outputSchema },
                              required: ['result']
                          }
                      }
                    : tool
            )
        };
    }
    return result;
}
