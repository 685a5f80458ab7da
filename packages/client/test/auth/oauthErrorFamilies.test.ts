/**
 * The OAuth error families: core's `OAuthError` / `OAuthErrorCode` (the OAuth error code as `code`), the official
 * SDK's `OAuthClientFlowError` family spanning this SDK's own errors, and the rejected registration that keeps what
 * was sent and answered.
 */
import { OAuthError, OAuthErrorCode } from '@modelcontextprotocol/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
    AuthorizationServerChangedError,
    InsecureEndpointError,
    InsufficientScopeError,
    IssuerMismatchError,
    RegistrationError,
    ResourceMismatchError,
    UnauthorizedError
} from '../../src/client/auth/errors.js';
import {
    AuthorizationServerMismatchError,
    InsecureTokenEndpointError,
    InvalidClientMetadataError,
    OAuthClientFlowError,
    RegistrationRejectedError
} from '../../src/client/auth/flowErrors.js';
import { registerClient } from '../../src/client/auth/registration.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

describe('OAuthError (core)', () => {
    it('carries an OAuth error code, message and error_uri, and turns back into an error response', () => {
        const error = new OAuthError(OAuthErrorCode.InvalidToken, 'expired', 'https://as.example/doc');
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({ name: 'OAuthError', code: 'invalid_token', message: 'expired' });
        expect(error.toResponseObject()).toEqual({
            error: 'invalid_token',
            error_description: 'expired',
            error_uri: 'https://as.example/doc'
        });
        const back = OAuthError.fromResponse({ error: 'access_denied' });
        expect(back).toMatchObject({ code: OAuthErrorCode.AccessDenied, message: 'access_denied' });
        expect(back.errorUri).toBeUndefined();
    });

    it('is the base of every client OAuth error, so isInstance recognizes them', () => {
        expect(OAuthError.isInstance(new UnauthorizedError())).toBe(true);
        expect(UnauthorizedError.isInstance(new OAuthError('x', 'y'))).toBe(false);
        expect(OAuthError.isInstance(new Error('plain'))).toBe(false);
    });

    it('names the RFC error codes by their official names', () => {
        expect(OAuthErrorCode).toMatchObject({
            InvalidRequest: 'invalid_request',
            InvalidClient: 'invalid_client',
            InvalidGrant: 'invalid_grant',
            InvalidScope: 'invalid_scope',
            InvalidClientMetadata: 'invalid_client_metadata',
            InvalidRedirectUri: 'invalid_redirect_uri',
            InsufficientScope: 'insufficient_scope',
            InvalidTarget: 'invalid_target'
        });
    });
});

describe('OAuthClientFlowError family', () => {
    const members: Array<[string, Error]> = [
        ['InsecureTokenEndpointError', new InsecureTokenEndpointError('http://as.example/token')],
        [
            'RegistrationRejectedError',
            new RegistrationRejectedError({ status: 400, body: '{}', submittedMetadata: { redirect_uris: [] } })
        ],
        ['AuthorizationServerMismatchError', new AuthorizationServerMismatchError('https://a', 'https://b')],
        [
            'AuthorizationServerChangedError',
            new AuthorizationServerChangedError('moved', { previousIssuer: 'a', issuer: 'b' })
        ],
        ['IssuerMismatchError', new IssuerMismatchError('https://a', 'https://b')],
        [
            'InsufficientScopeError',
            new InsufficientScopeError({ missingScopes: [], requestedScopes: [], grantedScopes: [] })
        ],
        ['OAuthClientFlowError', new OAuthClientFlowError('generic')]
    ];

    it.each(members)('%s is an OAuthClientFlowError (and an OAuthError)', (name, error) => {
        expect(error.name).toBe(name);
        expect(error).toBeInstanceOf(OAuthClientFlowError);
        expect(OAuthClientFlowError.isInstance(error)).toBe(true);
        expect(error).toBeInstanceOf(OAuthError);
    });

    it('does not include the other errors, and subclasses keep their own instanceof', () => {
        expect(new UnauthorizedError()).not.toBeInstanceOf(OAuthClientFlowError);
        expect(new ResourceMismatchError('a', 'b')).not.toBeInstanceOf(OAuthClientFlowError);
        expect(new InsecureEndpointError('http://x')).not.toBeInstanceOf(OAuthClientFlowError);
        expect(new InsecureTokenEndpointError('http://x/token')).toBeInstanceOf(InsecureEndpointError);
        expect(new InsecureEndpointError('http://x')).not.toBeInstanceOf(InsecureTokenEndpointError);
        expect(new AuthorizationServerMismatchError('a', 'b')).toBeInstanceOf(AuthorizationServerChangedError);
        expect(new OAuthClientFlowError('x')).not.toBeInstanceOf(InsecureTokenEndpointError);
    });

    it('exposes the official field names', () => {
        const mismatch = new AuthorizationServerMismatchError('https://recorded', 'https://current');
        expect(mismatch).toMatchObject({ recordedIssuer: 'https://recorded', currentIssuer: 'https://current' });
        const issuer = new IssuerMismatchError('https://a', 'https://b', { kind: 'authorization_response' });
        expect(issuer).toMatchObject({ kind: 'authorization_response', expected: 'https://a', received: 'https://b' });
        expect(new IssuerMismatchError('https://a', 'https://b').kind).toBe('metadata');
        const scope = new InsufficientScopeError({
            missingScopes: ['b'],
            requestedScopes: [],
            grantedScopes: [],
            requiredScope: 'a b',
            resourceMetadataUrl: new URL('https://mcp.example/prm')
        });
        expect(scope.requiredScope).toBe('a b');
        expect(scope.resourceMetadataUrl?.href).toBe('https://mcp.example/prm');
    });

    it('gives invalid_client_metadata its own named error', () => {
        const error = new InvalidClientMetadataError('bad url');
        expect(error).toMatchObject({ name: 'InvalidClientMetadataError', code: OAuthErrorCode.InvalidClientMetadata });
        expect(error).toBeInstanceOf(OAuthError);
    });
});

describe('a rejected dynamic client registration', () => {
    let server: LoopbackServer;
    beforeEach(async () => {
        server = await startServer();
    });
    afterEach(async () => {
        await server.close();
    });

    it('throws RegistrationRejectedError with the status, the raw body and the metadata sent', async () => {
        const answer = { error: 'invalid_redirect_uri', error_description: 'loopback not allowed' };
        server.handle((_req, res) => send(res, 400, answer));
        const failure = registerClient({
            registrationEndpoint: `${server.origin}/register`,
            clientMetadata: { client_name: 'app', redirect_uris: ['http://127.0.0.1:9/callback'] }
        });
        await expect(failure).rejects.toBeInstanceOf(RegistrationRejectedError);
        await expect(failure).rejects.toBeInstanceOf(RegistrationError);
        const error = (await failure.catch((caught: unknown) => caught)) as RegistrationRejectedError;
        expect(error.status).toBe(400);
        expect(JSON.parse(error.body)).toEqual(answer);
        expect(JSON.parse(error.body).error).toBe(OAuthErrorCode.InvalidRedirectUri);
        expect(error.error).toBe('invalid_redirect_uri');
        // What was sent includes the application_type the SDK derived from the loopback redirect URI.
        expect(error.submittedMetadata).toEqual({
            client_name: 'app',
            redirect_uris: ['http://127.0.0.1:9/callback'],
            application_type: 'native'
        });
        expect(JSON.parse(server.requests[0]!.body)).toEqual(error.submittedMetadata);
    });

    it('keeps a non-JSON error body as text', async () => {
        server.handle((_req, res) => send(res, 503, 'maintenance'));
        const error = (await registerClient({
            registrationEndpoint: `${server.origin}/register`,
            clientMetadata: { redirect_uris: ['https://app.example/cb'] }
        }).catch((caught: unknown) => caught)) as RegistrationRejectedError;
        expect(error).toBeInstanceOf(RegistrationRejectedError);
        expect(error).toMatchObject({ status: 503, body: 'maintenance', error: undefined });
    });

    it('registers with the official call form: the authorization server URL, its metadata and a scope', async () => {
        server.handle((req, res) => send(res, 201, { ...JSON.parse(req.body), client_id: 'new-client' }));
        const metadata = { issuer: server.origin, registration_endpoint: `${server.origin}/reg` };
        const info = await registerClient(server.origin, {
            metadata,
            clientMetadata: { redirect_uris: ['https://app.example/cb'], scope: 'old' },
            scope: 'new'
        });
        expect(info.client_id).toBe('new-client');
        expect(server.requests[0]?.path).toBe('/reg');
        expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ scope: 'new' });
        await expect(
            registerClient(server.origin, { metadata: { issuer: server.origin }, clientMetadata: {} })
        ).rejects.toBeInstanceOf(RegistrationError);
    });
});
