import { describe, expect, it } from 'vitest';
import { InMemoryTransport, TransportClosedError } from '../src/index.js';
import type { AuthInfo, JSONRPCMessage, MessageExtraInfo } from '../src/index.js';

const ping: JSONRPCMessage = { jsonrpc: '2.0', id: 1, method: 'ping' };

describe('InMemoryTransport', () => {
    it('delivers asynchronously and in order to the peer', async () => {
        const [a, b] = InMemoryTransport.createLinkedPair();
        const received: JSONRPCMessage[] = [];
        b.onmessage = message => received.push(message);
        await a.start();
        await b.start();
        const sent = [a.send(ping), a.send({ jsonrpc: '2.0', method: 'notifications/initialized' })];
        expect(received).toEqual([]);
        await Promise.all(sent);
        await new Promise(r => setTimeout(r, 0));
        expect(received.map(m => ('method' in m ? m.method : ''))).toEqual(['ping', 'notifications/initialized']);
    });

    it('holds messages until the receiving side starts', async () => {
        const [a, b] = InMemoryTransport.createLinkedPair();
        const received: JSONRPCMessage[] = [];
        b.onmessage = message => received.push(message);
        await a.send(ping);
        await new Promise(r => setTimeout(r, 0));
        expect(received).toEqual([]);
        await b.start();
        await new Promise(r => setTimeout(r, 0));
        expect(received).toEqual([ping]);
    });

    it('passes authInfo through to the peer as extra', async () => {
        const [a, b] = InMemoryTransport.createLinkedPair();
        const extras: (MessageExtraInfo | undefined)[] = [];
        b.onmessage = (_message, extra) => extras.push(extra);
        await b.start();
        const authInfo: AuthInfo = { token: 't', clientId: 'c', scopes: ['mcp:read'] };
        await a.send(ping, { authInfo });
        await a.send(ping);
        await new Promise(r => setTimeout(r, 0));
        expect(extras).toEqual([{ authInfo }, undefined]);
    });

    it('closes both sides once and rejects later sends', async () => {
        const [a, b] = InMemoryTransport.createLinkedPair();
        let aClosed = 0;
        let bClosed = 0;
        a.onclose = () => aClosed++;
        b.onclose = () => bClosed++;
        await a.close();
        await a.close();
        await b.close();
        expect([aClosed, bClosed]).toEqual([1, 1]);
        await expect(a.send(ping)).rejects.toBeInstanceOf(TransportClosedError);
        await expect(b.send(ping)).rejects.toBeInstanceOf(TransportClosedError);
    });

    it('drops messages still queued when the receiver closes', async () => {
        const [a, b] = InMemoryTransport.createLinkedPair();
        const received: JSONRPCMessage[] = [];
        b.onmessage = message => received.push(message);
        await b.start();
        const sent = a.send(ping);
        await Promise.all([sent, b.close()]);
        await new Promise(r => setTimeout(r, 0));
        expect(received).toEqual([]);
    });
});
