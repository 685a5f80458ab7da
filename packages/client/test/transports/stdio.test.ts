import { fileURLToPath } from 'node:url';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { StdioServerParameters } from '../../src/client/stdio.js';
import { DEFAULT_INHERITED_ENV_VARS, getDefaultEnvironment, StdioClientTransport } from '../../src/client/stdio.js';
import {
    ClientTransportClosedError,
    InvalidMessageError,
    MessageTooLargeError,
    ProcessError
} from '../../src/client/transportErrors.js';
import { until } from '../fixtures/until.js';

const ECHO_SERVER = fileURLToPath(new URL('../fixtures/stdioEchoServer.mjs', import.meta.url));
const transports: StdioClientTransport[] = [];

afterEach(async () => {
    await Promise.all(transports.splice(0).map(t => t.close()));
});

function setup(flags: string[] = [], params: Partial<StdioServerParameters> = {}) {
    const transport = new StdioClientTransport({ command: process.execPath, args: [ECHO_SERVER, ...flags], ...params });
    transports.push(transport);
    const messages: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    let closes = 0;
    transport.onmessage = message => messages.push(message);
    transport.onerror = error => errors.push(error);
    transport.onclose = () => closes++;
    return { transport, messages, errors, closes: () => closes };
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe('StdioClientTransport', () => {
    it('round-trips a request with the child process', async () => {
        const { transport, messages } = setup();
        await transport.start();
        expect(transport.pid).toBeGreaterThan(0);
        await transport.send({ jsonrpc: '2.0', id: 1, method: 'echo', params: { text: 'hi\nthere' } });
        await until(() => messages.length === 1, 'the echo');
        expect(messages[0]).toEqual({ jsonrpc: '2.0', id: 1, result: { echo: { text: 'hi\nthere' } } });
    });

    it('reassembles a line split inside a UTF-8 character and splits two messages sent in one chunk', async () => {
        const { transport, messages, errors } = setup();
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 2, method: 'split' });
        await until(() => messages.length === 3, 'three messages');
        expect(messages).toEqual([
            { jsonrpc: '2.0', id: 2, result: { text: 'héllo 🌍 wörld' } },
            { jsonrpc: '2.0', method: 'notifications/a' },
            { jsonrpc: '2.0', method: 'notifications/b' }
        ]);
        expect(errors).toEqual([]);
    });

    it('reports a non-JSON line and a non-JSON-RPC line to onerror and keeps reading', async () => {
        const { transport, messages, errors } = setup();
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 3, method: 'garbage' });
        await until(() => messages.length === 1, 'the message after the garbage');
        expect(messages[0]).toEqual({ jsonrpc: '2.0', id: 3, result: { afterGarbage: true } });
        expect(errors).toHaveLength(2);
        expect(errors.every(e => e instanceof InvalidMessageError)).toBe(true);
    });

    it('refuses a line over 10 MiB with MessageTooLargeError and reads the next message', async () => {
        const { transport, messages, errors } = setup();
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 5, method: 'flood' });
        await until(() => messages.length === 1, 'the message after the flood');
        expect(messages[0]).toEqual({ jsonrpc: '2.0', id: 5, result: { afterFlood: true } });
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(MessageTooLargeError);
    });

    it('starts the child with the default environment plus the given variables only', async () => {
        const { transport, messages } = setup([], { env: { MCP_EXTRA: 'x' } });
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 4, method: 'env' });
        await until(() => messages.length === 1, 'the environment');
        const env = (messages[0] as unknown as { result: { env: Record<string, string> } }).result.env;
        expect(env.MCP_EXTRA).toBe('x');
        const allowed = new Set([...DEFAULT_INHERITED_ENV_VARS, 'MCP_EXTRA']);
        // The child may add a few of its own (e.g. macOS adds __CF_USER_TEXT_ENCODING); none from our process.
        const leaked = Object.keys(env).filter(k => !allowed.has(k) && k in process.env);
        expect(leaked).toEqual([]);
        expect(getDefaultEnvironment().PATH).toBe(process.env.PATH);
    });

    it('exposes the piped stderr before start', async () => {
        const { transport } = setup(['--stderr'], { stderr: 'pipe' });
        const chunks: string[] = [];
        transport.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
        await transport.start();
        await until(() => chunks.join('').includes('hello from stderr'), 'stderr output');
    });

    it('close ends stdin, the child exits, and onclose fires once', async () => {
        const { transport, closes } = setup();
        await transport.start();
        const pid = transport.pid!;
        await transport.close();
        await transport.close();
        expect(closes()).toBe(1);
        expect(isAlive(pid)).toBe(false);
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toBeInstanceOf(
            ClientTransportClosedError
        );
    });

    it('close kills a child that ignores the end of stdin', async () => {
        const { transport, closes } = setup(['--ignore-eof']);
        await transport.start();
        const pid = transport.pid!;
        await transport.close();
        expect(closes()).toBe(1);
        expect(isAlive(pid)).toBe(false);
    });

    it('fires onclose when the child exits on its own', async () => {
        const { transport, closes } = setup();
        await transport.start();
        await transport.send({ jsonrpc: '2.0', id: 5, method: 'exit' });
        await until(() => closes() === 1, 'onclose');
    });

    it('rejects start with ProcessError when the command does not exist', async () => {
        const { transport, closes } = setup([], { command: '/nonexistent/mcp-server-binary' });
        const error = await transport.start().catch(e => e);
        expect(error).toBeInstanceOf(ProcessError);
        expect(error).toMatchObject({ code: 'PROCESS_ERROR' });
        expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
        expect(closes()).toBe(0);
    });
});
