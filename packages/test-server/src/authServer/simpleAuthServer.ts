/**
 * A small, configurable OAuth 2.1 authorization server of our own, for behaviours oidc-provider cannot be
 * configured for (e.g. a token response without `scope`, RFC 6749 §5.1) and for machine clients.
 *
 * Endpoints: RFC 8414 metadata, RFC 7591 open registration, an authorization endpoint that approves at once
 * (302 with `code`, `state`, RFC 9207 `iss`), a token endpoint (authorization_code with PKCE S256 — RFC 7636,
 * rotating refresh tokens — RFC 6749 §6, client_credentials), the JWK Set, and RFC 7662 introspection.
 * Access tokens are ES256 JWTs (RFC 9068) whose `aud` is the resource (RFC 8707).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OAuthError, param, parseParams, readBody, readForm, sendError, sendJson } from './http.js';
import { AUTH_METHODS, ClientRegistry, GRANT_TYPES } from './simpleClients.js';
import type { SimpleClient } from './simpleClients.js';
import { AccessTokenSigner } from './simpleTokens.js';
import type { AccessTokenClaims } from './simpleTokens.js';
import { DEFAULT_MCP_SCOPES, splitScope } from './types.js';
import type { AuthServerStats, TestAuthServer } from './types.js';

/**
 * How the refresh grant treats a `scope` parameter (RFC 6749 §6):
 * - `standard`: optional; when present it must be a subset of the original grant and narrows the new access token.
 * - `require-scope`: like `standard`, but a refresh request without `scope` is an `invalid_request`.
 * - `ignore-scope`: `scope` is ignored; the new access token always carries the whole original grant.
 */
export type RefreshScopeBehaviour = 'standard' | 'require-scope' | 'ignore-scope';

/** Options of {@link startSimpleAuthServer}. */
export interface SimpleAuthServerOptions {
    /** The MCP resource (RFC 8707); the only accepted `resource` and the `aud` of every access token. */
    resourceUrl: string;
    /** Scopes this server knows; others are dropped from requests. Default: `init`, `mcp:tools:read`, `mcp:tools:write`. */
    supportedScopes?: string[];
    /** Leave `scope` out of token responses whenever the token carries exactly the requested scope. */
    omitScopeInTokenResponse?: boolean;
    /** Never grant these: granted = requested − these, and the token response then carries `scope`. */
    denyScopes?: string[];
    /** Access token lifetime in seconds; may be short (e.g. 1). Default 3600. */
    accessTokenTtl?: number;
    /** Issue rotating refresh tokens to clients registered for the `refresh_token` grant. Default true. */
    issueRefreshTokens?: boolean;
    /** Default `standard`. */
    refreshScopeBehaviour?: RefreshScopeBehaviour;
}

/** Handle of a running {@link startSimpleAuthServer} instance. */
export interface SimpleAuthServer extends TestAuthServer {
    /** Makes every access token issued so far inactive for {@link SimpleAuthServer.verifyAccessToken} and `/introspect`. */
    revokeAccessTokens(): void;
    /** Verifies an access token of this server (signature, issuer, expiry, revocation); `undefined` when inactive. */
    verifyAccessToken(token: string): Promise<AccessTokenClaims | undefined>;
}

interface CodeGrant {
    clientId: string;
    redirectUri: string;
    /** Whether the authorization request named `redirect_uri` (then the token request must repeat it). */
    redirectUriGiven: boolean;
    challenge: string;
    requested: string[];
    granted: string[];
    resource: string;
    grantId: string;
    expiresAt: number;
    consumed: boolean;
}

interface RefreshGrant {
    clientId: string;
    grantId: string;
    granted: string[];
    resource: string;
    used: boolean;
}

const USER_SUBJECT = 'test-user';
const CODE_TTL_MS = 60_000;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Starts the server on `http://127.0.0.1:<ephemeral port>`. */
export async function startSimpleAuthServer(options: SimpleAuthServerOptions): Promise<SimpleAuthServer> {
    const resourceUrl = options.resourceUrl;
    const resourceKey = normalizeResource(resourceUrl);
    if (resourceKey === undefined) throw new TypeError(`resourceUrl is not an absolute URL: ${resourceUrl}`);
    const ttl = options.accessTokenTtl ?? 3600;
    if (!(ttl > 0)) throw new TypeError('accessTokenTtl must be positive');
    const supported = options.supportedScopes ?? [...DEFAULT_MCP_SCOPES];
    const deny = new Set(options.denyScopes ?? []);
    const refreshBehaviour = options.refreshScopeBehaviour ?? 'standard';
    const stats: AuthServerStats = { authorizations: [], tokenRequests: [] };
    const clients = new ClientRegistry();
    const codes = new Map<string, CodeGrant>();
    const refreshTokens = new Map<string, RefreshGrant>();

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signer = await AccessTokenSigner.create(issuer);
    const metadata = {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        introspection_endpoint: `${issuer}/introspect`,
        jwks_uri: `${issuer}/jwks`,
        scopes_supported: supported,
        response_types_supported: ['code'],
        grant_types_supported: [...GRANT_TYPES],
        token_endpoint_auth_methods_supported: [...AUTH_METHODS],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true
    };

    /** requested ∩ supported − denied, in request order; no requested scope means every supported one. */
    const grantFor = (requested: string[]): string[] =>
        (requested.length > 0 ? requested : supported).filter(s => supported.includes(s) && !deny.has(s));

    const checkResource = (value: string | undefined): void => {
        if (value !== undefined && normalizeResource(value) !== resourceKey) {
            throw new OAuthError('invalid_target', `unknown resource ${value}`);
        }
    };

    const tokenResponse = async (
        client: SimpleClient,
        subject: string,
        scope: string[],
        requested: string[],
        refresh: Omit<RefreshGrant, 'used'> | undefined
    ): Promise<Record<string, unknown>> => {
        const body: Record<string, unknown> = {
            access_token: await signer.issue(
                { resource: resourceUrl, subject, clientId: client.clientId, scope: scope.join(' ') },
                ttl
            ),
            token_type: 'Bearer',
            expires_in: Math.ceil(ttl)
        };
        if (refresh && (options.issueRefreshTokens ?? true) && client.grantTypes.includes('refresh_token')) {
            const token = randomBytes(32).toString('base64url');
            refreshTokens.set(token, { ...refresh, used: false });
            body.refresh_token = token;
        }
        // RFC 6749 §5.1: scope is OPTIONAL when identical to the requested scope, REQUIRED otherwise.
        if (!(options.omitScopeInTokenResponse && requested.length > 0 && sameSet(requested, scope))) {
            body.scope = scope.join(' ');
        }
        return body;
    };

    const authorize = (url: URL, res: ServerResponse): void => {
        const params = parseParams(url.searchParams, ['resource']);
        const clientId = param(params, 'client_id');
        const client = clientId === undefined ? undefined : clients.get(clientId);
        if (!client) throw new OAuthError('invalid_request', 'unknown or missing client_id');
        const given = param(params, 'redirect_uri');
        const redirectUri = given ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
        if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
            throw new OAuthError('invalid_request', 'missing or unregistered redirect_uri');
        }
        const state = param(params, 'state');
        const reply = (extra: Record<string, string>): void => {
            const target = new URL(redirectUri);
            for (const [k, v] of Object.entries(extra)) target.searchParams.set(k, v);
            if (state !== undefined) target.searchParams.set('state', state);
            target.searchParams.set('iss', issuer);
            res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
            res.end();
        };
        const fail = (error: string, description: string): void => reply({ error, error_description: description });

        if (param(params, 'response_type') !== 'code') return fail('unsupported_response_type', 'only code');
        if (!client.grantTypes.includes('authorization_code'))
            return fail('unauthorized_client', 'grant not registered');
        const challenge = param(params, 'code_challenge');
        if (challenge === undefined || !PKCE_CHALLENGE.test(challenge))
            return fail('invalid_request', 'code_challenge required');
        if (param(params, 'code_challenge_method') !== 'S256')
            return fail('invalid_request', 'code_challenge_method must be S256');
        const resources = params.get('resource') ?? [resourceUrl];
        if (resources.length !== 1 || normalizeResource(resources[0] ?? '') !== resourceKey) {
            return fail('invalid_target', 'unknown resource');
        }
        const requestedScope = param(params, 'scope') ?? '';
        const requested = splitScope(requestedScope);
        const granted = grantFor(requested);
        stats.authorizations.push({ requestedScope, grantedScope: granted.join(' '), at: Date.now() });
        if (granted.length === 0) return fail('invalid_scope', 'none of the requested scopes can be granted');

        if (codes.size >= 100) pruneCodes(codes);
        const code = randomBytes(32).toString('base64url');
        codes.set(code, {
            clientId: client.clientId,
            redirectUri,
            redirectUriGiven: given !== undefined,
            challenge,
            requested,
            granted,
            resource: resourceUrl,
            grantId: randomBytes(12).toString('base64url'),
            expiresAt: Date.now() + CODE_TTL_MS,
            consumed: false
        });
        reply({ code });
    };

    const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const form = await readForm(req);
        const grantType = param(form, 'grant_type') ?? '';
        const scopeParam = param(form, 'scope');
        stats.tokenRequests.push(scopeParam === undefined ? { grantType } : { grantType, scope: scopeParam });
        const client = clients.authenticate(req.headers, form);
        if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
            throw new OAuthError('unsupported_grant_type', `unsupported grant_type ${grantType}`);
        }
        if (!client.grantTypes.includes(grantType))
            throw new OAuthError('unauthorized_client', 'grant type not registered');
        checkResource(param(form, 'resource'));

        if (grantType === 'authorization_code') {
            const code = param(form, 'code') ?? '';
            const grant = codes.get(code);
            if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.clientId) {
                throw new OAuthError('invalid_grant', 'invalid or expired authorization code');
            }
            if (grant.consumed) {
                revokeGrant(refreshTokens, grant.grantId);
                throw new OAuthError('invalid_grant', 'authorization code already used');
            }
            grant.consumed = true;
            const redirectUri = param(form, 'redirect_uri');
            if ((grant.redirectUriGiven || redirectUri !== undefined) && redirectUri !== grant.redirectUri) {
                throw new OAuthError('invalid_grant', 'redirect_uri mismatch');
            }
            const verifier = param(form, 'code_verifier');
            if (verifier === undefined || !PKCE_VERIFIER.test(verifier) || s256(verifier) !== grant.challenge) {
                throw new OAuthError('invalid_grant', 'PKCE verification failed');
            }
            const { granted, resource, grantId } = grant;
            const refresh = { clientId: client.clientId, grantId, granted, resource };
            return sendJson(res, 200, await tokenResponse(client, USER_SUBJECT, granted, grant.requested, refresh));
        }

        if (grantType === 'refresh_token') {
            const presented = param(form, 'refresh_token') ?? '';
            const grant = refreshTokens.get(presented);
            if (!grant || grant.clientId !== client.clientId)
                throw new OAuthError('invalid_grant', 'invalid refresh token');
            if (grant.used) {
                revokeGrant(refreshTokens, grant.grantId);
                throw new OAuthError('invalid_grant', 'refresh token already used');
            }
            let scope = grant.granted;
            if (refreshBehaviour === 'require-scope' && scopeParam === undefined) {
                throw new OAuthError('invalid_request', 'scope is required when refreshing');
            }
            if (refreshBehaviour !== 'ignore-scope' && scopeParam !== undefined) {
                scope = splitScope(scopeParam);
                const extra = scope.filter(s => !grant.granted.includes(s));
                if (extra.length > 0)
                    throw new OAuthError('invalid_scope', `not in the original grant: ${extra.join(' ')}`);
            }
            grant.used = true;
            const requested = refreshBehaviour !== 'ignore-scope' && scopeParam !== undefined ? scope : grant.granted;
            const { granted, resource, grantId } = grant;
            const refresh = { clientId: client.clientId, grantId, granted, resource };
            return sendJson(res, 200, await tokenResponse(client, USER_SUBJECT, scope, requested, refresh));
        }

        if (client.clientSecret === undefined)
            throw new OAuthError('unauthorized_client', 'client_credentials needs a secret');
        const requested = splitScope(scopeParam);
        const granted = grantFor(requested);
        if (granted.length === 0) throw new OAuthError('invalid_scope', 'none of the requested scopes can be granted');
        return sendJson(res, 200, await tokenResponse(client, client.clientId, granted, requested, undefined));
    };

    const introspect = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const claims = await signer.verify(param(await readForm(req), 'token') ?? '');
        sendJson(res, 200, claims ? { active: true, token_type: 'Bearer', ...claims } : { active: false });
    };

    const register = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        let body: unknown;
        try {
            body = JSON.parse(await readBody(req));
        } catch (error) {
            if (error instanceof OAuthError) throw error;
            throw new OAuthError('invalid_client_metadata', 'the registration body is not valid JSON');
        }
        sendJson(res, 201, clients.register(body));
    };

    const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        res.setHeader('access-control-allow-origin', '*');
        if (req.method === 'OPTIONS') {
            res.writeHead(204, {
                'access-control-allow-methods': 'GET, POST, OPTIONS',
                'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version',
                'access-control-max-age': '600'
            });
            return void res.end();
        }
        const url = new URL(req.url ?? '/', issuer);
        const key = `${req.method} ${url.pathname}`;
        switch (key) {
            case 'GET /.well-known/oauth-authorization-server':
                return sendJson(res, 200, metadata, { 'cache-control': 'max-age=60' });
            case 'GET /jwks':
                return sendJson(res, 200, signer.jwks(), { 'cache-control': 'max-age=60' });
            case 'GET /authorize':
                return authorize(url, res);
            case 'POST /register':
                return register(req, res);
            case 'POST /token':
                return token(req, res);
            case 'POST /introspect':
                return introspect(req, res);
            default:
                throw new OAuthError('not_found', `no route for ${req.method} ${url.pathname}`, 404);
        }
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        route(req, res).catch((error: unknown) => sendError(res, error));
    });

    let closing: Promise<void> | undefined;
    return {
        issuer,
        jwksUrl: metadata.jwks_uri,
        stats,
        revokeAccessTokens: () => signer.revokeAll(),
        verifyAccessToken: token => signer.verify(token),
        close: () =>
            (closing ??= new Promise<void>(resolve => {
                server.close(() => resolve());
                server.closeAllConnections();
            }))
    };
}

/** Canonical form used to compare resource indicators (RFC 8707 §2: absolute URI, no fragment). */
function normalizeResource(value: string): string | undefined {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url && !url.hash ? url.href : undefined;
}

function s256(verifier: string): string {
    return createHash('sha256').update(verifier).digest('base64url');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
    return a.length === b.length && a.every(s => b.includes(s));
}

/** Drops expired authorization codes so a long-lived server stays bounded. */
function pruneCodes(codes: Map<string, CodeGrant>): void {
    const now = Date.now();
    for (const [code, grant] of codes) if (grant.expiresAt < now) codes.delete(code);
}

/** Revokes every refresh token of a grant (code or refresh token replay, RFC 6749 §4.1.2, §10.4). */
function revokeGrant(refreshTokens: Map<string, RefreshGrant>, grantId: string): void {
    for (const [token, grant] of refreshTokens) if (grant.grantId === grantId) refreshTokens.delete(token);
}
