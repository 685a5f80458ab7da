import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { AuthorizationApprovalError, approveAuthorization } from '../src/authServer/approve.js';

const CALLBACK = 'http://127.0.0.1:9/cb';

describe('approveAuthorization', () => {
    let server: Server | undefined;
    afterEach(async () => {
        const closing = server;
        server = undefined;
        if (!closing) return;
        await new Promise(resolve => {
            closing.close(resolve);
            closing.closeAllConnections();
        });
    });

    async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
        server = createServer(handler);
        await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    const authorizeUrl = (origin: string) =>
        new URL(`${origin}/auth?redirect_uri=${encodeURIComponent(CALLBACK)}&state=s`);

    it('carries cookies between hops, drops cleared ones, and stops at the redirect URI', async () => {
        const seen: Array<string | undefined> = [];
        const origin = await serve((req, res) => {
            seen.push(req.headers.cookie);
            if (req.url?.startsWith('/auth')) {
                res.writeHead(303, { location: '/step', 'set-cookie': ['a=1; Path=/; HttpOnly', 'b=2; Path=/step'] });
            } else {
                res.writeHead(303, { location: `${CALLBACK}?code=c&state=s`, 'set-cookie': 'b=; Max-Age=0' });
            }
            res.end();
        });
        const callback = await approveAuthorization(authorizeUrl(origin));
        expect(callback.href).toBe(`${CALLBACK}?code=c&state=s`);
        expect(seen).toEqual([undefined, 'a=1; b=2']);
    });

    it('fails with unexpected_response when the server answers without a redirect', async () => {
        const origin = await serve((_req, res) => {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end('{"error":"invalid_request"}');
        });
        const error = await approveAuthorization(authorizeUrl(origin)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthorizationApprovalError);
        expect(error).toMatchObject({
            code: 'unexpected_response',
            status: 400,
            message: expect.stringMatching(/invalid_request/)
        });
    });

    it('gives up with too_many_redirects on a redirect loop', async () => {
        let requests = 0;
        const origin = await serve((_req, res) => {
            requests++;
            res.writeHead(302, { location: '/loop' });
            res.end();
        });
        await expect(approveAuthorization(authorizeUrl(origin))).rejects.toMatchObject({ code: 'too_many_redirects' });
        expect(requests).toBe(10);
    });

    it('fails with missing_redirect_uri before any request when the URL names no redirect_uri', async () => {
        await expect(approveAuthorization(new URL('http://127.0.0.1:9/auth'))).rejects.toMatchObject({
            code: 'missing_redirect_uri'
        });
    });
});
