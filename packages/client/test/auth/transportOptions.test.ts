import { InvalidAuthOptionsError } from '../../src/client/auth/errors.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestFailedError } from '../../src/client/auth/errors.js';
import { InMemoryOAuthClientProvider } from '../../src/client/auth/inMemoryProvider.js';
import { SSEClientTransport } from '../../src/client/sse.js';
import { StreamableHTTPClientTransport } from '../../src/client/streamableHttp.js';
import type { LoopbackServer } from './loopbackServer.js';
import { startServer } from './loopbackServer.js';

const provider = () => new InMemoryOAuthClientProvider({ redirectUrl: 'http://127.0.0.1:9/callback' });
let server: LoopbackServer | undefined;
afterEach(async () => {
    await server?.close();
    server = undefined;
});

describe('transport OAuth options', () => {
    it.each([
        [
            'StreamableHTTPClientTransport',
            (options: object) => new StreamableHTTPClientTransport(new URL('http://127.0.0.1:9/mcp'), options)
        ],
        ['SSEClientTransport', (options: object) => new SSEClientTransport(new URL('http://127.0.0.1:9/sse'), options)]
    ])('%s rejects invalid maxAuthRetries and oauthRequestTimeoutMs when built', (_name, build) => {
        expect(() => build({ authProvider: provider(), maxAuthRetries: -1 })).toThrow(InvalidAuthOptionsError);
        expect(() => build({ authProvider: provider(), maxAuthRetries: 1.5 })).toThrow(InvalidAuthOptionsError);
        expect(() => build({ authProvider: provider(), oauthRequestTimeoutMs: 0 })).toThrow(InvalidAuthOptionsError);
        expect(() => build({ authProvider: provider(), oauthRequestTimeoutMs: 2 })).not.toThrow();
    });

    it('bounds a stalled OAuth request with oauthRequestTimeoutMs: typed error, no hang', async () => {
        // The MCP endpoint challenges; its protected resource metadata answers headers and then never ends the body.
        server = await startServer((request, response) => {
            if (request.path === '/mcp') {
                response.writeHead(401, { 'www-authenticate': 'Bearer scope="init"' }).end();
                return;
            }
            response.writeHead(200, { 'content-type': 'application/json' });
            response.write('{"resource":');
        });
        const transport = new StreamableHTTPClientTransport(new URL(`${server.origin}/mcp`), {
            authProvider: provider(),
            oauthRequestTimeoutMs: 200
        });
        const started = Date.now();
        const sent = transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
        await expect(sent).rejects.toBeInstanceOf(RequestFailedError);
        await expect(sent).rejects.toThrow(/timed out/);
        expect(Date.now() - started).toBeLessThan(5_000);
        await transport.close();
    }, 10_000);
});
