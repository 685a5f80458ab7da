/**
 * The Express exports written the official v2 way: Host / Origin validation middlewares, and the metadata router
 * taking `AuthMetadataOptions`, mounted on a real app over loopback.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    hostHeaderValidation,
    localhostHostValidation,
    localhostOriginValidation,
    mcpAuthMetadataRouter,
    originValidation
} from '../src/index.js';

let server: Server;
let base: string;

beforeAll(async () => {
    const app = express();
    app.get('/local', localhostHostValidation(), localhostOriginValidation(), (_req, res) => void res.send('ok'));
    app.get('/named', hostHeaderValidation(['mcp.example']), originValidation(['app.example']), (_req, res) => {
        res.send('ok');
    });
    app.use(
        mcpAuthMetadataRouter({
            oauthMetadata: {
                issuer: 'https://as.example.com',
                authorization_endpoint: 'https://as.example.com/authorize',
                token_endpoint: 'https://as.example.com/token',
                response_types_supported: ['code']
            },
            resourceServerUrl: new URL('https://mcp.example.com/mcp')
        })
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>(resolve => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, text: await response.text() };
}

describe('official v2 Express helpers', () => {
    it('localhost Host and Origin validation: loopback served, others 403', async () => {
        expect((await get('/local')).status).toBe(200);
        expect((await get('/local', { origin: 'http://localhost:5173' })).status).toBe(200);
        expect((await get('/local', { origin: 'http://evil.example' })).status).toBe(403);
    });

    it('named Host and Origin allow-lists', async () => {
        expect((await get('/named')).status).toBe(403); // Host is 127.0.0.1:port
        const { status, text } = await get('/local', { origin: 'null' });
        expect(status).toBe(403);
        expect(JSON.parse(text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    });

    it('mcpAuthMetadataRouter with AuthMetadataOptions serves both discovery documents', async () => {
        const prm = await get('/.well-known/oauth-protected-resource/mcp');
        expect(JSON.parse(prm.text)).toMatchObject({
            resource: 'https://mcp.example.com/mcp',
            authorization_servers: ['https://as.example.com']
        });
        const as = await get('/.well-known/oauth-authorization-server');
        expect(JSON.parse(as.text)).toMatchObject({ issuer: 'https://as.example.com' });
        expect((await get('/elsewhere')).status).toBe(404);
    });
});
