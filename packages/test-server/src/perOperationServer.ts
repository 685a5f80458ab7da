/**
 * The per-operation-scope MCP test server: each MCP operation requires its own OAuth scope, and each challenge names
 * only that scope (RFC 6750 §3.1), the workload that breaks replace-on-challenge clients:
 *
 * | operation | required scope |
 * | --- | --- |
 * | `initialize`, `ping`, notifications, responses, GET stream, DELETE | `init` |
 * | `tools/list` | `mcp:tools:read` |
 * | `tools/call` | `mcp:tools:write` |
 *
 * It serves Streamable HTTP on `/mcp`, the legacy HTTP+SSE transport on `/mcp/sse` + `/mcp/messages`, and RFC 9728
 * protected resource metadata, in front of a real authorization server (oidc-provider, or the simple one).
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { bearerChallenge, parseWWWAuthenticate } from '@modelcontextprotocol/client';
import {
    createMcpExpressApp,
    mcpRoute,
    protectedResourceMetadataRouter,
    requireBearerAuth
} from '@modelcontextprotocol/express';
import {
    createJwtVerifier,
    createScopePolicy,
    McpServer,
    protectedResourceMetadataUrl,
    requireScopes
} from '@modelcontextprotocol/server';
import type { ScopePolicy } from '@modelcontextprotocol/server';
import type { Express, RequestHandler } from 'express';
import * as z from 'zod/v4';

import { startOidcAuthServer, startSimpleAuthServer } from './authServer/index.js';
import type { OidcAuthServerOptions, SimpleAuthServerOptions, TestAuthServer } from './authServer/index.js';
import { DEFAULT_MCP_SCOPES } from './authServer/types.js';
import { legacySseHandlers } from './legacySse.js';

/** One challenge the server sent. */
export interface ChallengeRecord {
    /** 401 or 403. */
    status: number;
    /** The HTTP method. */
    httpMethod: string;
    /** The JSON-RPC method(s) of the body; `''` for requests without one (GET stream, DELETE). */
    method: string;
    /** The challenge's `scope`. */
    scope: string | undefined;
    /** The challenge's `error`, if any. */
    error: string | undefined;
}

/** Options of {@link startPerOperationServer}. */
export interface PerOperationServerOptions {
    /** The authorization server: started here (`'oidc'`, default, or `'simple'`), or one already running. */
    authServer?: 'oidc' | 'simple' | TestAuthServer;
    /** Options of a simple authorization server started here. */
    simpleOptions?: Omit<SimpleAuthServerOptions, 'resourceUrl'>;
    /** Options of an oidc-provider server started here. */
    oidcOptions?: Omit<OidcAuthServerOptions, 'resourceUrl'>;
    /** Serve each request with a fresh server and transport, without sessions. Default false. */
    stateless?: boolean;
    /**
     * The scope the standalone GET stream requires. Default `init`; set e.g. `mcp:tools:read` to force a
     * `403 insufficient_scope` on the GET stream of a client holding only `init`.
     */
    getStreamScope?: string;
    /** The port to listen on (needed when `authServer` is an existing server bound to this URL). Default 0. */
    port?: number;
    /**
     * A hostile server: every `tools/call` requires a scope never asked before (`extra:1`, `extra:2`, …), so each
     * challenge names a new scope. The authorization server must know those scopes (e.g. `supportedScopes`).
     */
    escalating?: boolean;
    /**
     * Where `tools/call` asks for `mcp:tools:write`: in the bearer-auth scope policy (`'policy'`, default), or,
     * the official v2 way, in each tool's `scopeChallenge: requireScopes('mcp:tools:write')`, answered by the
     * transport (`'scopeChallenge'`).
     */
    toolScopes?: 'policy' | 'scopeChallenge';
    /**
     * Adds routes to the server's Express app ahead of the metadata and MCP routes, e.g. a web page served from the
     * MCP server's own origin, so a browser client needs no CORS (browser tests).
     */
    routes?: (app: Express) => void;
}

/** A running {@link startPerOperationServer}. */
export interface PerOperationServer<A extends TestAuthServer = TestAuthServer> {
    /** The Streamable HTTP endpoint: `http://127.0.0.1:<port>/mcp`, also the OAuth resource. */
    readonly url: URL;
    /** The legacy HTTP+SSE stream URL: `http://127.0.0.1:<port>/mcp/sse`. */
    readonly sseUrl: URL;
    /** The authorization server, with its `stats`. */
    readonly authServer: A;
    /** Every 401/403 challenge sent, in order. */
    readonly challenges: ChallengeRecord[];
    /** Stops the MCP server and, when it started it, the authorization server. */
    close(): Promise<void>;
}

/**
 * The MCP server behind the endpoint: `echo` and `add`; with `scopeChallenge`, each tool challenges for
 * `mcp:tools:write` itself (official v2 `requireScopes`).
 */
export function createToolServer(options: { scopeChallenge?: boolean } = {}): McpServer {
    const server = new McpServer({ name: 'per-operation-scope-server', version: '1.0.0' });
    const scopeChallenge = options.scopeChallenge ? { scopeChallenge: requireScopes('mcp:tools:write') } : {};
    server.registerTool(
        'echo',
        { description: 'Echoes its input', inputSchema: { text: z.string() }, ...scopeChallenge },
        ({ text }) => ({ content: [{ type: 'text', text }] })
    );
    server.registerTool(
        'add',
        { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() }, ...scopeChallenge },
        ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] })
    );
    return server;
}

/** Starts the server on 127.0.0.1 with its authorization server. */
export async function startPerOperationServer(options: PerOperationServerOptions = {}): Promise<PerOperationServer> {
    const app = createMcpExpressApp();
    options.routes?.(app);
    const http = createServer(app);
    await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
    const choice = options.authServer ?? 'oidc';
    const authServer =
        typeof choice === 'object'
            ? choice
            : choice === 'simple'
              ? await startSimpleAuthServer({ ...options.simpleOptions, resourceUrl: url.href })
              : await startOidcAuthServer({ ...options.oidcOptions, resourceUrl: url.href });

    const challenges: ChallengeRecord[] = [];
    const verifier = createJwtVerifier({ jwksUrl: authServer.jwksUrl, issuer: authServer.issuer, audience: url });
    const resourceMetadataUrl = protectedResourceMetadataUrl(url);
    const perTool = options.toolScopes === 'scopeChallenge';
    const scopes: Record<string, string> = {
        initialize: 'init',
        ping: 'init',
        'tools/list': 'mcp:tools:read',
        // With per-tool challenges the gate only authenticates tools/call; the tool asks for its scope.
        'tools/call': perTool ? 'init' : 'mcp:tools:write'
    };
    const basePolicy = createScopePolicy({ methods: scopes, default: 'init' });
    let escalation = 0;
    const policy: ScopePolicy = options.escalating
        ? {
              ...basePolicy,
              requiredScopes: message =>
                  isToolCall(message) ? [`extra:${++escalation}`] : basePolicy.requiredScopes(message)
          }
        : basePolicy;
    const streamPolicy = createScopePolicy({ withoutMessage: options.getStreamScope ?? 'init' });
    const auth = requireBearerAuth({ verifier, policy, resourceMetadataUrl });
    const streamAuth = requireBearerAuth({ verifier, policy: streamPolicy, resourceMetadataUrl });
    const record = recordChallenges(challenges);

    app.use(
        protectedResourceMetadataRouter({
            resourceServerUrl: url,
            authorizationServers: [authServer.issuer],
            scopesSupported: DEFAULT_MCP_SCOPES
        })
    );
    const buildServer = () => createToolServer({ scopeChallenge: perTool });
    const route = mcpRoute({ createServer: buildServer, stateless: options.stateless ?? false });
    app.post('/mcp', record, auth, route);
    app.get('/mcp', record, streamAuth, route);
    app.delete('/mcp', record, auth, route);
    const legacy = legacySseHandlers('/mcp/messages', buildServer);
    app.get('/mcp/sse', record, streamAuth, legacy.stream);
    app.post('/mcp/messages', record, auth, legacy.messages);

    let closing: Promise<void> | undefined;
    return {
        url,
        sseUrl: new URL('/mcp/sse', url),
        authServer,
        challenges,
        close: () =>
            (closing ??= (async () => {
                await Promise.allSettled([route.close(), legacy.close()]);
                await new Promise<void>(resolve => {
                    http.close(() => resolve());
                    http.closeAllConnections();
                });
                if (typeof choice !== 'object') await authServer.close();
            })())
    };
}

/** Records each 401/403 challenge once the response is finished. */
function recordChallenges(challenges: ChallengeRecord[]): RequestHandler {
    return (req, res, next) => {
        res.on('finish', () => {
            if (res.statusCode !== 401 && res.statusCode !== 403) return;
            const bearer = bearerChallenge(parseWWWAuthenticate(String(res.getHeader('www-authenticate') ?? '')));
            challenges.push({
                status: res.statusCode,
                httpMethod: req.method,
                method: rpcMethods(req.body),
                scope: bearer?.scope,
                error: bearer?.error
            });
        });
        next();
    };
}

function isToolCall(message: unknown): boolean {
    return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'tools/call';
}

function rpcMethods(body: unknown): string {
    const messages: unknown[] = Array.isArray(body) ? body : body === undefined ? [] : [body];
    return messages
        .map(message =>
            typeof message === 'object' && message !== null && 'method' in message ? String(message.method) : ''
        )
        .filter(method => method !== '')
        .join(',');
}
