/**
 * Small HTTP helpers for the hand-written authorization server: bounded body reading, strict form parsing
 * and OAuth error responses (RFC 6749 §5.2).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An OAuth error response: `error` is the RFC 6749 / RFC 7591 / RFC 8707 error code. */
export class OAuthError extends Error {
    override readonly name = 'OAuthError';
    /** Stable OAuth error code, e.g. `invalid_grant`. */
    readonly code: string;
    /** HTTP status of the response. */
    readonly status: number;
    /** Extra response headers (e.g. `WWW-Authenticate` for `invalid_client`). */
    readonly headers: Record<string, string>;

    constructor(code: string, description: string, status = 400, headers: Record<string, string> = {}) {
        super(description);
        this.code = code;
        this.status = status;
        this.headers = headers;
    }
}

/** Largest request body accepted (registration documents and token forms are tiny). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Reads the request body as UTF-8, failing with 413 beyond {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<string> {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) throw new OAuthError('invalid_request', 'request body too large', 413);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) throw new OAuthError('invalid_request', 'request body too large', 413);
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses `application/x-www-form-urlencoded` parameters; a parameter sent more than once is an
 * `invalid_request` (RFC 6749 §3.1, §3.2) unless listed in `repeatable`. Empty values count as absent.
 */
export function parseParams(params: URLSearchParams, repeatable: readonly string[] = []): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [key, value] of params) {
        if (value === '') continue;
        const values = out.get(key);
        if (!values) out.set(key, [value]);
        else if (repeatable.includes(key)) values.push(value);
        else throw new OAuthError('invalid_request', `parameter ${key} is included more than once`);
    }
    return out;
}

/** Reads and parses a form body, requiring the form content type. */
export async function readForm(req: IncomingMessage): Promise<Map<string, string[]>> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
        throw new OAuthError('invalid_request', 'expected an application/x-www-form-urlencoded body');
    }
    return parseParams(new URLSearchParams(await readBody(req)));
}

/** The single value of a parsed parameter. */
export function param(params: Map<string, string[]>, name: string): string | undefined {
    return params.get(name)?.[0];
}

/** Sends a JSON body with `Cache-Control: no-store` (RFC 6749 §5.1). */
export function sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(text),
        ...headers
    });
    res.end(text);
}

/** Sends `error` as an OAuth error body (RFC 6749 §5.2); anything that is not an {@link OAuthError} is a 500. */
export function sendError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
        res.destroy();
        return;
    }
    const oauth = error instanceof OAuthError ? error : new OAuthError('server_error', 'unexpected error', 500);
    sendJson(res, oauth.status, { error: oauth.code, error_description: oauth.message }, oauth.headers);
}
