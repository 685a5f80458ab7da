/**
 * The redirect page: a browser MCP host written the way hosts use the official SDK's redirect flow (what
 * `RedirectApp` does in Node, with real navigations):
 *
 * - an `OAuthClientProvider` with the official method set only, keeping client information, tokens and the PKCE
 *   verifier as JSON in `sessionStorage`; `redirectToAuthorization(url)` is `location.assign(url)`;
 * - the workload's progress (next step, results, tries) lives in `sessionStorage` too, so each page load resumes
 *   where the previous one left off;
 * - a load with `?code=` hands the callback to a new transport (`finishAuth`), then connects a new client and
 *   retries the step that was sent away; at most {@link TRIES_PER_STEP} tries per step;
 * - a load with `?rerun` runs the workload again on the stored client and tokens (a later visit).
 *
 * @module
 */
import type {
    OAuthClientInformationFull,
    OAuthClientInformationMixed,
    OAuthClientMetadata,
    OAuthClientProvider,
    StoredOAuthTokens
} from '@modelcontextprotocol/client';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';

import { MCP_PATH, REDIRECT_PAGE_PATH, SEED_WORKLOAD, resultLine } from './protocol.js';
import type { FinishMode, RedirectReport, WorkloadStep } from './protocol.js';
import { firstText } from './report.js';

/** Tries per workload step before the page gives up (as `RedirectApp`). */
export const TRIES_PER_STEP = 6;

const KEY_PREFIX = 'mcp-browser-test:';

/** The workload's progress across page loads. */
interface WorkloadState {
    finish: FinishMode;
    step: number;
    results: string[];
    attempts: number[];
    redirects: number;
    finishes: number;
    pageLoads: number;
}

function read<T>(key: string): T | undefined {
    const text = sessionStorage.getItem(KEY_PREFIX + key);
    return text === null ? undefined : (JSON.parse(text) as T);
}

function write(key: string, value: unknown): void {
    sessionStorage.setItem(KEY_PREFIX + key, JSON.stringify(value));
}

/** A provider with the official method set only, over `sessionStorage`; it navigates to authorize. */
class SessionStorageProvider implements OAuthClientProvider {
    /** Set once `redirectToAuthorization` sent the page away: the operation's `UnauthorizedError` is expected. */
    leaving = false;

    constructor(private readonly _onRedirect: () => void) {}

    get redirectUrl(): string {
        return new URL(REDIRECT_PAGE_PATH, location.origin).href;
    }

    get clientMetadata(): OAuthClientMetadata {
        return {
            client_name: 'browser-redirect-page',
            redirect_uris: [this.redirectUrl],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none'
        };
    }

    clientInformation(): OAuthClientInformationMixed | undefined {
        return read('client');
    }

    saveClientInformation(info: OAuthClientInformationFull): void {
        write('client', info);
    }

    tokens(): StoredOAuthTokens | undefined {
        return read('tokens');
    }

    saveTokens(tokens: StoredOAuthTokens): void {
        write('tokens', tokens);
    }

    redirectToAuthorization(url: URL): void {
        this._onRedirect();
        this.leaving = true;
        location.assign(url.href);
    }

    saveCodeVerifier(verifier: string): void {
        write('verifier', verifier);
    }

    codeVerifier(): string {
        const verifier = read<string>('verifier');
        if (verifier === undefined) throw new Error('no code verifier saved');
        return verifier;
    }
}

/** Runs one step; the line it reports (see {@link resultLine}). */
async function runStep(client: Client, step: WorkloadStep): Promise<string> {
    switch (step.op) {
        case 'connect':
            return resultLine(step);
        case 'ping':
            await client.ping();
            return resultLine(step);
        case 'tools/list': {
            const { tools } = await client.listTools();
            return resultLine(step, { tools: tools.map(tool => tool.name).sort() });
        }
        case 'tools/call': {
            const result = await client.callTool({ name: step.name, arguments: step.args });
            return resultLine(step, { text: firstText(result) });
        }
    }
}

/**
 * The state saved by earlier loads, or a fresh one (finish mode from `?finish=`). `?rerun` starts the workload
 * over on the same storage (provider state kept), as a later visit would.
 */
function loadState(params: URLSearchParams): WorkloadState {
    const saved = read<WorkloadState>('workload');
    if (saved !== undefined && !params.has('rerun')) return saved;
    return {
        finish: saved?.finish ?? (params.get('finish') === 'callback' ? 'callback' : 'code'),
        step: 0,
        results: [],
        attempts: [],
        redirects: 0,
        finishes: 0,
        pageLoads: 0
    };
}

/**
 * Runs (or resumes) the seed workload. Resolves with the report once every step is done, or with `undefined`
 * when the page is navigating to the authorization server (the next load goes on).
 */
export async function runRedirectPage(): Promise<RedirectReport | undefined> {
    const callback = new URL(location.href);
    const params = callback.searchParams;
    const state = loadState(params);
    const save = (): void => write('workload', state);
    state.pageLoads++;
    save();

    const provider = new SessionStorageProvider(() => {
        state.redirects++;
        save();
    });
    const transport = new StreamableHTTPClientTransport(new URL(MCP_PATH, location.origin), {
        authProvider: provider
    });
    const error = params.get('error');
    if (error !== null)
        throw new Error(`the authorization server refused: ${error} ${params.get('error_description')}`);
    const code = params.get('code');
    if (code !== null) {
        history.replaceState(null, '', REDIRECT_PAGE_PATH); // the code is single-use: not in history
        await transport.finishAuth(state.finish === 'callback' ? callback : code);
        state.finishes++;
        save();
    }

    const client = new Client({ name: 'browser-redirect-page', version: '1.0.0' });
    let connected = false;
    while (state.step < SEED_WORKLOAD.length) {
        const step = SEED_WORKLOAD[state.step] as WorkloadStep;
        const tries = (state.attempts[state.step] ?? 0) + 1;
        if (tries > TRIES_PER_STEP) throw new Error(`step ${state.step} (${step.op}) failed ${TRIES_PER_STEP} times`);
        state.attempts[state.step] = tries;
        save();
        try {
            if (!connected) {
                await client.connect(transport);
                connected = true;
            }
            state.results.push(await runStep(client, step));
            state.step++;
            save();
        } catch (caught) {
            if (caught instanceof UnauthorizedError && provider.leaving) return undefined;
            throw caught;
        }
    }
    await client.close();
    const tokens = provider.tokens();
    return {
        ok: true,
        scenario: 'redirect',
        results: state.results,
        redirects: state.redirects,
        finishes: state.finishes,
        pageLoads: state.pageLoads,
        attempts: state.attempts,
        accessToken: tokens?.access_token ?? '',
        tokenScope: tokens?.scope
    };
}
