/**
 * A protected resource and an authorization server on loopback whose every route can be replaced by a misbehaving
 * one, for the hostile-server tests. The defaults behave: the resource (`<rs>/mcp`) answers 200 to a token the
 * authorization server issued and `401 Bearer resource_metadata=…` otherwise; the authorization server publishes
 * RFC 8414 metadata, registers any client, approves every authorization at once and issues Bearer tokens with
 * refresh tokens.
 */
import type { ServerResponse } from 'node:http';

import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import type { Handler, LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

export const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** The routes of the authorization server, by `METHOD /path`. */
export type AsRoute =
    'GET /.well-known/oauth-authorization-server' | 'POST /register' | 'GET /authorize' | 'POST /token';

export interface World {
    rs: LoopbackServer;
    as: LoopbackServer;
    mcpUrl: URL;
    /** The protected resource metadata URL the default challenge names. */
    prmUrl: string;
    /** The `/mcp` handler; replace it to make the resource misbehave. */
    mcp: Handler;
    /** The protected resource metadata handler. */
    prm: Handler;
    /** Authorization server routes; replace one to make it misbehave. */
    asRoutes: Record<AsRoute, Handler>;
    /** Every authorization request URL, in order. */
    authorizations: URL[];
    /** Every token request body, in order. */
    tokenRequests: URLSearchParams[];
    /** Access tokens issued, in order. */
    issued: string[];
    /** The default challenge (`Bearer resource_metadata="…"` plus `params`). */
    challenge(params?: Record<string, string>): string;
    /** Whether a request carries a token this authorization server issued. */
    hasIssuedToken(request: RecordedRequest): boolean;
    /** Requests of `server` whose path starts with `prefix`. */
    count(server: LoopbackServer, prefix?: string): number;
    close(): Promise<void>;
}

/** Default authorization server metadata for `origin`. */
export function asMetadata(origin: string): Record<string, unknown> {
    return {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        authorization_response_iss_parameter_supported: true
    };
}

export async function startWorld(): Promise<World> {
    const rs = await startServer();
    const as = await startServer();
    const mcpUrl = new URL('/mcp', rs.origin);
    const prmUrl = `${rs.origin}/.well-known/oauth-protected-resource/mcp`;
    const codes = new Map<string, string>();
    const refreshTokens = new Map<string, string>();
    let counter = 0;
    const issue = (scope: string): Record<string, unknown> => {
        const n = ++counter;
        w.issued.push(`at-${n}`);
        refreshTokens.set(`rt-${n}`, scope);
        return { access_token: `at-${n}`, token_type: 'Bearer', refresh_token: `rt-${n}`, scope };
    };
    const w: World = {
        rs,
        as,
        mcpUrl,
        prmUrl,
        authorizations: [],
        tokenRequests: [],
        issued: [],
        challenge: (params = {}) =>
            `Bearer ${Object.entries({ resource_metadata: prmUrl, ...params })
                .map(([k, v]) => `${k}="${v}"`)
                .join(', ')}`,
        hasIssuedToken: request => w.issued.includes((request.headers.authorization ?? '').replace(/^Bearer /, '')),
        count: (server, prefix = '/') => server.requests.filter(r => r.path.startsWith(prefix)).length,
        mcp: (request, response) => {
            if (w.hasIssuedToken(request)) return send(response, 200, { ok: true });
            return send(response, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': w.challenge() });
        },
        prm: (_request, response) => send(response, 200, { resource: mcpUrl.href, authorization_servers: [as.origin] }),
        asRoutes: {
            'GET /.well-known/oauth-authorization-server': (_request, response) =>
                send(response, 200, asMetadata(as.origin)),
            'POST /register': (request, response) =>
                send(response, 201, { ...JSON.parse(request.body), client_id: `client-${++counter}` }),
            'GET /authorize': (request, response) => {
                const url = new URL(request.path, as.origin);
                const code = `code-${++counter}`;
                codes.set(code, url.searchParams.get('scope') ?? '');
                const target = new URL(url.searchParams.get('redirect_uri') ?? REDIRECT_URI);
                target.searchParams.set('code', code);
                target.searchParams.set('state', url.searchParams.get('state') ?? '');
                target.searchParams.set('iss', as.origin);
                redirect(response, target.href);
            },
            'POST /token': (request, response) => {
                const form = new URLSearchParams(request.body);
                const key = form.get(form.get('grant_type') === 'refresh_token' ? 'refresh_token' : 'code') ?? '';
                const store = form.get('grant_type') === 'refresh_token' ? refreshTokens : codes;
                const scope = store.get(key);
                if (scope === undefined) return send(response, 400, { error: 'invalid_grant' });
                store.delete(key);
                return send(response, 200, issue(form.get('scope') ?? scope));
            }
        },
        close: async () => {
            await Promise.all([rs.close(), as.close()]);
        }
    };
    rs.handle((request, response, server) => {
        const path = request.path.replace(/\?.*$/, '');
        if (path === '/.well-known/oauth-protected-resource/mcp') return w.prm(request, response, server);
        if (path === '/mcp') return w.mcp(request, response, server);
        return send(response, 404, { error: 'not_found' });
    });
    as.handle((request, response, server) => {
        const url = new URL(request.path, as.origin);
        const key = `${request.method} ${url.pathname}` as AsRoute;
        if (key === 'GET /authorize') w.authorizations.push(url);
        if (key === 'POST /token') w.tokenRequests.push(new URLSearchParams(request.body));
        const route = w.asRoutes[key];
        if (route === undefined) return send(response, 404, { error: 'not_found' });
        return route(request, response, server);
    });
    return w;
}

/** Answers 302 to `location`. */
export function redirect(response: ServerResponse, location: string): void {
    response.writeHead(302, { location });
    response.end();
}

/**
 * Writes a response straight to the socket, bypassing Node's header validation, so that a header may carry bytes
 * (control characters, stray quotes) that a well-behaved server could not send.
 */
export function rawResponse(response: ServerResponse, status: number, headerLines: string[], body = 'no'): void {
    const head = [`HTTP/1.1 ${status} Hostile`, ...headerLines, `content-length: ${Buffer.byteLength(body)}`];
    response.socket?.end(`${head.join('\r\n')}\r\nconnection: close\r\n\r\n${body}`);
}

/** Follows the authorization server's redirect to the callback, like a user agent that approves at once. */
export async function approve(url: URL): Promise<URL> {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return new URL(response.headers.get('location') ?? REDIRECT_URI);
}

/** A public client completing authorizations in-process with `complete` (default: {@link approve}). */
export function provider(
    complete: (url: URL) => Promise<URL | string> = approve,
    options: { clientId?: string } = {}
): InMemoryOAuthClientProvider & { completions: URL[] } {
    const completions: URL[] = [];
    const p = new InMemoryOAuthClientProvider({
        redirectUrl: REDIRECT_URI,
        clientMetadata: {
            redirect_uris: [REDIRECT_URI],
            grant_types: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_method: 'none'
        },
        ...(options.clientId === undefined ? {} : { clientInformation: { client_id: options.clientId } }),
        completeAuthorization: url => {
            completions.push(url);
            return complete(url);
        }
    });
    return Object.assign(p, { completions });
}

/** A JSON-RPC-ish POST body for the resource. */
export const POST: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"jsonrpc":"2.0","id":1,"method":"ping"}'
};
