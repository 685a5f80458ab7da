/**
 * HTTP plumbing shared by the OAuth building blocks: the injectable `fetch` type, the https-except-loopback rule,
 * bounded JSON body reading and request-failure wrapping. Internal to `client/auth`.
 *
 * @module
 */
import { declaredContentLength, isLoopbackHostname, readBoundedBytes } from '@modelcontextprotocol/core';
import type { BoundedRead } from '@modelcontextprotocol/core';
import type { FetchLike } from '@modelcontextprotocol/core';
import { InsecureEndpointError, InvalidResponseError, RequestFailedError } from './errors.js';

export type { FetchLike };

/** Options every request-making function accepts. */
export interface RequestOptions {
    /** The `fetch` to use; defaults to the global `fetch`. */
    fetch?: FetchLike | undefined;
    /** Aborts the request. */
    signal?: AbortSignal | undefined;
    /**
     * Milliseconds the whole request may take, response headers and body read included; default
     * {@link DEFAULT_REQUEST_TIMEOUT_MS}. When it elapses the request fails with {@link RequestFailedError}.
     */
    timeoutMs?: number | undefined;
}

/** Default per-request timeout of OAuth requests (discovery, registration, token endpoint): 30 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The signals of each response {@link send} returned, so {@link readJson} can bound and classify its body read. */
interface Deadline {
    url: string;
    ms: number;
    /** Aborts when the timeout elapses. */
    timeout: AbortSignal;
    /** Aborts on the timeout or the caller's signal. */
    signal: AbortSignal;
}
const deadlines = new WeakMap<Response, Deadline>();

/** Default cap on an OAuth JSON response body: metadata, registration and token responses are small documents. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** Whether `hostname` (as `URL.hostname` gives it) is a loopback host (core's `isLoopbackHostname`). */
export const isLoopbackHost: (hostname: string) => boolean = isLoopbackHostname;

/**
 * Requires `https:`, or `http:` on a loopback host (OAuth 2.1 §1.5; RFC 8252 §8.3). Returns the parsed URL.
 *
 * @throws {InsecureEndpointError} for any other URL, including other schemes and unparsable input.
 */
export function assertSecureEndpoint(url: string | URL, what = 'endpoint'): URL {
    const parsed = toUrl(url);
    if (parsed === undefined) throw new InsecureEndpointError(String(url), what);
    if (parsed.protocol === 'https:') return parsed;
    if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
    throw new InsecureEndpointError(parsed.href, what);
}

/** Parses an absolute URL, `undefined` when it is not one. */
export function toUrl(url: string | URL): URL | undefined {
    if (url instanceof URL) return new URL(url.href);
    try {
        return new URL(url);
    } catch {
        return undefined;
    }
}

/**
 * Calls `fetch` with a timeout ({@link RequestOptions.timeoutMs}) combined with the caller's signal, turning a
 * rejection (network failure, abort, timeout) into a {@link RequestFailedError} naming the URL. The timeout keeps
 * running while {@link readJson} reads the body.
 */
export async function send(url: URL, init: RequestInit, options: RequestOptions): Promise<Response> {
    const fetchFn = options.fetch ?? fetch;
    const ms = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(ms);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    const deadline: Deadline = { url: url.href, ms, timeout, signal };
    try {
        // Raced as well, so that a custom fetch ignoring the signal is bounded too.
        const response = await untilAborted(fetchFn(url, { ...init, signal }), signal);
        deadlines.set(response, deadline);
        return response;
    } catch (cause) {
        if (timeout.aborted) throw timedOut(deadline, cause);
        throw new RequestFailedError(`Request to ${url.href} failed: ${describe(cause)}`, { url: url.href, cause });
    }
}

function timedOut(deadline: Deadline, cause: unknown): RequestFailedError {
    return new RequestFailedError(`Request to ${deadline.url} timed out after ${deadline.ms} ms`, {
        url: deadline.url,
        cause
    });
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) {
        promise.catch(() => undefined);
        return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(
            value => {
                signal.removeEventListener('abort', onAbort);
                resolve(value);
            },
            (error: unknown) => {
                signal.removeEventListener('abort', onAbort);
                reject(error as Error);
            }
        );
    });
}

/**
 * Reads a response body as JSON, refusing more than `limit` bytes (the rest of the stream is cancelled).
 *
 * @throws {InvalidResponseError} when the body is too large, not UTF-8 JSON, or unreadable.
 */
export async function readJson(response: Response, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
    const text = await readText(response, limit);
    try {
        return JSON.parse(text) as unknown;
    } catch (cause) {
        throw new InvalidResponseError(`Response from ${response.url || 'server'} is not valid JSON`, {
            status: response.status,
            response,
            cause
        });
    }
}

/**
 * Reads at most `limit` bytes of a body as UTF-8 text, within the timeout of the request that {@link send} made.
 *
 * @throws {InvalidResponseError} when the body is too large, not UTF-8, or unreadable.
 * @throws {RequestFailedError} when that timeout elapses.
 */
export async function readText(response: Response, limit = MAX_JSON_BODY_BYTES): Promise<string> {
    const deadline = deadlines.get(response);
    let read: BoundedRead;
    try {
        read = await readBoundedBytes(response.body, limit, {
            declaredLength: declaredContentLength(response.headers),
            wait: deadline === undefined ? undefined : pending => untilAborted(pending, deadline.signal)
        });
    } catch (cause) {
        if (deadline?.timeout.aborted) throw timedOut(deadline, cause);
        throw new InvalidResponseError(`Could not read the response body: ${describe(cause)}`, {
            status: response.status,
            response,
            cause
        });
    }
    if (read.tooLarge) {
        throw new InvalidResponseError(`Response body exceeds ${limit} bytes`, { status: response.status, response });
    }
    const bytes = read.bytes;
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
        throw new InvalidResponseError('Response body is not UTF-8', { status: response.status, response, cause });
    }
}

/** Discards a body we will not read, so the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
    await response.body?.cancel().catch(() => undefined);
}

/** A short description of an unknown thrown value. */
export function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** Whether a JSON value is a plain object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
