/**
 * The experimental tasks messages (2025-11-25) as v2 code uses them: an application serves `tasks/get` and
 * `tasks/list` through `setRequestHandler` with the exported schemas, the client reads them back validated, and
 * `isTaskAugmentedRequestParams` / `specTypeSchemas` judge task shapes.
 */
import { describe, expect, it } from 'vitest';
import {
    Client,
    InMemoryTransport,
    isSpecType,
    isTaskAugmentedRequestParams,
    ProtocolError,
    RELATED_TASK_META_KEY,
    specTypeSchemas
} from '@modelcontextprotocol/client';
import type { Task } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { GetTaskRequestSchema, GetTaskResultSchema, ListTasksResultSchema } from '@modelcontextprotocol/core';

const TASK: Task = {
    taskId: 'task-1',
    status: 'working',
    createdAt: '2026-12-04T00:00:00Z',
    lastUpdatedAt: '2026-12-04T00:00:01Z',
    ttl: 60_000,
    pollInterval: 500
};

async function connected(): Promise<Client> {
    const mcp = new McpServer({ name: 'tasks-app', version: '1.0.0' });
    mcp.server.setRequestHandler('tasks/get', { params: GetTaskRequestSchema.shape.params }, params => {
        if (params.taskId !== TASK.taskId) throw new ProtocolError(-32602, `Unknown task ${params.taskId}`);
        return { ...TASK, _meta: { [RELATED_TASK_META_KEY]: { taskId: TASK.taskId } } };
    });
    mcp.server.setRequestHandler('tasks/list', () => ({ tasks: [TASK] }));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await mcp.connect(serverSide);
    const client = new Client({ name: 'tasks-client', version: '1.0.0' });
    await client.connect(clientSide);
    return client;
}

describe('tasks vocabulary', () => {
    it('serves tasks/get and tasks/list through setRequestHandler and validates them on the client', async () => {
        const client = await connected();
        const task = await client.request({ method: 'tasks/get', params: { taskId: 'task-1' } }, GetTaskResultSchema);
        expect(task.status).toBe('working');
        expect(task._meta?.[RELATED_TASK_META_KEY]).toEqual({ taskId: 'task-1' });
        const list = await client.request({ method: 'tasks/list' }, ListTasksResultSchema);
        expect(list.tasks.map(t => t.taskId)).toEqual(['task-1']);
        const unknown = await client
            .request({ method: 'tasks/get', params: { taskId: 'nope' } }, GetTaskResultSchema)
            .catch((error: unknown) => error);
        expect(unknown).toBeInstanceOf(ProtocolError);
        const missing = await client
            .request({ method: 'tasks/get', params: {} }, GetTaskResultSchema)
            .catch((error: unknown) => error);
        expect((missing as ProtocolError).code).toBe(-32602);
        await client.close();
    });

    it('judges task shapes: task-augmented params, Task and a bad status', () => {
        expect(isTaskAugmentedRequestParams({ name: 'slow-tool', task: { ttl: 1000 } })).toBe(true);
        expect(isTaskAugmentedRequestParams({ name: 'plain-tool' })).toBe(true);
        expect(isTaskAugmentedRequestParams({ task: { ttl: 'soon' } })).toBe(false);
        expect(isSpecType.Task(TASK)).toBe(true);
        expect(isSpecType.Task({ ...TASK, status: 'sleeping' })).toBe(false);
        expect([TASK, { taskId: 'x' }].filter(isSpecType.Task)).toHaveLength(1);
        expect(specTypeSchemas.TaskStatus['~standard'].validate('cancelled')).toEqual({ value: 'cancelled' });
    });
});
