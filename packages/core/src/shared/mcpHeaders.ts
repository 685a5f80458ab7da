/**
 * The request headers Streamable HTTP mirrors from the JSON-RPC body in protocol revision 2026-07-28
 * (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`, `Mcp-Param-{Name}`), and their value encoding: plain visible
 * ASCII as is, anything else as `=?base64?{base64 of the UTF-8}?=`. Used by the client to write them and by the
 * server to check them against the body; defined once here so both sides agree byte for byte.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#request-metadata
 * @module
 */

/** The protocol version header (name as the spec writes it; header names compare case-insensitively). */
export const MCP_PROTOCOL_VERSION_HEADER = 'MCP-Protocol-Version';
/** The header mirroring the JSON-RPC `method`. */
export const MCP_METHOD_HEADER = 'Mcp-Method';
/** The header mirroring `params.name` (`tools/call`, `prompts/get`) or `params.uri` (`resources/read`). */
export const MCP_NAME_HEADER = 'Mcp-Name';
/** The prefix of the headers mirroring `x-mcp-header` tool parameters. */
export const MCP_PARAM_HEADER_PREFIX = 'Mcp-Param-';

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The methods whose requests carry `Mcp-Name`, and the params member it mirrors. */
export const MCP_NAME_SOURCES: Readonly<Record<string, 'name' | 'uri'>> = {
    'tools/call': 'name',
    'prompts/get': 'name',
    'resources/read': 'uri'
};

function isSentinel(value: string): boolean {
    return value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX) && value.length >= 11;
}

function utf8ToBase64(value: string): string {
    let binary = '';
    for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
    return btoa(binary);
}

/**
 * Encodes a value for an `Mcp-Name` / `Mcp-Param-*` header: as is when it is empty or visible ASCII (inner spaces
 * allowed) that does not look like the sentinel, else the Base64 sentinel form.
 */
export function encodeMcpHeaderValue(value: string): string {
    if (value === '' || (PLAIN.test(value) && !isSentinel(value))) return value;
    return `${SENTINEL_PREFIX}${utf8ToBase64(value)}${SENTINEL_SUFFIX}`;
}

/**
 * Decodes an `Mcp-Name` / `Mcp-Param-*` header value: the sentinel form to its UTF-8 text, a plain value as is.
 * Returns `undefined` for a value that is neither (bad Base64 or UTF-8, control characters), which the server
 * answers as a header mismatch.
 */
export function decodeMcpHeaderValue(value: string): string | undefined {
    if (isSentinel(value)) {
        const encoded = value.slice(SENTINEL_PREFIX.length, -SENTINEL_SUFFIX.length);
        if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return undefined;
        try {
            const binary = atob(encoded);
            const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
            return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
            return undefined;
        }
    }
    return value === '' || PLAIN.test(value) ? value : undefined;
}

/** One `x-mcp-header` annotation of a tool: the property path it mirrors and the header name part. */
export interface McpParamHeader {
    /** The chain of `properties` keys leading to the annotated property. */
    readonly path: readonly string[];
    /** The `{name}` of `Mcp-Param-{name}`. */
    readonly name: string;
}

/** The `x-mcp-header` annotations of a tool's `inputSchema`, or why they make the tool invalid. */
export type McpParamHeaders = { valid: true; headers: McpParamHeader[] } | { valid: false; reason: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MIRRORABLE_TYPES = new Set(['string', 'integer', 'boolean']);
const NESTING_KEYWORDS = [
    'items',
    'prefixItems',
    'additionalProperties',
    'oneOf',
    'anyOf',
    'allOf',
    'not',
    'if',
    'then',
    'else',
    '$defs',
    'definitions',
    'dependentSchemas',
    'patternProperties'
];

/**
 * Reads the `x-mcp-header` annotations of a tool's `inputSchema` (MCP 2026-07-28, Streamable HTTP › Custom Headers):
 * each must be a non-empty HTTP token, unique case-insensitively, on a `string`, `integer` or `boolean` property
 * reached from the root through `properties` keys only. Any other annotation makes the tool invalid (a client on
 * Streamable HTTP drops it from `tools/list`).
 */
export function readMcpParamHeaders(inputSchema: unknown): McpParamHeaders {
    const headers: McpParamHeader[] = [];
    const seen = new Set<string>();
    let reason: string | undefined;
    const visit = (schema: unknown, path: string[], reachable: boolean): void => {
        if (reason !== undefined || typeof schema !== 'object' || schema === null) return;
        const node = schema as Record<string, unknown>;
        if (Object.hasOwn(node, 'x-mcp-header')) {
            const name = node['x-mcp-header'];
            if (!reachable || path.length === 0) reason = 'x-mcp-header on a property not reachable through properties';
            else if (typeof name !== 'string' || name === '') reason = 'an empty x-mcp-header';
            else if (!TOKEN.test(name)) reason = `x-mcp-header ${JSON.stringify(name)} is not an HTTP token`;
            else if (typeof node.type !== 'string' || !MIRRORABLE_TYPES.has(node.type)) {
                reason = `x-mcp-header ${JSON.stringify(name)} is on a property that is not a string, integer or boolean`;
            } else if (seen.has(name.toLowerCase())) reason = `x-mcp-header ${JSON.stringify(name)} is not unique`;
            else {
                seen.add(name.toLowerCase());
                headers.push({ path: [...path], name });
            }
        }
        const properties = node.properties;
        if (typeof properties === 'object' && properties !== null) {
            for (const [key, child] of Object.entries(properties)) visit(child, [...path, key], reachable);
        }
        for (const keyword of NESTING_KEYWORDS) {
            const nested = node[keyword];
            if (Array.isArray(nested)) for (const child of nested) visit(child, path, false);
            else if (typeof nested === 'object' && nested !== null) {
                if (
                    keyword === '$defs' ||
                    keyword === 'definitions' ||
                    keyword === 'dependentSchemas' ||
                    keyword === 'patternProperties'
                ) {
                    for (const child of Object.values(nested)) visit(child, path, false);
                } else visit(nested, path, false);
            }
        }
    };
    visit(inputSchema, [], true);
    return reason === undefined ? { valid: true, headers } : { valid: false, reason };
}

/**
 * The `Mcp-Param-{name}` headers of a call: each annotated argument that is present and not `null`, as a string
 * (integers in decimal, booleans as `true` / `false`), encoded by {@link encodeMcpHeaderValue}.
 */
export function mcpParamHeaderValues(
    headers: readonly McpParamHeader[],
    args: Record<string, unknown> | undefined
): Record<string, string> {
    const values: Record<string, string> = {};
    for (const header of headers) {
        let value: unknown = args;
        for (const key of header.path) {
            value =
                typeof value === 'object' && value !== null && Object.hasOwn(value, key)
                    ? (value as Record<string, unknown>)[key]
                    : undefined;
        }
        if (value === undefined || value === null) continue;
        const text =
            typeof value === 'string'
                ? value
                : typeof value === 'number' || typeof value === 'boolean'
                  ? String(value)
                  : undefined;
        if (text !== undefined) values[`${MCP_PARAM_HEADER_PREFIX}${header.name}`] = encodeMcpHeaderValue(text);
    }
    return values;
}
