import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { InvalidResponseError, RegistrationError } from '../../src/client/auth/errors.js';
import {
    isClientMetadataUrl,
    registerClient,
    selectClientRegistration,
    supportsClientIdMetadataDocument
} from '../../src/client/auth/registration.js';
import type { LoopbackServer } from './loopbackServer.js';
import { send, startServer } from './loopbackServer.js';

let server: LoopbackServer;
beforeEach(async () => {
    server = await startServer();
});
afterEach(async () => {
    await server.close();
});

const clientMetadata = {
    client_name: 'Test client',
    redirect_uris: ['http://127.0.0.1:3000/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    scope: 'init'
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    throw new Error('expected a rejection');
}

describe('registerClient', () => {
    it.each([
        ['loopback http', ['http://127.0.0.1:3000/callback', 'http://localhost:9/cb'], 'native'],
        ['a private-use scheme', ['com.example.app:/oauth'], 'native'],
        ['remote https', ['https://app.example/callback'], 'web'],
        ['a mix (the authorization server decides)', ['https://app.example/cb', 'http://127.0.0.1:1/cb'], undefined]
    ])('sends application_type for %s redirect URIs (SEP-837)', async (_name, redirectUris, expected) => {
        let sent: Record<string, unknown> = {};
        server.handle((req, res) => {
            sent = JSON.parse(req.body) as Record<string, unknown>;
            send(res, 201, { ...sent, client_id: 'c' });
        });
        await registerClient({
            registrationEndpoint: `${server.origin}/register`,
            clientMetadata: { ...clientMetadata, redirect_uris: redirectUris }
        });
        expect(sent.application_type).toBe(expected);
    });

    it('keeps an application_type the metadata sets', async () => {
        let sent: Record<string, unknown> = {};
        server.handle((req, res) => {
            sent = JSON.parse(req.body) as Record<string, unknown>;
            send(res, 201, { ...sent, client_id: 'c' });
        });
        await registerClient({
            registrationEndpoint: `${server.origin}/register`,
            clientMetadata: { ...clientMetadata, application_type: 'web' }
        });
        expect(sent.application_type).toBe('web');
    });

    it('POSTs the metadata as JSON and returns the validated client information', async () => {
        server.handle((req, res) =>
            send(res, 201, {
                ...JSON.parse(req.body),
                client_id: 'new-client',
                client_id_issued_at: 1,
                vendor_extra: 'kept'
            })
        );
        const info = await registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata });
        expect(info).toMatchObject({
            client_id: 'new-client',
            client_name: 'Test client',
            token_endpoint_auth_method: 'none',
            vendor_extra: 'kept'
        });
        const request = server.requests[0]!;
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/register');
        expect(request.headers['content-type']).toBe('application/json');
        expect(JSON.parse(request.body)).toEqual({ ...clientMetadata, application_type: 'native' });
        expect(request.headers.authorization).toBeUndefined();
    });

    it('accepts 200 and sends an initial access token as a bearer token', async () => {
        server.handle((_req, res) => send(res, 200, { client_id: 'c', client_secret: 's' }));
        const info = await registerClient({
            registrationEndpoint: `${server.origin}/register`,
            clientMetadata,
            initialAccessToken: 'iat-1'
        });
        expect(info.client_secret).toBe('s');
        expect(server.requests[0]?.headers.authorization).toBe('Bearer iat-1');
    });

    it('turns an RFC 7591 error response into RegistrationError', async () => {
        server.handle((_req, res) =>
            send(res, 400, { error: 'invalid_redirect_uri', error_description: 'not allowed' })
        );
        const error = await rejection(
            registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata })
        );
        expect(error).toBeInstanceOf(RegistrationError);
        expect(error).toMatchObject({
            code: 'REGISTRATION_FAILED',
            error: 'invalid_redirect_uri',
            errorDescription: 'not allowed',
            status: 400
        });
    });

    it('turns other failures into RegistrationError with the status', async () => {
        server.handle((_req, res) => send(res, 500, 'oops'));
        const error = await rejection(
            registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata })
        );
        expect(error).toMatchObject({ code: 'REGISTRATION_FAILED', status: 500, error: undefined });
        server.handle((_req, res) => send(res, 302, '', { Location: '/elsewhere' }));
        expect(
            await rejection(registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata }))
        ).toMatchObject({ status: 302 });
        expect(server.requests.map(r => r.path)).toEqual(['/register', '/register']);
    });

    it('rejects a success without client_id, or not JSON, as InvalidResponseError', async () => {
        server.handle((_req, res) => send(res, 201, { client_name: 'x' }));
        expect(
            await rejection(registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata }))
        ).toBeInstanceOf(InvalidResponseError);
        server.handle((_req, res) => send(res, 201, 'not json'));
        expect(
            await rejection(registerClient({ registrationEndpoint: `${server.origin}/register`, clientMetadata }))
        ).toBeInstanceOf(InvalidResponseError);
    });

    it('refuses an insecure registration endpoint', async () => {
        expect(
            await rejection(registerClient({ registrationEndpoint: 'http://as.example/register', clientMetadata }))
        ).toMatchObject({ code: 'INSECURE_ENDPOINT' });
    });
});

describe('Client ID Metadata Documents', () => {
    it.each([
        ['https://app.example/client.json', true],
        ['https://app.example/oauth/client-metadata', true],
        ['https://app.example/', false],
        ['https://app.example', false],
        ['http://app.example/client.json', false],
        ['https://app.example/client.json#x', false],
        ['https://user:pw@app.example/client.json', false],
        ['https://app.example/a/../client.json', false],
        ['not a url', false]
    ])('isClientMetadataUrl(%s) → %s', (url, valid) => {
        expect(isClientMetadataUrl(url)).toBe(valid);
    });

    it('reads client_id_metadata_document_supported', () => {
        expect(supportsClientIdMetadataDocument({ client_id_metadata_document_supported: true })).toBe(true);
        expect(supportsClientIdMetadataDocument({})).toBe(false);
    });

    it('chooses pre-registered, then metadata document, then dynamic registration, then none', () => {
        const url = 'https://app.example/client.json';
        const full = { client_id_metadata_document_supported: true, registration_endpoint: 'https://as/register' };
        expect(
            selectClientRegistration({
                metadata: full,
                clientInformation: { client_id: 'pre' },
                clientMetadataUrl: url
            })
        ).toEqual({
            kind: 'pre-registered',
            clientInformation: { client_id: 'pre' }
        });
        expect(selectClientRegistration({ metadata: full, clientMetadataUrl: url })).toEqual({
            kind: 'client-id-metadata-document',
            clientInformation: { client_id: url }
        });
        expect(
            selectClientRegistration({
                metadata: { registration_endpoint: 'https://as/register' },
                clientMetadataUrl: url
            })
        ).toEqual({ kind: 'dynamic', registrationEndpoint: 'https://as/register' });
        expect(
            selectClientRegistration({ metadata: full, clientMetadataUrl: 'http://insecure.example/c' })
        ).toMatchObject({
            kind: 'dynamic'
        });
        expect(selectClientRegistration({ metadata: {} })).toEqual({ kind: 'none' });
    });
});
