/**
 * Fastify adapters for MCP authorization. Thin: every decision (challenge, status, scopes, the decoded body) is made
 * by `@modelcontextprotocol/server`; this module only moves data in and out of Fastify.
 *
 * @see RFC 6750 §3 (challenges), RFC 9728 §3 (protected resource metadata), RFC 8414 §3
 * @module
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type {
    AuthInfo,
    AuthMetadataOptions,
    BearerAuthOptions,
    ProtectedResourceMetadataOptions
} from '@modelcontextprotocol/server';
import {
    AuthConfigError,
    buildOAuthProtectedResourceMetadata,
    createProtectedResourceMetadataEndpoint,
    isJsonContentType,
    oauthMetadataResponse,
    protectedResourceMetadataPaths,
    validateBearerAuthOptions
} from '@modelcontextprotocol/server';
import { authorizeNodeRequest, readNodeJsonBody } from '@modelcontextprotocol/node';
import type { NodeMcpRequest } from '@modelcontextprotocol/node';
import { sendReply } from './reply.js';
import { usesOneParse } from './oneParse.js';

declare module 'fastify' {
    interface FastifyRequest {
        /** The verified access token, set by `requireBearerAuth` (also on `request.raw.auth`, for the transport). */
        auth?: AuthInfo | undefined;
    }
}

/** Options of {@link requireBearerAuth}: the same as the server's bearer authorization. */
export type RequireBearerAuthOptions = BearerAuthOptions;

/**
 * A Fastify `preHandler` hook that authorizes each request with a bearer token, and on success sets `request.auth`
 * and `request.raw.auth` (which `NodeStreamableHTTPServerTransport` passes on to handlers as `authInfo`).
 *
 * With a per-operation policy, a POST's JSON-RPC body is decoded through the one parse the transport shares: the
 * value `createMcpFastifyApp`'s parser decoded (or, in a plain Fastify app, the value Fastify's JSON parser left in
 * `request.body`, handed on as is), so the transport serving `request.raw` dispatches exactly the message the policy
 * judged; a body that cannot be decoded is refused (415 / 413 / 400), never judged as a request without a message.
 * Failures are answered with the status, `WWW-Authenticate` challenge and body the server decided
 * (401 / 403 / 400 / 413 / 415 / 500); a repeated `Authorization` header is a 400.
 *
 * On a plain Fastify app, register it as a `preHandler` hook (after Fastify parsed the body); with
 * `createMcpFastifyApp` any hook works. A policy hook that runs before a plain app parsed a JSON body fails the
 * request with {@link AuthConfigError} (500) instead of reading the body out from under Fastify's parser.
 *
 * @example
 * ```ts
 * app.addHook('preHandler', requireBearerAuth({ verifier, policy, resourceMetadataUrl }));
 * ```
 * @throws {@link AuthConfigError} at construction for a missing verifier or an invalid static scope.
 * @see RFC 6750 §3.1
 */
export function requireBearerAuth(
    options: RequireBearerAuthOptions
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
    const checked = validateBearerAuthOptions(options);
    return async (request, reply) => {
        if (checked.policy !== undefined && request.body === undefined && !usesOneParse(request.server)) {
            const length = request.headers['content-length'];
            const hasBody =
                request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
            if (hasBody && isJsonContentType(request.headers['content-type'])) {
                // Before Fastify's own parser ran (an `onRequest` hook on a plain app): reading the body here would
                // leave that parser waiting for a stream already consumed. Refuse loudly instead of hanging.
                throw new AuthConfigError(
                    'requireBearerAuth with a policy runs before the body was parsed: register it as a preHandler hook, or use createMcpFastifyApp'
                );
            }
        }
        if (request.body !== undefined && isJsonContentType(request.headers['content-type'])) {
            // Fastify's own parser consumed the stream: its value becomes the one decoded body (a no-op when the
            // one parse already ran, as it does under createMcpFastifyApp).
            await readNodeJsonBody(request.raw, { parsedBody: request.body });
        }
        const result = await authorizeNodeRequest(request.raw, checked);
        if (!result.ok) {
            await sendReply(request, reply, result);
            return;
        }
        request.auth = result.authInfo;
        (request.raw as NodeMcpRequest).auth = result.authInfo;
        if (request.body === undefined && result.parsedBody !== undefined) request.body = result.parsedBody;
    };
}

/** Options of {@link protectedResourceMetadataRouter}. */
export interface ProtectedResourceMetadataRouterOptions extends Omit<ProtectedResourceMetadataOptions, 'resource'> {
    /** This MCP server's URL: the `resource` of the metadata; its path decides the path-aware well-known URL. */
    resourceServerUrl: string | URL;
}

/** The methods the metadata plugins answer (GET / HEAD / OPTIONS, and 405 for the others that carry meaning). */
const METADATA_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A plugin serving `handler` on each of `paths`. */
function servePaths(paths: readonly string[], handler: RouteHandlerMethod): FastifyPluginAsync {
    return async instance => {
        for (const url of paths) instance.route({ method: METADATA_METHODS, url, handler });
    };
}

/**
 * A Fastify plugin serving RFC 9728 protected resource metadata on both the path-aware well-known URL
 * (`/.well-known/oauth-protected-resource/<resource path>`) and the root one, with CORS (GET / HEAD → 200,
 * OPTIONS → 204, other methods → 405). Register it on the app: `app.register(protectedResourceMetadataRouter({ … }))`.
 *
 * @throws {@link AuthConfigError} at construction for invalid metadata.
 * @see RFC 9728 §3.1
 */
export function protectedResourceMetadataRouter(options: ProtectedResourceMetadataRouterOptions): FastifyPluginAsync {
    const { resourceServerUrl, ...rest } = options;
    const endpoint = createProtectedResourceMetadataEndpoint({ ...rest, resource: resourceServerUrl });
    return servePaths(endpoint.paths, async (request, reply) => {
        const answer = endpoint.respond(request.method);
        return reply
            .code(answer.status)
            .headers(answer.headers)
            .send(answer.body ?? undefined);
    });
}

/**
 * The metadata plugin under the name the official Express adapter uses. Takes either this package's options (see
 * {@link protectedResourceMetadataRouter}) or the official `AuthMetadataOptions` (`oauthMetadata` +
 * `resourceServerUrl`), with which it also serves the authorization server's metadata at
 * `/.well-known/oauth-authorization-server`.
 *
 * @throws {@link AuthConfigError} at construction for invalid metadata.
 * @see RFC 9728 §3.1, RFC 8414 §3
 */
export function mcpAuthMetadataRouter(
    options: ProtectedResourceMetadataRouterOptions | AuthMetadataOptions
): FastifyPluginAsync {
    if (!('oauthMetadata' in options)) return protectedResourceMetadataRouter(options);
    buildOAuthProtectedResourceMetadata(options);
    const paths = [
        '/.well-known/oauth-authorization-server',
        ...protectedResourceMetadataPaths(options.resourceServerUrl)
    ];
    return servePaths(paths, async (request, reply) => {
        const url = new URL(request.url, 'http://localhost');
        const answer = oauthMetadataResponse(new Request(url, { method: request.method }), options);
        if (answer === undefined) return reply.callNotFound();
        answer.headers.forEach((value, name) => void reply.header(name, value));
        const body = await answer.text();
        return reply.code(answer.status).send(body === '' ? undefined : body);
    });
}
