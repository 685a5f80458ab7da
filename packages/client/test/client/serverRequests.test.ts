import type { ElicitRequestFormParams } from '@modelcontextprotocol/core';
import {
    CreateMessageResultSchema,
    ElicitResultSchema,
    ListRootsResultSchema,
    McpError
} from '@modelcontextprotocol/core';
import { afterEach, describe, expect, it } from 'vitest';
import { applyElicitationDefaults } from '../../src/client/elicitation.js';
import type { Pair } from '../fixtures/fakeServer.js';
import { connectPair } from '../fixtures/fakeServer.js';

let pair: Pair | undefined;
afterEach(async () => {
    await pair?.client.close();
    await pair?.server.close();
    pair = undefined;
});

const FORM: ElicitRequestFormParams = {
    message: 'Tell me about yourself',
    requestedSchema: {
        type: 'object',
        properties: {
            name: { type: 'string', minLength: 1 },
            email: { type: 'string', format: 'email', default: 'anon@example.com' },
            age: { type: 'integer', minimum: 0, default: 30 },
            subscribe: { type: 'boolean', default: false },
            colour: { type: 'string', enum: ['red', 'green'], default: 'green' },
            tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, default: ['a'] }
        },
        required: ['name']
    }
};

function elicit(params: object) {
    return pair!.server.request({ method: 'elicitation/create', params }, ElicitResultSchema);
}

describe('Client handlers for server requests', () => {
    it('answers sampling/createMessage with the registered handler', async () => {
        pair = await connectPair(undefined, { capabilities: { sampling: {} } });
        pair.client.setRequestHandler('sampling/createMessage', request => ({
            role: 'assistant',
            content: { type: 'text', text: `echo: ${JSON.stringify(request.params.messages[0]?.content)}` },
            model: 'test-model',
            stopReason: 'endTurn'
        }));
        const result = await pair.server.request(
            {
                method: 'sampling/createMessage',
                params: { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 }
            },
            CreateMessageResultSchema
        );
        expect(result).toMatchObject({ role: 'assistant', model: 'test-model', content: { type: 'text' } });
        expect(JSON.stringify(result.content)).toContain('hi');
    });

    it('answers roots/list with the registered handler', async () => {
        pair = await connectPair(undefined, { capabilities: { roots: { listChanged: true } } });
        pair.client.setRequestHandler('roots/list', () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
        await expect(pair.server.request({ method: 'roots/list' }, ListRootsResultSchema)).resolves.toEqual({
            roots: [{ uri: 'file:///work', name: 'work' }]
        });
    });

    it('rejects sampling requests with invalid params before the handler runs', async () => {
        pair = await connectPair(undefined, { capabilities: { sampling: {} } });
        let called = false;
        pair.client.setRequestHandler('sampling/createMessage', () => {
            called = true;
            return { role: 'assistant', content: { type: 'text', text: '' }, model: 'm' };
        });
        const error = await pair.server
            .request({ method: 'sampling/createMessage', params: { messages: 'nope' } }, CreateMessageResultSchema)
            .catch((e: unknown) => e);
        expect((error as McpError).code).toBe(-32602);
        expect(called).toBe(false);
    });
});

describe('Client elicitation', () => {
    it('fills in schema defaults for absent fields when form.applyDefaults is set', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: { form: { applyDefaults: true } } } });
        pair.client.setRequestHandler('elicitation/create', () => ({
            action: 'accept',
            content: { name: 'Ada', age: 36 }
        }));
        await expect(elicit(FORM)).resolves.toEqual({
            action: 'accept',
            content: {
                name: 'Ada',
                age: 36,
                email: 'anon@example.com',
                subscribe: false,
                colour: 'green',
                tags: ['a']
            }
        });
    });

    it('leaves content alone without applyDefaults', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: { form: {} } } });
        pair.client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
        await expect(elicit(FORM)).resolves.toEqual({ action: 'accept', content: { name: 'Ada' } });
    });

    it('rejects accepted content that does not match the requested schema', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: { form: { applyDefaults: true } } } });
        pair.client.setRequestHandler('elicitation/create', () => ({
            action: 'accept',
            content: { name: 'Ada', email: 'not-an-email' }
        }));
        const error = await elicit(FORM).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(McpError);
        expect((error as McpError).code).toBe(-32602);
        expect((error as McpError).message).toContain('does not match the requested schema');
        expect((error as McpError).message).toContain('email');
    });

    it('rejects accepted content missing a required field', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: {} } });
        pair.client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { age: 3 } }));
        await expect(elicit(FORM)).rejects.toThrow(/name/);
    });

    it('passes decline and cancel through without validation', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: { form: { applyDefaults: true } } } });
        let action: 'decline' | 'cancel' = 'decline';
        pair.client.setRequestHandler('elicitation/create', () => ({ action }));
        await expect(elicit(FORM)).resolves.toEqual({ action: 'decline' });
        action = 'cancel';
        await expect(elicit(FORM)).resolves.toEqual({ action: 'cancel' });
    });

    it('refuses URL-mode requests unless elicitation.url is advertised, and form mode when only url is', async () => {
        const url = { mode: 'url', message: 'Sign in', elicitationId: 'e1', url: 'https://example.com/x' };
        pair = await connectPair(undefined, { capabilities: { elicitation: { form: {} } } });
        let calls = 0;
        pair.client.setRequestHandler('elicitation/create', () => {
            calls++;
            return { action: 'accept' };
        });
        await expect(elicit(url)).rejects.toThrow(/URL-mode/);
        expect(calls).toBe(0);
        await pair.client.close();

        pair = await connectPair(undefined, { capabilities: { elicitation: { url: {} } } });
        pair.client.setRequestHandler('elicitation/create', () => {
            calls++;
            return { action: 'accept' };
        });
        await expect(elicit(url)).resolves.toEqual({ action: 'accept' });
        await expect(elicit(FORM)).rejects.toThrow(/form-mode/);
        expect(calls).toBe(1);
    });

    it('reports a handler result that is not an elicitation result', async () => {
        pair = await connectPair(undefined, { capabilities: { elicitation: {} } });
        pair.client.setRequestHandler('elicitation/create', () => ({ action: 'maybe' }) as never);
        const error = await elicit(FORM).catch((e: unknown) => e);
        expect((error as McpError).code).toBe(-32603);
        expect((error as McpError).message).toContain('action');
    });
});

describe('applyElicitationDefaults', () => {
    const properties = { a: { default: 'x' }, b: {}, c: { default: 0 } };

    it('returns the same object when nothing is missing', () => {
        const content = { a: 'y', c: 1 };
        expect(applyElicitationDefaults(properties, content)).toBe(content);
    });

    it('does not overwrite present values, including falsy ones, and does not mutate the input', () => {
        const content = { a: '' };
        expect(applyElicitationDefaults(properties, content)).toEqual({ a: '', c: 0 });
        expect(content).toEqual({ a: '' });
    });

    it('creates content from defaults when none was given', () => {
        expect(applyElicitationDefaults(properties, undefined)).toEqual({ a: 'x', c: 0 });
        expect(applyElicitationDefaults({ b: {} }, undefined)).toBeUndefined();
    });
});
