import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

const transports: StdioServerTransport[] = [];
afterEach(async () => {
    await Promise.all(transports.splice(0).map(t => t.close()));
});

async function setup(options?: { maxBufferSize?: number }) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const transport = new StdioServerTransport(stdin, stdout, options);
    transports.push(transport);
    const messages: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    transport.onmessage = message => void messages.push(message);
    transport.onerror = error => void errors.push(error);
    await transport.start();
    return { stdin, stdout, transport, messages, errors };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe('StdioServerTransport', () => {
    test('reads newline-delimited messages, including lines split across chunks and CRLF', async () => {
        const { stdin, messages } = await setup();
        stdin.write('{"jsonrpc":"2.0","id":1,"method":"a"}\n{"jsonrpc":"2.0",');
        await tick();
        expect(messages).toHaveLength(1);
        stdin.write('"method":"b"}\r\n\n');
        await tick();
        expect(messages).toEqual([
            { jsonrpc: '2.0', id: 1, method: 'a' },
            { jsonrpc: '2.0', method: 'b' }
        ]);
    });

    test('decodes a multi-byte character split between chunks', async () => {
        const { stdin, messages } = await setup();
        const bytes = Buffer.from('{"jsonrpc":"2.0","method":"é"}\n');
        const split = bytes.indexOf(0xc3) + 1;
        stdin.write(bytes.subarray(0, split));
        stdin.write(bytes.subarray(split));
        await tick();
        expect(messages).toEqual([{ jsonrpc: '2.0', method: 'é' }]);
    });

    test('reports a garbage line through onerror and keeps reading', async () => {
        const { stdin, messages, errors } = await setup();
        stdin.write('not json\n{"id":1}\n{"jsonrpc":"2.0","method":"ok"}\n');
        await tick();
        expect(errors).toHaveLength(2);
        expect(errors[0]).toMatchObject({ code: 'INVALID_MESSAGE' });
        expect(messages).toEqual([{ jsonrpc: '2.0', method: 'ok' }]);
    });

    test('refuses a line longer than maxBufferSize, drops the rest of it and keeps reading', async () => {
        const { stdin, messages, errors } = await setup({ maxBufferSize: 1024 });
        for (let i = 0; i < 64; i++) stdin.write('z'.repeat(512));
        await tick();
        stdin.write('\n{"jsonrpc":"2.0","method":"ok"}\n');
        await tick();
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ code: 'INVALID_MESSAGE', cause: { code: 'MESSAGE_TOO_LARGE' } });
        expect(messages).toEqual([{ jsonrpc: '2.0', method: 'ok' }]);
    });

    test('writes each sent message as one JSON line', async () => {
        const { stdout, transport } = await setup();
        await transport.send({ jsonrpc: '2.0', id: 1, result: { text: 'a\nb' } });
        expect(stdout.read().toString()).toBe('{"jsonrpc":"2.0","id":1,"result":{"text":"a\\nb"}}\n');
    });

    test('close() stops reading, fires onclose once, and rejects later sends', async () => {
        const { stdin, transport, messages } = await setup();
        let closes = 0;
        transport.onclose = () => void closes++;
        await transport.close();
        await transport.close();
        stdin.write('{"jsonrpc":"2.0","method":"late"}\n');
        await tick();
        expect(closes).toBe(1);
        expect(messages).toEqual([]);
        await expect(transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toMatchObject({
            code: 'TRANSPORT_CLOSED'
        });
    });

    test('closes when stdin ends', async () => {
        const { stdin, transport } = await setup();
        let closed = false;
        transport.onclose = () => void (closed = true);
        stdin.end();
        await expect.poll(() => closed).toBe(true);
    });
});
