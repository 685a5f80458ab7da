/**
 * Client registry of the hand-written authorization server: open dynamic registration (RFC 7591) and
 * token endpoint client authentication (RFC 6749 §2.3, RFC 7591 §2 `token_endpoint_auth_method`).
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { OAuthError, param } from './http.js';

/** Client authentication methods supported at the token endpoint. */
export const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;
/** Grant types supported at the token endpoint. */
export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

/** A registered client. */
export interface SimpleClient {
    clientId: string;
    clientSecret: string | undefined;
    redirectUris: string[];
    grantTypes: string[];
    authMethod: (typeof AUTH_METHODS)[number];
}

/** Most clients one server instance keeps; registration beyond it fails rather than growing without bound. */
const MAX_CLIENTS = 10_000;

/** In-memory client store. */
export class ClientRegistry {
    readonly #clients = new Map<string, SimpleClient>();

    /** Looks up a client by id. */
    get(clientId: string): SimpleClient | undefined {
        return this.#clients.get(clientId);
    }

    /**
     * Validates a registration request (RFC 7591 §2, §3.1) and stores the client.
     *
     * @returns the client information response body (RFC 7591 §3.2.1).
     * @throws {OAuthError} `invalid_client_metadata` / `invalid_redirect_uri` (RFC 7591 §3.2.2).
     */
    register(body: unknown): Record<string, unknown> {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
            throw new OAuthError('invalid_client_metadata', 'the registration body must be a JSON object');
        }
        const metadata = body as Record<string, unknown>;
        const grantTypes = stringArray(metadata.grant_types, 'grant_types') ?? ['authorization_code'];
        const unsupported = grantTypes.find(g => !(GRANT_TYPES as readonly string[]).includes(g));
        if (unsupported !== undefined)
            throw new OAuthError('invalid_client_metadata', `unsupported grant type ${unsupported}`);
        const responseTypes = stringArray(metadata.response_types, 'response_types') ?? ['code'];
        if (responseTypes.some(r => r !== 'code'))
            throw new OAuthError('invalid_client_metadata', 'only response type code');
        const authMethod = metadata.token_endpoint_auth_method ?? 'client_secret_basic';
        if (!AUTH_METHODS.some(m => m === authMethod)) {
            throw new OAuthError('invalid_client_metadata', 'unsupported token_endpoint_auth_method');
        }
        const redirectUris = stringArray(metadata.redirect_uris, 'redirect_uris') ?? [];
        for (const uri of redirectUris) {
            const url = URL.canParse(uri) ? new URL(uri) : undefined;
            if (!url || url.hash)
                throw new OAuthError('invalid_redirect_uri', `not an absolute URI without fragment: ${uri}`);
        }
        if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
            throw new OAuthError('invalid_redirect_uri', 'redirect_uris is required for the authorization_code grant');
        }
        if (this.#clients.size >= MAX_CLIENTS) throw new OAuthError('temporarily_unavailable', 'too many clients', 503);

        const client: SimpleClient = {
            clientId: randomBytes(16).toString('base64url'),
            clientSecret: authMethod === 'none' ? undefined : randomBytes(32).toString('base64url'),
            redirectUris,
            grantTypes,
            authMethod: authMethod as SimpleClient['authMethod']
        };
        this.#clients.set(client.clientId, client);
        return {
            ...metadata,
            redirect_uris: redirectUris,
            grant_types: grantTypes,
            response_types: responseTypes,
            token_endpoint_auth_method: authMethod,
            client_id: client.clientId,
            client_id_issued_at: Math.floor(Date.now() / 1000),
            ...(client.clientSecret === undefined
                ? {}
                : { client_secret: client.clientSecret, client_secret_expires_at: 0 })
        };
    }

    /**
     * Authenticates the client of a token request by whichever single method it used (RFC 6749 §2.3.1:
     * Basic or body credentials, never both); a public client just names itself with `client_id`.
     *
     * @throws {OAuthError} `invalid_client` (401) or `invalid_request`.
     */
    authenticate(headers: IncomingHttpHeaders, form: Map<string, string[]>): SimpleClient {
        const authorization = headers.authorization;
        const basic = authorization?.match(/^basic\s+([A-Za-z0-9+/=]+)\s*$/i);
        const bodyId = param(form, 'client_id');
        const bodySecret = param(form, 'client_secret');
        if (authorization !== undefined && !basic) throw invalidClient('unsupported Authorization scheme', true);
        let clientId: string | undefined;
        let secret: string | undefined;
        if (basic) {
            if (bodySecret !== undefined)
                throw new OAuthError('invalid_request', 'more than one client authentication method');
            const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon < 0) throw invalidClient('malformed Basic credentials', true);
            clientId = safeDecode(decoded.slice(0, colon));
            secret = safeDecode(decoded.slice(colon + 1));
            if (bodyId !== undefined && bodyId !== clientId)
                throw new OAuthError('invalid_request', 'client_id mismatch');
        } else {
            clientId = bodyId;
            secret = bodySecret;
        }
        const client = clientId === undefined ? undefined : this.#clients.get(clientId);
        if (!client) throw invalidClient('unknown client', Boolean(basic));
        if (client.clientSecret === undefined) {
            if (secret !== undefined) throw invalidClient('public client sent a secret', Boolean(basic));
            return client;
        }
        if (secret === undefined || !sameSecret(secret, client.clientSecret)) {
            throw invalidClient('client authentication failed', Boolean(basic));
        }
        return client;
    }
}

function invalidClient(description: string, basic: boolean): OAuthError {
    return new OAuthError(
        'invalid_client',
        description,
        401,
        basic ? { 'www-authenticate': 'Basic realm="token"' } : {}
    );
}

function stringArray(value: unknown, name: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
        throw new OAuthError('invalid_client_metadata', `${name} must be an array of strings`);
    }
    return value as string[];
}

function safeDecode(value: string): string | undefined {
    try {
        return decodeURIComponent(value.replaceAll('+', ' '));
    } catch {
        return undefined;
    }
}

function sameSecret(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}
