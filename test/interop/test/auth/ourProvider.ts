/**
 * An in-memory {@link OAuthClientProvider} for OUR client that completes every authorization in-process
 * (`completeAuthorization` = `approveAuthorization`, which follows the test authorization server's redirects), so
 * the transport finishes each step-up and retries by itself.
 *
 * @module
 */
import type {
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthClientProvider,
    ScopeStateSnapshot,
    StoredOAuthTokens
} from '@modelcontextprotocol/client';
import { approveAuthorization } from '@mcp-stepup/test-server';

import { REDIRECT_URI } from './redirectFlow.js';

/** Our client's provider, approving in-process. */
export class InProcessProvider implements OAuthClientProvider {
    private _info: OAuthClientInformationFull | undefined;
    private _tokens: StoredOAuthTokens | undefined;
    private _verifier = '';
    private _scopeState: ScopeStateSnapshot | undefined;
    /** Authorization URLs handed to {@link completeAuthorization}, in order. */
    readonly completed: URL[] = [];

    get redirectUrl(): string {
        return REDIRECT_URI;
    }

    get clientMetadata(): OAuthClientMetadata {
        return {
            client_name: 'mcp-stepup-interop',
            redirect_uris: [REDIRECT_URI],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none'
        };
    }

    readonly completeAuthorization = (url: URL): Promise<URL> => {
        this.completed.push(url);
        return approveAuthorization(url);
    };

    clientInformation(): OAuthClientInformationFull | undefined {
        return this._info;
    }

    saveClientInformation(info: OAuthClientInformationFull): void {
        this._info = info;
    }

    tokens(): StoredOAuthTokens | undefined {
        return this._tokens;
    }

    saveTokens(tokens: StoredOAuthTokens): void {
        this._tokens = tokens;
    }

    redirectToAuthorization(url: URL): never {
        throw new Error(`unexpected redirect to ${url.href}: this provider completes authorizations in-process`);
    }

    saveCodeVerifier(verifier: string): void {
        this._verifier = verifier;
    }

    codeVerifier(): string {
        return this._verifier;
    }

    scopeState(): ScopeStateSnapshot | undefined {
        return this._scopeState;
    }

    saveScopeState(state: ScopeStateSnapshot): void {
        this._scopeState = state;
    }
}
