/**
 * The official v2 names for the era decision of an HTTP request, for code that routes traffic itself:
 * {@link classifyInboundRequest} (pure: legacy route, modern route, or a refusal with its HTTP status), and
 * {@link isLegacyRequest} / {@link legacyStatelessFallback} to keep a 2025-era deployment beside a modern endpoint.
 * The decisions are `era.ts`'s and `modernExchange.ts`'s, the same ones the transports make.
 *
 * @module
 */
import {
    isModernProtocolVersion,
    parseJsonText,
    ProtocolErrorCode,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS
} from '@modelcontextprotocol/core';
import type { JSONRPCNotification, JSONRPCRequest, MessageClassification } from '@modelcontextprotocol/core';
import { createMcpHandler } from './createMcpHandler.js';
import type { McpHandlerRequestOptions, McpServerFactory } from './createMcpHandler.js';
import { checkModernRequest, envelopeRejection, messageEra, requestedVersion } from './era.js';
import type { EraRejection } from './era.js';
import { modernHeaderRejection, versionHeaderRejection } from './modernExchange.js';
import { DEFAULT_MAX_REQUEST_BODY_SIZE, readRequestBody } from './requestBody.js';

/** The parts of an HTTP request the classification reads. */
export interface InboundHttpRequest {
    httpMethod: string;
    /** `MCP-Protocol-Version`, when present. */
    protocolVersionHeader?: string;
    /** `Mcp-Method`, when present. */
    mcpMethodHeader?: string;
    /** `Mcp-Name`, when present. */
    mcpNameHeader?: string;
    /** The parsed JSON body (`undefined` for body-less methods). */
    body?: unknown;
}

/** Why a request is 2025-era traffic. */
export type InboundLegacyRouteReason =
    'http-method' | 'initialize' | 'no-claim' | 'notification' | 'batch' | 'response';

/** Serve as 2025-era traffic. */
export interface InboundLegacyRoute {
    kind: 'legacy';
    reason: InboundLegacyRouteReason;
    requestedVersion?: string;
}

/** Serve as a 2026-07-28 request or notification. */
export type InboundModernRoute =
    | { kind: 'modern'; messageKind: 'request'; message: JSONRPCRequest; classification: MessageClassification }
    | {
          kind: 'modern';
          messageKind: 'notification';
          message: JSONRPCNotification;
          classification: MessageClassification;
      };

/** Which check refused the request. */
export type InboundValidationRung =
    | 'http-method'
    | 'jsonrpc-shape'
    | 'era-classification'
    | 'envelope'
    | 'method-registry'
    | 'request-params'
    | 'standard-header-validation'
    | 'client-capabilities'
    | 'param-header-validation';

/** A refusal: the JSON-RPC error and the HTTP status to answer with. */
export interface InboundLadderRejection {
    kind: 'reject';
    rung: InboundValidationRung;
    /** A stable name of the case, e.g. `envelope/unsupported-version`. */
    cell: string;
    httpStatus: number;
    code: number;
    message: string;
    data?: unknown;
    /** Always `true`: the decision does not depend on anything later. */
    settled: boolean;
}

/** What {@link classifyInboundRequest} decided. */
export type InboundClassificationOutcome = InboundLegacyRoute | InboundModernRoute | InboundLadderRejection;

function refuse(rung: InboundValidationRung, cell: string, rejection: EraRejection): InboundLadderRejection {
    const outcome: InboundLadderRejection = {
        kind: 'reject',
        rung,
        cell,
        httpStatus: rejection.status,
        code: rejection.error.code,
        message: rejection.error.message,
        settled: true
    };
    if (rejection.error.data !== undefined) outcome.data = rejection.error.data;
    return outcome;
}

function isMessageShaped(value: unknown): value is Record<string, unknown> {
    return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        (value as { jsonrpc?: unknown }).jsonrpc === '2.0'
    );
}

/**
 * Decides an HTTP request's era the way this SDK's transports do: a non-POST is legacy (or `405` with a modern
 * version header), a batch or response is legacy, a message whose `_meta` names a version (or whose header names a
 * modern one) is modern once its envelope, headers and version pass — else the refusal.
 */
export function classifyInboundRequest(request: InboundHttpRequest): InboundClassificationOutcome {
    const modernHeader = isModernProtocolVersion(request.protocolVersionHeader);
    if (request.httpMethod.toUpperCase() !== 'POST') {
        if (!modernHeader) return { kind: 'legacy', reason: 'http-method' };
        return refuse('http-method', 'http-method/not-post', {
            status: 405,
            error: { code: ProtocolErrorCode.MethodNotFound, message: 'Method not allowed: 2026-07-28 uses POST only' }
        });
    }
    const body = request.body;
    if (Array.isArray(body)) {
        if (
            body.some(
                message =>
                    isMessageShaped(message) &&
                    'method' in message &&
                    messageEra(message as unknown as JSONRPCRequest) === 'modern'
            )
        ) {
            return refuse('jsonrpc-shape', 'jsonrpc-shape/batch', {
                status: 400,
                error: {
                    code: ProtocolErrorCode.InvalidRequest,
                    message: 'Invalid Request: a 2026-07-28 POST carries one message'
                }
            });
        }
        return { kind: 'legacy', reason: 'batch' };
    }
    if (!isMessageShaped(body)) {
        return refuse('jsonrpc-shape', 'jsonrpc-shape/not-json-rpc', {
            status: 400,
            error: { code: ProtocolErrorCode.InvalidRequest, message: 'Invalid Request: not a JSON-RPC 2.0 message' }
        });
    }
    if (!('method' in body) || typeof body.method !== 'string') return { kind: 'legacy', reason: 'response' };
    const message = body as unknown as JSONRPCRequest | JSONRPCNotification;
    const isRequest = 'id' in message;
    if (messageEra(message, request.protocolVersionHeader) === 'legacy') {
        const reason: InboundLegacyRouteReason =
            message.method === 'initialize' ? 'initialize' : isRequest ? 'no-claim' : 'notification';
        const asked = (message.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
        return typeof asked === 'string'
            ? { kind: 'legacy', reason, requestedVersion: asked }
            : { kind: 'legacy', reason };
    }
    const headers = headerView(request);
    const refusal =
        versionHeaderRejection(headers) ??
        envelopeRejection(message) ??
        modernHeaderRejection(headers, message) ??
        checkModernRequest(message, { supportedVersions: SUPPORTED_MODERN_PROTOCOL_VERSIONS, hasMethod: () => true });
    if (refusal !== undefined) {
        const rung: InboundValidationRung =
            refusal.error.code === ProtocolErrorCode.HeaderMismatch ? 'standard-header-validation' : 'envelope';
        return refuse(rung, `${rung}/${refusal.error.code}`, refusal);
    }
    const classification: MessageClassification = { era: 'modern', revision: requestedVersion(message)! };
    return isRequest
        ? { kind: 'modern', messageKind: 'request', message: message as JSONRPCRequest, classification }
        : { kind: 'modern', messageKind: 'notification', message: message as JSONRPCNotification, classification };
}

function headerView(request: InboundHttpRequest): { headerValues(name: string): string[] } {
    const values: Record<string, string | undefined> = {
        'mcp-protocol-version': request.protocolVersionHeader,
        'mcp-method': request.mcpMethodHeader,
        'mcp-name': request.mcpNameHeader
    };
    return { headerValues: name => (values[name] === undefined ? [] : [values[name]!]) };
}

/** Options of {@link isLegacyRequest}. */
export interface IsLegacyRequestOptions {
    /** The body bound (bytes) of the handler being routed for (default 4 MiB): a larger body is not legacy. */
    maxRequestBodySize?: number;
}

/**
 * True when `request` is 2025-era traffic (for routing it to an existing deployment in front of a modern
 * `createMcpHandler({ legacy: 'reject' })`). Reads a clone of the body (bounded), or `parsedBody`.
 */
export async function isLegacyRequest(
    request: Request,
    parsedBody?: unknown,
    options: IsLegacyRequestOptions = {}
): Promise<boolean> {
    const inbound: InboundHttpRequest = { httpMethod: request.method };
    const version = request.headers.get('mcp-protocol-version');
    if (version !== null) inbound.protocolVersionHeader = version;
    if (request.method.toUpperCase() === 'POST') {
        if (parsedBody !== undefined) inbound.body = parsedBody;
        else {
            const read = await readRequestBody(
                request.clone(),
                options.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY_SIZE
            );
            if (read.tooLarge) return false;
            try {
                inbound.body = parseJsonText(read.text);
            } catch {
                return false;
            }
        }
    }
    return classifyInboundRequest(inbound).kind === 'legacy';
}

/** Options of {@link legacyStatelessFallback}. */
export interface LegacyStatelessFallbackOptions {
    /** Largest POST body read, in bytes (default 4 MiB). */
    maxRequestBodySize?: number;
}

/** A fetch-shaped handler serving 2025-era traffic. */
export type LegacyHttpHandler = (request: Request, options?: McpHandlerRequestOptions) => Promise<Response>;

/** A handler serving 2025-era traffic statelessly, a fresh server from `factory` per request. */
export function legacyStatelessFallback(
    factory: McpServerFactory,
    onerror?: (error: Error) => void,
    options: LegacyStatelessFallbackOptions = {}
): LegacyHttpHandler {
    return createMcpHandler(factory, {
        legacy: 'stateless',
        ...(onerror === undefined ? {} : { onerror }),
        ...(options.maxRequestBodySize === undefined ? {} : { maxRequestBodySize: options.maxRequestBodySize })
    }).fetch;
}
