/**
 * Where `requireBearerAuth` runs on a plain Fastify app: as a `preHandler` it judges Fastify's parsed body; as an
 * `onRequest` hook (before Fastify parsed anything) a policy that needs the body fails the request at once with a
 * 500 that says what to do, instead of consuming the stream and leaving Fastify's parser waiting forever. Under
 * `createMcpFastifyApp` either placement works.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { createMcpFastifyApp, requireBearerAuth } from '@modelcontextprotocol/fastify';
import { buildServer, INIT, listen, POST_HEADERS, recordingPolicy, verifier } from './fixtures.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
    for (const app of apps.splice(0)) {
        app.server.closeAllConnections();
        await app.close();
    }
});

async function serve(app: FastifyInstance, hook: 'onRequest' | 'preHandler') {
    const judged: unknown[] = [];
    const handled: unknown[] = [];
    app.addHook(hook, requireBearerAuth({ verifier, policy: recordingPolicy(judged) }));
    app.post('/mcp', async (request, reply) => {
        handled.push(request.body);
        const transport = new NodeStreamableHTTPServerTransport({ enableJsonResponse: true });
        await buildServer().connect(transport);
        reply.hijack();
        await transport.handleRequest(request.raw, reply.raw, request.body);
    });
    apps.push(app);
    const { url } = await listen(app);
    const response = await fetch(url, {
        method: 'POST',
        headers: { ...POST_HEADERS, authorization: 'Bearer fullToken' },
        body: JSON.stringify(INIT),
        signal: AbortSignal.timeout(5000)
    });
    return { response, judged, handled };
}

describe('requireBearerAuth hook placement', () => {
    it('plain app, preHandler: judged and served', async () => {
        const { response, judged, handled } = await serve(Fastify(), 'preHandler');
        expect(response.status).toBe(200);
        expect(judged).toHaveLength(1);
        expect(handled).toHaveLength(1);
    });

    it('plain app, onRequest with a policy: a prompt 500 naming the fix, nothing served', async () => {
        const { response, handled } = await serve(Fastify(), 'onRequest');
        expect(response.status).toBe(500);
        expect(await response.text()).toContain('preHandler');
        expect(handled).toEqual([]);
    });

    it('createMcpFastifyApp, onRequest: judged and served', async () => {
        const { response, judged } = await serve(createMcpFastifyApp(), 'onRequest');
        expect(response.status).toBe(200);
        expect(judged).toHaveLength(1);
    });
});
