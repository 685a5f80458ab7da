/**
 * A 50 MB POST is refused with 413 without the server holding it: the server runs in its own process and its
 * peak resident set (`VmHWM`, Linux) is read before and after, for a body framed by `Content-Length` (refused
 * before reading) and a chunked one (read only up to the 4 MiB limit).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADAPTERS, GUARDED_RESOURCE } from '../fixtures/guardedServer.js';
import { rawRequest } from '../fixtures/rawHttp.js';
import type { RawHeader } from '../fixtures/rawHttp.js';
import { createTokenMint } from '../fixtures/tokens.js';

const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const MAIN = fileURLToPath(new URL('../fixtures/guardedServerMain.ts', import.meta.url));
const FIFTY_MB = 50 * 1024 * 1024;
const LIMIT_GROWTH = 8 * 1024 * 1024;

/** Peak resident set size of a process, in bytes (Linux `/proc/<pid>/status`). */
function peakRss(pid: number): number {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb === undefined) throw new Error('no VmHWM');
    return Number(kb) * 1024;
}

describe.runIf(process.platform === 'linux').each(ADAPTERS)('%s adapter, in its own process', adapter => {
    let child: ChildProcess;
    let port: number;
    let token: string;

    beforeAll(async () => {
        const mint = await createTokenMint(GUARDED_RESOURCE);
        token = await mint.token(['init', 'mcp:tools:read', 'mcp:tools:write']);
        child = spawn(TSX, ['--conditions=mcp-source', MAIN, adapter], {
            env: { ...process.env, GUARDED_JWKS: JSON.stringify(mint.jwks) },
            stdio: ['pipe', 'pipe', 'inherit']
        });
        port = await new Promise<number>((resolve, reject) => {
            let out = '';
            child.stdout!.on('data', (chunk: Buffer) => {
                out += chunk.toString();
                const line = /^(\{.*\})\n/m.exec(out)?.[1];
                if (line) resolve((JSON.parse(line) as { port: number }).port);
            });
            child.once('exit', code => reject(new Error(`server exited with ${code}`)));
        });
    }, 60_000);
    afterAll(() => {
        child.stdin!.end();
        child.kill();
    });

    const headers = (): RawHeader[] => [
        ['Host', `127.0.0.1:${port}`],
        ['Accept', 'application/json, text/event-stream'],
        ['Authorization', `Bearer ${token}`],
        ['Content-Type', 'application/json']
    ];

    test('a 50 MB POST gets 413 with peak RSS growth under 8 MB, framed by Content-Length or chunked', async () => {
        // Warm up: a few ordinary requests, so the baseline is a serving process.
        for (let i = 0; i < 20; i++) {
            const init = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'w', version: '1' } };
            const response = await rawRequest(port, {
                headers: headers(),
                body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'initialize', params: init })
            });
            expect(response.status).toBe(200);
        }
        const body = Buffer.alloc(FIFTY_MB, 0x20);
        const before = peakRss(child.pid!);
        const framed = await rawRequest(port, { headers: headers(), body }, 30_000);
        const chunked = await rawRequest(port, { headers: headers(), body, chunked: 256 * 1024 }, 30_000);
        const growth = peakRss(child.pid!) - before;
        expect(framed.status).toBe(413);
        expect(chunked.status).toBe(413);
        expect(growth).toBeLessThan(LIMIT_GROWTH);
    }, 60_000);
});
