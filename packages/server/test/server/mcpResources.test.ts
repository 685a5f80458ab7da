import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, McpError } from '@modelcontextprotocol/core';
import type { ReadResourceResult } from '@modelcontextprotocol/core';
import { McpServer, RegistrationError, ResourceTemplate } from '../../src/server/mcp.js';
import { connectClient, settle } from '../fixtures/testClient.js';

const info = { name: 'resources-server', version: '1.0.0' };
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
    for (const item of open.splice(0)) await item.close();
});

async function start(server: McpServer) {
    const connected = await connectClient(server);
    open.push(connected.client, server);
    return connected;
}

function contents(uri: string, text: string): ReadResourceResult {
    return { contents: [{ uri, text }] };
}

describe('fixed resources', () => {
    it('lists and reads a resource by exact URI', async () => {
        const server = new McpServer(info);
        server.registerResource('readme', 'file:///readme.md', { mimeType: 'text/markdown', title: 'Read me' }, uri =>
            contents(uri.href, '# Hello')
        );
        const { client, initialize } = await start(server);
        expect(initialize?.capabilities.resources).toEqual({ listChanged: true });
        expect(await client.call('resources/list')).toEqual({
            resources: [{ uri: 'file:///readme.md', name: 'readme', mimeType: 'text/markdown', title: 'Read me' }]
        });
        expect(await client.call('resources/read', { uri: 'file:///readme.md' })).toEqual(
            contents('file:///readme.md', '# Hello')
        );
    });

    it('answers an unknown URI with -32002 resource not found', async () => {
        const server = new McpServer(info);
        server.registerResource('a', 'file:///a', {}, uri => contents(uri.href, 'a'));
        const { client } = await start(server);
        const error = await client.call('resources/read', { uri: 'file:///missing' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect(error).toMatchObject({ code: ErrorCode.ResourceNotFound, data: { uri: 'file:///missing' } });
    });

    it('refuses a duplicate URI', () => {
        const server = new McpServer(info);
        server.registerResource('a', 'file:///a', {}, uri => contents(uri.href, 'a'));
        expect(() => server.registerResource('b', 'file:///a', {}, uri => contents(uri.href, 'b'))).toThrow(
            RegistrationError
        );
    });

    it('hides a disabled resource, renames, and removes it, notifying the client', async () => {
        const server = new McpServer(info);
        const resource = server.registerResource('a', 'file:///a', {}, uri => contents(uri.href, 'a'));
        const { client } = await start(server);
        resource.disable();
        expect((await client.call('resources/list')).resources).toEqual([]);
        await expect(client.call('resources/read', { uri: 'file:///a' })).rejects.toMatchObject({
            code: ErrorCode.InvalidParams
        });
        resource.update({ enabled: true, uri: 'file:///b', name: 'b' });
        expect((await client.call('resources/list')).resources).toEqual([{ uri: 'file:///b', name: 'b' }]);
        expect(await client.call('resources/read', { uri: 'file:///b' })).toEqual(contents('file:///b', 'a'));
        resource.remove();
        expect((await client.call('resources/list')).resources).toEqual([]);
        await settle();
        expect(client.received('notifications/resources/list_changed')).toHaveLength(3);
    });
});

describe('resource templates', () => {
    function userServer(): McpServer {
        const server = new McpServer(info);
        server.registerResource(
            'user',
            new ResourceTemplate('users://{id}/profile{?fields}', {
                list: () => ({ resources: [{ uri: 'users://1/profile', name: 'Ada' }] })
            }),
            { mimeType: 'application/json', description: 'A user profile' },
            (uri, variables) => contents(uri.href, JSON.stringify(variables))
        );
        return server;
    }

    it('reads a URI matching a template, passing the variables', async () => {
        const { client } = await start(userServer());
        expect(await client.call('resources/read', { uri: 'users://42/profile?fields=name,email' })).toEqual(
            contents('users://42/profile?fields=name,email', JSON.stringify({ id: '42', fields: ['name', 'email'] }))
        );
        await expect(client.call('resources/read', { uri: 'users://42/settings' })).rejects.toMatchObject({
            code: ErrorCode.ResourceNotFound
        });
    });

    it('prefers an exact resource over a matching template', async () => {
        const server = userServer();
        server.registerResource('me', 'users://me/profile', {}, uri => contents(uri.href, 'exact'));
        const { client } = await start(server);
        expect(await client.call('resources/read', { uri: 'users://me/profile' })).toEqual(
            contents('users://me/profile', 'exact')
        );
    });

    it('lists templates, and merges the resources a template lists with its metadata', async () => {
        const server = userServer();
        server.registerResource('readme', 'file:///readme', {}, uri => contents(uri.href, ''));
        const { client } = await start(server);
        expect(await client.call('resources/templates/list')).toEqual({
            resourceTemplates: [
                {
                    uriTemplate: 'users://{id}/profile{?fields}',
                    name: 'user',
                    mimeType: 'application/json',
                    description: 'A user profile'
                }
            ]
        });
        expect((await client.call('resources/list')).resources).toEqual([
            { uri: 'file:///readme', name: 'readme' },
            { uri: 'users://1/profile', name: 'Ada', mimeType: 'application/json', description: 'A user profile' }
        ]);
    });

    it('stops matching a disabled or removed template', async () => {
        const server = new McpServer(info);
        const template = server.registerResource(
            'item',
            new ResourceTemplate('items://{id}', { list: undefined }),
            {},
            (uri, { id }) => contents(uri.href, String(id))
        );
        const { client } = await start(server);
        expect(await client.call('resources/read', { uri: 'items://7' })).toEqual(contents('items://7', '7'));
        template.disable();
        await expect(client.call('resources/read', { uri: 'items://7' })).rejects.toMatchObject({
            code: ErrorCode.ResourceNotFound
        });
        expect((await client.call('resources/templates/list')).resourceTemplates).toEqual([]);
        template.enable();
        template.remove();
        await expect(client.call('resources/read', { uri: 'items://7' })).rejects.toMatchObject({
            code: ErrorCode.ResourceNotFound
        });
    });
});

describe('subscriptions', () => {
    it('tracks subscriptions and sends updates only for subscribed URIs', async () => {
        const server = new McpServer(info, { capabilities: { resources: { subscribe: true } } });
        server.registerResource('a', 'file:///a', {}, uri => contents(uri.href, 'a'));
        const { client, initialize } = await start(server);
        expect(initialize?.capabilities.resources).toEqual({ subscribe: true, listChanged: true });

        await client.call('resources/subscribe', { uri: 'file:///a' });
        expect(server.isSubscribed('file:///a')).toBe(true);
        await server.sendResourceUpdated({ uri: 'file:///a' });
        await server.sendResourceUpdated({ uri: 'file:///other' });
        await client.call('resources/unsubscribe', { uri: 'file:///a' });
        expect(server.isSubscribed('file:///a')).toBe(false);
        await server.sendResourceUpdated({ uri: 'file:///a' });
        await settle();
        expect(client.received('notifications/resources/updated').map(n => n.params)).toEqual([{ uri: 'file:///a' }]);
    });

    it('does not offer subscribe without the subscribe capability', async () => {
        const server = new McpServer(info);
        server.registerResource('a', 'file:///a', {}, uri => contents(uri.href, 'a'));
        const { client } = await start(server);
        await expect(client.call('resources/subscribe', { uri: 'file:///a' })).rejects.toMatchObject({
            code: ErrorCode.MethodNotFound
        });
    });
});
