/**
 * A tiny protected resource and authorization server on loopback, for the step-up unit tests.
 *
 * The resource (`<rs>/mcp`) reads the scope a request needs from its JSON body (`{"need": "a b"}`) and answers
 * like a per-operation-scope MCP server: 401 without a token (challenge names `need`), 401 `invalid_token` for an
 * unknown or expired token, 403 `insufficient_scope` when the token lacks `need`, else 200 `{"ok":true}`.
 * The authorization server approves every authorization at once (granting requested − `deny`).
 */
import type { ServerResponse } from 'node:http';

import type { OAuthClientMetadata } from '@modelcontextprotocol/core';

import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import type { ScopeStateSnapshot, StoredOAuthTokens } from '../../src/client/auth/provider.js';
import type { LoopbackServer, RecordedRequest } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

export interface HarnessOptions {
    /** Scopes the AS never grants. */
    deny?: string[];
    /** Leave `scope` out of token responses. */
    omitScope?: boolean;
    /** `scopes_supported` of the protected resource metadata. */
    prmScopes?: string[];
    /** `scopes_supported` of the AS metadata. */
    asScopes?: string[];
    /** `expires_in` of issued tokens. */
    expiresIn?: number;
    /** Issue refresh tokens. Default true. */
    refresh?: boolean;
    /** `resource` of the protected resource metadata; default the MCP URL. */
    prmResource?: string;
    /** Advertise `client_id_metadata_document_supported`. */
    cimd?: boolean;
}

interface IssuedToken {
    scopes: string[];
    expired: boolean;
}

export interface Harness {
    rs: LoopbackServer;
    as: LoopbackServer;
    mcpUrl: URL;
    /** Scope of each authorization request the AS received, in order. */
    authorizations: string[];
    /** Each authorization URL, in order. */
    authorizationUrls: URL[];
    /** Each token request body. */
    tokenRequests: URLSearchParams[];
    /** Access tokens by value. */
    tokens: Map<string, IssuedToken>;
    /** Default resource behaviour; tests may wrap it. */
    resource(request: RecordedRequest, response: ServerResponse): void;
    close(): Promise<void>;
}

export const REDIRECT_URI = 'http://127.0.0.1:1/callback';

function challenge(h: Harness, params: Record<string, string>): string {
    const all = { resource_metadata: `${h.rs.origin}/.well-known/oauth-protected-resource/mcp`, ...params };
    return `Bearer ${Object.entries(all)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}`;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
    const rs = await startServer();
    const as = await startServer();
    const mcpUrl = new URL('/mcp', rs.origin);
    const codes = new Map<string, { scopes: string[]; requested: string[] }>();
    const refreshTokens = new Map<string, string[]>();
    let counter = 0;
    const h: Harness = {
        rs,
        as,
        mcpUrl,
        authorizations: [],
        authorizationUrls: [],
        tokenRequests: [],
        tokens: new Map(),
        resource(request, response) {
            const need = request.body === '' ? '' : String((JSON.parse(request.body) as { need?: string }).need ?? '');
            const header = request.headers.authorization;
            if (header === undefined) {
                return send(
                    response,
                    401,
                    { error: 'unauthorized' },
                    { 'WWW-Authenticate': challenge(h, need ? { scope: need } : {}) }
                );
            }
            const token = h.tokens.get(header.replace(/^Bearer /, ''));
            if (token === undefined || token.expired) {
                return send(
                    response,
                    401,
                    { error: 'invalid_token' },
                    { 'WWW-Authenticate': challenge(h, { error: 'invalid_token' }) }
                );
            }
            const missing = need.split(' ').filter(s => s !== '' && !token.scopes.includes(s));
            if (missing.length > 0) {
                return send(
                    response,
                    403,
                    { error: 'insufficient_scope' },
                    {
                        'WWW-Authenticate': challenge(h, { error: 'insufficient_scope', scope: need })
                    }
                );
            }
            return send(response, 200, { ok: true });
        },
        close: async () => {
            await Promise.all([rs.close(), as.close()]);
        }
    };
    rs.handle((request, response) => {
        if (request.path === '/.well-known/oauth-protected-resource/mcp') {
            return send(response, 200, {
                resource: options.prmResource ?? mcpUrl.href,
                authorization_servers: [as.origin],
                ...(options.prmScopes === undefined ? {} : { scopes_supported: options.prmScopes })
            });
        }
        return h.resource(request, response);
    });
    const issue = (scopes: string[], requested: string[]) => {
        const accessToken = `at-${++counter}`;
        h.tokens.set(accessToken, { scopes, expired: false });
        const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer' };
        if (options.expiresIn !== undefined) body.expires_in = options.expiresIn;
        if (options.refresh ?? true) {
            const refreshToken = `rt-${counter}`;
            refreshTokens.set(refreshToken, scopes);
            body.refresh_token = refreshToken;
        }
        const same = scopes.length === requested.length && scopes.every(s => requested.includes(s));
        if (!(options.omitScope && same)) body.scope = scopes.join(' ');
        return body;
    };
    as.handle((request, response) => {
        const url = new URL(request.path, as.origin);
        switch (`${request.method} ${url.pathname}`) {
            case 'GET /.well-known/oauth-authorization-server':
                return send(response, 200, {
                    issuer: as.origin,
                    authorization_endpoint: `${as.origin}/authorize`,
                    token_endpoint: `${as.origin}/token`,
                    registration_endpoint: `${as.origin}/register`,
                    code_challenge_methods_supported: ['S256'],
                    token_endpoint_auth_methods_supported: ['none'],
                    authorization_response_iss_parameter_supported: true,
                    ...(options.asScopes === undefined ? {} : { scopes_supported: options.asScopes }),
                    ...(options.cimd ? { client_id_metadata_document_supported: true } : {})
                });
            case 'POST /register':
                return send(response, 201, { ...JSON.parse(request.body), client_id: `client-${++counter}` });
            case 'GET /authorize': {
                const requested = (url.searchParams.get('scope') ?? '').split(' ').filter(s => s !== '');
                h.authorizations.push(url.searchParams.get('scope') ?? '');
                h.authorizationUrls.push(url);
                const scopes = requested.filter(s => !(options.deny ?? []).includes(s) && s !== 'offline_access');
                const code = `code-${++counter}`;
                codes.set(code, { scopes, requested: requested.filter(s => s !== 'offline_access') });
                const target = new URL(url.searchParams.get('redirect_uri') ?? REDIRECT_URI);
                target.searchParams.set('code', code);
                target.searchParams.set('state', url.searchParams.get('state') ?? '');
                target.searchParams.set('iss', as.origin);
                response.writeHead(302, { location: target.href });
                response.end();
                return;
            }
            case 'POST /token': {
                const form = new URLSearchParams(request.body);
                h.tokenRequests.push(form);
                if (form.get('grant_type') === 'authorization_code') {
                    const grant = codes.get(form.get('code') ?? '');
                    if (grant === undefined) return send(response, 400, { error: 'invalid_grant' });
                    codes.delete(form.get('code') ?? '');
                    return send(response, 200, issue(grant.scopes, grant.requested));
                }
                const machineGrant =
                    form.get('grant_type') === 'client_credentials' ||
                    (form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
                        (form.get('assertion') ?? '').startsWith('workload-jwt-'));
                if (machineGrant) {
                    const requested = (form.get('scope') ?? '').split(' ').filter(s => s !== '');
                    const scopes = requested.filter(s => !(options.deny ?? []).includes(s));
                    return send(response, 200, { ...issue(scopes, requested), refresh_token: undefined });
                }
                const scopes = refreshTokens.get(form.get('refresh_token') ?? '');
                if (scopes === undefined) return send(response, 400, { error: 'invalid_grant' });
                refreshTokens.delete(form.get('refresh_token') ?? '');
                const asked = form.get('scope')?.split(' ') ?? scopes;
                return send(response, 200, issue(asked, asked));
            }
            default:
                return send(response, 404, { error: 'not_found' });
        }
    });
    return h;
}

/**
 * The in-memory provider with the harness defaults; `complete` mode approves in-process by following the AS's
 * redirect, `redirect` mode records the authorization URLs in `redirects`.
 */
export class MemoryProvider extends InMemoryOAuthClientProvider {
    constructor(
        mode: 'complete' | 'redirect' = 'complete',
        readonly metadata: Partial<OAuthClientMetadata> = {}
    ) {
        super({
            redirectUrl: REDIRECT_URI,
            clientMetadata: {
                redirect_uris: [REDIRECT_URI],
                grant_types: ['authorization_code', 'refresh_token'],
                token_endpoint_auth_method: 'none',
                ...metadata
            },
            completeAuthorization: mode === 'complete' ? followRedirect : undefined
        });
    }
    /** The saved tokens. */
    get stored(): StoredOAuthTokens | undefined {
        return this.tokens();
    }
    /** The saved PKCE verifier. */
    get verifier(): string {
        return this.codeVerifier();
    }
    /** The saved scope state. */
    get scopes(): ScopeStateSnapshot | undefined {
        return this.scopeState();
    }
}

async function followRedirect(url: URL): Promise<URL> {
    const response = await fetch(url, { redirect: 'manual' });
    return new URL(response.headers.get('location') ?? '');
}

/** A POST to the harness resource needing `need`. */
export function post(need: string): RequestInit {
    return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ need }) };
}
