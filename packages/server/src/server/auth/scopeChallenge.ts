/**
 * Per-operation scope challenges in the official v2 shape: a {@link ScopeChallengeHandler} decides, for one
 * JSON-RPC request and the verified token, whether the request needs scopes the token lacks; the Streamable HTTP
 * transport asks it for every request of a POST — on the very messages it is about to dispatch — and answers the
 * first challenge with `403` and `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750 §3.1;
 * MCP 2025-11-25 "Scope Challenge Handling"). Register one per tool, resource or prompt (`scopeChallenge:
 * requireScopes('…')`); `McpServer` routes each request to the right one.
 *
 * @module
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/core';
import type { AuthInfo, JSONRPCRequest } from '@modelcontextprotocol/core';
import type { AuthorizationFailure } from './errors.js';
import { AuthConfigError, InsufficientScopeError } from './errors.js';
import { isScopeToken } from './scopes.js';
import { protectedResourceMetadataUrl } from './metadata.js';

/** The scopes to challenge for before a request is handled. */
export interface ScopeChallenge {
    /** The complete set of scopes the request needs (named in the challenge as they are); at least one. */
    scopes: readonly [string, ...string[]];
    /** Optional human-readable detail for `error_description`. */
    errorDescription?: string;
}

/** Decides whether one request needs a scope challenge; `undefined` lets it through. */
export type ScopeChallengeHandler = (context: {
    request: JSONRPCRequest;
    authInfo?: AuthInfo;
}) => ScopeChallenge | undefined | Promise<ScopeChallenge | undefined>;

/**
 * A handler that lets a request through only when the token holds every one of `scopes` (exact match), and
 * challenges for all of them otherwise. Unauthenticated requests are left to the authentication gate in front.
 *
 * @throws {@link AuthConfigError} when no scope is given or one is not an RFC 6749 §3.3 scope token.
 * @example
 * ```ts
 * server.registerTool('delete', { scopeChallenge: requireScopes('files:write') }, handler);
 * ```
 */
export function requireScopes(...scopes: readonly [string, ...string[]]): ScopeChallengeHandler {
    const required = validScopes(scopes, 'requireScopes');
    return ({ authInfo }) => {
        if (authInfo === undefined) return undefined;
        const granted = new Set(Array.isArray(authInfo.scopes) ? authInfo.scopes : []);
        return required.every(scope => granted.has(scope)) ? undefined : { scopes: required };
    };
}

/**
 * Asks `resolve` about each request in order and returns the first challenge (validated), else `undefined`.
 *
 * @throws {@link AuthConfigError} when a handler returns a malformed challenge (a server bug, answered with 500).
 */
export async function findScopeChallenge(
    requests: readonly JSONRPCRequest[],
    authInfo: AuthInfo | undefined,
    resolve: ScopeChallengeHandler
): Promise<ScopeChallenge | undefined> {
    return findScopeChallengeNow(requests, authInfo, resolve);
}

/**
 * {@link findScopeChallenge} without a promise when every handler answers synchronously (the common case: no
 * challenge, or `requireScopes`): the per-request cost of a server whose operations need no scope stays nil.
 *
 * @throws {@link AuthConfigError} when a handler returns a malformed challenge.
 */
export function findScopeChallengeNow(
    requests: readonly JSONRPCRequest[],
    authInfo: AuthInfo | undefined,
    resolve: ScopeChallengeHandler,
    from = 0
): ScopeChallenge | undefined | Promise<ScopeChallenge | undefined> {
    for (let i = from; i < requests.length; i++) {
        const request = requests[i]!;
        const answer = resolve(authInfo === undefined ? { request } : { request, authInfo });
        if (answer === undefined) continue;
        if (isThenable(answer)) {
            // Any thenable, as `await` would take it (another realm's promise, a library's).
            return Promise.resolve(answer).then(challenge =>
                challenge === undefined
                    ? findScopeChallengeNow(requests, authInfo, resolve, i + 1)
                    : validChallenge(challenge)
            );
        }
        return validChallenge(answer);
    }
    return undefined;
}

/** Whether `value` is a promise or any other thenable (checked by shape, not `instanceof`). */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
    return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function validChallenge(challenge: ScopeChallenge): ScopeChallenge {
    const scopes = validScopes(challenge?.scopes, 'scope challenge');
    return challenge.errorDescription === undefined
        ? { scopes }
        : { scopes, errorDescription: String(challenge.errorDescription) };
}

/**
 * The `403 insufficient_scope` answer to a challenge: the challenge's scopes in `scope`, and `resource_metadata`
 * from the token (`authInfo.resourceMetadataUrl`, else the well-known URL of its `resource`) when known.
 */
export function scopeChallengeFailure(challenge: ScopeChallenge, authInfo: AuthInfo | undefined): AuthorizationFailure {
    const granted = new Set(authInfo?.scopes ?? []);
    const missing = challenge.scopes.filter(scope => !granted.has(scope));
    const error = new InsufficientScopeError(
        challenge.scopes,
        missing,
        challenge.errorDescription ?? 'Insufficient scope'
    );
    return error.toFailure({ scope: challenge.scopes, resourceMetadataUrl: metadataUrlOf(authInfo) });
}

function metadataUrlOf(authInfo: AuthInfo | undefined): string | undefined {
    if (authInfo?.resourceMetadataUrl !== undefined) return authInfo.resourceMetadataUrl;
    const resource = authInfo?.resource;
    if (resource instanceof URL && (resource.protocol === 'https:' || resource.protocol === 'http:')) {
        return protectedResourceMetadataUrl(resource).href;
    }
    return undefined;
}

function validScopes(scopes: unknown, where: string): [string, ...string[]] {
    if (!Array.isArray(scopes) || scopes.length === 0) {
        throw new AuthConfigError(`${where}: at least one scope is required`);
    }
    for (const scope of scopes) {
        if (typeof scope !== 'string' || !isScopeToken(scope)) {
            throw new AuthConfigError(`${where}: ${JSON.stringify(scope)} is not a valid scope token`);
        }
    }
    return [...scopes] as [string, ...string[]];
}

/**
 * A request reached its handler although its scope challenge stands (what it addresses changed after the
 * transport's check, or no transport checked): answered with `-32600` and `data.requiredScopes` instead of
 * running the handler. Over HTTP the transport normally answers such a request with `403` first.
 */
export class ScopeChallengeError extends ProtocolError {
    override name = 'ScopeChallengeError';
    constructor(
        /** The challenge that stands. */
        readonly challenge: ScopeChallenge
    ) {
        super(
            ProtocolErrorCode.InvalidRequest,
            `Insufficient scope: this request requires ${challenge.scopes.join(' ')}`,
            { requiredScopes: [...challenge.scopes] }
        );
    }
}

/**
 * Re-checks, where a handler resolves what a request addresses, the challenge the transport checked before
 * dispatch: what the request addresses may have changed in between (an earlier request of the same batch
 * enabling or renaming it), or no transport may have checked (a low-level `Server` connected directly, stdio).
 * Returns `undefined` when nothing stands and every handler answered synchronously (nothing to wait for), else a
 * promise to await, which rejects with {@link ScopeChallengeError} when the challenge stands.
 */
export function enforceScopeChallenge(
    handler: ScopeChallengeHandler | undefined,
    request: JSONRPCRequest,
    authInfo: AuthInfo | undefined
): Promise<void> | undefined {
    if (handler === undefined) return undefined;
    let found: ReturnType<typeof findScopeChallengeNow>;
    try {
        found = findScopeChallengeNow([request], authInfo, handler);
    } catch (error) {
        return Promise.reject(error);
    }
    if (found === undefined) return undefined;
    if (isThenable(found)) {
        return found.then(challenge => {
            if (challenge !== undefined) throw new ScopeChallengeError(challenge);
        });
    }
    return Promise.reject(new ScopeChallengeError(found));
}
