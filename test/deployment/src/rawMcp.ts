/**
 * Plain HTTP exchanges with the stateful endpoint, for the tests that must see what each hop answers (status,
 * which instance, the session id) rather than what the client makes of it.
 *
 * @module
 */
import { INSTANCE_HEADER } from './tools.js';

/** What one POST got back. */
export interface RawAnswer {
    readonly status: number;
    /** The instance that answered (`x-mcp-instance`), `null` when nginx answered by itself. */
    readonly instance: string | null;
    /** `Mcp-Session-Id` of the response. */
    readonly sessionId: string | null;
    readonly body: string;
}

/** POSTs one JSON-RPC message (with `sessionId` when given), reads the whole answer within 5 s. */
export async function postMessage(url: URL, message: unknown, sessionId?: string): Promise<RawAnswer> {
    const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream'
    };
    if (sessionId !== undefined) {
        headers['mcp-session-id'] = sessionId;
        headers['mcp-protocol-version'] = '2025-11-25';
    }
    const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(5000)
    });
    return {
        status: response.status,
        instance: response.headers.get(INSTANCE_HEADER),
        sessionId: response.headers.get('mcp-session-id'),
        body: await response.text()
    };
}

/** An `initialize` request of a 2025-11-25 client. */
export const INITIALIZE = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } }
};

/** `notifications/initialized`. */
export const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

/** A `tools/list` request. */
export const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

/** Opens a session through `url`: the instance that owns it and its id. */
export async function openSession(url: URL): Promise<{ owner: string; sessionId: string }> {
    const answer = await postMessage(url, INITIALIZE);
    if (answer.status !== 200 || answer.instance === null || answer.sessionId === null) {
        throw new Error(`initialize failed: HTTP ${answer.status} ${answer.body}`);
    }
    return { owner: answer.instance, sessionId: answer.sessionId };
}
