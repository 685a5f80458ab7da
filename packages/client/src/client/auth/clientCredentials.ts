/**
 * Ready-made {@link OAuthClientProvider}s for machine-to-machine MCP clients: the `client_credentials` grant
 * (RFC 6749 §4.4) with a shared secret (`client_secret_basic` / `client_secret_post`, RFC 6749 §2.3.1), with a
 * signed JWT assertion (`private_key_jwt`, RFC 7523 §2.2), or with a pre-built assertion. Tokens are kept in memory.
 *
 * @module
 */
import type {
    AuthorizationServerMetadata,
    OAuthClientMetadata,
    StoredOAuthClientInformation
} from '@modelcontextprotocol/core';

import type { ClientAssertionKey } from './clientAuth.js';
import { applyClientAuthentication, JWT_CLIENT_ASSERTION_TYPE } from './clientAuth.js';
import { UnauthorizedError } from './errors.js';
import type { OAuthClientProvider, ScopeStateSnapshot, StoredOAuthTokens } from './provider.js';
import { formatScope } from './scope.js';

/** Options common to the machine-client providers. */
export interface MachineClientOptions {
    /** The `client_id` issued to this client. */
    clientId: string;
    /** The scope to request when no challenge names one (RFC 6749 §3.3). */
    scope?: string | undefined;
    /** A name for the client metadata. */
    clientName?: string | undefined;
    /**
     * The issuer of the authorization server that issued these credentials. The client information is stamped with
     * it, so `auth()` refuses to present the credentials to any other authorization server
     * (`AuthorizationServerMismatchError`). Without it they go to whichever server the MCP server names.
     */
    expectedIssuer?: string | undefined;
}

/** A machine client: no redirect, no PKCE; tokens come from {@link prepareTokenRequest}. */
export abstract class MachineClientProvider implements OAuthClientProvider {
    #tokens: StoredOAuthTokens | undefined;
    #scopeState: ScopeStateSnapshot | undefined;
    protected readonly options: MachineClientOptions;

    constructor(options: MachineClientOptions) {
        this.options = options;
    }

    /** Machine clients never redirect. */
    get redirectUrl(): undefined {
        return undefined;
    }

    abstract get clientMetadata(): OAuthClientMetadata;

    abstract clientInformation(): StoredOAuthClientInformation;

    /** The client information with the `expectedIssuer` stamp, when one was given. */
    protected stamped(info: StoredOAuthClientInformation): StoredOAuthClientInformation {
        const issuer = this.options.expectedIssuer;
        return issuer === undefined ? info : { ...info, issuer };
    }

    tokens(): StoredOAuthTokens | undefined {
        return this.#tokens;
    }

    saveTokens(tokens: StoredOAuthTokens): void {
        this.#tokens = tokens;
    }

    scopeState(): ScopeStateSnapshot | undefined {
        return this.#scopeState;
    }

    saveScopeState(state: ScopeStateSnapshot): void {
        this.#scopeState = state;
    }

    /** @throws {UnauthorizedError} always: a machine client cannot send a user anywhere. */
    redirectToAuthorization(): never {
        throw new UnauthorizedError('A client_credentials client cannot run an interactive authorization');
    }

    saveCodeVerifier(): void {}

    /** @throws {UnauthorizedError} always: there is no authorization code flow. */
    codeVerifier(): never {
        throw new UnauthorizedError('A client_credentials client has no PKCE verifier');
    }

    invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
        if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    }

    /** The `client_credentials` token request (RFC 6749 §4.4.2) for `scope`, else the configured scope. */
    prepareTokenRequest(scope?: string): URLSearchParams | Promise<URLSearchParams> {
        const params = new URLSearchParams({ grant_type: 'client_credentials' });
        const wanted = formatScope(scope ?? this.options.scope);
        if (wanted !== '') params.set('scope', wanted);
        return params;
    }
}

/** Options of {@link ClientCredentialsProvider}. */
export interface ClientCredentialsProviderOptions extends MachineClientOptions {
    /** The client secret. */
    clientSecret: string;
    /** How the secret is sent (RFC 6749 §2.3.1). Default `client_secret_basic`. */
    tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | undefined;
}

/**
 * An {@link OAuthClientProvider} for the `client_credentials` grant with a client secret (RFC 6749 §4.4).
 *
 * @example
 * ```ts
 * const provider = new ClientCredentialsProvider({ clientId: 'svc', clientSecret: process.env.SECRET!, scope: 'init' });
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), { authProvider: provider });
 * ```
 */
export class ClientCredentialsProvider extends MachineClientProvider {
    readonly #secret: string;
    readonly #method: 'client_secret_basic' | 'client_secret_post';

    constructor(options: ClientCredentialsProviderOptions) {
        super(options);
        this.#secret = options.clientSecret;
        this.#method = options.tokenEndpointAuthMethod ?? 'client_secret_basic';
    }

    get clientMetadata(): OAuthClientMetadata {
        return metadataFor(this.options, this.#method);
    }

    clientInformation(): StoredOAuthClientInformation {
        return this.stamped({
            client_id: this.options.clientId,
            client_secret: this.#secret,
            token_endpoint_auth_method: this.#method
        });
    }
}

/** Options of {@link PrivateKeyJwtProvider}. */
export interface PrivateKeyJwtProviderOptions extends MachineClientOptions {
    /**
     * The signing key: a {@link ClientAssertionKey} (key, algorithm, lifetime…), or (the official SDK's form) the
     * key itself: a PKCS#8 PEM string, a private JWK, or an HMAC secret's bytes, with {@link algorithm}.
     */
    privateKey: ClientAssertionKey | string | Uint8Array | Record<string, unknown>;
    /** The JWS algorithm (e.g. `RS256`, `ES256`), when `privateKey` is the key itself. */
    algorithm?: string | undefined;
    /** The assertion lifetime in seconds when `privateKey` is the key itself; default 300. */
    jwtLifetimeSeconds?: number | undefined;
    /** More claims for every assertion; they override the standard ones of the same name. */
    claims?: Record<string, unknown> | undefined;
}

function isAssertionKey(value: PrivateKeyJwtProviderOptions['privateKey']): value is ClientAssertionKey {
    return typeof value === 'object' && !(value instanceof Uint8Array) && 'key' in value && !('kty' in value);
}

/**
 * An {@link OAuthClientProvider} for the `client_credentials` grant authenticated with `private_key_jwt`
 * (RFC 7523 §2.2): each token request carries a fresh short-lived assertion signed with the client's key. The
 * assertion's audience is `privateKey.audience`, else the authorization server's issuer, else its token endpoint.
 */
export class PrivateKeyJwtProvider extends MachineClientProvider {
    readonly #key: ClientAssertionKey;

    constructor(options: PrivateKeyJwtProviderOptions) {
        super(options);
        const { privateKey } = options;
        const key: ClientAssertionKey = isAssertionKey(privateKey)
            ? { ...privateKey }
            : {
                  key: privateKey as ClientAssertionKey['key'],
                  algorithm: options.algorithm,
                  lifetimeSeconds: options.jwtLifetimeSeconds ?? 300
              };
        if (options.claims !== undefined) key.claims = { ...key.claims, ...options.claims };
        this.#key = key;
    }

    get clientMetadata(): OAuthClientMetadata {
        return metadataFor(this.options, 'private_key_jwt');
    }

    clientInformation(): StoredOAuthClientInformation {
        return this.stamped({ client_id: this.options.clientId, token_endpoint_auth_method: 'private_key_jwt' });
    }

    /** Adds `client_assertion` (RFC 7523 §2.2) to the token request. */
    async addClientAuthentication(
        headers: Headers,
        params: URLSearchParams,
        url: string | URL,
        metadata?: AuthorizationServerMetadata
    ): Promise<void> {
        // The issuer identifies the authorization server unambiguously (RFC 7523 §3, draft-ietf-oauth-rfc7523bis);
        // the token endpoint is the fallback when no metadata is known.
        const privateKey = { ...this.#key, audience: this.#key.audience ?? metadata?.issuer };
        await applyClientAuthentication(
            'private_key_jwt',
            { clientId: this.options.clientId, privateKey },
            { headers, body: params, tokenEndpoint: new URL(url) }
        );
    }
}

/** Options of {@link StaticPrivateKeyJwtProvider}. */
export interface StaticPrivateKeyJwtProviderOptions extends MachineClientOptions {
    /** A signed client assertion JWT (RFC 7523 §3) to present as is; it must carry valid `iss`, `sub`, `aud`, `exp`. */
    jwtBearerAssertion: string;
}

/**
 * An {@link OAuthClientProvider} for the `client_credentials` grant authenticated with `private_key_jwt` (RFC 7523
 * §2.2) using a pre-built assertion: for hosts where another component holds the key and mints the assertion. The
 * same assertion is sent with every token request, so it must still be valid (and, if the server enforces `jti`
 * uniqueness, unused) when it is.
 */
export class StaticPrivateKeyJwtProvider extends MachineClientProvider {
    readonly #assertion: string;

    constructor(options: StaticPrivateKeyJwtProviderOptions) {
        super(options);
        this.#assertion = options.jwtBearerAssertion;
    }

    get clientMetadata(): OAuthClientMetadata {
        return metadataFor(this.options, 'private_key_jwt');
    }

    clientInformation(): StoredOAuthClientInformation {
        return this.stamped({ client_id: this.options.clientId, token_endpoint_auth_method: 'private_key_jwt' });
    }

    /** Adds the assertion (`client_assertion`, RFC 7523 §2.2) and the `client_id` to the token request. */
    addClientAuthentication = (
        _headers: Headers,
        params: URLSearchParams,
        _url?: string | URL,
        _metadata?: AuthorizationServerMetadata
    ): void => {
        params.set('client_id', this.options.clientId);
        params.set('client_assertion_type', JWT_CLIENT_ASSERTION_TYPE);
        params.set('client_assertion', this.#assertion);
    };
}

export function metadataFor(options: MachineClientOptions, method: string): OAuthClientMetadata {
    const metadata: OAuthClientMetadata = {
        redirect_uris: [],
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: method,
        client_name: options.clientName ?? options.clientId
    };
    if (options.scope !== undefined) metadata.scope = options.scope;
    return metadata;
}
