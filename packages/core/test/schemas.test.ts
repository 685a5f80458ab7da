import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
    CallToolRequestParamsSchema,
    CallToolResultSchema,
    ClientCapabilitiesSchema,
    CompleteRequestParamsSchema,
    CompleteResultSchema,
    ContentBlockSchema,
    CreateMessageRequestParamsSchema,
    CreateMessageResultSchema,
    ElicitRequestParamsSchema,
    ElicitResultSchema,
    GetPromptRequestParamsSchema,
    GetPromptResultSchema,
    ImplementationSchema,
    InitializeRequestParamsSchema,
    InitializeResultSchema,
    ListResourcesResultSchema,
    ListRootsResultSchema,
    ListToolsResultSchema,
    LoggingMessageNotificationParamsSchema,
    ProgressNotificationParamsSchema,
    ReadResourceResultSchema,
    SetLevelRequestParamsSchema,
    formatValidationError,
    getNotificationParamsSchema,
    getRequestParamsSchema,
    getResultSchema
} from '../src/index.js';

type Case = [label: string, schema: z.core.$ZodType, value: unknown];

const text = { type: 'text', text: 'hi' };

const valid: Case[] = [
    [
        'implementation with icons and websiteUrl',
        ImplementationSchema,
        {
            name: 'srv',
            title: 'Server',
            version: '1.0.0',
            websiteUrl: 'https://x.test',
            icons: [{ src: 'https://x.test/i.png', mimeType: 'image/png', sizes: ['48x48'], theme: 'dark' }]
        }
    ],
    [
        'initialize params',
        InitializeRequestParamsSchema,
        {
            protocolVersion: '2025-11-25',
            capabilities: { sampling: { tools: {} }, elicitation: { form: {}, url: {} }, roots: { listChanged: true } },
            clientInfo: { name: 'c', version: '1' }
        }
    ],
    [
        'initialize result',
        InitializeResultSchema,
        {
            protocolVersion: '2025-11-25',
            capabilities: {
                tools: { listChanged: true },
                resources: { subscribe: true },
                logging: {},
                completions: {}
            },
            serverInfo: { name: 's', version: '1' },
            instructions: 'be nice'
        }
    ],
    [
        'every content block kind',
        z.array(ContentBlockSchema),
        [
            text,
            { type: 'image', data: 'AAAA', mimeType: 'image/png' },
            { type: 'audio', data: 'AAAA', mimeType: 'audio/wav', annotations: { audience: ['user'], priority: 0.5 } },
            { type: 'resource_link', uri: 'file:///a', name: 'a' },
            { type: 'resource', resource: { uri: 'file:///a', text: 'x' } },
            { type: 'resource', resource: { uri: 'file:///b', blob: 'AAAA', mimeType: 'application/octet-stream' } }
        ]
    ],
    [
        'tools list with JSON Schema keywords',
        ListToolsResultSchema,
        {
            tools: [
                {
                    name: 'add',
                    inputSchema: {
                        type: 'object',
                        properties: { a: { type: 'number' } },
                        required: ['a'],
                        additionalProperties: false
                    },
                    outputSchema: { type: 'object', $defs: {} },
                    annotations: { readOnlyHint: true },
                    execution: { taskSupport: 'optional' }
                }
            ],
            nextCursor: 'c2'
        }
    ],
    [
        'call tool params',
        CallToolRequestParamsSchema,
        { name: 'add', arguments: { a: 1 }, _meta: { progressToken: 7 } }
    ],
    ['call tool result', CallToolResultSchema, { content: [text], structuredContent: { sum: 3 }, isError: false }],
    ['resources list', ListResourcesResultSchema, { resources: [{ uri: 'file:///a', name: 'a', size: 3 }] }],
    ['read resource result', ReadResourceResultSchema, { contents: [{ uri: 'file:///a', text: 'x' }] }],
    ['get prompt params', GetPromptRequestParamsSchema, { name: 'p', arguments: { topic: 'mcp' } }],
    ['get prompt result', GetPromptResultSchema, { messages: [{ role: 'user', content: text }] }],
    [
        'complete params (prompt ref)',
        CompleteRequestParamsSchema,
        {
            ref: { type: 'ref/prompt', name: 'p' },
            argument: { name: 'a', value: 'x' },
            context: { arguments: { b: 'y' } }
        }
    ],
    [
        'complete params (resource ref)',
        CompleteRequestParamsSchema,
        {
            ref: { type: 'ref/resource', uri: 'file:///{p}' },
            argument: { name: 'p', value: '' }
        }
    ],
    ['complete result', CompleteResultSchema, { completion: { values: ['a'], total: 1, hasMore: false } }],
    ['set level', SetLevelRequestParamsSchema, { level: 'warning' }],
    ['log message', LoggingMessageNotificationParamsSchema, { level: 'error', logger: 'db', data: { any: 1 } }],
    [
        'sampling params with tools',
        CreateMessageRequestParamsSchema,
        {
            messages: [
                { role: 'user', content: text },
                { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'add', input: { a: 1 } }] },
                { role: 'user', content: [{ type: 'tool_result', toolUseId: 't1', content: [text] }] }
            ],
            maxTokens: 100,
            modelPreferences: { hints: [{ name: 'claude' }], speedPriority: 1 },
            tools: [{ name: 'add', inputSchema: { type: 'object' } }],
            toolChoice: { mode: 'auto' }
        }
    ],
    [
        'sampling result',
        CreateMessageResultSchema,
        { role: 'assistant', content: text, model: 'm', stopReason: 'endTurn' }
    ],
    [
        'form elicitation with enums and defaults',
        ElicitRequestParamsSchema,
        {
            message: 'Tell me',
            requestedSchema: {
                type: 'object',
                properties: {
                    name: { type: 'string', minLength: 1, default: 'x' },
                    email: { type: 'string', format: 'email' },
                    age: { type: 'integer', minimum: 0, default: 30 },
                    ok: { type: 'boolean', default: true },
                    color: { type: 'string', enum: ['r', 'g'], enumNames: ['Red', 'Green'] },
                    size: { type: 'string', oneOf: [{ const: 's', title: 'Small' }], default: 's' },
                    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, default: ['a'] }
                },
                required: ['name']
            }
        }
    ],
    [
        'url elicitation',
        ElicitRequestParamsSchema,
        {
            mode: 'url',
            message: 'Sign in',
            elicitationId: 'e1',
            url: 'https://x.test/auth'
        }
    ],
    ['elicit result', ElicitResultSchema, { action: 'accept', content: { name: 'x', age: 3, ok: true, tags: ['a'] } }],
    ['roots list', ListRootsResultSchema, { roots: [{ uri: 'file:///home', name: 'home' }] }],
    ['progress', ProgressNotificationParamsSchema, { progressToken: 'p', progress: 1, total: 2, message: 'm' }]
];

const invalid: Case[] = [
    ['implementation without version', ImplementationSchema, { name: 'x' }],
    ['unknown content type', ContentBlockSchema, { type: 'video', data: 'x' }],
    ['image without mimeType', ContentBlockSchema, { type: 'image', data: 'x' }],
    [
        'tool inputSchema that is not an object schema',
        ListToolsResultSchema,
        {
            tools: [{ name: 't', inputSchema: { type: 'string' } }]
        }
    ],
    ['call tool result without content', CallToolResultSchema, { structuredContent: {} }],
    ['embedded resource with neither text nor blob', ContentBlockSchema, { type: 'resource', resource: { uri: 'x' } }],
    ['prompt argument values that are not strings', GetPromptRequestParamsSchema, { name: 'p', arguments: { n: 1 } }],
    [
        'completion with an unknown ref type',
        CompleteRequestParamsSchema,
        { ref: { type: 'ref/tool' }, argument: { name: 'a', value: '' } }
    ],
    ['more than 100 completion values', CompleteResultSchema, { completion: { values: Array(101).fill('v') } }],
    ['an unknown logging level', SetLevelRequestParamsSchema, { level: 'verbose' }],
    ['sampling without maxTokens', CreateMessageRequestParamsSchema, { messages: [] }],
    ['annotations priority above 1', ContentBlockSchema, { type: 'text', text: 'x', annotations: { priority: 2 } }],
    [
        'form elicitation with a nested object property',
        ElicitRequestParamsSchema,
        {
            message: 'x',
            requestedSchema: { type: 'object', properties: { o: { type: 'object' } } }
        }
    ],
    [
        'url elicitation without elicitationId',
        ElicitRequestParamsSchema,
        { mode: 'url', message: 'x', url: 'https://x' }
    ],
    ['elicit result with an unknown action', ElicitResultSchema, { action: 'maybe' }],
    [
        'initialize result with a non-string protocolVersion',
        InitializeResultSchema,
        {
            protocolVersion: 1,
            capabilities: {},
            serverInfo: { name: 's', version: '1' }
        }
    ]
];

describe('MCP schemas', () => {
    it.each(valid)('accepts %s', (_label, schema, value) => {
        const result = z.safeParse(schema, value);
        expect(result.success ? 'ok' : formatValidationError(result.error)).toBe('ok');
    });

    it.each(invalid)('rejects %s', (_label, schema, value) => {
        expect(z.safeParse(schema, value).success).toBe(false);
    });

    it('keeps unknown fields at every level (forward compatible)', () => {
        const value = {
            tools: [
                {
                    name: 't',
                    futureField: 1,
                    inputSchema: { type: 'object', 'x-vendor': true },
                    annotations: { newHint: true }
                }
            ],
            futureTop: 'yes',
            _meta: { trace: 'abc' }
        };
        expect(z.parse(ListToolsResultSchema, value)).toEqual(value);
        const caps = { tools: { listChanged: true, newFlag: 1 }, futureCapability: {} };
        expect(z.parse(ClientCapabilitiesSchema, caps)).toEqual(caps);
    });
});

describe('method schema lookups', () => {
    it('finds params, result and notification schemas for known methods', () => {
        expect(getRequestParamsSchema('tools/call')).toBe(CallToolRequestParamsSchema);
        expect(getResultSchema('tools/call')).toBe(CallToolResultSchema);
        expect(getNotificationParamsSchema('notifications/message')).toBe(LoggingMessageNotificationParamsSchema);
    });

    it('accepts omitted params for methods whose params are optional', () => {
        for (const method of ['ping', 'tools/list', 'resources/list', 'prompts/list', 'roots/list']) {
            expect(z.safeParse(getRequestParamsSchema(method)!, undefined).success).toBe(true);
        }
        expect(z.safeParse(getNotificationParamsSchema('notifications/initialized')!, undefined).success).toBe(true);
        expect(z.safeParse(getRequestParamsSchema('tools/call')!, undefined).success).toBe(false);
    });

    it('returns undefined for unknown methods, including Object.prototype keys', () => {
        expect(getRequestParamsSchema('custom/thing')).toBeUndefined();
        expect(getResultSchema('constructor')).toBeUndefined();
        expect(getNotificationParamsSchema('__proto__')).toBeUndefined();
    });
});

describe('formatValidationError', () => {
    it('names the path and what was expected', () => {
        const result = z.safeParse(CallToolRequestParamsSchema, { name: 3, arguments: [] });
        expect(result.success).toBe(false);
        if (!result.success) {
            expect(formatValidationError(result.error)).toBe('name: expected string; arguments: expected record');
        }
    });
});
