/**
 * Multi-round requests (MCP 2026-07-28, Multi Round-Trip Requests): instead of sending the client a request of its
 * own, a tool, prompt or resource handler returns an `input_required` result naming what it needs; the client
 * fulfils those input requests and repeats the request with `inputResponses` (and the `requestState` it was given,
 * byte for byte). The handler then reads the answers from `ctx.mcpReq.inputResponses`.
 *
 * @example
 * ```ts
 * server.registerTool('greet', { description: 'Greets by name' }, async ctx => {
 *     const name = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'user_name')?.name;
 *     if (name === undefined) {
 *         return inputRequired({
 *             inputRequests: { user_name: inputRequired.elicit({ message: 'Your name?', requestedSchema: NAME }) }
 *         });
 *     }
 *     return { content: [{ type: 'text', text: `Hello, ${name}!` }] };
 * });
 * ```
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr
 * @module
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/core';
import type {
    CreateMessageRequestParams,
    CreateMessageResult,
    ElicitRequestFormParams,
    ElicitRequestURLParams,
    InputRequest,
    InputRequests,
    InputRequiredResult,
    InputResponses,
    Root
} from '@modelcontextprotocol/core';
import type { StandardSchemaV1, StandardSchemaWithJSON } from '@modelcontextprotocol/core/validators';

/**
 * The params of a form elicitation a handler asks for: the spec's, with `requestedSchema` given as JSON Schema or as
 * any Standard Schema that can produce one (zod, valibot with `toStandardJsonSchema`, arktype).
 */
export interface ElicitInputParams {
    /** What to ask the user. */
    message: string;
    /** The form: a JSON Schema of primitive properties, or a Standard Schema producing one. */
    requestedSchema: ElicitRequestFormParams['requestedSchema'] | StandardSchemaWithJSON;
    /** Anything else the params carry (`_meta`, …). */
    [key: string]: unknown;
}

function toRequestedSchema(schema: ElicitInputParams['requestedSchema']): ElicitRequestFormParams['requestedSchema'] {
    if (!('~standard' in schema)) return schema as ElicitRequestFormParams['requestedSchema'];
    return (schema as StandardSchemaWithJSON)['~standard'].jsonSchema.input({
        target: 'draft-2020-12'
    }) as ElicitRequestFormParams['requestedSchema'];
}

/** What an `input_required` result carries: input requests, request state, or both. */
export interface InputRequiredSpec {
    /** What the client must fulfil, by key (the keys its `inputResponses` answer under). */
    inputRequests?: InputRequests;
    /** Opaque state the client echoes back unchanged; integrity-protect it (see `createRequestStateCodec`). */
    requestState?: string;
}

/** Builds `input_required` results and the input requests they carry. */
export interface InputRequiredBuilder {
    /** An `input_required` result. At least one of `inputRequests` and `requestState` must be given. */
    (spec: InputRequiredSpec): InputRequiredResult;
    /** A form-mode elicitation input request (`requestedSchema` as JSON Schema or a Standard Schema). */
    elicit(params: ElicitInputParams): InputRequest;
    /** A URL-mode elicitation input request. */
    elicitUrl(
        params: Omit<ElicitRequestURLParams, 'mode' | 'elicitationId'> & { elicitationId?: string }
    ): InputRequest;
    /** A sampling input request. */
    createMessage(params: CreateMessageRequestParams): InputRequest;
    /** A roots input request. */
    listRoots(): InputRequest;
}

function build(spec: InputRequiredSpec): InputRequiredResult {
    if (spec.inputRequests === undefined && spec.requestState === undefined) {
        throw new ProtocolError(
            ProtocolErrorCode.InternalError,
            'An input_required result needs inputRequests, requestState, or both'
        );
    }
    const result: InputRequiredResult = { resultType: 'input_required' };
    if (spec.inputRequests !== undefined) result.inputRequests = spec.inputRequests;
    if (spec.requestState !== undefined) result.requestState = spec.requestState;
    return result;
}

/** Builds `input_required` results: `inputRequired({ inputRequests, requestState })`, and the input requests. */
export const inputRequired: InputRequiredBuilder = Object.assign(build, {
    elicit: (params: ElicitInputParams): InputRequest =>
        ({
            method: 'elicitation/create',
            params: { ...params, requestedSchema: toRequestedSchema(params.requestedSchema) }
        }) as InputRequest,
    elicitUrl: (
        params: Omit<ElicitRequestURLParams, 'mode' | 'elicitationId'> & { elicitationId?: string }
    ): InputRequest =>
        ({
            method: 'elicitation/create',
            params: { ...params, mode: 'url', elicitationId: params.elicitationId ?? crypto.randomUUID() }
        }) as InputRequest,
    createMessage: (params: CreateMessageRequestParams): InputRequest =>
        ({ method: 'sampling/createMessage', params }) as InputRequest,
    listRoots: (): InputRequest => ({ method: 'roots/list', params: {} }) as InputRequest
});

/** What the client answered under one key, by kind (`missing` when it did not answer, or not recognisably). */
export type InputResponseView =
    | { kind: 'missing' }
    | { kind: 'elicit'; action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> }
    | { kind: 'sampling'; result: CreateMessageResult }
    | { kind: 'roots'; roots: Root[] };

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the client's answer under `key` (see {@link InputResponseView}); anything malformed reads as `missing`. */
export function inputResponse(
    responses: InputResponses | Record<string, unknown> | undefined,
    key: string
): InputResponseView {
    const value = isRecord(responses) && Object.hasOwn(responses, key) ? responses[key] : undefined;
    if (!isRecord(value)) return { kind: 'missing' };
    const action = value.action;
    if (action === 'accept' || action === 'decline' || action === 'cancel') {
        const content = value.content;
        if (content !== undefined && !isRecord(content)) return { kind: 'missing' };
        return content === undefined ? { kind: 'elicit', action } : { kind: 'elicit', action, content };
    }
    if (Array.isArray(value.roots)) {
        const roots = value.roots.filter((root): root is Root => isRecord(root) && typeof root.uri === 'string');
        return { kind: 'roots', roots };
    }
    if (value.role === 'assistant' && isRecord(value.content) && typeof value.model === 'string') {
        return { kind: 'sampling', result: value as unknown as CreateMessageResult };
    }
    return { kind: 'missing' };
}

/**
 * The content of an accepted elicitation under `key`, or `undefined` when the client did not answer, declined,
 * cancelled, or (with `schema`) sent content the schema rejects.
 */
export function acceptedContent<T extends Record<string, unknown> = Record<string, unknown>>(
    responses: InputResponses | Record<string, unknown> | undefined,
    key: string
): T | undefined;
export function acceptedContent<S extends StandardSchemaV1>(
    responses: InputResponses | Record<string, unknown> | undefined,
    key: string,
    schema: S
): StandardSchemaV1.InferOutput<S> | undefined;
export function acceptedContent(
    responses: InputResponses | Record<string, unknown> | undefined,
    key: string,
    schema?: StandardSchemaV1
): unknown {
    const view = inputResponse(responses, key);
    if (view.kind !== 'elicit' || view.action !== 'accept' || view.content === undefined) return undefined;
    if (schema === undefined) return view.content;
    const checked = schema['~standard'].validate(view.content);
    if (checked instanceof Promise) {
        throw new ProtocolError(ProtocolErrorCode.InternalError, 'acceptedContent needs a synchronous schema');
    }
    return checked.issues === undefined ? checked.value : undefined;
}
