/**
 * Writing the server's plain-data refusals (status, headers, JSON-RPC or OAuth error body) through Fastify.
 *
 * @module
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TRANSPORT_ERROR_CODE } from '@modelcontextprotocol/server';
import { errorReply } from '@modelcontextprotocol/server/adapter';
import { writeNodeReply } from '@modelcontextprotocol/node';

/** A complete answer decided by the server: what `errorReply`, the one parse and bearer authorization produce. */
export interface PlainReply {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: string | null;
}

/**
 * Sends a refusal. When the request body was read to its end, through Fastify's reply (its `onSend` hooks and the
 * headers other hooks set, such as CORS, apply). When it was not — a refusal made before or while reading, such as
 * 413 — the reply is taken over and written by `writeNodeReply`, which lets the client finish sending before the
 * connection closes (RFC 9112 §9.6); headers already set on the Fastify reply are kept.
 */
export async function sendReply(request: FastifyRequest, reply: FastifyReply, answer: PlainReply): Promise<void> {
    if (request.raw.complete) {
        await reply
            .code(answer.status)
            .headers(answer.headers)
            .send(answer.body ?? undefined);
        return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    reply.hijack();
    writeNodeReply(request.raw, reply.raw, { ...answer, headers: { ...headers, ...answer.headers } });
}

/** Answers 403 with a JSON-RPC error body (id `null`), as the `Host` and `Origin` checks do. */
export async function refuseForbidden(reply: FastifyReply, message: string): Promise<void> {
    const answer = errorReply(403, TRANSPORT_ERROR_CODE, message);
    await reply.code(answer.status).headers(answer.headers).send(answer.body);
}
