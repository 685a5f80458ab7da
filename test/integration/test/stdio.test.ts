/**
 * Our Client drives our stdio server (MCP 2025-11-25, Basic › Transports › stdio) as a child process, run
 * from TypeScript source with `tsx --conditions=mcp-source`.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { collector, deferred, useCleanup } from './helpers.js';

const defer = useCleanup();

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/stdioServer.ts', import.meta.url));

/** Resolves with everything the child wrote to stderr once it contains `text`. */
function stderrContaining(transport: StdioClientTransport, text: string): Promise<string> {
    const seen = deferred<string>();
    let output = '';
    transport.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(text)) seen.resolve(output);
    });
    return seen.promise;
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe('stdio: our client drives our stdio server as a child process', () => {
    test('initialize, tools/call, a notification each way, and a clean close that ends the child', async () => {
        const transport = new StdioClientTransport({
            command: TSX,
            args: ['--conditions=mcp-source', FIXTURE],
            cwd: REPO_ROOT,
            stderr: 'pipe'
        });
        const closedByServer = stderrContaining(transport, 'closed');
        const client = new Client(
            { name: 'stdio-client', version: '1.0.0' },
            { capabilities: { roots: { listChanged: true } } }
        );
        const errors: Error[] = [];
        client.onerror = error => errors.push(error);
        const logs = collector<unknown>(2);
        client.setNotificationHandler('notifications/message', n => logs.push(n.params.data));
        client.setRequestHandler('roots/list', () => ({ roots: [] }));
        const clientClosed = deferred();
        client.onclose = () => clientClosed.resolve();
        defer(() => client.close());

        await client.connect(transport);
        expect(client.getServerVersion()).toEqual({ name: 'stdio-fixture', version: '1.0.0' });
        expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
        const pid = transport.pid!;
        expect(isRunning(pid)).toBe(true);

        const echoed = await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } });
        expect(echoed.content).toEqual([{ type: 'text', text: 'echo: over stdio' }]);

        // server → client: a log message sent while handling a call.
        await client.callTool({ name: 'shout', arguments: { text: 'hello' } });
        // client → server: the server answers the notification with a log message.
        await client.sendRootsListChanged();
        expect(await logs.done).toEqual(['HELLO', 'roots changed 1']);

        await client.close();
        await clientClosed.promise; // the transport reports close once the process exited
        expect(await closedByServer).toContain('closed'); // the server saw stdin end: not killed
        expect(isRunning(pid)).toBe(false);
        expect(errors).toEqual([]);
    });
});
