/**
 * `fetch` middleware: OAuth (requests to one MCP server carry its access token and go through the same progressive
 * authorization as the transports, {@link AuthSession}), request logging, and helpers to compose and write
 * middlewares.
 *
 * @module
 */
import type { FetchLike } from './http.js';
import type { OAuthClientProvider } from './provider.js';
import type { AuthSessionOptions } from './authSession.js';
import { AuthSession } from './authSession.js';
import { operationOf } from './operation.js';

/** A function that wraps a `fetch`. */
export type Middleware = (next: FetchLike) => FetchLike;

/** Options of {@link withOAuth}: those of {@link AuthSession} other than the provider, server and fetch. */
export type WithOAuthOptions = Omit<AuthSessionOptions, 'provider' | 'serverUrl' | 'fetch'>;

/**
 * Returns a middleware that authorizes requests to `serverUrl`'s origin with `provider` and steps up on 401/403
 * challenges. Requests to any other origin pass through untouched, without a token. Without `serverUrl`, every
 * request is authorized as a request to the resource at its own URL (origin and path; its authorization server is
 * discovered from there); give `serverUrl` whenever the MCP server is known, so tokens never reach another origin. Request bodies are buffered so a challenged request can
 * be resent.
 *
 * @example
 * ```ts
 * const authedFetch = withOAuth(provider, 'https://mcp.example.com/mcp')(fetch);
 * const transport = new StreamableHTTPClientTransport(url, { fetch: authedFetch });
 * ```
 */
export function withOAuth(
    provider: OAuthClientProvider,
    serverUrl?: string | URL,
    options: WithOAuthOptions = {}
): Middleware {
    return next => {
        const sessions = new Map<string, AuthSession>();
        const sessionFor = (target: string | URL) => {
            // Without a server URL, each endpoint (origin and path) is a protected resource of its own.
            const url = new URL(target);
            const base = serverUrl ?? `${url.origin}${url.pathname}`;
            let session = sessions.get(String(base));
            if (session === undefined) {
                session = new AuthSession({ ...options, provider, serverUrl: base, fetch: next });
                sessions.set(String(base), session);
            }
            return session;
        };
        const origin = serverUrl === undefined ? undefined : new URL(serverUrl).origin;
        return async (input, init) => {
            const url = input instanceof Request ? input.url : input;
            if (origin !== undefined && new URL(url).origin !== origin) return next(input, init);
            const request = await resendable(input, init);
            return sessionFor(url).fetch(url, request, operationOfBody(request));
        };
    };
}

/** The operation of a request whose body is JSON-RPC text or bytes (see `operationOf`), else its HTTP method. */
function operationOfBody(init: RequestInit): string {
    const body = init.body;
    const text =
        typeof body === 'string'
            ? body
            : body instanceof ArrayBuffer || ArrayBuffer.isView(body)
              ? new TextDecoder().decode(body)
              : undefined;
    if (text !== undefined) {
        try {
            return operationOf(JSON.parse(text));
        } catch {
            // not JSON
        }
    }
    return (init.method ?? 'GET').toUpperCase();
}

/** Turns a `Request` or a streamed body into a `RequestInit` whose body can be sent more than once. */
async function resendable(input: string | URL | Request, init: RequestInit | undefined): Promise<RequestInit> {
    let result: RequestInit = init ?? {};
    if (input instanceof Request) {
        result = {
            method: input.method,
            headers: input.headers,
            body: input.body === null ? null : await input.arrayBuffer(),
            signal: input.signal,
            redirect: input.redirect,
            ...init
        };
    }
    if (result.body instanceof ReadableStream)
        result = { ...result, body: await new Response(result.body).arrayBuffer() };
    return result;
}

/**
 * Composes middlewares: `applyMiddlewares(a, b)(fetch)` sends each request through `a`, then `b`, then `fetch`.
 */
export function applyMiddlewares(...middlewares: Middleware[]): Middleware {
    return next => middlewares.reduceRight((inner, middleware) => middleware(inner), next);
}

/**
 * Writes a middleware as one function of the next `fetch` and the request: `handler(next, url, init)`. A `Request`
 * passed to the resulting `fetch` reaches the handler as its URL and an init carrying its method, headers and
 * (buffered) body.
 *
 * @example
 * ```ts
 * const withApiVersion = createMiddleware(async (next, url, init) => {
 *     const headers = new Headers(init?.headers);
 *     headers.set('X-API-Version', '2');
 *     return next(url, { ...init, headers });
 * });
 * ```
 */
export function createMiddleware(
    handler: (next: FetchLike, input: string | URL, init?: RequestInit) => Promise<Response>
): Middleware {
    return next => async (input, init) => {
        if (!(input instanceof Request)) return handler(next, input, init);
        return handler(next, input.url, await resendable(input, init));
    };
}
