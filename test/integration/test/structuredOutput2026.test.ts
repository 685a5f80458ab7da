/**
 * Tool output of any JSON shape (2026-07-28, SEP-2106): a tool whose `outputSchema` is an array schema returns an
 * array as `structuredContent` to a modern client, and the same tool reaches a 2025-era client wrapped as
 * `{ result: … }` with a matching object schema, so both clients validate what they get.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';

function build(): McpServer {
    const server = new McpServer({ name: 'shapes', version: '1' });
    server.registerTool('letters', { description: 'Lists letters', outputSchema: z.array(z.string()) }, () => ({
        content: [{ type: 'text', text: 'a, b' }],
        structuredContent: ['a', 'b']
    }));
    return server;
}

async function connect(client: Client): Promise<void> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await build().connect(serverSide);
    await client.connect(clientSide);
}

describe('structuredContent of any JSON shape', () => {
    it('a modern client gets the array as it is, checked against the array schema', async () => {
        const client = new Client({ name: 'c', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        await connect(client);
        const { tools } = await client.listTools();
        expect(tools[0]?.outputSchema).toMatchObject({ type: 'array' });
        const result = await client.callTool({ name: 'letters' });
        expect(result.structuredContent).toEqual(['a', 'b']);
        await client.close();
    });

    it('a 2025-era client gets it wrapped as { result }, with the schema wrapped alike', async () => {
        const client = new Client({ name: 'c', version: '1' });
        await connect(client);
        const { tools } = await client.listTools();
        expect(tools[0]?.outputSchema).toMatchObject({
            type: 'object',
            required: ['result'],
            properties: { result: { type: 'array' } }
        });
        const result = await client.callTool({ name: 'letters' });
        expect(result.structuredContent).toEqual({ result: ['a', 'b'] });
        await client.close();
    });
});
