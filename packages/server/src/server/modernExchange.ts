/**
 * The Streamable HTTP checks of a modern (2026-07-28) POST that the body alone cannot make: one message per POST,
 * and the mirrored headers — `MCP-Protocol-Version` equal to the `_meta` version, `Mcp-Method` equal to `method`,
 * `Mcp-Name` equal to `params.name` / `params.uri` (after decoding its Base64 form). A mismatch, a missing header
 * or a malformed value is `-32020` HeaderMismatch with status 400, so a gateway that routed on a header and a
 * server that acts on the body can never disagree about what the request is.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/streamable-http#server-validation
 * @module
 */
import {
    decodeMcpHeaderValue,
    MCP_NAME_SOURCES,
    MCP_PARAM_HEADER_PREFIX,
    ProtocolErrorCode
} from '@modelcontextprotocol/core';
import type { JSONRPCErrorObject, JSONRPCMessage, McpParamHeader, RequestId } from '@modelcontextprotocol/core';
import type { EraRejection } from './era.js';
import { requestedVersion } from './era.js';
import type { RequestView } from './httpExchange.js';
import type { BodyReply } from './replies.js';

function mismatch(message: string): EraRejection {
    return { status: 400, error: { code: ProtocolErrorCode.HeaderMismatch, message: `Header mismatch: ${message}` } };
}

/** The one value of a header that must appear once; `undefined` when absent, `null` when repeated. */
function single(view: Pick<RequestView, 'headerValues'>, name: string): string | undefined | null {
    const values = view.headerValues(name);
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0]! : null;
}

/** `-32020` when the `MCP-Protocol-Version` header is missing or repeated (checked before anything else). */
export function versionHeaderRejection(view: Pick<RequestView, 'headerValues'>): EraRejection | undefined {
    const version = single(view, 'mcp-protocol-version');
    if (version === undefined) return mismatch('the MCP-Protocol-Version header is required');
    if (version === null) return mismatch('more than one MCP-Protocol-Version header');
    return undefined;
}

/**
 * Checks the mirrored headers of a modern message against its body.
 *
 * @returns `undefined` when they agree.
 */
export function modernHeaderRejection(
    view: Pick<RequestView, 'headerValues'>,
    message: JSONRPCMessage
): EraRejection | undefined {
    if (!('method' in message)) return mismatch('a POST carries a request or a notification');
    const version = single(view, 'mcp-protocol-version');
    if (version === undefined || version === null) return versionHeaderRejection(view);
    const bodyVersion = requestedVersion(message);
    if (bodyVersion !== undefined && version !== bodyVersion) {
        return mismatch(
            `MCP-Protocol-Version ${JSON.stringify(version)} does not match _meta ${JSON.stringify(bodyVersion)}`
        );
    }
    const method = single(view, 'mcp-method');
    if (method === undefined) return mismatch('the Mcp-Method header is required');
    if (method !== message.method) {
        return mismatch(`Mcp-Method ${JSON.stringify(method)} does not match method ${JSON.stringify(message.method)}`);
    }
    const source = MCP_NAME_SOURCES[message.method];
    if (source === undefined || !('id' in message)) return undefined;
    const header = single(view, 'mcp-name');
    if (header === undefined) return mismatch('the Mcp-Name header is required');
    if (header === null) return mismatch('more than one Mcp-Name header');
    const name = decodeMcpHeaderValue(header);
    if (name === undefined) return mismatch('the Mcp-Name header is not a valid value');
    const params = (message as { params?: Record<string, unknown> }).params;
    const body = params?.[source];
    if (name !== body) return mismatch(`Mcp-Name ${JSON.stringify(name)} does not match params.${source}`);
    return undefined;
}

/**
 * Checks a `tools/call`'s `Mcp-Param-*` headers against its arguments (2026-07-28 Streamable HTTP › Custom
 * Headers): every annotated argument present and not `null` needs its header, whose decoded value must equal it
 * (integers compared as numbers, booleans as `true` / `false`); a header that is malformed is refused too.
 */
export function paramHeaderRejection(
    view: Pick<RequestView, 'headerValues'>,
    args: unknown,
    headers: readonly McpParamHeader[]
): EraRejection | undefined {
    for (const header of headers) {
        let value: unknown = args;
        for (const key of header.path) {
            value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
        }
        const name = `${MCP_PARAM_HEADER_PREFIX}${header.name}`;
        const sent = single(view, name.toLowerCase());
        if (sent === null) return mismatch(`more than one ${name} header`);
        if (value === undefined || value === null) continue;
        if (sent === undefined) return mismatch(`the ${name} header is required (the argument is present)`);
        const decoded = decodeMcpHeaderValue(sent);
        if (decoded === undefined) return mismatch(`the ${name} header is not a valid value`);
        const same =
            typeof value === 'number'
                ? decoded.trim() !== '' && Number(decoded) === value
                : typeof value === 'boolean'
                  ? decoded === String(value)
                  : decoded === value;
        if (!same) return mismatch(`${name} does not match the argument at ${header.path.join('.')}`);
    }
    return undefined;
}

/** The JSON reply to a refused modern request: the request's own id (`null` for a notification). */
export function rejectionReply(rejection: EraRejection, id: RequestId | undefined): BodyReply {
    return jsonErrorReply(rejection.status, id, rejection.error);
}

/** A JSON-RPC error response as an HTTP reply. */
export function jsonErrorReply(status: number, id: RequestId | undefined, error: JSONRPCErrorObject): BodyReply {
    const body = JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error });
    return { status, headers: { 'content-type': 'application/json' }, body };
}

/**
 * The HTTP status of a modern request's error response: 404 for an unknown method, 400 for the 2026-07-28
 * envelope errors (header mismatch, missing client capability, unsupported version), else 200 (a JSON-RPC error
 * is a successful HTTP exchange).
 */
export function modernErrorStatus(code: number): number {
    if (code === ProtocolErrorCode.MethodNotFound) return 404;
    if (
        code === ProtocolErrorCode.HeaderMismatch ||
        code === ProtocolErrorCode.MissingRequiredClientCapability ||
        code === ProtocolErrorCode.UnsupportedProtocolVersion
    ) {
        return 400;
    }
    return 200;
}
