import { afterEach, describe, expect, it } from 'vitest';
import {
    CapabilityNotSupportedError,
    ErrorCode,
    InMemoryTransport,
    LATEST_PROTOCOL_VERSION,
    McpError
} from '@modelcontextprotocol/core';
import type { ClientCapabilities, Transport } from '@modelcontextprotocol/core';
import { Server } from '../../src/server/index.js';
import { negotiateProtocolVersion } from '../../src/server/handshake.js';
import { connectClient, settle } from '../fixtures/testClient.js';
import type { TestClient } from '../fixtures/testClient.js';

const info = { name: 'test-server', version: '1.0.0' };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
});

async function start(
    server: Server,
    capabilities: ClientCapabilities | null = {}
): Promise<Awaited<ReturnType<typeof connectClient>>> {
    const connected = await connectClient(server, capabilities);
    open.push(connected.client, server);
    return connected;
}

describe('initialize', () => {
    it('answers with the requested protocol version when supported', async () => {
        const server = new Server(info, { capabilities: { tools: {} }, instructions: 'Use the tools.' });
        const { client } = await start(server, null);
        const result = await client.initialize({ roots: {} }, '2025-06-18');
        expect(result.protocolVersion).toBe('2025-06-18');
        expect(result.serverInfo).toEqual(info);
        expect(result.capabilities).toEqual({ tools: {} });
        expect(result.instructions).toBe('Use the tools.');
        expect(server.getNegotiatedProtocolVersion()).toBe('2025-06-18');
    });

    it('answers with the latest version when the requested one is unsupported', async () => {
        const server = new Server(info);
        const { client } = await start(server, null);
        const result = await client.initialize({}, '1999-01-01');
        expect(result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
        expect(result.instructions).toBeUndefined();
    });

    it('remembers the client capabilities and version, and calls oninitialized', async () => {
        const server = new Server(info);
        let initialized = false;
        server.oninitialized = () => {
            initialized = true;
        };
        expect(server.getClientCapabilities()).toBeUndefined();
        await start(server, { sampling: {}, roots: { listChanged: true } });
        await settle();
        expect(server.getClientCapabilities()).toEqual({ sampling: {}, roots: { listChanged: true } });
        expect(server.getClientVersion()).toEqual({ name: 'test-client', version: '1.0.0' });
        expect(initialized).toBe(true);
    });

    it('tells the transport the negotiated version', async () => {
        const server = new Server(info);
        const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
        const versions: string[] = [];
        (serverTransport as Transport).setProtocolVersion = version => versions.push(version);
        const { TestClient } = await import('../fixtures/testClient.js');
        const client = new TestClient();
        await server.connect(serverTransport);
        await client.connect(clientTransport);
        open.push(client, server);
        await client.initialize({}, '2025-03-26');
        expect(versions).toEqual(['2025-03-26']);
    });

    it('negotiates against a custom list of supported versions', () => {
        expect(negotiateProtocolVersion('2025-06-18', ['2025-11-25'])).toBe('2025-11-25');
        expect(negotiateProtocolVersion('2025-11-25', ['2025-11-25'])).toBe('2025-11-25');
    });
});

describe('capabilities', () => {
    it('refuses a handler for a feature the server did not declare', () => {
        const server = new Server(info);
        expect(() => server.setRequestHandler('tools/call', () => ({ content: [] }))).toThrow(
            CapabilityNotSupportedError
        );
        server.registerCapabilities({ tools: {} });
        expect(() => server.setRequestHandler('tools/call', () => ({ content: [] }))).not.toThrow();
    });

    it('merges registered capabilities one level deep', () => {
        const server = new Server(info, { capabilities: { resources: { subscribe: true } } });
        server.registerCapabilities({ resources: { listChanged: true }, tools: {} });
        expect(server.getCapabilities()).toEqual({ resources: { subscribe: true, listChanged: true }, tools: {} });
    });

    it('refuses notifications for undeclared features', async () => {
        const server = new Server(info);
        await start(server);
        await expect(server.sendResourceUpdated({ uri: 'file:///a' })).rejects.toBeInstanceOf(
            CapabilityNotSupportedError
        );
        await expect(server.sendToolListChanged()).rejects.toBeInstanceOf(CapabilityNotSupportedError);
    });

    it('sends notifications for declared features', async () => {
        const server = new Server(info, { capabilities: { resources: {}, tools: {}, prompts: {} } });
        const { client } = await start(server);
        await server.sendResourceUpdated({ uri: 'file:///a' });
        await server.sendResourceListChanged();
        await server.sendToolListChanged();
        await server.sendPromptListChanged();
        await settle();
        expect(client.notifications.map(n => n.method)).toEqual([
            'notifications/resources/updated',
            'notifications/resources/list_changed',
            'notifications/tools/list_changed',
            'notifications/prompts/list_changed'
        ]);
        expect(client.notifications[0]!.params).toEqual({ uri: 'file:///a' });
    });

    it('answers an undeclared method with method not found', async () => {
        const server = new Server(info);
        const { client } = await start(server);
        await expect(client.call('tools/list')).rejects.toMatchObject({ code: ErrorCode.MethodNotFound });
    });
});

describe('logging', () => {
    async function logs(client: TestClient): Promise<unknown[]> {
        await settle();
        return client.received('notifications/message').map(n => n.params?.data);
    }

    it('sends every level until the client sets one, then drops messages below it', async () => {
        const server = new Server(info, { capabilities: { logging: {} } });
        const { client } = await start(server);
        await server.sendLoggingMessage({ level: 'debug', data: 'd1' });
        await client.call('logging/setLevel', { level: 'warning' });
        expect(server.getLoggingLevel()).toBe('warning');
        await server.sendLoggingMessage({ level: 'info', data: 'i' });
        await server.sendLoggingMessage({ level: 'warning', data: 'w' });
        await server.sendLoggingMessage({ level: 'emergency', data: 'e' });
        expect(await logs(client)).toEqual(['d1', 'w', 'e']);
    });

    it('is a no-op without the logging capability', async () => {
        const server = new Server(info);
        const { client } = await start(server);
        await server.sendLoggingMessage({ level: 'error', data: 'x' });
        expect(await logs(client)).toEqual([]);
        await expect(client.call('logging/setLevel', { level: 'info' })).rejects.toMatchObject({
            code: ErrorCode.MethodNotFound
        });
    });

    it('installs logging/setLevel when logging is registered later', async () => {
        const server = new Server(info);
        server.registerCapabilities({ logging: {} });
        const { client } = await start(server);
        await expect(client.call('logging/setLevel', { level: 'error' })).resolves.toEqual({});
        await server.sendLoggingMessage({ level: 'warning', data: 'dropped' });
        expect(await logs(client)).toEqual([]);
    });

    it('rejects an unknown level with invalid params', async () => {
        const server = new Server(info, { capabilities: { logging: {} } });
        const { client } = await start(server);
        await expect(client.call('logging/setLevel', { level: 'loud' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams
        });
    });
});

describe('requests to the client', () => {
    it('creates a message when the client supports sampling', async () => {
        const server = new Server(info);
        const { client } = await start(server, { sampling: {} });
        client.setRequestHandler('sampling/createMessage', request => ({
            role: 'assistant',
            content: { type: 'text', text: `echo ${String(request.params.maxTokens)}` },
            model: 'test-model'
        }));
        const result = await server.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
            maxTokens: 5
        });
        expect(result).toMatchObject({ model: 'test-model', content: { text: 'echo 5' } });
    });

    it('refuses sampling without the client capability, and tools without sampling.tools', async () => {
        const server = new Server(info);
        await start(server, { sampling: {} });
        const params = { messages: [], maxTokens: 5 };
        await expect(
            server.createMessage({ ...params, tools: [{ name: 't', inputSchema: { type: 'object' } }] })
        ).rejects.toMatchObject({ code: 'CAPABILITY_NOT_SUPPORTED', capability: 'sampling.tools' });

        const other = new Server(info);
        await start(other, {});
        await expect(other.createMessage(params)).rejects.toMatchObject({
            code: 'CAPABILITY_NOT_SUPPORTED',
            capability: 'sampling'
        });
    });

    it('lists roots only when the client supports them', async () => {
        const server = new Server(info);
        const { client } = await start(server, { roots: {} });
        client.setRequestHandler('roots/list', () => ({ roots: [{ uri: 'file:///home', name: 'home' }] }));
        await expect(server.listRoots()).resolves.toEqual({ roots: [{ uri: 'file:///home', name: 'home' }] });

        const other = new Server(info);
        await start(other, {});
        await expect(other.listRoots()).rejects.toBeInstanceOf(CapabilityNotSupportedError);
    });

    it('pings the client', async () => {
        const server = new Server(info);
        await start(server);
        await expect(server.ping()).resolves.toEqual({});
    });

    describe('elicitation', () => {
        const requestedSchema = {
            type: 'object' as const,
            properties: {
                name: { type: 'string' as const, minLength: 2 },
                email: { type: 'string' as const, format: 'email' as const }
            },
            required: ['name']
        };

        it('returns an accepted answer that matches the requested schema', async () => {
            const server = new Server(info);
            const { client } = await start(server, { elicitation: {} });
            client.setRequestHandler('elicitation/create', () => ({
                action: 'accept',
                content: { name: 'Ada', email: 'ada@example.com' }
            }));
            await expect(server.elicitInput({ message: 'Who?', requestedSchema })).resolves.toEqual({
                action: 'accept',
                content: { name: 'Ada', email: 'ada@example.com' }
            });
        });

        it('rejects an accepted answer that does not match the requested schema', async () => {
            const server = new Server(info);
            const { client } = await start(server, { elicitation: { form: {} } });
            client.setRequestHandler('elicitation/create', () => ({
                action: 'accept',
                content: { name: 'A', email: 'not-an-email' }
            }));
            const error = await server.elicitInput({ message: 'Who?', requestedSchema }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(McpError);
            expect(error).toMatchObject({ code: ErrorCode.InvalidParams });
            expect((error as Error).message).toMatch(/requested schema/);
        });

        it('passes declined answers through without validation', async () => {
            const server = new Server(info);
            const { client } = await start(server, { elicitation: {} });
            client.setRequestHandler('elicitation/create', () => ({ action: 'decline' }));
            await expect(server.elicitInput({ message: 'Who?', requestedSchema })).resolves.toEqual({
                action: 'decline'
            });
        });

        it('needs elicitation.url for URL mode and elicitation for form mode', async () => {
            const server = new Server(info);
            const { client } = await start(server, { elicitation: {} });
            client.setRequestHandler('elicitation/create', () => ({ action: 'accept' }));
            const url = { mode: 'url' as const, message: 'Log in', elicitationId: 'e1', url: 'https://example.com' };
            await expect(server.elicitInput(url)).rejects.toMatchObject({ capability: 'elicitation.url' });
            expect(() => server.createElicitationCompletionNotifier('e1')).toThrow(CapabilityNotSupportedError);

            const urlOnly = new Server(info);
            const second = await start(urlOnly, { elicitation: { url: {} } });
            second.client.setRequestHandler('elicitation/create', () => ({ action: 'accept' }));
            await expect(urlOnly.elicitInput(url)).resolves.toEqual({ action: 'accept' });
            await expect(urlOnly.elicitInput({ message: 'Who?', requestedSchema })).rejects.toMatchObject({
                capability: 'elicitation.form'
            });
            const completed = second.client.nextNotification('notifications/elicitation/complete');
            await urlOnly.createElicitationCompletionNotifier('e1')();
            await expect(completed).resolves.toMatchObject({ params: { elicitationId: 'e1' } });

            const none = new Server(info);
            await start(none, {});
            await expect(none.elicitInput({ message: 'Who?', requestedSchema })).rejects.toMatchObject({
                capability: 'elicitation'
            });
        });
    });

    it('checks client capabilities on raw requests only with enforceStrictCapabilities', async () => {
        const { ListRootsResultSchema } = await import('@modelcontextprotocol/core');
        const strict = new Server(info, { enforceStrictCapabilities: true });
        await start(strict, {});
        await expect(strict.request({ method: 'roots/list' }, ListRootsResultSchema)).rejects.toBeInstanceOf(
            CapabilityNotSupportedError
        );

        const lax = new Server(info);
        await start(lax, {});
        await expect(lax.request({ method: 'roots/list' }, ListRootsResultSchema)).rejects.toMatchObject({
            code: ErrorCode.MethodNotFound
        });
    });
});
