/**
 * Request logging as `fetch` middleware: method, URL, status, duration and, optionally, headers of every request,
 * to a logger of the application's choice (by default the console).
 *
 * @module
 */
import type { FetchLike } from './http.js';
import type { Middleware } from './middleware.js';

/** Receives one entry per request {@link withLogging} observed. */
export type RequestLogger = (input: {
    /** The HTTP method. */
    method: string;
    /** The request URL. */
    url: string | URL;
    /** The response status; `0` when no response arrived. */
    status: number;
    /** The response status text (`'Network Error'` when no response arrived). */
    statusText: string;
    /** Milliseconds until the response headers (or the failure). */
    duration: number;
    /** The request headers, with `includeRequestHeaders`. */
    requestHeaders?: Headers;
    /** The response headers, with `includeResponseHeaders`. */
    responseHeaders?: Headers;
    /** Why no response arrived. */
    error?: Error;
}) => void;

/** Options of {@link withLogging}. */
export type LoggingOptions = {
    /** Where entries go; default: `console.log` for statuses below 400, `console.error` for the others and failures. */
    logger?: RequestLogger;
    /** Whether entries carry the request headers (they may hold credentials). Default false. */
    includeRequestHeaders?: boolean;
    /** Whether entries carry the response headers. Default false. */
    includeResponseHeaders?: boolean;
    /** Only responses with at least this status are logged (`400`: errors only); failures always are. Default 0. */
    statusLevel?: number;
};

const defaultLogger: RequestLogger = entry => {
    const headers = [
        entry.requestHeaders === undefined ? '' : `\n  request headers: ${describeHeaders(entry.requestHeaders)}`,
        entry.responseHeaders === undefined ? '' : `\n  response headers: ${describeHeaders(entry.responseHeaders)}`
    ].join('');
    const timing = `(${entry.duration.toFixed(2)}ms)`;
    const url = String(entry.url);
    if (entry.error !== undefined) {
        console.error(`HTTP ${entry.method} ${url} failed: ${entry.error.message} ${timing}${headers}`);
    } else if (entry.status >= 400) {
        console.error(`HTTP ${entry.method} ${url} ${entry.status} ${entry.statusText} ${timing}${headers}`);
    } else {
        console.log(`HTTP ${entry.method} ${url} ${entry.status} ${entry.statusText} ${timing}${headers}`);
    }
};

function describeHeaders(headers: Headers): string {
    return [...headers].map(([name, value]) => `${name}: ${value}`).join(', ');
}

/**
 * Returns a middleware that logs every request: method, URL, status, status text and duration (to the response
 * headers), and the headers when asked. The default logger writes to `console.log` / `console.error`, so do not use
 * it in an application whose stdout is a stdio transport.
 *
 * @example
 * ```ts
 * const loggedFetch = withLogging({ statusLevel: 400 })(fetch);
 * ```
 */
export function withLogging(options: LoggingOptions = {}): Middleware {
    const { logger = defaultLogger, includeRequestHeaders = false, includeResponseHeaders = false } = options;
    const statusLevel = options.statusLevel ?? 0;
    return (next: FetchLike): FetchLike =>
        async (input, init) => {
            const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
            const url = input instanceof Request ? input.url : input;
            const requestHeaders = includeRequestHeaders
                ? new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
                : undefined;
            const started = performance.now();
            const entry = { method, url, ...(requestHeaders === undefined ? {} : { requestHeaders }) };
            let response: Response;
            try {
                response = await next(input, init);
            } catch (error) {
                const failure = error instanceof Error ? error : new Error(String(error));
                const duration = performance.now() - started;
                logger({ ...entry, status: 0, statusText: 'Network Error', duration, error: failure });
                throw error;
            }
            if (response.status >= statusLevel) {
                logger({
                    ...entry,
                    status: response.status,
                    statusText: response.statusText,
                    duration: performance.now() - started,
                    ...(includeResponseHeaders ? { responseHeaders: response.headers } : {})
                });
            }
            return response;
        };
}
