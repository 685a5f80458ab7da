import type { AuthInfo } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';
import {
    authorizationFailureResponse,
    authorizeRequest,
    extractBearerToken,
    withBearerAuth
} from '../../src/server/auth/bearerAuth.js';
import type { AuthorizedContext } from '../../src/server/auth/bearerAuth.js';
import { WebStandardStreamableHTTPServerTransport } from '../../src/server/streamableHttp.js';
import { formatBearerChallenge } from '../../src/server/auth/challenge.js';
import {
    AuthConfigError,
    InsufficientScopeError,
    InvalidBearerRequestError,
    InvalidTokenError,
    MissingTokenError,
    ServerError
} from '../../src/server/auth/errors.js';
import { createScopePolicy } from '../../src/server/auth/scopePolicy.js';
import type { TokenVerifier } from '../../src/server/auth/tokenVerifier.js';
import { parseBearerChallenge } from './challengeHelpers.js';

const METADATA_URL = 'https://rs.example/.well-known/oauth-protected-resource/mcp';

/** A verifier backed by a fixed table: the auth layer is under test here, not token validation. */
function tableVerifier(table: Record<string, Omit<AuthInfo, 'token'>>): TokenVerifier {
    return {
        async verifyAccessToken(token) {
            const entry = table[token];
            if (!entry) throw new InvalidTokenError('The access token is invalid');
            return { token, ...entry };
        }
    };
}

const verifier = tableVerifier({
    initToken: { clientId: 'c1', scopes: ['init'] },
    readToken: { clientId: 'c1', scopes: ['init', 'mcp:tools:read'] },
    writeOnly: { clientId: 'c1', scopes: ['mcp:tools:write'] },
    expired: { clientId: 'c1', scopes: ['init'], expiresAt: Math.floor(Date.now() / 1000) - 60 }
});

const policy = createScopePolicy({
    methods: { initialize: 'init', ping: 'init', 'tools/list': 'mcp:tools:read', 'tools/call': 'mcp:tools:write' },
    notifications: 'init',
    withoutMessage: 'init'
});

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
const toolsList = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const toolsCall = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo' } };

const base = { verifier, policy, resourceMetadataUrl: METADATA_URL };

async function fail(headers: Record<string, string | string[]>, body: unknown = initialize, options = {}) {
    const result = await authorizeRequest({ ...base, ...options, headers, body });
    if (result.ok) throw new Error('expected a failure');
    return result;
}

describe('authorizeRequest: no credentials', () => {
    it('answers 401 with resource_metadata and the operation scope, and no error attribute', async () => {
        const result = await fail({});
        expect(result.status).toBe(401);
        expect(result.headers['WWW-Authenticate']).toBe(`Bearer scope="init", resource_metadata="${METADATA_URL}"`);
        const { params } = parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null);
        expect(params).toEqual({ scope: 'init', resource_metadata: METADATA_URL });
        expect(result.error).toBeInstanceOf(MissingTokenError);
    });

    it('names the scope of the operation at hand (tools/call → mcp:tools:write only)', async () => {
        const result = await fail({}, toolsCall);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.scope).toBe('mcp:tools:write');
    });

    it('treats another scheme like no credentials (401, no error attribute)', async () => {
        const result = await fail({ authorization: 'Basic YTpi' });
        expect(result.status).toBe(401);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params).not.toHaveProperty('error');
    });

    it('treats an empty header like no credentials', async () => {
        expect((await fail({ authorization: '   ' })).status).toBe(401);
    });

    it('uses the withoutMessage scopes for a request with no body (GET stream)', async () => {
        const result = await fail({}, undefined);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.scope).toBe('init');
    });

    it('omits scope when the operation requires none, and resource_metadata when none is configured', async () => {
        const result = await authorizeRequest({ verifier, headers: {} });
        if (result.ok) throw new Error('expected a failure');
        expect(result.headers['WWW-Authenticate']).toBe('Bearer');
    });
});

describe('authorizeRequest: malformed credentials', () => {
    const malformed: [string, Record<string, string | string[]>][] = [
        ['Bearer without a token', { authorization: 'Bearer' }],
        ['a token with spaces', { authorization: 'Bearer abc def' }],
        ['a token with a quote', { authorization: 'Bearer abc"def' }],
        ['a token with a comma', { authorization: 'Bearer abc,Bearer def' }],
        ['padding in the middle', { authorization: 'Bearer ab=c' }],
        ['two Authorization headers', { authorization: ['Bearer a', 'Bearer b'] }],
        ['an oversized header', { authorization: `Bearer ${'a'.repeat(20_000)}` }]
    ];
    it.each(malformed)('answers 400 invalid_request for %s', async (_name, headers) => {
        const result = await fail(headers);
        expect(result.status).toBe(400);
        expect(result.error).toBeInstanceOf(InvalidBearerRequestError);
        const { params } = parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null);
        expect(params.error).toBe('invalid_request');
        expect(params.resource_metadata).toBe(METADATA_URL);
        expect(result.body.error).toBe('invalid_request');
    });
});

describe('authorizeRequest: invalid tokens', () => {
    it('answers 401 invalid_token for a token the verifier rejects', async () => {
        const result = await fail({ authorization: 'Bearer nope' }, toolsList);
        expect(result.status).toBe(401);
        const { params } = parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null);
        expect(params).toEqual({
            error: 'invalid_token',
            error_description: 'The access token is invalid',
            scope: 'mcp:tools:read',
            resource_metadata: METADATA_URL
        });
        expect(result.body).toEqual({ error: 'invalid_token', error_description: 'The access token is invalid' });
    });

    it('answers 401 invalid_token when the verifier reports an expiry in the past', async () => {
        const result = await fail({ authorization: 'Bearer expired' });
        expect(result.status).toBe(401);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.error).toBe('invalid_token');
    });

    it('never lets a verifier message inject quotes, backslashes or line breaks into the challenge', async () => {
        const hostile: TokenVerifier = {
            async verifyAccessToken() {
                throw new InvalidTokenError('bad "token"\r\nSet-Cookie: x=1\\ é');
            }
        };
        const result = await fail({ authorization: 'Bearer abc' }, initialize, { verifier: hostile });
        const header = result.headers['WWW-Authenticate'] ?? '';
        expect(header).not.toMatch(/[\r\n]/);
        const { params } = parseBearerChallenge(header);
        expect(params.error_description).toBe('bad token Set-Cookie: x=1');
        expect(params.scope).toBe('init');
    });
});

describe('authorizeRequest: insufficient scope', () => {
    it('answers 403 for tools/list with an init token, naming only mcp:tools:read', async () => {
        const result = await fail({ authorization: 'Bearer initToken' }, toolsList);
        expect(result.status).toBe(403);
        expect(result.headers['WWW-Authenticate']).toBe(
            `Bearer error="insufficient_scope", error_description="The access token lacks the required scope: mcp:tools:read", scope="mcp:tools:read", resource_metadata="${METADATA_URL}"`
        );
        const error = result.error as InsufficientScopeError;
        expect(error).toBeInstanceOf(InsufficientScopeError);
        expect(error.missingScopes).toEqual(['mcp:tools:read']);
    });

    it('names every scope the operation requires, not only the missing ones', async () => {
        const strict = createScopePolicy({ methods: { 'tools/call': 'init mcp:tools:write' } });
        const result = await fail({ authorization: 'Bearer initToken' }, toolsCall, { policy: strict });
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.scope).toBe(
            'init mcp:tools:write'
        );
        expect((result.error as InsufficientScopeError).missingScopes).toEqual(['mcp:tools:write']);
    });

    it('names the union of a batch', async () => {
        const result = await fail({ authorization: 'Bearer initToken' }, [initialize, toolsList, toolsCall]);
        expect(result.status).toBe(403);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.scope).toBe(
            'init mcp:tools:read mcp:tools:write'
        );
    });

    it('adds static requiredScopes to the policy requirement', async () => {
        const result = await fail({ authorization: 'Bearer readToken' }, toolsList, { requiredScopes: ['mcp:extra'] });
        expect(result.status).toBe(403);
        expect(parseBearerChallenge(result.headers['WWW-Authenticate'] ?? null).params.scope).toBe(
            'mcp:extra mcp:tools:read'
        );
    });

    it('checks static requiredScopes alone when there is no policy', async () => {
        const result = await authorizeRequest({
            verifier,
            requiredScopes: ['admin'],
            headers: { authorization: 'Bearer readToken' }
        });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.status).toBe(403);
    });
});

describe('authorizeRequest: success', () => {
    it('returns the AuthInfo, stamped with the metadata URL, when the token covers the operation', async () => {
        const result = await authorizeRequest({
            ...base,
            headers: { authorization: 'Bearer readToken' },
            body: toolsList
        });
        expect(result).toEqual({
            ok: true,
            authInfo: {
                token: 'readToken',
                clientId: 'c1',
                scopes: ['init', 'mcp:tools:read'],
                resourceMetadataUrl: String(base.resourceMetadataUrl)
            },
            requiredScopes: ['mcp:tools:read']
        });
    });

    it('accepts the scheme in any case, a web Headers object, and a mixed-case header name', async () => {
        const headers = new Headers({ Authorization: 'bEaReR   initToken' });
        expect((await authorizeRequest({ ...base, headers, body: initialize })).ok).toBe(true);
        expect(
            (await authorizeRequest({ ...base, headers: { Authorization: 'Bearer initToken' }, body: initialize })).ok
        ).toBe(true);
    });

    it('honours the policy implications (write implies read)', async () => {
        const implied = createScopePolicy({
            methods: { 'tools/list': 'mcp:tools:read' },
            implies: { 'mcp:tools:write': ['mcp:tools:read'] }
        });
        const result = await authorizeRequest({
            verifier,
            policy: implied,
            headers: { authorization: 'Bearer writeOnly' },
            body: toolsList
        });
        expect(result.ok).toBe(true);
    });
});

describe('authorizeRequest: server failures', () => {
    it('answers 500 without a challenge or internal details when the verifier throws unexpectedly', async () => {
        const broken: TokenVerifier = {
            async verifyAccessToken() {
                throw new Error('database password is hunter2');
            }
        };
        const result = await fail({ authorization: 'Bearer abc' }, initialize, { verifier: broken });
        expect(result.status).toBe(500);
        expect(result.headers).not.toHaveProperty('WWW-Authenticate');
        expect(JSON.stringify(result.body)).not.toContain('hunter2');
        expect(result.error).toBeInstanceOf(ServerError);
        expect((result.error.cause as Error).message).toContain('hunter2');
    });

    it('passes a ServerError from the verifier through as 500', async () => {
        const down: TokenVerifier = {
            async verifyAccessToken() {
                throw new ServerError('The token introspection endpoint is unreachable');
            }
        };
        const result = await fail({ authorization: 'Bearer abc' }, initialize, { verifier: down });
        expect(result.status).toBe(500);
        expect(result.body).toEqual({
            error: 'server_error',
            error_description: 'The token introspection endpoint is unreachable'
        });
    });
});

describe('extractBearerToken', () => {
    it('returns the b64token, trailing padding included', () => {
        expect(extractBearerToken('Bearer abc.DEF-_~+/123==')).toBe('abc.DEF-_~+/123==');
    });
});

describe('formatBearerChallenge', () => {
    it('quotes and escapes values and drops control characters', () => {
        expect(formatBearerChallenge({ realm: 'a"b\\c\r\nd' })).toBe('Bearer realm="a\\"b\\\\cd"');
        expect(parseBearerChallenge(formatBearerChallenge({ realm: 'a"b\\c' })).params.realm).toBe('a"b\\c');
    });

    it('writes the attributes in a fixed order, each once', () => {
        expect(
            formatBearerChallenge({
                resourceMetadata: new URL(METADATA_URL),
                scope: ['b', 'a', 'b'],
                errorUri: 'https://e.example/x',
                errorDescription: 'd',
                error: 'invalid_token',
                realm: 'r'
            })
        ).toBe(
            `Bearer realm="r", error="invalid_token", error_description="d", error_uri="https://e.example/x", scope="b a", resource_metadata="${METADATA_URL}"`
        );
    });
});

describe('error responses', () => {
    it('renders a failure as a web Response with the challenge and a JSON body', async () => {
        const result = await fail({}, toolsList);
        const response = authorizationFailureResponse(result);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(
            `Bearer scope="mcp:tools:read", resource_metadata="${METADATA_URL}"`
        );
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(await response.json()).toEqual(result.body);
    });

    it('renders an error directly with toResponse()', async () => {
        const response = new InsufficientScopeError(['a'], ['a']).toResponse({ scope: ['a'] });
        expect(response.status).toBe(403);
        expect(response.headers.get('www-authenticate')).toBe(
            'Bearer error="insufficient_scope", error_description="The access token lacks the required scope: a", scope="a"'
        );
    });
});

describe('withBearerAuth', () => {
    const post = (body: string, token?: string) =>
        new Request('https://rs.example/mcp', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body
        });

    it('answers the challenge without calling the handler', async () => {
        let called = false;
        const handle = withBearerAuth(() => {
            called = true;
            return new Response('ok');
        }, base);
        const response = await handle(post(JSON.stringify(toolsList)));
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(
            `Bearer scope="mcp:tools:read", resource_metadata="${METADATA_URL}"`
        );
        expect(called).toBe(false);
    });

    it('passes authInfo and the decoded body; the transport picks up that same decode', async () => {
        const transport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: undefined,
            enableJsonResponse: true
        });
        const dispatched: unknown[] = [];
        transport.onmessage = message => {
            dispatched.push(message);
            if ('id' in message) void transport.send({ jsonrpc: '2.0', id: message.id, result: { tools: [] } });
        };
        await transport.start();
        let context: AuthorizedContext | undefined;
        const handle = withBearerAuth((request, authorized) => {
            context = authorized;
            expect(request.bodyUsed).toBe(true);
            return transport.handleRequest(request, { authInfo: authorized.authInfo });
        }, base);
        const request = post(JSON.stringify(toolsList), 'readToken');
        request.headers.set('accept', 'application/json, text/event-stream');
        const response = await handle(request);
        expect(response.status).toBe(200);
        expect(context?.parsedBody).toEqual(toolsList);
        expect(context?.authInfo.scopes).toEqual(['init', 'mcp:tools:read']);
        expect(dispatched).toHaveLength(1);
        expect(dispatched[0]).toBe(context?.parsedBody);
    });

    it('refuses a body that is not JSON (400) instead of judging it as a request without a message', async () => {
        let called = false;
        const handle = withBearerAuth(
            () => {
                called = true;
                return new Response('ok');
            },
            { ...base, policy: createScopePolicy({ default: 'init' }) }
        );
        const refused = await handle(post('{not json', 'initToken'));
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ error: { code: -32700 } });
        expect(called).toBe(false);
    });

    it('answers 413 for a body over the limit', async () => {
        const handle = withBearerAuth(() => new Response('ok'), { ...base, maxBodyBytes: 16 });
        const response = await handle(post(JSON.stringify(toolsList), 'readToken'));
        expect(response.status).toBe(413);
    });

    it('authorizes a GET by the withoutMessage requirement', async () => {
        const handle = withBearerAuth(() => new Response('stream'), base);
        const request = new Request('https://rs.example/mcp', { headers: { authorization: 'Bearer initToken' } });
        expect(await (await handle(request)).text()).toBe('stream');
    });

    it('rejects an invalid static scope at construction', () => {
        expect(() => withBearerAuth(() => new Response(), { verifier, requiredScopes: ['bad scope'] })).toThrow(
            AuthConfigError
        );
    });
});
