/**
 * A Fastify app preconfigured for an MCP endpoint: `Origin` validation, `Host` validation for servers bound to
 * loopback (MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning), and JSON bodies read through
 * the server's one parse instead of Fastify's own JSON parser, so bearer authorization and the transport act on the
 * very value parsed here.
 *
 * @module
 */
import Fastify from 'fastify';
import { ONE_PARSE_DECORATION } from './oneParse.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
    DEFAULT_MAX_BODY_BYTES,
    LOCALHOST_ALLOWED_HOSTS,
    ServerTransportError,
    compileHostMatcher,
    createOriginPolicy,
    isJsonContentType,
    isLoopbackHost,
    markOriginValidated
} from '@modelcontextprotocol/server';
import { readNodeJsonBody } from '@modelcontextprotocol/node';
import { refuseForbidden, sendReply } from './reply.js';

/** Options of {@link createMcpFastifyApp} (the official v2 fields, plus `maxBodyBytes`). */
export interface CreateMcpFastifyAppOptions {
    /** The address the server will listen on. Default `127.0.0.1`; a loopback address turns on Host checks. */
    host?: string | undefined;
    /**
     * Accepted `Host` header values (an entry without a port admits any port; IPv6 in brackets). Default for a
     * loopback `host`: `localhost`, `127.0.0.1`, `[::1]`; for other hosts, no check unless given.
     */
    allowedHosts?: string[] | undefined;
    /**
     * Accepted `Origin` values (host names, full origins, `<scheme>://*`, `null`, or `*` for no check; see the
     * transport's `allowedOrigins`). Default: loopback origins, when the request's `Host` is loopback; nothing
     * else. Requests without `Origin` always pass. Transports serving this app's requests take this decision as
     * theirs, so this is the one place to set it.
     */
    allowedOrigins?: string[] | undefined;
    /**
     * Largest JSON request body in bytes, for every route: larger → 413, before reading when `Content-Length`
     * says so. The transport and bearer authorization accept what this parser accepted. Default 4 MiB (Fastify's
     * `bodyLimit` does not apply to JSON bodies: they are no longer read by Fastify's parser).
     */
    maxBodyBytes?: number | undefined;
}

function byteLimit(value: number | undefined): number {
    if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
    if (!Number.isInteger(value) || value < 1) {
        throw new ServerTransportError('INVALID_OPTIONS', `maxBodyBytes must be an integer >= 1, got ${value}`);
    }
    return value;
}

/** True when the request says it carries a body (a `Transfer-Encoding`, or a `Content-Length` other than 0). */
function hasBody(request: FastifyRequest): boolean {
    const length = request.headers['content-length'];
    return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The requests whose body this app decodes: strict `application/json` (see `isJsonContentType`) with a body. */
function decodesBody(request: FastifyRequest): boolean {
    return hasBody(request) && isJsonContentType(request.headers['content-type']);
}

/**
 * Replaces Fastify's JSON parser with the server's one parse. A `preParsing` hook reads and decodes the body (it
 * alone holds the reply, so a refusal — 413, 400 `-32700`, 415 for a content coding — is answered there, with a
 * lingering close); the `application/json` content-type parser then hands Fastify the remembered value, never
 * parsing again. Other JSON-ish bodies (a charset other than UTF-8) are left unread, for the transport to refuse.
 */
function useOneParse(app: FastifyInstance, maxBodyBytes: number): void {
    app.decorate(ONE_PARSE_DECORATION, true);
    app.addHook('preParsing', async (request, reply, payload) => {
        if (!decodesBody(request)) return payload;
        const outcome = await readNodeJsonBody(request.raw, { maxBodyBytes });
        if (!outcome.ok) await sendReply(request, reply, outcome.reply);
        return payload;
    });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', async (request: FastifyRequest) => {
        if (!decodesBody(request)) return undefined;
        const outcome = await readNodeJsonBody(request.raw, { maxBodyBytes });
        return outcome.ok ? outcome.body.value : undefined;
    });
}

/**
 * Creates a Fastify app for an MCP server: `onRequest` hooks for the `Host` allow-list (loopback servers) and the
 * `Origin` check, each answering 403 with a JSON-RPC error body, then JSON bodies through the one parse (parse
 * errors → 400 `-32700`, too large → 413) as `request.body`. Serve the endpoint with the Node transport of
 * `@modelcontextprotocol/node`, taking over the reply:
 * `reply.hijack(); await transport.handleRequest(request.raw, reply.raw, request.body)`.
 *
 * @example
 * ```ts
 * const app = createMcpFastifyApp();
 * app.all('/mcp', async (request, reply) => {
 *     reply.hijack();
 *     await transport.handleRequest(request.raw, reply.raw, request.body);
 * });
 * await app.listen({ port: 3000, host: '127.0.0.1' });
 * ```
 * @throws {@link ServerTransportError} `INVALID_OPTIONS` for a malformed allow-list entry or body limit.
 * @see MCP 2025-11-25, Basic › Transports › Streamable HTTP › Security Warning
 */
export function createMcpFastifyApp(options: CreateMcpFastifyAppOptions = {}): FastifyInstance {
    const host = options.host ?? '127.0.0.1';
    const allowedHosts = options.allowedHosts ?? (isLoopbackHost(host) ? LOCALHOST_ALLOWED_HOSTS : undefined);
    const maxBodyBytes = byteLimit(options.maxBodyBytes);
    const hostAllowed = allowedHosts ? compileHostMatcher(allowedHosts) : undefined;
    const originRefusal = createOriginPolicy(options.allowedOrigins);
    const app = Fastify();
    if (hostAllowed) {
        app.addHook('onRequest', async (request, reply) => {
            const value = request.headers.host;
            if (!hostAllowed(value)) {
                await refuseForbidden(reply, `Forbidden: Host header ${JSON.stringify(value ?? '')} is not allowed`);
            }
        });
    }
    app.addHook('onRequest', async (request, reply) => {
        const reason = originRefusal(request.headers.origin, request.headers.host);
        if (reason !== undefined) await refuseForbidden(reply, reason);
        else markOriginValidated(request.raw);
    });
    useOneParse(app, maxBodyBytes);
    return app;
}
