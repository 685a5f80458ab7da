/**
 * Runtime checks on protocol values: is this message an `initialize`, is this value a `tools/call` result,
 * which kind of completion reference a request carries, and the display name of a named thing.
 *
 * @module
 */
import * as z from 'zod/mini';
import { CompletionReferenceError } from '../errors.js';
import type { BaseMetadata } from './base.js';
import type { PromptReference, ResourceTemplateReference } from './completion.js';
import type { CompleteRequest, InitializedNotification, InitializeRequest } from './messages.js';
import { InitializedNotificationSchema, InitializeRequestSchema } from './messages.js';
import type { CallToolResult } from './tools.js';
import { CallToolResultSchema } from './tools.js';

/** True when `value` is a well-formed `initialize` request (`method` and valid params). */
export const isInitializeRequest = (value: unknown): value is InitializeRequest =>
    z.safeParse(InitializeRequestSchema, value).success;

/** True when `value` is a well-formed `notifications/initialized` notification. */
export const isInitializedNotification = (value: unknown): value is InitializedNotification =>
    z.safeParse(InitializedNotificationSchema, value).success;

/** True when `value` is a well-formed `tools/call` result (`content` blocks, optional structured content). */
export const isCallToolResult = (value: unknown): value is CallToolResult =>
    z.safeParse(CallToolResultSchema, value).success;

/** A `completion/complete` request whose `ref` is a prompt. */
export type CompleteRequestPrompt = CompleteRequest & {
    params: CompleteRequest['params'] & { ref: PromptReference };
};
/** A `completion/complete` request whose `ref` is a resource template. */
export type CompleteRequestResourceTemplate = CompleteRequest & {
    params: CompleteRequest['params'] & { ref: ResourceTemplateReference };
};

/**
 * Narrows a `completion/complete` request to one about a prompt.
 *
 * @throws {@link CompletionReferenceError} (a `-32602` `ProtocolError`) when its `ref` is of another type.
 */
export function assertCompleteRequestPrompt(request: CompleteRequest): asserts request is CompleteRequestPrompt {
    if (request.params.ref.type !== 'ref/prompt')
        throw new CompletionReferenceError('ref/prompt', request.params.ref.type);
}

/**
 * Narrows a `completion/complete` request to one about a resource template.
 *
 * @throws {@link CompletionReferenceError} (a `-32602` `ProtocolError`) when its `ref` is of another type.
 */
export function assertCompleteRequestResourceTemplate(
    request: CompleteRequest
): asserts request is CompleteRequestResourceTemplate {
    if (request.params.ref.type !== 'ref/resource') {
        throw new CompletionReferenceError('ref/resource', request.params.ref.type);
    }
}

/**
 * The name to show for a tool, prompt, resource or implementation: its `title`, else (for tools) the
 * `annotations.title`, else its `name`.
 */
export function getDisplayName(metadata: BaseMetadata | (BaseMetadata & { annotations?: { title?: string } })): string {
    if (metadata.title) return metadata.title;
    const annotations = (metadata as { annotations?: { title?: unknown } }).annotations;
    if (annotations && typeof annotations.title === 'string' && annotations.title) return annotations.title;
    return metadata.name;
}
