// @ts-check
/**
 * The load generator, identical for every server: `node:http` with a keep-alive `Agent`, a fixed number of
 * workers each keeping one `tools/call` in flight, a warm-up, then a measured window. Stateful mode gives each
 * worker its own session (initialize + initialized first), like N independent clients.
 *
 * @module
 */
import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The revision the load generator asks for. */
export const PROTOCOL_VERSION = '2025-11-25';
const ACCEPT = 'application/json, text/event-stream';

/** @typedef {{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }} HttpReply */
/** @typedef {{ sessionId: string | undefined; protocolVersion: string }} Session */

/**
 * A keep-alive HTTP client for one endpoint.
 *
 * @param {string} url
 * @param {number} maxSockets
 */
export function httpClient(url, maxSockets) {
    const target = new URL(url);
    const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    /**
     * POSTs `body` (a JSON string) with the MCP headers plus `headers`.
     *
     * @param {string} body
     * @param {Record<string, string>} headers
     * @returns {Promise<HttpReply>}
     */
    const post = (body, headers) =>
        new Promise((resolve, reject) => {
            const req = request(
                {
                    agent,
                    host: target.hostname,
                    port: target.port,
                    path: target.pathname,
                    method: 'POST',
                    headers: {
                        'content-type': 'application/json',
                        accept: ACCEPT,
                        'content-length': Buffer.byteLength(body),
                        ...headers
                    }
                },
                res => {
                    let text = '';
                    res.setEncoding('utf8');
                    res.on('data', chunk => {
                        text += chunk;
                    });
                    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
                    res.on('error', reject);
                }
            );
            req.on('error', reject);
            req.end(body);
        });
    return { post, destroy: () => agent.destroy() };
}

/**
 * The JSON-RPC message carried by a reply: the JSON body, or the last non-empty `data:` of an SSE body.
 *
 * @param {HttpReply} reply
 * @returns {any}
 */
export function rpcOf(reply) {
    const type = String(reply.headers['content-type'] ?? '');
    if (!type.startsWith('text/event-stream')) return JSON.parse(reply.body);
    const data = reply.body
        .split('\n')
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice(5).trim())
        .filter(line => line !== '');
    const last = data.at(-1);
    if (last === undefined) throw new Error(`no SSE data in ${JSON.stringify(reply.body.slice(0, 200))}`);
    return JSON.parse(last);
}

/**
 * Opens a session: `initialize`, then `notifications/initialized` (expects 202).
 *
 * @param {ReturnType<typeof httpClient>} client
 * @param {number} n A number for the client name.
 * @returns {Promise<Session>}
 */
export async function openSession(client, n) {
    const init = await client.post(
        JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'initialize',
            params: {
                protocolVersion: PROTOCOL_VERSION,
                capabilities: {},
                clientInfo: { name: `bench-${n}`, version: '0' }
            }
        }),
        {}
    );
    if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.body.slice(0, 200)}`);
    const protocolVersion = String(rpcOf(init).result?.protocolVersion ?? PROTOCOL_VERSION);
    const header = init.headers['mcp-session-id'];
    const sessionId = typeof header === 'string' ? header : undefined;
    /** @type {Record<string, string>} */
    const headers = { 'mcp-protocol-version': protocolVersion };
    if (sessionId !== undefined) headers['mcp-session-id'] = sessionId;
    const initialized = await client.post('{"jsonrpc":"2.0","method":"notifications/initialized"}', headers);
    if (initialized.status !== 202) throw new Error(`notifications/initialized answered ${initialized.status}`);
    return { sessionId, protocolVersion };
}

/** @param {number} id */
const callBody = id =>
    `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"add","arguments":{"a":${id},"b":2}}}`;

/**
 * @typedef {object} SliceResult
 * @property {number} completed Responses completed inside the measured window.
 * @property {number} failed Non-200 or error replies inside the window.
 * @property {number} seconds Length of the measured window.
 * @property {number} clientCpuUs Load-generator CPU time (user + system) in the window.
 * @property {number[]} latenciesMs Latency of each completed call in the window.
 */

/**
 * A load generator bound to one server: `concurrency` workers (each with its own session when `stateful`) that
 * run in slices, so that several servers can be measured in alternation and share the same background noise.
 *
 * @param {{ url: string; stateful: boolean; concurrency: number }} options
 */
export async function createLoad(options) {
    const client = httpClient(options.url, options.concurrency);
    /** @type {Array<Record<string, string>>} */
    const workerHeaders = [];
    try {
        for (let i = 0; i < options.concurrency; i++) {
            const session = options.stateful
                ? await openSession(client, i)
                : { sessionId: undefined, protocolVersion: PROTOCOL_VERSION };
            /** @type {Record<string, string>} */
            const headers = { 'mcp-protocol-version': session.protocolVersion };
            if (session.sessionId !== undefined) headers['mcp-session-id'] = session.sessionId;
            // Each worker's first reply is checked in full; later ones by status and a result marker.
            const first = rpcOf(await client.post(callBody(i), headers));
            if (first.result?.content?.[0]?.text !== String(i + 2)) {
                throw new Error(`unexpected tools/call reply: ${JSON.stringify(first).slice(0, 300)}`);
            }
            workerHeaders.push(headers);
        }
    } catch (error) {
        client.destroy();
        throw error;
    }
    let nextId = options.concurrency;
    /** @type {string | undefined} */
    let firstFailure;

    /**
     * Runs the workers for `rampMs` (not measured), then measures for `windowMs`, calling `onMark` / `onReport`
     * (awaited, while the load keeps flowing) at the window's edges; then lets in-flight calls finish.
     *
     * @param {{ rampMs: number; windowMs: number; onMark: () => Promise<void>; onReport: () => Promise<void> }} slice
     * @returns {Promise<SliceResult>}
     */
    const run = async slice => {
        let stop = false;
        let measuring = false;
        let completed = 0;
        let failed = 0;
        /** @type {number[]} */
        const latenciesMs = [];
        /** @param {Record<string, string>} headers */
        const work = async headers => {
            while (!stop) {
                const started = performance.now();
                let ok = false;
                try {
                    const reply = await client.post(callBody(nextId++), headers);
                    ok = reply.status === 200 && reply.body.includes('"result"');
                    if (!ok) firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
                } catch (error) {
                    firstFailure ??= String(error);
                }
                if (!measuring) continue;
                if (ok) {
                    completed++;
                    latenciesMs.push(performance.now() - started);
                } else {
                    failed++;
                }
            }
        };
        const workers = workerHeaders.map(work);
        await sleep(slice.rampMs);
        await slice.onMark();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        measuring = true;
        await sleep(slice.windowMs);
        measuring = false;
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        await slice.onReport();
        stop = true;
        await Promise.all(workers);
        return { completed, failed, seconds, clientCpuUs: cpu.user + cpu.system, latenciesMs };
    };
    return { run, firstFailure: () => firstFailure, close: () => client.destroy() };
}
