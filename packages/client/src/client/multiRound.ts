/**
 * The client side of multi-round requests (MCP 2026-07-28, Multi Round-Trip Requests): when `tools/call`,
 * `prompts/get` or `resources/read` answers `input_required`, fulfil its input requests with this client's own
 * handlers and repeat the request — a fresh request id, the same params plus `inputResponses`, and the server's
 * `requestState` echoed byte for byte — until a complete result, within a bounded number of rounds.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/mrtr
 * @module
 */
import { InputRequiredResultSchema, SdkError, SdkErrorCode } from '@modelcontextprotocol/core';
import type { InputRequests, InputRequiredResult, Result } from '@modelcontextprotocol/core';
import * as z from 'zod/mini';

/** The methods whose results may be `input_required`. */
export const MULTI_ROUND_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** What {@link runMultiRound} needs from the client. */
export interface MultiRoundSession {
    /** Sends the request with `params` (a fresh id each time) and resolves with its result, complete or not. */
    send(params: Record<string, unknown> | undefined): Promise<Result>;
    /** Fulfils one input request with the client's own handler. */
    fulfil(request: { method: string; params?: Record<string, unknown> }): Promise<Result>;
    /** `false`: an `input_required` result fails with `UNSUPPORTED_RESULT_TYPE` instead of being fulfilled. */
    autoFulfill: boolean;
    /** Most rounds before failing with `INPUT_REQUIRED_ROUNDS_EXCEEDED`. */
    maxRounds: number;
}

function isInputRequired(result: Result): result is InputRequiredResult {
    return result.resultType === 'input_required';
}

/** Runs a request to completion through as many `input_required` rounds as the server asks for (bounded). */
export async function runMultiRound(
    method: string,
    params: Record<string, unknown> | undefined,
    session: MultiRoundSession
): Promise<Result> {
    let round = 0;
    let current = params;
    for (;;) {
        const result = await session.send(current);
        if (!isInputRequired(result)) return result;
        if (!session.autoFulfill) {
            throw new SdkError(
                SdkErrorCode.UnsupportedResultType,
                `${method} answered input_required and inputRequired.autoFulfill is off`,
                { resultType: 'input_required', result }
            );
        }
        round++;
        if (round > session.maxRounds) {
            throw new SdkError(
                SdkErrorCode.InputRequiredRoundsExceeded,
                `${method} still asked for input after ${session.maxRounds} rounds`,
                { rounds: session.maxRounds, lastResult: result }
            );
        }
        const inputResponses = await fulfilAll(result.inputRequests ?? {}, session);
        current = { ...params, inputResponses };
        if (result.requestState !== undefined) current.requestState = result.requestState;
    }
}

async function fulfilAll(requests: InputRequests, session: MultiRoundSession): Promise<Record<string, Result>> {
    const entries = Object.entries(requests);
    const answers = await Promise.all(
        entries.map(([, request]) =>
            session.fulfil({
                method: request.method,
                ...(request.params === undefined ? {} : { params: request.params as Record<string, unknown> })
            })
        )
    );
    return Object.fromEntries(entries.map(([key], index) => [key, answers[index]!]));
}

/**
 * `schema`, or an `input_required` result: for `request(…, withInputRequired(schema), { … })` calls that handle
 * multi-round requests themselves (with `inputRequired.autoFulfill` off).
 */
export function withInputRequired<S extends z.core.$ZodType>(schema: S) {
    return z.union([InputRequiredResultSchema, schema]);
}
