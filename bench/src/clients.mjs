// @ts-check
/* global Headers */
/**
 * The clients of the end-to-end pairs, as they run in a client child process ({@link ./clientProcess.mjs}):
 *
 * - `ours`: our `Client` + `StreamableHTTPClientTransport` (built `dist/`);
 * - `v2`: official `@modelcontextprotocol/client` 2.4.0 `Client` + its `StreamableHTTPClientTransport`;
 * - `v1`: official `@modelcontextprotocol/sdk` 1.32.2 `Client` + its `StreamableHTTPClientTransport`;
 * - `floor`: bare `fetch` JSON-RPC POSTs (an `initialize` + `notifications/initialized` first in stateful mode).
 *
 * Each SDK client runs with its defaults; in the `modern-2026` mode ours and v2 are pinned to 2026-07-28
 * (`versionNegotiation: { mode: { pin: '2026-07-28' } }`, the same option in both). Every call's answer is
 * checked (the text of `add` and `big`, the number of progress notifications), the same way for all.
 *
 * @module
 */
import { BIG_CHARS, PROGRESS_COUNT } from './tools.mjs';

/** @typedef {'ours' | 'v1' | 'v2' | 'floor'} PairName */
/** @typedef {'add' | 'big' | 'progress'} Workload */
/**
 * @typedef {object} BenchClient
 * @property {(workload: Workload, i: number) => Promise<void>} call One `tools/call`; rejects on a wrong answer.
 * @property {() => Promise<void>} close
 */

/** Every pair, in table order. */
export const PAIRS = /** @type {const} */ (['ours', 'v2', 'v1', 'floor']);
/** The protocol revision the `modern-2026` mode pins. */
export const MODERN_VERSION = '2026-07-28';
const LEGACY_VERSION = '2025-11-25';

/**
 * @param {any} result A `CallToolResult`.
 * @param {Workload} workload
 * @param {number} i
 * @param {number} progressSeen
 */
function check(result, workload, i, progressSeen) {
    const text = result?.content?.[0]?.text;
    if (workload === 'add' && text !== String(i + 2)) throw new Error(`add answered ${JSON.stringify(result)}`);
    if (workload === 'big' && (typeof text !== 'string' || text.length !== BIG_CHARS)) {
        throw new Error(`big answered ${typeof text === 'string' ? text.length : typeof text} characters`);
    }
    if (workload === 'progress' && progressSeen !== PROGRESS_COUNT) {
        throw new Error(`progress: ${progressSeen} of ${PROGRESS_COUNT} notifications arrived`);
    }
}

/** @param {Workload} workload @param {number} i */
function callParams(workload, i) {
    if (workload === 'add') return { name: 'add', arguments: { a: i, b: 2 } };
    if (workload === 'big') return { name: 'big', arguments: {} };
    return { name: 'progress', arguments: { count: PROGRESS_COUNT } };
}

/**
 * Connects an SDK client. `callTool(params, options)` in ours and v2; v1 takes a result schema second.
 *
 * @param {PairName} pair
 * @param {URL} url
 * @param {boolean} modern
 * @returns {Promise<BenchClient>}
 */
async function connectSdk(pair, url, modern) {
    /** @type {any} */
    let client;
    /** @type {any} */
    let transport;
    const info = { name: `bench-${pair}`, version: '0.0.0' };
    const options = modern ? { versionNegotiation: { mode: { pin: MODERN_VERSION } } } : undefined;
    if (pair === 'ours') {
        const sdk = await import('@modelcontextprotocol/client');
        client = new sdk.Client(info, options);
        // `--ours-fetch=node`: the transport's fetch seam over node:http instead of Node's built-in fetch.
        const fetch =
            process.env.BENCH_OURS_FETCH === 'node'
                ? (await import('@modelcontextprotocol/node')).createNodeFetch()
                : undefined;
        transport = new sdk.StreamableHTTPClientTransport(url, fetch === undefined ? {} : { fetch });
    } else if (pair === 'v2') {
        const sdk = await import('official-client');
        client = new sdk.Client(info, options);
        transport = new sdk.StreamableHTTPClientTransport(url);
    } else {
        if (modern) throw new Error('official v1 has no 2026-07-28 client');
        const { Client } = await import('official-sdk/client/index.js');
        const { StreamableHTTPClientTransport } = await import('official-sdk/client/streamableHttp.js');
        client = new Client(info);
        transport = new StreamableHTTPClientTransport(url);
    }
    await client.connect(transport);
    const v1 = pair === 'v1';
    return {
        call: async (workload, i) => {
            let seen = 0;
            const params = callParams(workload, i);
            /** @type {object | undefined} */
            const requestOptions = workload === 'progress' ? { onprogress: () => void seen++ } : undefined;
            const result = v1
                ? await client.callTool(params, undefined, requestOptions)
                : await client.callTool(params, requestOptions);
            check(result, workload, i, seen);
        },
        close: () => client.close()
    };
}

/**
 * The floor client: `fetch` POSTs of hand-written JSON-RPC, the body read as text and every JSON-RPC message in it
 * parsed (an SSE body split into its `data:` lines).
 *
 * @param {URL} url
 * @param {boolean} stateful
 * @returns {Promise<BenchClient>}
 */
async function connectFloor(url, stateful) {
    const headers = new Headers({
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': LEGACY_VERSION
    });
    /** @param {string} body @returns {Promise<any[]>} every JSON-RPC message of the reply */
    const post = async body => {
        const response = await fetch(url, { method: 'POST', headers, body });
        const text = await response.text();
        if (response.status === 202) return [];
        if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
        if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return [JSON.parse(text)];
        /** @type {any[]} */
        const messages = [];
        for (const line of text.split('\n')) {
            if (line.startsWith('data:') && line.length > 5) messages.push(JSON.parse(line.slice(5)));
        }
        return messages;
    };
    if (stateful) {
        const response = await fetch(url, {
            method: 'POST',
            headers,
            body: JSON.stringify({
                jsonrpc: '2.0',
                id: 0,
                method: 'initialize',
                params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'bench-floor' } }
            })
        });
        await response.text();
        const sessionId = response.headers.get('mcp-session-id');
        if (sessionId === null) throw new Error('the floor server minted no session id');
        headers.set('mcp-session-id', sessionId);
        await post('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    }
    return {
        call: async (workload, i) => {
            const params = callParams(workload, i);
            if (workload === 'progress') Object.assign(params, { _meta: { progressToken: i } });
            const messages = await post(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params }));
            let seen = 0;
            for (const message of messages) {
                if (message.method === 'notifications/progress' && message.params?.progressToken === i) seen++;
            }
            check(messages.at(-1)?.result, workload, i, seen);
        },
        close: async () => {}
    };
}

/**
 * Connects the client of `pair` to `url`.
 *
 * @param {PairName} pair
 * @param {string} url
 * @param {import('./servers.mjs').ServerMode} mode
 * @returns {Promise<BenchClient>}
 */
export function connectClient(pair, url, mode) {
    const target = new URL(url);
    if (pair === 'floor') {
        if (mode === 'modern-2026') throw new Error('the floor has no 2026-07-28 mode');
        return connectFloor(target, mode === 'stateful-sse');
    }
    return connectSdk(pair, target, mode === 'modern-2026');
}
