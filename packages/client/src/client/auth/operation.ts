/**
 * The operation a request performs, as the step-up bound counts it: the JSON-RPC method, and for the methods
 * whose scope typically depends on their target, the tool, prompt or resource it names (`tools/call search`,
 * `resources/read file:///a`). Requests without a JSON-RPC body are named by HTTP method (`GET`, `DELETE`).
 *
 * @module
 */

/** Methods whose operation includes `params.name`. */
const BY_NAME = new Set(['tools/call', 'prompts/get']);
/** Methods whose operation includes `params.uri`. */
const BY_URI = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);
/** Longest operation name kept (a hostile server cannot make the persisted state grow with long names). */
const MAX_LENGTH = 256;

function clip(text: string): string {
    return text.length > MAX_LENGTH ? text.slice(0, MAX_LENGTH) : text;
}

/** The operation of a JSON-RPC message (a request, a notification, a response, or a batch of them). */
export function operationOf(message: unknown): string {
    if (Array.isArray(message)) return clip(message.map(operationOf).join(','));
    if (typeof message !== 'object' || message === null) return 'message';
    const { method, params } = message as { method?: unknown; params?: Record<string, unknown> };
    if (typeof method !== 'string') return 'response';
    const target = BY_NAME.has(method) ? params?.name : BY_URI.has(method) ? params?.uri : undefined;
    return clip(typeof target === 'string' ? `${method} ${target}` : method);
}

/**
 * The operation of an HTTP request the step-up session sends without being told: the JSON-RPC message of a
 * string body, else the HTTP method.
 */
export function operationOfRequest(init: RequestInit): string {
    const method = (init.method ?? 'GET').toUpperCase();
    if (typeof init.body === 'string') {
        try {
            return operationOf(JSON.parse(init.body));
        } catch {
            // not JSON: named by the HTTP method below
        }
    }
    return method;
}
