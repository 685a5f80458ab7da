/**
 * Runtime-neutral bearer authorization for an MCP endpoint: `Authorization` header → {@link AuthInfo}, checked
 * against the scopes the operation at hand requires, or a failure carrying the exact RFC 6750 challenge.
 *
 * @see RFC 6750 §2.1 (the `Bearer` credentials syntax), §3 and §3.1 (challenges and status codes),
 *   RFC 9728 §5.1 (`resource_metadata`), MCP 2025-11-25 "Authorization" (scope challenges, step-up).
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';
import { WebRequestView, toResponse } from '../httpExchange.js';
import { decodeMcpPost } from '../requestBody.js';
import type { BodySource } from '../requestBody.js';
import {
    AuthConfigError,
    type AuthorizationFailure,
    BearerTokenError,
    InsufficientScopeError,
    InvalidBearerRequestError,
    InvalidTokenError,
    MissingTokenError,
    ServerError
} from './errors.js';
import { type ScopePolicy, toScopeList } from './scopePolicy.js';
import { unionScopes } from './scopes.js';
import type { TokenVerifier } from './tokenVerifier.js';

/** Request headers: a web `Headers`, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeadersInput = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What decides authorization, independent of the request. */
export interface BearerAuthOptions {
    /** Validates tokens. */
    verifier: TokenVerifier;
    /** Per-operation required scopes, read from the JSON-RPC body. */
    policy?: ScopePolicy | undefined;
    /** Scopes every request requires, in addition to the policy's. */
    requiredScopes?: readonly string[] | undefined;
    /** This resource's protected resource metadata URL, advertised in every challenge (RFC 9728 §5.1). */
    resourceMetadataUrl?: string | URL | undefined;
    /**
     * With a policy: largest POST body read to find the operation, in bytes (larger → 413). Default 4 MiB, or the
     * limit of whatever already read the body (the app's body parser).
     */
    maxBodyBytes?: number | undefined;
    /** With a policy: largest JSON-RPC batch decoded (larger → 400). Default 100. */
    maxBatchSize?: number | undefined;
    /**
     * Accept only tokens the verifier reports for this resource (`AuthInfo.resource`, compared ignoring a fragment
     * and one trailing slash); others get 401 `invalid_token`. Official v2 option.
     */
    expectedResource?: URL | undefined;
}

/** Input of {@link authorizeRequest}: the options plus one request's headers and parsed body. */
export interface AuthorizeRequestOptions extends BearerAuthOptions {
    /** The request headers. */
    headers: HeadersInput;
    /** The parsed JSON-RPC body (message or batch); `undefined` when the request has none (GET, DELETE). */
    body?: unknown;
}

/** The outcome of {@link authorizeRequest}. */
export type AuthorizationResult =
    { ok: true; authInfo: AuthInfo; requiredScopes: readonly string[] } | ({ ok: false } & AuthorizationFailure);

/** Longest `Authorization` header value considered; longer is answered with 400. */
const MAX_AUTHORIZATION_LENGTH = 16 * 1024;
/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const NO_SCOPES: readonly string[] = Object.freeze([]);

function readAuthorization(headers: HeadersInput): string | readonly string[] | undefined {
    // Node's `headersDistinct` (all values of each header) or `headers` (first Authorization only).
    if (headers instanceof Headers) return headers.get('authorization') ?? undefined;
    const direct = headers.authorization;
    if (direct !== undefined) return direct;
    for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'authorization') return headers[name];
    }
    return undefined;
}

/**
 * Extracts the bearer token from an `Authorization` header value.
 *
 * @throws {@link MissingTokenError} when there is no header or it uses another scheme (RFC 6750 §3.1: no error code).
 * @throws {@link InvalidBearerRequestError} when the header is repeated or the credentials are malformed.
 * @see RFC 6750 §2.1
 */
export function extractBearerToken(value: string | readonly string[] | undefined): string {
    if (Array.isArray(value)) {
        if (value.length > 1) throw new InvalidBearerRequestError('Only one Authorization header is allowed');
        value = value[0];
    }
    const header = typeof value === 'string' ? value.trim() : '';
    if (header === '') throw new MissingTokenError();
    if (header.length > MAX_AUTHORIZATION_LENGTH)
        throw new InvalidBearerRequestError('The Authorization header is too long');
    const space = header.indexOf(' ');
    const scheme = space === -1 ? header : header.slice(0, space);
    if (scheme.toLowerCase() !== 'bearer') throw new MissingTokenError();
    const token = space === -1 ? '' : header.slice(space + 1).replace(/^ +/, '');
    if (!B64TOKEN.test(token)) {
        throw new InvalidBearerRequestError('The Authorization header is malformed: expected "Bearer <token>"');
    }
    return token;
}

/** Whether a token's resource is `expected`, ignoring a fragment and one trailing slash. */
function sameResource(reported: URL | string | undefined, expected: URL): boolean {
    if (reported === undefined) return false;
    const normalise = (value: URL | string): string => {
        const url = new URL(value);
        url.hash = '';
        return url.href.endsWith('/') ? url.href.slice(0, -1) : url.href;
    };
    try {
        return normalise(reported) === normalise(expected);
    } catch {
        return false;
    }
}

function requiredScopesFor(options: BearerAuthOptions, body: unknown): readonly string[] {
    const fromPolicy = options.policy === undefined ? NO_SCOPES : options.policy.requiredScopes(body);
    const fixed = options.requiredScopes;
    if (fixed === undefined || fixed.length === 0) return fromPolicy;
    if (fromPolicy.length === 0) return fixed;
    return unionScopes([fixed, fromPolicy]);
}

function missingScopes(options: BearerAuthOptions, granted: readonly string[], required: readonly string[]): string[] {
    if (options.policy !== undefined) return options.policy.missing(granted, required);
    return required.filter(scope => !granted.includes(scope));
}

async function authenticate(
    options: BearerAuthOptions,
    authorization: string | readonly string[] | undefined,
    required: readonly string[]
): Promise<AuthInfo> {
    const token = extractBearerToken(authorization);
    let authInfo: AuthInfo;
    try {
        authInfo = await options.verifier.verifyAccessToken(token);
    } catch (error) {
        if (error instanceof BearerTokenError) throw error;
        throw new ServerError('The access token could not be verified', { cause: error });
    }
    if (typeof authInfo.expiresAt === 'number' && authInfo.expiresAt * 1000 <= Date.now()) {
        throw new InvalidTokenError('The access token expired');
    }
    if (options.expectedResource !== undefined && !sameResource(authInfo.resource, options.expectedResource)) {
        throw new InvalidTokenError('The access token was not issued for this resource');
    }
    const granted = Array.isArray(authInfo.scopes) ? authInfo.scopes : NO_SCOPES;
    const missing = missingScopes(options, granted, required);
    if (missing.length > 0) throw new InsufficientScopeError(required, missing);
    // Later challenges (per-operation scope challenges) advertise the same metadata document; a verifier's own
    // value wins.
    if (options.resourceMetadataUrl !== undefined && authInfo.resourceMetadataUrl === undefined) {
        return { ...authInfo, resourceMetadataUrl: String(options.resourceMetadataUrl) };
    }
    return authInfo;
}

/**
 * Authorizes one request to a bearer-protected MCP endpoint.
 *
 * - no `Authorization` header, or another scheme → 401, `WWW-Authenticate: Bearer scope="<required>",
 *   resource_metadata="…"` with no `error` (RFC 6750 §3.1);
 * - malformed or repeated header → 400 `error="invalid_request"`;
 * - invalid or expired token → 401 `error="invalid_token"`;
 * - valid token without the operation's scopes → 403 `error="insufficient_scope"`, `scope` naming exactly the
 *   scopes this operation requires (not what the token lacks, not other operations' scopes);
 * - verifier unavailable or failing unexpectedly → 500 without a challenge.
 *
 * Every challenge carries `resource_metadata` when `resourceMetadataUrl` is set, and `scope` when the operation
 * requires any. Never throws for request-dependent reasons.
 *
 * @see RFC 6750 §3.1, RFC 9728 §5.1
 */
export async function authorizeRequest(options: AuthorizeRequestOptions): Promise<AuthorizationResult> {
    return authorizeCredentials(options, readAuthorization(options.headers), options.body);
}

async function authorizeCredentials(
    options: BearerAuthOptions,
    authorization: string | readonly string[] | undefined,
    body: unknown
): Promise<AuthorizationResult> {
    const required = requiredScopesFor(options, body);
    try {
        const authInfo = await authenticate(options, authorization, required);
        return { ok: true, authInfo, requiredScopes: required };
    } catch (error) {
        const typed =
            error instanceof BearerTokenError
                ? error
                : new ServerError('Authorization failed unexpectedly', { cause: error });
        return { ok: false, ...typed.toFailure({ scope: required, resourceMetadataUrl: options.resourceMetadataUrl }) };
    }
}

/** Renders an {@link AuthorizationFailure} as a web-standard `Response` (status, challenge headers, JSON body). */
export function authorizationFailureResponse(failure: AuthorizationFailure): Response {
    return new Response(JSON.stringify(failure.body), { status: failure.status, headers: failure.headers });
}

/**
 * Validates the static parts of {@link BearerAuthOptions} once, at construction (adapters call this).
 *
 * @throws {@link AuthConfigError} for a missing verifier or an invalid scope token.
 */
export function validateBearerAuthOptions(options: BearerAuthOptions): BearerAuthOptions {
    if (typeof options?.verifier?.verifyAccessToken !== 'function') {
        throw new AuthConfigError('bearer auth: a verifier with verifyAccessToken() is required');
    }
    if (options.requiredScopes === undefined) return options;
    return { ...options, requiredScopes: toScopeList(options.requiredScopes, 'requiredScopes') };
}

/** What {@link authorizeHttpRequest} reads of a request: its method, headers and (with a policy) its body. */
export interface HttpRequestSource extends BodySource {
    /** The HTTP method, upper case. */
    readonly method: string;
}

/** The outcome of {@link authorizeHttpRequest}: authorized, or the complete HTTP refusal to send. */
export type HttpAuthorizationResult =
    | {
          ok: true;
          authInfo: AuthInfo;
          requiredScopes: readonly string[];
          /** The decoded JSON body, when the policy needed it (the same value the transport will dispatch). */
          parsedBody?: unknown;
      }
    | { ok: false; status: number; headers: Record<string, string>; body: string };

/**
 * Authorizes one HTTP request to a bearer-protected MCP endpoint, reading what it needs through the one parse
 * the transport shares (`requestBody.ts`): with a policy, a POST's body is decoded once — strict JSON media type,
 * bounded size, JSON-RPC envelopes — and the policy decides on exactly those messages, which the transport then
 * dispatches. A POST whose body cannot be decoded is refused (415 / 413 / 400), never judged as a request
 * without a message. Every value of `Authorization` is seen, so a repeated header is refused (400
 * `invalid_request`) whatever its order.
 *
 * Adapters call this: the Express middleware, the Node and web-standard wrappers.
 *
 * @see RFC 6750 §2.1, §3.1
 */
export async function authorizeHttpRequest(
    request: HttpRequestSource,
    options: BearerAuthOptions
): Promise<HttpAuthorizationResult> {
    let body: unknown;
    let decoded = false;
    if (options.policy !== undefined && request.method === 'POST') {
        const post = await decodeMcpPost(request, {
            maxBodyBytes: options.maxBodyBytes,
            maxBatchSize: options.maxBatchSize
        });
        if (!('messages' in post)) {
            return { ok: false, status: post.status, headers: post.headers, body: post.body ?? '' };
        }
        body = post.isBatch ? post.messages : post.messages[0];
        decoded = true;
    }
    const result = await authorizeCredentials(options, request.headerValues('authorization'), body);
    if (!result.ok) {
        return { ok: false, status: result.status, headers: result.headers, body: JSON.stringify(result.body) };
    }
    return decoded ? { ...result, parsedBody: body } : result;
}

/** What {@link withBearerAuth} hands the wrapped handler besides the request. */
export interface AuthorizedContext {
    /** The verified token. */
    authInfo: AuthInfo;
    /** The decoded JSON-RPC body, when the policy needed it (also remembered on the request for the transport). */
    parsedBody?: unknown;
}

/** Options of {@link withBearerAuth}. */
export type WebBearerAuthOptions = BearerAuthOptions;

/**
 * Puts bearer authorization in front of a web-standard handler (e.g. the WebStandard Streamable HTTP transport).
 * With a policy, a POST body is decoded once (see {@link authorizeHttpRequest}); the handler gets the same
 * `Request`, whose decoded body the transport picks up, so the message dispatched is the message authorized.
 *
 * @example
 * ```ts
 * const handle = withBearerAuth((req, { authInfo }) => transport.handleRequest(req, { authInfo }), {
 *     verifier, policy, resourceMetadataUrl
 * });
 * ```
 * @see RFC 6750 §3
 */
export function withBearerAuth(
    handler: (request: Request, context: AuthorizedContext) => Response | Promise<Response>,
    options: WebBearerAuthOptions
): (request: Request) => Promise<Response> {
    const base = validateBearerAuthOptions(options);
    return async request => {
        const result = await authorizeHttpRequest(new WebRequestView(request), base);
        if (!result.ok) return toResponse(result);
        const context: AuthorizedContext = { authInfo: result.authInfo };
        if ('parsedBody' in result) context.parsedBody = result.parsedBody;
        return handler(request, context);
    };
}
