/**
 * Redirects of the requests a client transport sends to its server. With the default `'same-origin'` policy a
 * redirect is followed only when it stays on the request's origin and keeps its method — a `307` / `308`, or a
 * `301` / `302` / `303` of a `GET` — so a session id, a bearer token or a message body never travels to another
 * origin because a server (or something in front of it) said so. `'follow'` leaves redirects to `fetch`.
 *
 * @module
 */
import { InvalidTransportOptionsError, RedirectRefusedError } from './transportErrors.js';

/** How a client transport treats a redirect from its server. */
export type RedirectPolicy = 'same-origin' | 'follow';

/**
 * Validates a `redirectPolicy` option (default `'same-origin'`).
 *
 * @throws {@link InvalidTransportOptionsError} for any other value.
 */
export function checkRedirectPolicy(policy: RedirectPolicy | undefined): RedirectPolicy {
    const value = policy ?? 'same-origin';
    if (value !== 'same-origin' && value !== 'follow') {
        throw new InvalidTransportOptionsError(`redirectPolicy must be 'same-origin' or 'follow'`);
    }
    return value;
}

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 5;

const METHOD_KEEPING = new Set([307, 308]);
const GET_ONLY = new Set([301, 302, 303]);

/**
 * Sends a request with `send`, following redirects as `policy` says.
 *
 * @throws {@link RedirectRefusedError} for a redirect the policy does not follow.
 */
export async function fetchWithRedirectPolicy(
    send: (url: URL, init: RequestInit) => Promise<Response>,
    url: URL,
    init: RequestInit,
    policy: RedirectPolicy
): Promise<Response> {
    if (policy === 'follow') return send(url, init);
    let target = url;
    for (let hops = 0; ; hops++) {
        const response = await send(target, { ...init, redirect: 'manual' });
        if (response.type === 'opaqueredirect') {
            throw new RedirectRefusedError(
                `${target.href} redirected where this runtime cannot see; not followed`,
                response
            );
        }
        if (!METHOD_KEEPING.has(response.status) && !GET_ONLY.has(response.status)) return response;
        void response.body?.cancel().catch(() => {});
        const next = nextLocation(response, target);
        const method = (init.method ?? 'GET').toUpperCase();
        if (next === undefined) {
            throw new RedirectRefusedError(
                `${target.href} answered ${response.status} without a usable Location`,
                response
            );
        }
        if (next.origin !== target.origin) {
            throw new RedirectRefusedError(
                `${target.href} redirected to another origin (${next.origin}); not followed`,
                response
            );
        }
        if (!METHOD_KEEPING.has(response.status) && method !== 'GET' && method !== 'HEAD') {
            throw new RedirectRefusedError(
                `${target.href} answered ${response.status} to ${method}, which would change the method; not followed`,
                response
            );
        }
        if (hops >= MAX_REDIRECTS) {
            throw new RedirectRefusedError(`${url.href}: more than ${MAX_REDIRECTS} redirects; not followed`, response);
        }
        target = next;
    }
}

function nextLocation(response: Response, base: URL): URL | undefined {
    const location = response.headers.get('location');
    if (location === null) return undefined;
    try {
        return new URL(location, base);
    } catch {
        return undefined;
    }
}
