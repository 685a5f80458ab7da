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
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?$/;
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
 * Encodes a value for an `Mcp-Name` / `Mcp-Param-*` header: as is when it is non-empty visible ASCII (inner spaces
 * and tabs allowed) that does not look like the sentinel, else the Base64 sentinel form.
 */
export function encodeMcpHeaderValue(value: string): string {
    if (PLAIN.test(value) && !isSentinel(value)) return value;
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
