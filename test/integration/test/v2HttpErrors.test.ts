/**
 * Error handling written for the official v2 client catches ours: an HTTP failure of a client transport is an
 * `SdkError`, and `instanceof SdkHttpError` holds with `status` / `statusText`, while failures that had no HTTP
 * response (refused connection) are `SdkError`s but not `SdkHttpError`s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
    Client,
    SdkError,
    SdkHttpError,
    SessionExpiredError,
    StreamableHTTPClientTransport,
    StreamableHTTPError,
    TransportError
} from '@modelcontextprotocol/client';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
    while (closers.length > 0) await closers.pop()!();
});

/** A real HTTP server on 127.0.0.1 answering every request with `status` / `statusMessage`. */
async function answering(status: number, statusMessage: string): Promise<URL> {
    const server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
            res.statusCode = status;
            res.statusMessage = statusMessage;
            res.setHeader('content-type', 'text/plain');
            res.end(`refused with ${status}`);
        });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>(resolve => server.close(() => resolve())));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
}

async function connectError(url: URL): Promise<unknown> {
    const client = new Client({ name: 'v2-errors', version: '1.0.0' });
    const error = await client.connect(new StreamableHTTPClientTransport(url)).then(
        () => undefined,
        (e: unknown) => e
    );
    await client.close();
    return error;
}

describe('v2 error handling of HTTP failures', () => {
    it('a 503 from the server is an SdkHttpError with status and statusText', async () => {
        const error = await connectError(await answering(503, 'Busy Elsewhere'));
        expect(error).toBeInstanceOf(StreamableHTTPError);
        expect(error).toBeInstanceOf(TransportError);
        expect(error).toBeInstanceOf(SdkError);
        expect(error instanceof SdkHttpError).toBe(true);
        expect(SdkHttpError.isInstance(error)).toBe(true);
        if (!(error instanceof SdkHttpError)) throw new Error('unreachable');
        expect(error.status).toBe(503);
        expect(error.statusText).toBe('Busy Elsewhere');
        expect(error.data).toEqual({ status: 503, statusText: 'Busy Elsewhere' });
        expect(error.code).toBe('HTTP_STATUS');
    });

    it('a refused connection is an SdkError but not an SdkHttpError', async () => {
        const url = await answering(200, 'OK');
        await closers.pop()!();
        const error = await connectError(url);
        expect(error).toBeInstanceOf(SdkError);
        expect(error instanceof SdkHttpError).toBe(false);
        expect((error as SdkError).code).toBe('CONNECTION_FAILED');
    });

    it('a session the server forgot is an SdkHttpError with status 404', () => {
        const error = new SessionExpiredError('abc');
        expect(error instanceof SdkHttpError).toBe(true);
        expect((error as SdkHttpError).status).toBe(404);
    });

    it('subclass checks stay exact: an SdkHttpError is not a StreamableHTTPError', () => {
        const error = new SdkHttpError('HTTP_STATUS', 'teapot', { status: 418 });
        expect(error).toBeInstanceOf(SdkError);
        expect(error instanceof StreamableHTTPError).toBe(false);
        expect(error.status).toBe(418);
        expect(error.statusText).toBeUndefined();
        expect(new SdkError('HTTP_STATUS', 'no data') instanceof SdkHttpError).toBe(false);
        expect(new SdkError('HTTP_STATUS', 'bad data', { status: 'x' }) instanceof SdkHttpError).toBe(false);
    });
});
