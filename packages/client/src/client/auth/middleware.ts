/**
 * OAuth as `fetch` middleware: wraps any `fetch` so that requests to one MCP server carry its access token and go
 * through the same progressive authorization as the transports ({@link AuthSession}).
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
 * challenges. Requests to any other origin pass through untouched, without a token. Request bodies are buffered so
 * a challenged request can be resent.
 *
 * @example
 * ```ts
 * const authedFetch = withOAuth(provider, 'https://mcp.example.com/mcp')(fetch);
 * const transport = new StreamableHTTPClientTransport(url, { fetch: authedFetch });
 * ```
 */
export function withOAuth(
    provider: OAuthClientProvider,
    serverUrl: string | URL,
    options: WithOAuthOptions = {}
): Middleware {
    return next => {
        const session = new AuthSession({ ...options, provider, serverUrl, fetch: next });
        const origin = new URL(serverUrl).origin;
        return async (input, init) => {
            const url = input instanceof Request ? input.url : input;
            if (new URL(url).origin !== origin) return next(input, init);
            const request = await resendable(input, init);
            return session.fetch(url, request, operationOfBody(request));
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
