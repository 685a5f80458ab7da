/**
 * Era negotiation off HTTP (in memory, the way stdio behaves): `auto` speaks 2026-07-28 to a dual-era server, falls
 * back to `initialize` when the server answers the probe with an error a legacy server gives or stays silent, a pin
 * never falls back, `prior` skips the probe, and the 2025-only methods are refused locally in the modern era.
 */
import { describe, expect, it } from 'vitest';
import { Client, InMemoryTransport, SdkError } from '@modelcontextprotocol/client';
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';

function dualEraServer(versions?: string[]): McpServer {
    const server = new McpServer(
        { name: 'eras', version: '1.0.0' },
        versions === undefined ? {} : { supportedProtocolVersions: versions }
    );
    server.registerTool('hello', { description: 'Says hello' }, () => ({ content: [{ type: 'text', text: 'hi' }] }));
    return server;
}

async function connected(server: McpServer, client: Client): Promise<void> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
}

/** A legacy peer that never answers `server/discover` (as some stdio servers do) but serves `initialize`. */
async function silentLegacyPeer(client: Client): Promise<string[]> {
    const [clientSide, peer] = InMemoryTransport.createLinkedPair();
    const seen: string[] = [];
    peer.onmessage = (message: JSONRPCMessage) => {
        if (!('method' in message)) return;
        seen.push(message.method);
        if (message.method === 'initialize' && 'id' in message) {
            void peer.send({
                jsonrpc: '2.0',
                id: message.id,
                result: {
                    protocolVersion: '2025-11-25',
                    capabilities: {},
                    serverInfo: { name: 'silent', version: '0' }
                }
            });
        }
    };
    await peer.start();
    await client.connect(clientSide);
    return seen;
}

describe('version negotiation off HTTP', () => {
    it('auto: speaks 2026-07-28 to a dual-era server, with _meta on every request', async () => {
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await connected(dualEraServer(), client);
        expect(client.getProtocolEra()).toBe('modern');
        expect(client.getServerVersion()).toEqual({ name: 'eras', version: '1.0.0' });
        const result = await client.callTool({ name: 'hello' });
        expect(result).toMatchObject({ content: [{ text: 'hi' }], resultType: 'complete' });
        await expect(client.ping()).rejects.toSatisfy(
            error => error instanceof SdkError && error.code === 'METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION'
        );
        await client.close();
    });

    it('auto: falls back to initialize when the server speaks only legacy revisions (-32022)', async () => {
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await connected(dualEraServer(['2025-11-25']), client);
        expect(client.getProtocolEra()).toBe('legacy');
        expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
        await expect(client.ping()).resolves.toEqual({});
        await client.close();
    });

    it('auto: falls back to initialize when a peer stays silent on the probe (stdio-like transport)', async () => {
        const client = new Client(
            { name: 'c', version: '1' },
            { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 150 } } }
        );
        const seen = await silentLegacyPeer(client);
        expect(client.getProtocolEra()).toBe('legacy');
        expect(seen).toEqual(['server/discover', 'notifications/cancelled', 'initialize', 'notifications/initialized']);
        await client.close();
    });

    it('pin: refuses a legacy-only server instead of falling back', async () => {
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
        await expect(connected(dualEraServer(['2025-11-25']), client)).rejects.toSatisfy(
            error => (error as { code?: unknown }).code === -32022
        );
        expect(client.getProtocolEra()).toBeUndefined();
    });

    it('prior: adopts a kept discover result without probing', async () => {
        const first = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        const server = dualEraServer();
        await connected(server, first);
        const discover = first.getDiscoverResult()!;
        await first.close();
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        const methods: string[] = [];
        const send = clientSide.send.bind(clientSide);
        clientSide.send = async (message, options) => {
            if ('method' in message) methods.push(message.method);
            return send(message, options);
        };
        const again = dualEraServer();
        await again.connect(serverSide);
        const second = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await second.connect(clientSide, { prior: { kind: 'modern', discover } });
        expect(second.getProtocolEra()).toBe('modern');
        await second.listTools();
        expect(methods).toEqual(['tools/list']);
        await second.close();
    });
});
