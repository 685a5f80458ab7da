import type { JSONRPCRequest } from '@modelcontextprotocol/core';
import {
    AlreadyConnectedError,
    InMemoryTransport,
    LATEST_PROTOCOL_VERSION,
    McpError,
    SdkError,
    SUPPORTED_PROTOCOL_VERSIONS
} from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { UnsupportedProtocolVersionError } from '@modelcontextprotocol/core';
import { Client } from '../../src/client/index.js';
import type { Pair } from '../fixtures/fakeServer.js';
import { ALL_SERVER_CAPABILITIES, connectPair, createPair } from '../fixtures/fakeServer.js';

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

describe('Client handshake', () => {
    it('sends initialize with the latest version, capabilities and client info, then notifications/initialized', async () => {
        pair = await connectPair(undefined, { capabilities: { roots: { listChanged: true } } });
        const { server } = pair;
        expect(server.initializeParams).toEqual({
            protocolVersion: LATEST_PROTOCOL_VERSION,
            capabilities: { roots: { listChanged: true } },
            clientInfo: { name: 'test-client', version: '0.0.1' }
        });
        expect(server.notifications('notifications/initialized')).toHaveLength(1);
        // initialize is the first message, initialized the second.
        expect(server.received.map(m => ('method' in m ? m.method : 'response'))).toEqual([
            'initialize',
            'notifications/initialized'
        ]);
    });

    it('stores the server capabilities, version, instructions and negotiated version', async () => {
        pair = await connectPair({ instructions: 'Use the weather tool.' });
        const { client } = pair;
        expect(client.getServerCapabilities()).toEqual(ALL_SERVER_CAPABILITIES);
        expect(client.getServerVersion()).toEqual({ name: 'fake-server', version: '1.0.0' });
        expect(client.getInstructions()).toBe('Use the weather tool.');
        expect(client.getNegotiatedProtocolVersion()).toBe(LATEST_PROTOCOL_VERSION);
    });

    it('tells the transport the negotiated version', async () => {
        pair = await connectPair({ protocolVersion: '2025-06-18' });
        expect(pair.protocolVersions).toEqual(['2025-06-18']);
        expect(pair.client.getNegotiatedProtocolVersion()).toBe('2025-06-18');
    });

    it('accepts every supported older revision', async () => {
        for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
            const p = await connectPair({ protocolVersion: version });
            expect(p.client.getNegotiatedProtocolVersion()).toBe(version);
            await p.client.close();
        }
    });

    it('rejects an unsupported server version with a typed error naming both versions and closes the transport', async () => {
        pair = createPair({ protocolVersion: '1999-01-01' });
        const { client, server, clientTransport, serverTransport } = pair;
        let clientClosed = false;
        client.onclose = () => {
            clientClosed = true;
        };
        await server.connect(serverTransport);
        const error = await client.connect(clientTransport).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnsupportedProtocolVersionError);
        const typed = error as UnsupportedProtocolVersionError;
        expect(typed.code).toBe(-32022);
        expect(typed.requested).toBe('1999-01-01');
        expect(typed.supported).toContain(LATEST_PROTOCOL_VERSION);
        expect(typed.message).toContain('1999-01-01');
        expect(typed.message).toContain(LATEST_PROTOCOL_VERSION);
        expect(clientClosed).toBe(true);
        expect(client.transport).toBeUndefined();
        expect(server.notifications('notifications/initialized')).toHaveLength(0);
        expect(pair.protocolVersions).toEqual([]);
        expect(client.getServerCapabilities()).toBeUndefined();
        await expect(clientTransport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toThrow();
    });

    it('closes the transport and rethrows when initialize fails', async () => {
        const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
        // A peer that answers initialize with an error.
        serverTransport.onmessage = message => {
            const request = message as JSONRPCRequest;
            void serverTransport.send({
                jsonrpc: '2.0',
                id: request.id,
                error: { code: -32603, message: 'boom' }
            });
        };
        await serverTransport.start();
        const client = new Client({ name: 'c', version: '1' });
        const error = await client.connect(clientTransport).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).message).toBe('boom');
        expect(client.transport).toBeUndefined();
    });

    it('passes request options to initialize (timeout)', async () => {
        const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
        await serverTransport.start(); // never answers
        const client = new Client({ name: 'c', version: '1' });
        const error = await client.connect(clientTransport, { timeout: 20 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SdkError);
        expect((error as SdkError).code).toBe('REQUEST_TIMEOUT');
        expect(client.transport).toBeUndefined();
    });

    it('skips initialize when the transport already has a session id, re-announcing the known version', async () => {
        pair = await connectPair({ protocolVersion: '2025-06-18' });
        const { client } = pair;
        await client.close();

        const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
        const seen: string[] = [];
        serverTransport.onmessage = message => void seen.push('method' in message ? message.method : 'response');
        await serverTransport.start();
        clientTransport.sessionId = 'existing-session';
        const versions: string[] = [];
        Object.assign(clientTransport, { setProtocolVersion: (v: string) => void versions.push(v) });
        await client.connect(clientTransport);
        expect(seen).toEqual([]);
        expect(versions).toEqual(['2025-06-18']);
        await client.close();
    });

    it('merges registered capabilities and refuses to register after connecting', async () => {
        pair = createPair(undefined, { capabilities: { sampling: {} } });
        const { client, server } = pair;
        client.registerCapabilities({ elicitation: { form: {} } });
        client.registerCapabilities({ elicitation: { url: {} }, roots: {} });
        await server.connect(pair.serverTransport);
        await client.connect(pair.clientTransport);
        expect(server.initializeParams?.capabilities).toEqual({
            sampling: {},
            elicitation: { form: {}, url: {} },
            roots: {}
        });
        expect(() => client.registerCapabilities({ roots: { listChanged: true } })).toThrow(AlreadyConnectedError);
    });
});
