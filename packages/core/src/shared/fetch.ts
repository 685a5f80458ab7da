/**
 * The injectable `fetch`: the type every network-making function and transport accepts, and a wrapper that adds
 * base request options to every call.
 *
 * @module
 */

/**
 * A `fetch`-compatible function. Functions written for the official SDK's `FetchLike`
 * (`(url: string | URL, init?) => Promise<Response>`) fit too: the parameters are compared bivariantly (method
 * syntax), so the SDK's own wrappers may still be called with a `Request`.
 */
export type FetchLike = {
    fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}['fetch'];

/**
 * A `fetch` that sends every request with `baseInit` (credentials, mode, headers…) under the request's own init:
 * the request's options win, and its headers are added to (and replace same-named) base headers. Without
 * `baseInit`, `baseFetch` itself.
 */
export function createFetchWithInit(
    baseFetch: FetchLike = (url, init) => fetch(url, init),
    baseInit?: RequestInit
): FetchLike {
    if (baseInit === undefined) return baseFetch;
    return (url, init) => {
        const headers = new Headers(baseInit.headers);
        new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
        return baseFetch(url, { ...baseInit, ...init, headers });
    };
}
