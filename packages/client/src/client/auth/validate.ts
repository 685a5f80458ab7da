/**
 * Schema validation of response bodies into typed data, with errors that name what was wrong. Internal.
 *
 * @module
 */
import * as z from 'zod/mini';

import { InvalidResponseError } from './errors.js';

/**
 * Parses `value` with `schema`.
 *
 * @throws {InvalidResponseError} naming the first failing member.
 */
export function parseWithSchema<S extends z.ZodMiniType>(
    schema: S,
    value: unknown,
    response: Response,
    what: string
): z.output<S> {
    const result = z.safeParse(schema, value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InvalidResponseError(`Invalid ${what}${where}: ${issue?.message ?? 'schema mismatch'}`, {
        status: response.status,
        response,
        cause: result.error
    });
}
