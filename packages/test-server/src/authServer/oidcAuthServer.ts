/**
 * A real OAuth 2.1 / OpenID Connect authorization server (oidc-provider) that approves every authorization
 * request by itself, for integration tests and the demo.
 *
 * It serves RFC 8414 metadata, open RFC 7591 registration, PKCE (S256, required), RFC 8707 resource indicators
 * with JWT access tokens (RFC 9068) whose audience is the MCP resource, rotating refresh tokens, and RFC 9207
 * `iss` on the authorization response. Complete its authorization requests with {@link approveAuthorization}.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import type { Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';

import { createMemoryAdapterFactory } from './memoryAdapter.js';
import { DEFAULT_MCP_SCOPES, splitScope } from './types.js';
import type { AuthServerStats, TestAuthServer } from './types.js';

/** Options of {@link startOidcAuthServer}. */
export interface OidcAuthServerOptions {
    /** The MCP resource (RFC 8707 / RFC 9728 `resource`); the audience of every access token. */
    resourceUrl: string;
    /** Scopes the resource accepts. Default: `init`, `mcp:tools:read`, `mcp:tools:write`. */
    scopes?: string[];
    /** Requested scopes the automatic approval refuses: the server then grants less than asked (RFC 6749 §3.3). */
    denyScopes?: string[];
    /** Access token lifetime in seconds (positive integer). Default 3600. */
    accessTokenTtl?: number;
    /** Issue (rotating) refresh tokens to clients registered for the `refresh_token` grant. Default true. */
    refreshTokens?: boolean;
}

/** Handle of a running {@link startOidcAuthServer} instance. */
export interface OidcAuthServer extends TestAuthServer {
    /** The underlying provider, for tests that need to inspect it. */
    readonly provider: Provider;
}

/** The account every automatic approval logs in. */
const ACCOUNT_ID = 'test-user';

/** oidc-provider's dynamic registration endpoint (its default `routes.registration`). */
const REGISTRATION_PATH = '/reg';

/**
 * Starts oidc-provider on `http://127.0.0.1:<ephemeral port>` with hands-free approval.
 *
 * Each authorization (one interaction) is recorded in `stats.authorizations` with the requested scope and the
 * resource scopes approved (requested ∩ `scopes`, minus `denyScopes`); each token endpoint request in
 * `stats.tokenRequests`.
 */
export async function startOidcAuthServer(options: OidcAuthServerOptions): Promise<OidcAuthServer> {
    const allowed = options.scopes ?? [...DEFAULT_MCP_SCOPES];
    const deny = new Set(options.denyScopes ?? []);
    const resourceUrl = options.resourceUrl;
    const resourceKey = normalizeResource(resourceUrl);
    if (resourceKey === undefined) throw new TypeError(`resourceUrl is not an absolute URL: ${resourceUrl}`);
    const stats: AuthServerStats = { authorizations: [], tokenRequests: [] };

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
        });
    });
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' };
    const refreshTokens = options.refreshTokens ?? true;

    const configuration: Configuration = {
        adapter: createMemoryAdapterFactory(),
        jwks: { keys: [jwk as JWK] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        scopes: ['openid', 'offline_access', ...allowed],
        clientDefaults: {
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
            id_token_signed_response_alg: 'ES256'
        },
        pkce: { required: () => true },
        features: {
            devInteractions: { enabled: false },
            registration: { enabled: true },
            clientCredentials: { enabled: true },
            resourceIndicators: {
                enabled: true,
                defaultResource: () => resourceUrl,
                useGrantedResource: () => true,
                getResourceServerInfo: (_ctx, indicator) => {
                    if (normalizeResource(indicator) !== resourceKey) throw new errors.InvalidTarget();
                    return {
                        scope: allowed.join(' '),
                        audience: resourceUrl,
                        accessTokenFormat: 'jwt',
                        accessTokenTTL: options.accessTokenTtl ?? 3600,
                        jwt: { sign: { alg: 'ES256' } }
                    };
                }
            }
        },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
        issueRefreshToken: (_ctx, client) => refreshTokens && client.grantTypeAllowed('refresh_token'),
        expiresWithSession: () => false,
        clientBasedCORS: () => true,
        renderError: (ctx, out) => {
            ctx.type = 'application/json';
            ctx.body = { error: out.error, error_description: out.error_description };
        },
        ttl: {
            AccessToken: options.accessTokenTtl ?? 3600,
            AuthorizationCode: 60,
            ClientCredentials: options.accessTokenTtl ?? 3600,
            Grant: 86_400,
            Interaction: 600,
            RefreshToken: 86_400,
            Session: 600
        }
    };
    const provider = new Provider(issuer, configuration);

    provider.use(async (ctx: KoaContextWithOIDC, next) => {
        try {
            await next();
        } finally {
            if (ctx.oidc?.route === 'token') {
                const params = ctx.oidc.params ?? {};
                const grantType = typeof params.grant_type === 'string' ? params.grant_type : '';
                const scope = params.scope;
                stats.tokenRequests.push(typeof scope === 'string' ? { grantType, scope } : { grantType });
            }
        }
    });

    const app = express();
    app.disable('x-powered-by');
    app.get('/interaction/:uid', async (req: Request, res: Response) => {
        const details = await provider.interactionDetails(req, res);
        const params = details.params;
        const clientId = typeof params.client_id === 'string' ? params.client_id : undefined;
        if (!clientId) throw new errors.InvalidRequest('interaction without client_id');
        const requestedScope = typeof params.scope === 'string' ? params.scope : '';
        const requested = splitScope(requestedScope);
        const granted = requested.filter(s => allowed.includes(s) && !deny.has(s));
        const refused = requested.filter(s => deny.has(s));
        const oidcOnly = requested.filter(s => (s === 'openid' || s === 'offline_access') && !deny.has(s));

        const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId });
        grant.addOIDCScope([...oidcOnly, ...granted]);
        if (refused.length > 0) grant.rejectOIDCScope(refused);
        for (const resource of requestedResources(params.resource, resourceUrl)) {
            grant.addResourceScope(resource, granted);
            if (refused.length > 0) grant.rejectResourceScope(resource, refused);
        }
        const grantId = await grant.save();
        stats.authorizations.push({ requestedScope, grantedScope: granted.join(' '), at: Date.now() });
        await provider.interactionFinished(
            req,
            res,
            { login: { accountId: ACCOUNT_ID }, consent: { grantId } },
            { mergeWithLastSubmission: false }
        );
    });
    // oidc-provider answers no CORS on dynamic registration; browser clients (web-page MCP hosts) register too.
    app.use(REGISTRATION_PATH, (req: Request, res: Response, next: NextFunction) => {
        res.set('access-control-allow-origin', '*');
        if (req.method !== 'OPTIONS') return next();
        res.set({
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': 'content-type, authorization',
            'access-control-max-age': '600'
        });
        res.status(204).end();
    });
    app.use(provider.callback());
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const oauth = error instanceof errors.OIDCProviderError;
        res.status(oauth ? error.statusCode : 500).json({
            error: oauth ? error.error : 'server_error',
            error_description: error instanceof Error ? error.message : 'unexpected error'
        });
    });
    server.on('request', app);

    let closing: Promise<void> | undefined;
    return {
        issuer,
        jwksUrl: `${issuer}/jwks`,
        stats,
        provider,
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
    if (!url || url.hash) return undefined;
    return url.href;
}

/** The resource indicators of an authorization request (`resource` may repeat), defaulting to `fallback`. */
function requestedResources(value: unknown, fallback: string): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    return [fallback];
}
