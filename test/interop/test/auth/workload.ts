/**
 * The seed workload of the progressive-authorization tests (issue #1582), as a list of operations each client
 * runs through its own API: after `initialize`, `tools/list`, `tools/call`, then ten more mixed operations. Every
 * server under test has an `add` tool; its text differs per server but always ends with the sum.
 *
 * @module
 */

/** The part of an MCP client's API the workload uses (ours, the official v1 and v2 clients all have it). */
export interface WorkloadClient {
    ping(): Promise<unknown>;
    listTools(): Promise<{ tools: unknown[] }>;
    callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

/** One operation after `initialize`. */
export interface WorkloadOperation {
    /** The JSON-RPC method, for messages and error reports. */
    method: 'ping' | 'tools/list' | 'tools/call';
    /** The scope the per-operation servers require for it. */
    scope: string;
    run(client: WorkloadClient): Promise<void>;
}

/** The scope `initialize` requires. */
export const INITIALIZE_SCOPE = 'init';

const ping: WorkloadOperation = {
    method: 'ping',
    scope: 'init',
    run: async client => void (await client.ping())
};

const listTools: WorkloadOperation = {
    method: 'tools/list',
    scope: 'mcp:tools:read',
    run: async client => {
        const { tools } = await client.listTools();
        if (tools.length < 2) throw new Error(`expected at least 2 tools, got ${tools.length}`);
    }
};

function add(a: number, b: number): WorkloadOperation {
    return {
        method: 'tools/call',
        scope: 'mcp:tools:write',
        run: async client => {
            const result = (await client.callTool({ name: 'add', arguments: { a, b } })) as {
                content?: Array<{ type: string; text?: string }>;
                isError?: boolean;
            };
            const text = result.content?.[0]?.text ?? '';
            if (result.isError === true || !text.endsWith(String(a + b))) {
                throw new Error(`add(${a}, ${b}) returned ${JSON.stringify(result)}`);
            }
        }
    };
}

/** The operations after `initialize`: `tools/list`, `tools/call`, then ten more (ping, list, call, call, …). */
export const SEED_WORKLOAD: readonly WorkloadOperation[] = [
    listTools,
    add(2, 40),
    ...Array.from({ length: 10 }, (_, i) => [ping, listTools, add(i, 1), add(i, 2)][i % 4]!)
];

/**
 * The scopes a replace-on-challenge client asks for over `initialize` + {@link SEED_WORKLOAD}: it holds only the
 * last challenge's scope, so every operation whose scope differs from the previous one's takes an authorization.
 */
export function replaceOnChallengeAuthorizations(): string[] {
    const scopes = [INITIALIZE_SCOPE, ...SEED_WORKLOAD.map(operation => operation.scope)];
    return scopes.filter((scope, i) => i === 0 || scope !== scopes[i - 1]);
}
