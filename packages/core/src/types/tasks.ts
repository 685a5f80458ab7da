/**
 * Tasks (MCP 2025-11-25, experimental): the vocabulary of task-augmented requests — a request that returns a
 * `CreateTaskResult` at once and whose result is fetched later with `tasks/result`.
 *
 * This SDK defines the messages (schemas, types and a guard) so applications can speak them through
 * `setRequestHandler` / `request`; it does not run a task store of its own. (Revision 2026-07-28 moves tasks to an
 * extension.)
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/tasks
 * @module
 */
import * as z from 'zod/mini';
import {
    BaseNotificationParamsSchema,
    MetaSchema,
    PaginatedRequestParamsSchema,
    PaginatedResultSchema,
    RequestMetaObjectSchema,
    ResultSchema
} from './base.js';

/** The `_meta` key linking a message to its task ({@link RelatedTaskMetadata}). */
export const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

/** Schema for the state of a task. */
export const TaskStatusSchema = z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']);
/** The state of a task: `working`, `input_required`, `completed`, `failed` or `cancelled`. */
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** Schema for the `task` member a requester adds to ask for task-augmented execution. */
export const TaskMetadataSchema = z.object({
    /** How long (ms from creation) the requester asks the receiver to keep the task. */
    ttl: z.optional(z.number())
});
/** The `task` member of a task-augmented request's params. */
export type TaskMetadata = z.infer<typeof TaskMetadataSchema>;

/** Schema for the options a receiver creates a task with (requested retention and poll interval, in ms). */
export const TaskCreationParamsSchema = z.looseObject({
    /** Requested retention from creation, in ms. */
    ttl: z.optional(z.number()),
    /** Suggested interval between `tasks/get` polls, in ms. */
    pollInterval: z.optional(z.number())
});
/** The options a receiver creates a task with. */
export type TaskCreationParams = z.infer<typeof TaskCreationParamsSchema>;

/** Schema for the `io.modelcontextprotocol/related-task` `_meta` entry linking a message to its task. */
export const RelatedTaskMetadataSchema = z.looseObject({
    taskId: z.string()
});
/** Links a message to the task it belongs to. */
export type RelatedTaskMetadata = z.infer<typeof RelatedTaskMetadataSchema>;

/** Schema for a task's state as its receiver reports it. */
export const TaskSchema = z.looseObject({
    taskId: z.string(),
    status: TaskStatusSchema,
    /** A human-readable description of the status. */
    statusMessage: z.optional(z.string()),
    /** ISO 8601 creation time. */
    createdAt: z.string(),
    /** ISO 8601 time of the last status change. */
    lastUpdatedAt: z.string(),
    /** Retention from creation in ms; `null` for unlimited. */
    ttl: z.nullable(z.number()),
    /** Suggested interval between polls, in ms. */
    pollInterval: z.optional(z.number())
});
/** A task's state. */
export type Task = z.infer<typeof TaskSchema>;

/** Schema for params that may ask for task-augmented execution (`task`). */
export const TaskAugmentedRequestParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    task: z.optional(TaskMetadataSchema)
});
/** Params that may ask for task-augmented execution. */
export type TaskAugmentedRequestParams = z.infer<typeof TaskAugmentedRequestParamsSchema>;

/** True when `value` is a params object whose `task` member (if any) is valid task metadata. */
export function isTaskAugmentedRequestParams(value: unknown): value is TaskAugmentedRequestParams {
    return TaskAugmentedRequestParamsSchema.safeParse(value).success;
}

/** Schema for the immediate result of a task-augmented request. */
export const CreateTaskResultSchema = z.looseObject({
    _meta: z.optional(MetaSchema),
    task: TaskSchema
});
/** The immediate result of a task-augmented request. */
export type CreateTaskResult = z.infer<typeof CreateTaskResultSchema>;

const TaskIdParamsSchema = z.looseObject({
    _meta: z.optional(RequestMetaObjectSchema),
    taskId: z.string()
});

/** Schema for `tasks/get`. */
export const GetTaskRequestSchema = z.looseObject({ method: z.literal('tasks/get'), params: TaskIdParamsSchema });
/** `tasks/get`: poll a task's state. */
export type GetTaskRequest = z.infer<typeof GetTaskRequestSchema>;

/** Schema for the result of `tasks/get` (the task itself). */
export const GetTaskResultSchema = z.looseObject({ ...ResultSchema.shape, ...TaskSchema.shape });
/** Result of `tasks/get`. */
export type GetTaskResult = z.infer<typeof GetTaskResultSchema>;

/** Schema for `tasks/result`. */
export const GetTaskPayloadRequestSchema = z.looseObject({
    method: z.literal('tasks/result'),
    params: TaskIdParamsSchema
});
/** `tasks/result`: fetch a finished task's result. */
export type GetTaskPayloadRequest = z.infer<typeof GetTaskPayloadRequestSchema>;

/** Schema for the result of `tasks/result`: the result of the original request, whatever its shape. */
export const GetTaskPayloadResultSchema = z.looseObject({ _meta: z.optional(MetaSchema) });
/** Result of `tasks/result`. */
export type GetTaskPayloadResult = z.infer<typeof GetTaskPayloadResultSchema>;

/** Schema for `tasks/cancel`. */
export const CancelTaskRequestSchema = z.looseObject({
    method: z.literal('tasks/cancel'),
    params: TaskIdParamsSchema
});
/** `tasks/cancel`: cancel a task. */
export type CancelTaskRequest = z.infer<typeof CancelTaskRequestSchema>;

/** Schema for the result of `tasks/cancel` (the task, now cancelled). */
export const CancelTaskResultSchema = GetTaskResultSchema;
/** Result of `tasks/cancel`. */
export type CancelTaskResult = z.infer<typeof CancelTaskResultSchema>;

/** Schema for `tasks/list`. */
export const ListTasksRequestSchema = z.looseObject({
    method: z.literal('tasks/list'),
    params: z.optional(PaginatedRequestParamsSchema)
});
/** `tasks/list`: list the requester's tasks. */
export type ListTasksRequest = z.infer<typeof ListTasksRequestSchema>;

/** Schema for the result of `tasks/list`. */
export const ListTasksResultSchema = z.looseObject({ ...PaginatedResultSchema.shape, tasks: z.array(TaskSchema) });
/** Result of `tasks/list`. */
export type ListTasksResult = z.infer<typeof ListTasksResultSchema>;

/** Schema for the params of `notifications/tasks/status`. */
export const TaskStatusNotificationParamsSchema = z.looseObject({
    ...BaseNotificationParamsSchema.shape,
    ...TaskSchema.shape
});
/** Params of `notifications/tasks/status`. */
export type TaskStatusNotificationParams = z.infer<typeof TaskStatusNotificationParamsSchema>;

/** Schema for `notifications/tasks/status`. */
export const TaskStatusNotificationSchema = z.looseObject({
    method: z.literal('notifications/tasks/status'),
    params: TaskStatusNotificationParamsSchema
});
/** `notifications/tasks/status`: a receiver reports a task's new state. */
export type TaskStatusNotification = z.infer<typeof TaskStatusNotificationSchema>;
