/**
 * Client registration: OAuth 2.0 Dynamic Client Registration (RFC 7591 §3) and OAuth Client ID Metadata Documents
 * (an https URL that serves the client's metadata is itself the `client_id`, so no registration request is made).
 *
 * @module
 */
import type {
    AuthorizationServerMetadata,
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientMetadata
} from '@modelcontextprotocol/core';
import { OAuthClientInformationFullSchema, OAuthErrorResponseSchema } from '@modelcontextprotocol/core';
import * as z from 'zod/mini';

import { RegistrationError } from './errors.js';
import { InvalidClientMetadataError, RegistrationRejectedError } from './flowErrors.js';
import type { FetchLike, RequestOptions } from './http.js';
import { assertSecureEndpoint, isJsonObject, readJson, readText, send } from './http.js';
import type { OAuthClientProvider } from './provider.js';
import { parseWithSchema } from './validate.js';

/** Options of {@link registrationRequest} and {@link registerClient}. */
export interface RegistrationOptions extends RequestOptions {
    /** The authorization server's `registration_endpoint` (RFC 8414 §2). */
    registrationEndpoint: string | URL;
    /** The metadata to register (RFC 7591 §2). */
    clientMetadata: OAuthClientMetadata;
    /** An initial access token, when the server requires one (RFC 7591 §3). */
    initialAccessToken?: string | undefined;
}

/**
 * POSTs the client metadata as JSON to the registration endpoint (RFC 7591 §3.1).
 *
 * @throws {InsecureEndpointError} for an endpoint that is not https (loopback excepted).
 * @throws {RequestFailedError} when no response arrives.
 */
export async function registrationRequest(options: RegistrationOptions): Promise<Response> {
    const url = assertSecureEndpoint(options.registrationEndpoint, 'registration endpoint');
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (options.initialAccessToken !== undefined) headers.Authorization = `Bearer ${options.initialAccessToken}`;
    const metadata = withApplicationType(options.clientMetadata);
    return send(url, { method: 'POST', headers, body: JSON.stringify(metadata), redirect: 'manual' }, options);
}

/** True for a redirect URI a native application uses: http on a loopback host, or a private-use scheme. */
function isNativeRedirect(uri: string): boolean {
    let url: URL;
    try {
        url = new URL(uri);
    } catch {
        return false;
    }
    if (url.protocol === 'http:') return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol !== 'https:';
}

/**
 * The metadata with `application_type` (OpenID Connect Dynamic Client Registration §2; MCP 2026-07-28, SEP-837)
 * filled in when the caller left it out: `native` when every redirect URI is loopback http or a private-use scheme,
 * `web` when every one is https on another host; left out for a mix (the authorization server decides). Without it
 * an OpenID provider assumes `web`, which forbids the loopback redirects of desktop and command-line clients.
 */
export function withApplicationType(metadata: OAuthClientMetadata): OAuthClientMetadata {
    if (metadata.application_type !== undefined) return metadata;
    const uris = metadata.redirect_uris ?? [];
    if (uris.length === 0) return metadata;
    const native = uris.filter(isNativeRedirect).length;
    if (native === uris.length) return { ...metadata, application_type: 'native' };
    if (native === 0) return { ...metadata, application_type: 'web' };
    return metadata;
}

/**
 * The client metadata the SDK registers for a provider (official SDK name): the provider's `clientMetadata` with
 * what the caller left out filled in. `grant_types` defaults to `authorization_code` and `refresh_token` for an
 * interactive client (one with a `redirectUrl`), so servers that issue refresh tokens only to clients registered for
 * them do (MCP SEP-2207); `application_type` is derived from the redirect URIs (see {@link withApplicationType}).
 * Values the provider set are never changed.
 */
export function resolveClientMetadata(
    provider: Pick<OAuthClientProvider, 'clientMetadata' | 'redirectUrl'>
): OAuthClientMetadata {
    const metadata = { ...provider.clientMetadata };
    if (metadata.grant_types === undefined && provider.redirectUrl !== undefined) {
        metadata.grant_types = ['authorization_code', 'refresh_token'];
    }
    return withApplicationType(metadata);
}

/**
 * Whether `value` can be a URL-based client ID (a Client ID Metadata Document URL, MCP SEP-991): see
 * {@link isClientMetadataUrl}. `undefined` is not.
 */
export function isHttpsUrl(value?: string): boolean {
    return value !== undefined && isClientMetadataUrl(value);
}

/**
 * Checks a provider's `clientMetadataUrl` early (e.g. in its constructor): nothing to check when it is `undefined`
 * or empty; otherwise it must be an https URL with a path (see {@link isClientMetadataUrl}).
 *
 * @throws {InvalidClientMetadataError} (code `invalid_client_metadata`) for any other value.
 */
export function validateClientMetadataUrl(url: string | undefined): void {
    if (url === undefined || url === '') return;
    if (!isHttpsUrl(url)) {
        throw new InvalidClientMetadataError(
            `clientMetadataUrl must be an https URL with a path, without fragment or credentials: ${JSON.stringify(url)}`
        );
    }
}

/**
 * Validates a registration response (RFC 7591 §3.2.1) into the client information, or throws the registration error
 * it carries (RFC 7591 §3.2.2). Both 201 (as the RFC requires) and 200 are accepted.
 *
 * @param submittedMetadata the metadata the request carried, kept on a {@link RegistrationRejectedError}.
 * @throws {RegistrationRejectedError} (a {@link RegistrationError}) for an error response or unexpected status.
 * @throws {InvalidResponseError} for a success body that is not JSON or lacks `client_id`.
 */
export async function processRegistrationResponse(
    response: Response,
    submittedMetadata: OAuthClientMetadata = {}
): Promise<OAuthClientInformationFull> {
    if (response.status !== 200 && response.status !== 201) {
        throw await registrationErrorFrom(response, submittedMetadata);
    }
    return parseWithSchema(
        OAuthClientInformationFullSchema,
        await readJson(response),
        response,
        'registration response'
    );
}

async function registrationErrorFrom(
    response: Response,
    submittedMetadata: OAuthClientMetadata
): Promise<RegistrationRejectedError> {
    const status = response.status;
    const body = await readText(response).catch(() => '');
    const rejected = { status, body, submittedMetadata };
    let json: unknown;
    try {
        json = JSON.parse(body);
    } catch {
        json = undefined;
    }
    const parsed = isJsonObject(json) ? z.safeParse(OAuthErrorResponseSchema, json) : undefined;
    if (status >= 400 && status < 500 && parsed?.success) {
        const { error, error_description: errorDescription } = parsed.data;
        return new RegistrationRejectedError(rejected, {
            error,
            ...(errorDescription === undefined ? {} : { errorDescription }),
            response
        });
    }
    return new RegistrationRejectedError(rejected, { response });
}

/** The official SDK's options of {@link registerClient} (with the authorization server URL as first argument). */
export interface RegisterClientOptions {
    /** The authorization server metadata; its `registration_endpoint` is used (default: `/register` on the server). */
    metadata?: AuthorizationServerMetadata | undefined;
    /** The metadata to register (RFC 7591 §2). */
    clientMetadata: OAuthClientMetadata;
    /** Replaces `clientMetadata.scope` in the request. */
    scope?: string | undefined;
    /** The `fetch` to use. */
    fetchFn?: FetchLike | undefined;
}

/**
 * Registers a client dynamically (RFC 7591): {@link registrationRequest} then {@link processRegistrationResponse}.
 * Takes the registration endpoint in the options, or (the official SDK's form) the authorization server URL and its
 * metadata.
 *
 * @throws {RegistrationRejectedError} when the server rejects the registration.
 * @throws {RegistrationError} when the metadata names no `registration_endpoint`.
 *
 * @example
 * ```ts
 * const client = await registerClient({
 *     registrationEndpoint: asMetadata.registration_endpoint!,
 *     clientMetadata: { client_name: 'My app', redirect_uris: ['http://127.0.0.1:3000/callback'] }
 * });
 * ```
 */
export async function registerClient(options: RegistrationOptions): Promise<OAuthClientInformationFull>;
export async function registerClient(
    authorizationServerUrl: string | URL,
    options: RegisterClientOptions
): Promise<OAuthClientInformationFull>;
export async function registerClient(
    first: RegistrationOptions | string | URL,
    official?: RegisterClientOptions
): Promise<OAuthClientInformationFull> {
    const options = typeof first === 'string' || first instanceof URL ? fromOfficial(first, official!) : first;
    const submitted = withApplicationType(options.clientMetadata);
    const response = await registrationRequest({ ...options, clientMetadata: submitted });
    return processRegistrationResponse(response, submitted);
}

function fromOfficial(authorizationServerUrl: string | URL, options: RegisterClientOptions): RegistrationOptions {
    const { metadata, scope, fetchFn } = options;
    if (metadata !== undefined && metadata.registration_endpoint === undefined) {
        throw new RegistrationError(
            `Authorization server ${metadata.issuer} does not support dynamic client registration`
        );
    }
    const clientMetadata = scope === undefined ? options.clientMetadata : { ...options.clientMetadata, scope };
    return {
        registrationEndpoint: metadata?.registration_endpoint ?? new URL('/register', authorizationServerUrl),
        clientMetadata,
        fetch: fetchFn
    };
}

/**
 * Whether the authorization server accepts Client ID Metadata Documents (`client_id_metadata_document_supported` in
 * its metadata; MCP 2025-11-25 "Client ID Metadata Documents").
 */
export function supportsClientIdMetadataDocument(
    metadata: Pick<AuthorizationServerMetadata, 'client_id_metadata_document_supported'>
): boolean {
    return metadata.client_id_metadata_document_supported === true;
}

/**
 * Whether `url` can be a Client ID Metadata Document URL: `https`, with a path component other than `/`, and no
 * fragment, credentials, or dot segments.
 */
export function isClientMetadataUrl(url: string | URL): boolean {
    const raw = String(url);
    let parsed: URL;
    try {
        parsed = new URL(raw);
    } catch {
        return false;
    }
    return (
        parsed.protocol === 'https:' &&
        parsed.pathname !== '/' &&
        parsed.hash === '' &&
        !raw.includes('#') &&
        parsed.username === '' &&
        parsed.password === '' &&
        !/\/\.{1,2}(\/|$)/.test(raw.replace(/[?#].*$/, ''))
    );
}

/** How the client identifies itself to an authorization server. */
export type ClientRegistrationStrategy =
    /** Client information the caller already holds for this server. */
    | { kind: 'pre-registered'; clientInformation: OAuthClientInformation }
    /** The Client ID Metadata Document URL is the `client_id`; nothing to register. */
    | { kind: 'client-id-metadata-document'; clientInformation: OAuthClientInformation }
    /** Register via RFC 7591 at this endpoint. */
    | { kind: 'dynamic'; registrationEndpoint: string }
    /** No mechanism applies; the user must supply client information. */
    | { kind: 'none' };

/**
 * Chooses the registration mechanism in the MCP 2025-11-25 priority order ("Client Registration Approaches"):
 * pre-registered client information, then a Client ID Metadata Document when the server supports them and the
 * client has a valid URL, then dynamic registration when the server has a `registration_endpoint`.
 */
export function selectClientRegistration(input: {
    metadata: Pick<AuthorizationServerMetadata, 'client_id_metadata_document_supported' | 'registration_endpoint'>;
    clientInformation?: OAuthClientInformation | undefined;
    clientMetadataUrl?: string | URL | undefined;
}): ClientRegistrationStrategy {
    if (input.clientInformation !== undefined) {
        return { kind: 'pre-registered', clientInformation: input.clientInformation };
    }
    if (
        input.clientMetadataUrl !== undefined &&
        supportsClientIdMetadataDocument(input.metadata) &&
        isClientMetadataUrl(input.clientMetadataUrl)
    ) {
        return {
            kind: 'client-id-metadata-document',
            clientInformation: { client_id: String(input.clientMetadataUrl) }
        };
    }
    if (input.metadata.registration_endpoint !== undefined) {
        return { kind: 'dynamic', registrationEndpoint: input.metadata.registration_endpoint };
    }
    return { kind: 'none' };
}
