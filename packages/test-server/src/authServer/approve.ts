/**
 * Completes an authorization request in-process, the way a user agent would: follows the authorization
 * server's redirects (carrying cookies between hops) until it is sent back to the client's `redirect_uri`.
 *
 * Works with both {@link startOidcAuthServer} (three 303 hops through its interaction) and
 * {@link startSimpleAuthServer} (one 302).
 *
 * @module
 */

/** Stable codes of {@link AuthorizationApprovalError}. */
export type AuthorizationApprovalErrorCode = 'missing_redirect_uri' | 'unexpected_response' | 'too_many_redirects';

/** Completing an authorization request failed before the client's redirect URI was reached. */
export class AuthorizationApprovalError extends Error {
    override readonly name = 'AuthorizationApprovalError';
    /** Stable machine-readable reason. */
    readonly code: AuthorizationApprovalErrorCode;
    /** HTTP status of the offending response, when there was one. */
    readonly status: number | undefined;

    constructor(code: AuthorizationApprovalErrorCode, message: string, status?: number) {
        super(message);
        this.code = code;
        this.status = status;
    }
}

/** At most this many redirects are followed; the real servers need three. */
const MAX_HOPS = 10;

/**
 * Follows the authorization request `authorizationUrl` (RFC 6749 §4.1.1) with `redirect: 'manual'`,
 * carrying cookies between hops, until a redirect targets the `redirect_uri` named in the request.
 *
 * @param authorizationUrl - the full authorization request URL, including `redirect_uri`.
 * @param fetchImpl - the fetch to use; defaults to the global one.
 * @returns the callback URL (RFC 6749 §4.1.2) with `code`, `state` and, when the server supports
 *   RFC 9207, `iss` — or with `error` when the server refused (the caller inspects it).
 * @throws {AuthorizationApprovalError} on a non-redirect response, a redirect without `Location`, or too many hops.
 */
export async function approveAuthorization(authorizationUrl: URL, fetchImpl: typeof fetch = fetch): Promise<URL> {
    const redirectUri = authorizationUrl.searchParams.get('redirect_uri');
    if (!redirectUri) {
        throw new AuthorizationApprovalError(
            'missing_redirect_uri',
            'The authorization URL has no redirect_uri parameter'
        );
    }
    const target = new URL(redirectUri);
    const jar = new Map<string, string>();
    let url = authorizationUrl;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
        const headers = new Headers();
        if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
        const response = await fetchImpl(url, { redirect: 'manual', headers });
        storeCookies(jar, response.headers);
        const location = response.headers.get('location');
        if (response.status < 300 || response.status > 399 || !location) {
            const body = (await response.text().catch(() => '')).slice(0, 500);
            throw new AuthorizationApprovalError(
                'unexpected_response',
                `Expected a redirect from ${url.origin}${url.pathname}, got HTTP ${response.status}: ${body}`,
                response.status
            );
        }
        await response.body?.cancel();
        const next = new URL(location, url);
        if (next.origin === target.origin && next.pathname === target.pathname) return next;
        url = next;
    }
    throw new AuthorizationApprovalError('too_many_redirects', `No redirect to ${redirectUri} after ${MAX_HOPS} hops`);
}

/** Applies `Set-Cookie` headers to a single-host jar (paths and domains ignored; all hops are one origin). */
function storeCookies(jar: Map<string, string>, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some(a => {
            const [k = '', v = ''] = a.split('=').map(s => s.trim());
            const key = k.toLowerCase();
            return (key === 'max-age' && Number(v) <= 0) || (key === 'expires' && Date.parse(v) <= Date.now());
        });
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
    }
}
