/**
 * The official clients under test, each wired to a {@link RecordingProvider} and the redirect flow: v2
 * (`official-client` = `@modelcontextprotocol/client` 2.4.0) and v1 (`official-sdk` = `@modelcontextprotocol/sdk`
 * 1.32.2), both over their Streamable HTTP client transport.
 *
 * @module
 */
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from 'official-client';
import type { StoredOAuthClientInformation, StoredOAuthTokens } from 'official-client';
import { UnauthorizedError as V1UnauthorizedError } from 'official-sdk/client/auth.js';
import { Client as V1Client } from 'official-sdk/client/index.js';
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from 'official-sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from 'official-sdk/shared/auth.js';

import { RecordingProvider, withRedirectFlow } from './redirectFlow.js';
import type { RecordingProviderOptions, RedirectFlowClient } from './redirectFlow.js';
import { SEED_WORKLOAD } from './workload.js';
import type { WorkloadClient } from './workload.js';

/** The v2 client's provider. */
export type V2Provider = RecordingProvider<StoredOAuthTokens, StoredOAuthClientInformation>;
/** The v1 client's provider. */
export type V1Provider = RecordingProvider<OAuthTokens, OAuthClientInformationMixed>;

/** One official client, its provider and the redirect flow that finishes its authorizations. */
export interface OfficialSession<P extends RecordingProvider<unknown, unknown>> {
    readonly provider: P;
    readonly client: WorkloadClient;
    readonly flow: RedirectFlowClient;
    /** `initialize` through a new transport (a failed connect leaves its transport closed). */
    connect(): Promise<void>;
    close(): Promise<void>;
}

/** The v2 client; `finishAuth` gets the whole callback query, so RFC 9207 `iss` is checked. */
export function officialV2Session(url: URL, options: RecordingProviderOptions = {}): OfficialSession<V2Provider> {
    const provider: V2Provider = new RecordingProvider(options);
    const client = new Client({ name: 'official-client-v2', version: '2.4.0' });
    let transport: StreamableHTTPClientTransport | undefined;
    return {
        provider,
        client,
        flow: {
            provider,
            isUnauthorized: error => error instanceof UnauthorizedError,
            finish: callback => transport!.finishAuth(callback.searchParams)
        },
        connect: async () => {
            transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
            await client.connect(transport);
        },
        close: () => client.close()
    };
}

/** The v1 client; its `finishAuth` takes only the `code`. */
export function officialV1Session(url: URL, options: RecordingProviderOptions = {}): OfficialSession<V1Provider> {
    const provider: V1Provider = new RecordingProvider(options);
    const client = new V1Client({ name: 'official-sdk-v1', version: '1.32.2' });
    let transport: V1StreamableHTTPClientTransport | undefined;
    return {
        provider,
        client,
        flow: {
            provider,
            isUnauthorized: error => error instanceof V1UnauthorizedError,
            finish: callback => transport!.finishAuth(callback.searchParams.get('code') ?? '')
        },
        connect: async () => {
            transport = new V1StreamableHTTPClientTransport(url, { authProvider: provider });
            await client.connect(transport);
        },
        close: () => client.close()
    };
}

/** How many authorizations one operation took. */
export interface OperationAuthorizations {
    method: string;
    authorizations: number;
}

/**
 * Runs `initialize` then {@link SEED_WORKLOAD} through the redirect flow, appending to `log` as each operation
 * completes (so a test can inspect how far a failing client got). Rejects with the first operation's error.
 */
export async function runSeedWorkload<P extends RecordingProvider<unknown, unknown>>(
    session: OfficialSession<P>,
    log: OperationAuthorizations[]
): Promise<void> {
    const { authorizations } = await withRedirectFlow(session.flow, 'initialize', () => session.connect());
    log.push({ method: 'initialize', authorizations });
    for (const operation of SEED_WORKLOAD) {
        const done = await withRedirectFlow(session.flow, operation.method, () => operation.run(session.client));
        log.push({ method: operation.method, authorizations: done.authorizations });
    }
}
