/**
 * A per-operation-scope MCP server built only with the official v2 server package (`official-server` =
 * `@modelcontextprotocol/server` 2.4.0): its `McpServer`, its `WebStandardStreamableHTTPServerTransport`, its
 * bearer gate `requireBearerAuth` and its RFC 9728 metadata responder `oauthMetadataResponse`, in front of our
 * oidc-provider authorization server.
 *
 * The official gate takes one static `requiredScopes` list; this scaffolding makes it per operation by choosing
 * one of three gates from the JSON-RPC method of the body (same policy as our per-operation server):
 *
 * | operation | gate's `requiredScopes` |
 * | --- | --- |
 * | `initialize`, `ping`, notifications, responses, GET stream, DELETE | `init` |
 * | `tools/list` | `mcp:tools:read` |
 * | `tools/call` | `mcp:tools:write` |
 *
 * With `toolsCall: 'scopeChallenge'`, `tools/call` passes the `init` gate instead and each tool demands
 * `mcp:tools:write` through the v2 server's own per-tool `scopeChallenge: requireScopes(…)`, which the transport
 * answers with its own `403 insufficient_scope`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { startOidcAuthServer } from '@mcp-stepup/test-server';
import type { OidcAuthServer } from '@mcp-stepup/test-server';
import {
    getOAuthProtectedResourceMetadataUrl,
    McpServer,
    oauthMetadataResponse,
    requireBearerAuth,
    requireScopes,
    WebStandardStreamableHTTPServerTransport
} from 'official-server';
import type { AuthInfo, AuthMetadataOptions, OAuthMetadata } from 'official-server';
import * as z from 'zod';

import { listen, writeWebResponse } from '../helpers.js';
import type { NodeHandler } from '../helpers.js';
import { createJwtAccessTokenVerifier } from './jwtAccessTokenVerifier.js';

/** The scope each JSON-RPC method needs; anything else (and a request without a method) needs `init`. */
export const OPERATION_SCOPES: Readonly<Record<string, string>> = {
    initialize: 'init',
    ping: 'init',
    'tools/list': 'mcp:tools:read',
    'tools/call': 'mcp:tools:write'
};

/** The scopes advertised in the protected resource metadata (`scopes_supported`). */
export const MCP_SCOPES = ['init', 'mcp:tools:read', 'mcp:tools:write'];

/** Options of {@link startOfficialBearerServer}. */
export interface OfficialBearerServerOptions {
    /**
     * How `tools/call` demands `mcp:tools:write`: its own `requireBearerAuth` gate (default), or the v2 server's
     * per-tool `scopeChallenge` behind the `init` gate.
     */
    toolsCall?: 'gate' | 'scopeChallenge';
}

/** The server's tools: `add({ a, b })` → `"a + b = sum"`, `echo({ text })` → `text`. */
function buildToolServer(toolsCall: 'gate' | 'scopeChallenge'): McpServer {
    const server = new McpServer({ name: 'official-bearer-server', version: '2.4.0' });
    const scopeChallenge = toolsCall === 'scopeChallenge' ? { scopeChallenge: requireScopes('mcp:tools:write') } : {};
    server.registerTool(
        'add',
        { description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }), ...scopeChallenge },
        ({ a, b }) => ({ content: [{ type: 'text', text: `${a} + ${b} = ${a + b}` }] })
    );
    server.registerTool(
        'echo',
        { description: 'Echoes its input', inputSchema: z.object({ text: z.string() }), ...scopeChallenge },
        ({ text }) => ({ content: [{ type: 'text', text }] })
    );
    return server;
}

/** One challenge the official gate or transport answered with. */
export interface GateChallenge {
    status: number;
    /** The HTTP method. */
    httpMethod: string;
    /** The JSON-RPC method of the body (`''` without one). */
    rpcMethod: string;
    /** The `WWW-Authenticate` header, verbatim. */
    wwwAuthenticate: string;
}

/** A running {@link startOfficialBearerServer}. */
export interface OfficialBearerServer {
    /** The MCP endpoint `http://127.0.0.1:<port>/mcp`, also the OAuth resource. */
    readonly url: URL;
    readonly authServer: OidcAuthServer;
    /** Every 401/403 the gates and the transport sent, in order. */
    readonly challenges: GateChallenge[];
    /** Errors thrown while handling requests (a test asserts this stays empty). */
    readonly errors: Error[];
    close(): Promise<void>;
}

/** Reads a request into a web `Request` with a buffered body, plus the parsed JSON body (`undefined` if none). */
async function bufferRequest(req: IncomingMessage, origin: string): Promise<{ request: Request; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const method = req.method ?? 'GET';
    const request = new Request(new URL(req.url ?? '/', origin), {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: text })
    });
    let body: unknown;
    try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
        body = undefined;
    }
    return { request, body };
}

/** The JSON-RPC method of a single message body (`''` for batches, responses and non-JSON). */
function rpcMethodOf(body: unknown): string {
    return typeof body === 'object' && body !== null && 'method' in body && typeof body.method === 'string'
        ? body.method
        : '';
}

/** The authorization server's metadata (OpenID Connect Discovery 1.0 §4; a superset of RFC 8414's). */
async function fetchOpenIdConfiguration(issuer: string): Promise<OAuthMetadata> {
    const response = await fetch(new URL('/.well-known/openid-configuration', issuer));
    if (!response.ok) throw new Error(`${issuer} metadata answered ${response.status}`);
    return (await response.json()) as OAuthMetadata;
}

/** Starts the server and its authorization server on 127.0.0.1. */
export async function startOfficialBearerServer(
    options: OfficialBearerServerOptions = {}
): Promise<OfficialBearerServer> {
    const toolsCall = options.toolsCall ?? 'gate';
    const challenges: GateChallenge[] = [];
    const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
    const servers = new Set<McpServer>();
    // The URL (hence the authorization server and the gates) exists only once listening: requests before that get 503.
    const route: { handle?: NodeHandler } = {};
    const running = await listen((req, res) => (route.handle ? route.handle(req, res) : void res.writeHead(503).end()));
    const url = running.url;
    const authServer = await startOidcAuthServer({ resourceUrl: url.href }).catch(async (error: unknown) => {
        await running.close();
        throw error;
    });
    const metadataOptions: AuthMetadataOptions = {
        oauthMetadata: await fetchOpenIdConfiguration(authServer.issuer).catch(async (error: unknown) => {
            await Promise.allSettled([running.close(), authServer.close()]);
            throw error;
        }),
        resourceServerUrl: url,
        scopesSupported: MCP_SCOPES
    };
    const verifier = createJwtAccessTokenVerifier({
        issuer: authServer.issuer,
        jwksUrl: authServer.jwksUrl,
        audience: url
    });
    const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(url);
    const gates = new Map(
        MCP_SCOPES.map(scope => [
            scope,
            requireBearerAuth({ verifier, requiredScopes: [scope], resourceMetadataUrl, expectedResource: url })
        ])
    );

    const openSession = async (): Promise<WebStandardStreamableHTTPServerTransport> => {
        const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: randomUUID,
            onsessioninitialized: id => void sessions.set(id, transport),
            onsessionclosed: id => void sessions.delete(id)
        });
        const server = buildToolServer(toolsCall);
        servers.add(server);
        await server.connect(transport);
        return transport;
    };

    route.handle = async (req, res) => {
        const { request, body } = await bufferRequest(req, url.origin);
        const metadata = oauthMetadataResponse(request, metadataOptions);
        if (metadata !== undefined) return writeWebResponse(metadata, res);
        if (new URL(request.url).pathname !== url.pathname) return void res.writeHead(404).end();

        const rpcMethod = rpcMethodOf(body);
        const record = (response: Response): Response => {
            if (response.status === 401 || response.status === 403) {
                challenges.push({
                    status: response.status,
                    httpMethod: request.method,
                    rpcMethod,
                    wwwAuthenticate: response.headers.get('www-authenticate') ?? ''
                });
            }
            return response;
        };
        const scope =
            rpcMethod === 'tools/call' && toolsCall === 'scopeChallenge' ? 'init' : OPERATION_SCOPES[rpcMethod];
        const auth: AuthInfo | Response = await gates.get(scope ?? 'init')!(request);
        if (auth instanceof Response) return writeWebResponse(record(auth), res);

        const sessionId = request.headers.get('mcp-session-id');
        let transport = sessionId === null ? undefined : sessions.get(sessionId);
        if (sessionId !== null && transport === undefined) return void res.writeHead(404).end();
        transport ??= await openSession();
        const response = await transport.handleRequest(request, { parsedBody: body, authInfo: auth });
        return writeWebResponse(record(response), res);
    };

    let closing: Promise<void> | undefined;
    return {
        url,
        authServer,
        challenges,
        errors: running.errors,
        close: () =>
            (closing ??= (async () => {
                await Promise.allSettled([...servers].map(server => server.close()));
                await running.close();
                await authServer.close();
            })())
    };
}
