/**
 * Express adapters for MCP authorization. Thin: every decision (challenge, status, scopes) is made by the
 * runtime-neutral core in `@modelcontextprotocol/server`; this module only moves data in and out of Express.
 *
 * @see RFC 6750 §3 (challenges), RFC 9728 §3 (protected resource metadata)
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import {
    type AuthMetadataOptions,
    type BearerAuthOptions,
    oauthMetadataResponse,
    createProtectedResourceMetadataEndpoint,
    type ProtectedResourceMetadataOptions,
    validateBearerAuthOptions
} from '@modelcontextprotocol/server';
import { authorizeNodeRequest, writeNodeReply } from '@modelcontextprotocol/node';
import { type RequestHandler, Router } from 'express';

declare global {
    // eslint-disable-next-line @typescript-eslint/no-namespace
    namespace Express {
        interface Request {
            /** The verified access token, set by {@link requireBearerAuth}. */
            auth?: AuthInfo;
        }
    }
}

/** Options of {@link requireBearerAuth}: the same as the core's bearer authorization. */
export type RequireBearerAuthOptions = BearerAuthOptions;

/**
 * Express middleware that authorizes each request with a bearer token, and sets `req.auth` on success.
 *
 * With a per-operation policy, a POST's JSON-RPC body is decoded through the one parse the transport shares:
 * the body a parser before it (`createMcpExpressApp`'s, or `express.json()`) left, or else the raw stream, read
 * here (bounded). The transport mounted after it then dispatches exactly the message the policy judged; a body
 * that cannot be decoded — a media type other than strict `application/json`, a body consumed and not left
 * parsed — is refused (415 / 400), never judged as a request without a message. When the body was read here,
 * `req.body` is set to it. Failures are answered with the status, `WWW-Authenticate` challenge and body the core
 * decided (401 / 403 / 400 / 413 / 415 / 500); a repeated `Authorization` header is a 400.
 *
 * @example
 * ```ts
 * app.use('/mcp', requireBearerAuth({ verifier, policy, resourceMetadataUrl }));
 * ```
 * @throws {@link AuthConfigError} at construction for an invalid static scope.
 * @see RFC 6750 §3.1
 */
export function requireBearerAuth(options: RequireBearerAuthOptions): RequestHandler {
    const checked = validateBearerAuthOptions(options);
    return (req, res, next) => {
        authorizeNodeRequest(req, checked).then(result => {
            if (result.ok) {
                req.auth = result.authInfo;
                if (req.body === undefined && result.parsedBody !== undefined) req.body = result.parsedBody;
                next();
                return;
            }
            writeNodeReply(req, res, result);
        }, next);
    };
}

/** Options of {@link protectedResourceMetadataRouter}. */
export interface ProtectedResourceMetadataRouterOptions extends Omit<ProtectedResourceMetadataOptions, 'resource'> {
    /** This MCP server's URL: the `resource` of the metadata; its path decides the path-aware well-known URL. */
    resourceServerUrl: string | URL;
}

/**
 * An Express router serving RFC 9728 protected resource metadata on both the path-aware well-known URL
 * (`/.well-known/oauth-protected-resource/<resource path>`) and the root one, with CORS. Mount it at the
 * application root: `app.use(protectedResourceMetadataRouter({ … }))`.
 *
 * @throws {@link AuthConfigError} at construction for invalid metadata.
 * @see RFC 9728 §3.1
 */
export function protectedResourceMetadataRouter(options: ProtectedResourceMetadataRouterOptions): Router {
    const { resourceServerUrl, ...rest } = options;
    const endpoint = createProtectedResourceMetadataEndpoint({ ...rest, resource: resourceServerUrl });
    const paths = new Set(endpoint.paths);
    const router = Router();
    router.use((req, res, next) => {
        if (!paths.has(req.path)) {
            next();
            return;
        }
        const answer = endpoint.respond(req.method);
        res.status(answer.status).set(answer.headers);
        if (answer.body === null) res.end();
        else res.send(answer.body);
    });
    return router;
}

/**
 * The metadata router under the official v2 name. Takes either this package's options (see
 * {@link protectedResourceMetadataRouter}) or the official `AuthMetadataOptions` (`oauthMetadata` +
 * `resourceServerUrl`), with which it also serves the authorization server's metadata at
 * `/.well-known/oauth-authorization-server`, as the official router does.
 *
 * @see RFC 9728 §3.1, RFC 8414 §3
 */
export function mcpAuthMetadataRouter(options: ProtectedResourceMetadataRouterOptions | AuthMetadataOptions): Router {
    if (!('oauthMetadata' in options)) return protectedResourceMetadataRouter(options);
    const router = Router();
    router.use((req, res, next) => {
        const url = new URL(req.originalUrl, 'http://localhost');
        const answer = oauthMetadataResponse(new Request(url, { method: req.method }), options);
        if (answer === undefined) return next();
        res.status(answer.status);
        answer.headers.forEach((value, name) => res.set(name, value));
        answer.text().then(body => (body === '' ? res.end() : res.send(body)), next);
    });
    return router;
}

/** The official v2 name of {@link RequireBearerAuthOptions}. */
export type BearerAuthMiddlewareOptions = RequireBearerAuthOptions;
