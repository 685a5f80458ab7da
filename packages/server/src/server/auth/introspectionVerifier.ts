/**
 * A {@link TokenVerifier} that asks the authorization server about each token (OAuth 2.0 Token Introspection).
 *
 * @see RFC 7662 §2.1 (request), §2.2 (response: `active`, `scope`, `client_id`, `exp`, `aud`, …), RFC 6749
 *   §2.3.1 (client_secret_basic), RFC 8707 (audience = resource).
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';
import { BodyTooLargeError, readTextCapped } from './body.js';
import { AuthConfigError, InvalidTokenError, ServerError } from './errors.js';
import { parseScope } from './scopes.js';
import type { TokenVerifier } from './tokenVerifier.js';
import { toSecureUrl } from './url.js';

/** Options of {@link createIntrospectionVerifier}. */
export interface IntrospectionVerifierOptions {
    /** The introspection endpoint (RFC 8414 `introspection_endpoint`). https, or http on loopback. */
    introspectionEndpoint: string | URL;
    /** This resource server's client id at the authorization server. */
    clientId: string;
    /** Its client secret. */
    clientSecret: string;
    /** How the credentials are sent (RFC 6749 §2.3.1). Default `client_secret_basic`. */
    clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
    /** This server's resource identifier: when given, the response's `aud` must include it (RFC 7662 §2.2, RFC 8707). */
    resource?: string | URL;
    /** The fetch to use. Default: the global `fetch`. */
    fetch?: (url: string, init: RequestInit) => Promise<Response>;
    /** Timeout of one introspection request, in milliseconds. Default 5000. */
    timeoutMs?: number;
    /** Largest introspection response accepted, in bytes. Default 64 KiB. */
    maxResponseBytes?: number;
}

/** RFC 6749 Appendix B: `application/x-www-form-urlencoded` encoding of a client id or secret for Basic auth. */
function formEncode(value: string): string {
    return encodeURIComponent(value).replace(/%20/g, '+');
}

function audiences(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    return [];
}

/**
 * Creates a verifier that POSTs each token to an RFC 7662 introspection endpoint. `active: false` (or anything
 * but `active: true`), an `exp` in the past, or an `aud` without the configured resource →
 * {@link InvalidTokenError}; an unreachable endpoint, a non-200 answer or an unreadable body → {@link ServerError}.
 * One request per call; no caching.
 *
 * @throws {@link AuthConfigError} at construction for an insecure endpoint or missing credentials.
 * @see RFC 7662 §2
 */
export function createIntrospectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
    const endpoint = toSecureUrl(
        options.introspectionEndpoint,
        'createIntrospectionVerifier introspectionEndpoint'
    ).href;
    if (typeof options.clientId !== 'string' || options.clientId === '' || typeof options.clientSecret !== 'string') {
        throw new AuthConfigError('createIntrospectionVerifier: clientId and clientSecret are required');
    }
    let resource: URL | undefined;
    if (options.resource !== undefined) {
        try {
            resource = new URL(options.resource);
        } catch (cause) {
            throw new AuthConfigError('createIntrospectionVerifier: resource must be an absolute URL', { cause });
        }
    }
    const expectedAudience = options.resource instanceof URL ? options.resource.href : options.resource;
    const fetchImpl = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
    const timeoutMs = options.timeoutMs ?? 5000;
    const maxBytes = options.maxResponseBytes ?? 64 * 1024;
    const post = options.clientAuthMethod === 'client_secret_post';
    const basic = `Basic ${btoa(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`)}`;

    async function introspect(token: string): Promise<Record<string, unknown>> {
        const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
        const headers: Record<string, string> = {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json'
        };
        if (post) {
            form.set('client_id', options.clientId);
            form.set('client_secret', options.clientSecret);
        } else {
            headers.Authorization = basic;
        }
        let response: Response;
        let text: string;
        try {
            response = await fetchImpl(endpoint, {
                method: 'POST',
                headers,
                body: form.toString(),
                redirect: 'manual',
                signal: AbortSignal.timeout(timeoutMs)
            });
            text = await readTextCapped(response.body, maxBytes);
        } catch (cause) {
            const what = cause instanceof BodyTooLargeError ? 'answered with too large a body' : 'is unreachable';
            throw new ServerError(`The token introspection endpoint ${what}`, { cause });
        }
        if (response.status !== 200) {
            throw new ServerError(`The token introspection endpoint answered HTTP ${response.status}`);
        }
        let json: unknown;
        try {
            json = JSON.parse(text);
        } catch (cause) {
            throw new ServerError('The token introspection response is not JSON', { cause });
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new ServerError('The token introspection response is not a JSON object');
        }
        return json as Record<string, unknown>;
    }

    return {
        async verifyAccessToken(token: string): Promise<AuthInfo> {
            const claims = await introspect(token);
            if (claims.active !== true) throw new InvalidTokenError('The access token is not active');
            const exp = claims.exp;
            if (exp !== undefined && (typeof exp !== 'number' || exp * 1000 <= Date.now())) {
                throw new InvalidTokenError('The access token expired');
            }
            if (expectedAudience !== undefined && !audiences(claims.aud).includes(expectedAudience)) {
                throw new InvalidTokenError('The access token was not issued for this resource');
            }
            let clientId: string | undefined;
            for (const key of ['client_id', 'sub']) {
                const value = claims[key];
                if (clientId === undefined && typeof value === 'string' && value !== '') clientId = value;
            }
            if (clientId === undefined) throw new InvalidTokenError('The access token names no client');
            const scope = claims.scope;
            const info: AuthInfo = {
                token,
                clientId,
                scopes: typeof scope === 'string' ? parseScope(scope) : [],
                extra: { introspection: claims }
            };
            if (typeof exp === 'number') info.expiresAt = exp;
            if (resource !== undefined) info.resource = resource;
            return info;
        }
    };
}
