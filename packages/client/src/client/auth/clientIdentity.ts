/**
 * The client's identity at an authorization server, as the `auth()` orchestrator resolves it: the stored client
 * information (only when it belongs to that server), else a Client ID Metadata Document URL, else dynamic
 * registration; and what happens to stored credentials when the MCP server moves to another authorization server.
 * Client identifiers, client secrets and refresh tokens are only valid at the server that issued them (RFC 6749
 * §2.2, §2.3, §10.4), so they are never presented to another one. Internal to `client/auth`.
 *
 * @module
 */
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/core';

import { issuerMatches } from './discovery.js';
import { RegistrationError } from './errors.js';
import { AuthorizationServerMismatchError } from './flowErrors.js';
import type { FetchLike } from './http.js';
import type { OAuthClientProvider, StoredOAuthClientInformation } from './provider.js';
import { registerClient, resolveClientMetadata, selectClientRegistration } from './registration.js';

/** Whether a stored credential's `issuer` stamp names another authorization server than `issuer`. */
export function boundElsewhere(stamp: { issuer?: string | undefined } | undefined, issuer: string): boolean {
    return typeof stamp?.issuer === 'string' && !issuerMatches(stamp.issuer, issuer);
}

/**
 * The client's identity at this authorization server (MCP 2025-11-25 "Client Registration Approaches"): stored
 * client information, else a Client ID Metadata Document URL, else dynamic registration (RFC 7591, with the
 * metadata of `resolveClientMetadata`). Client information stamped with another server's `issuer` is not used: the
 * client registers anew, or, when the provider cannot save a registration, the authorization stops.
 *
 * @throws {AuthorizationServerMismatchError} for client information bound to another server and a provider without
 * `saveClientInformation`.
 * @throws {RegistrationError} when no registration mechanism applies.
 */
export async function resolveClientInformation(
    provider: OAuthClientProvider,
    metadata: AuthorizationServerMetadata,
    request: { fetch: FetchLike | undefined; timeoutMs: number | undefined }
): Promise<StoredOAuthClientInformation> {
    const ctx = { issuer: metadata.issuer };
    let stored = await provider.clientInformation(ctx);
    if (stored !== undefined && boundElsewhere(stored, metadata.issuer)) {
        if (provider.saveClientInformation === undefined) {
            throw new AuthorizationServerMismatchError(stored.issuer!, metadata.issuer);
        }
        stored = undefined;
    }
    const strategy = selectClientRegistration({
        metadata,
        clientInformation: stored,
        clientMetadataUrl: provider.clientMetadataUrl
    });
    switch (strategy.kind) {
        case 'pre-registered':
        case 'client-id-metadata-document':
            return strategy.clientInformation;
        case 'dynamic': {
            if (provider.saveClientInformation === undefined) {
                throw new RegistrationError('Dynamic client registration needs a provider with saveClientInformation');
            }
            const full = await registerClient({
                registrationEndpoint: strategy.registrationEndpoint,
                clientMetadata: resolveClientMetadata(provider),
                ...request
            });
            const registered: StoredOAuthClientInformation = { ...full, issuer: metadata.issuer };
            await provider.saveClientInformation(registered, ctx);
            return registered;
        }
        case 'none':
            throw new RegistrationError(
                `No client information for ${metadata.issuer}, and it supports neither dynamic registration nor client ID metadata documents`
            );
    }
}

/** Client information plus, when it has none, the auth method the client metadata asks for. */
export function withAuthMethod(info: StoredOAuthClientInformation, provider: OAuthClientProvider) {
    const method = typeof info.token_endpoint_auth_method === 'string' ? info.token_endpoint_auth_method : undefined;
    return { ...info, token_endpoint_auth_method: method ?? provider.clientMetadata.token_endpoint_auth_method };
}

/**
 * Forgets the credentials of the authorization server `from` before any request to `to`: a refresh token and client
 * credentials are bound to the server that issued them (RFC 6749 §6, §10.4, §2.3), so they must never reach another
 * one. The tokens are invalidated; so is the client information, unless it is a Client ID Metadata Document URL
 * (valid at any server), and the client then registers anew at `to` (dynamic registration or CIMD). Runs before the
 * new discovery state is saved, so a failure here is detected again by the next authorization.
 *
 * @throws {AuthorizationServerMismatchError} when the provider keeps returning the old tokens or client (no
 * `invalidateCredentials`, or a client pre-registered at `from` only).
 */
export async function leaveAuthorizationServer(provider: OAuthClientProvider, from: string, to: string): Promise<void> {
    const refuse = (what: string) =>
        new AuthorizationServerMismatchError(from, to, {
            message: `The MCP server now uses authorization server ${to}, but the provider cannot forget the ${what} of ${from}, which must not be sent to another server`
        });
    await provider.invalidateCredentials?.('tokens');
    const tokens = await provider.tokens();
    // Tokens stamped with the issuer of `to` were obtained there already.
    if (tokens !== undefined && (tokens.issuer === undefined || !issuerMatches(tokens.issuer, to))) {
        throw refuse('tokens');
    }
    const client = await provider.clientInformation();
    if (client === undefined || client.client_id === provider.clientMetadataUrl) return;
    if (client.issuer !== undefined && issuerMatches(client.issuer, to)) return;
    await provider.invalidateCredentials?.('client');
    if ((await provider.clientInformation())?.client_id === client.client_id)
        throw refuse(`client ${client.client_id}`);
}
