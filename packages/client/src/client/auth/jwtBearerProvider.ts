/**
 * A machine client authorized by a JWT assertion from elsewhere (RFC 7523 §2.1, the JWT bearer authorization grant):
 * workload identity federation (SEP-1933), where the platform the workload runs on (a cloud, a CI system, Kubernetes)
 * issues a signed JWT naming it, and the authorization server trusts that issuer. No client secret, no redirect.
 *
 * @module
 */
import type { OAuthClientMetadata } from '@modelcontextprotocol/core';
import type { StoredOAuthClientInformation } from './provider.js';
import { MachineClientProvider, metadataFor } from './clientCredentials.js';
import type { MachineClientOptions } from './clientCredentials.js';
import { formatScope } from './scope.js';

/** The JWT bearer grant type (RFC 7523 §2.1). */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Options of {@link JwtBearerProvider}. */
export interface JwtBearerProviderOptions extends MachineClientOptions {
    /**
     * The assertion (a JWT whose `aud` is the authorization server), or a function returning a fresh one for each token
     * request (workload tokens are short-lived: fetch it from the platform each time).
     */
    assertion: string | (() => string | Promise<string>);
}

/**
 * An `OAuthClientProvider` for the JWT bearer authorization grant (RFC 7523 §2.1) with client authentication `none`.
 *
 * @example
 * ```ts
 * const provider = new JwtBearerProvider({
 *     clientId: 'my-workload',
 *     assertion: () => readFile('/var/run/secrets/tokens/mcp', 'utf8')
 * });
 * ```
 */
export class JwtBearerProvider extends MachineClientProvider {
    readonly #assertion: JwtBearerProviderOptions['assertion'];

    constructor(options: JwtBearerProviderOptions) {
        super(options);
        this.#assertion = options.assertion;
    }

    get clientMetadata(): OAuthClientMetadata {
        return { ...metadataFor(this.options, 'none'), grant_types: [JWT_BEARER_GRANT_TYPE] };
    }

    clientInformation(): StoredOAuthClientInformation {
        return this.stamped({ client_id: this.options.clientId, token_endpoint_auth_method: 'none' });
    }

    /** The JWT bearer token request (RFC 7523 §2.1): a fresh assertion, and `scope` when one is wanted. */
    override async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
        const assertion = typeof this.#assertion === 'function' ? await this.#assertion() : this.#assertion;
        const params = new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion });
        const wanted = formatScope(scope ?? this.options.scope);
        if (wanted !== '') params.set('scope', wanted);
        return params;
    }
}
