/**
 * The initialization handshake of the stateful revisions (MCP 2025-11-25, Basic › Lifecycle ›
 * Initialization): version negotiation and what the server learns about its client. Kept apart from `Server`
 * so that a stateless revision (no `initialize`; client facts carried per request) can replace this one seam.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#initialization
 * @module
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/core';
import type {
    ClientCapabilities,
    Implementation,
    InitializeRequestParams,
    InitializeResult,
    ServerCapabilities
} from '@modelcontextprotocol/core';

/** What the server knows about the client of a session once it has initialized. */
export interface ClientSession {
    /** The negotiated protocol revision. */
    readonly protocolVersion: string;
    /** The capabilities the client advertised. */
    readonly capabilities: ClientCapabilities;
    /** The client's name and version. */
    readonly clientInfo: Implementation;
}

/**
 * Picks the revision for a session: the one the client asked for when supported, else the latest this
 * server speaks (the client then decides whether to continue). Lifecycle › Version Negotiation.
 */
export function negotiateProtocolVersion(
    requested: string,
    supported: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS
): string {
    return supported.includes(requested) ? requested : (supported[0] ?? LATEST_PROTOCOL_VERSION);
}

/** What the server says about itself in the `initialize` result. */
export interface ServerIdentity {
    serverInfo: Implementation;
    capabilities: ServerCapabilities;
    instructions: string | undefined;
}

/** Answers an `initialize` request: the session it opens and the result to send. */
export function initializeSession(
    params: InitializeRequestParams,
    server: ServerIdentity,
    supported?: readonly string[]
): { session: ClientSession; result: InitializeResult } {
    const protocolVersion = negotiateProtocolVersion(params.protocolVersion, supported);
    const session: ClientSession = {
        protocolVersion,
        capabilities: params.capabilities,
        clientInfo: params.clientInfo
    };
    const result: InitializeResult = {
        protocolVersion,
        capabilities: server.capabilities,
        serverInfo: server.serverInfo
    };
    if (server.instructions !== undefined) result.instructions = server.instructions;
    return { session, result };
}
