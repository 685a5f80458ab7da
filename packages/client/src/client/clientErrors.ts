/**
 * Errors raised by the `Client` itself (not by its transports or the auth layer).
 *
 * Local failures extend {@link ClientError} and carry a stable string {@link ClientError.code}, so
 * `switch (err.code)` narrows. A tool result that breaks its declared output schema is a protocol-level failure
 * and is reported as an `McpError` ({@link ToolOutputValidationError}) like the official SDK does.
 *
 * @module
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/core';

/** Every {@link ClientError} code. */
export type ClientErrorCode = 'PAGINATION_CURSOR_REPEATED' | 'PAGINATION_PAGE_LIMIT';

/** Base class of local errors raised by the `Client`. */
export abstract class ClientError extends Error {
    /** Stable, machine-readable error code. */
    abstract readonly code: ClientErrorCode;
}

/**
 * Following `nextCursor` did not terminate: the server sent a cursor it had sent before (a cycle), or more pages
 * than the configured bound. Either way the listing was abandoned after a bounded number of requests.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination
 */
export class PaginationError extends ClientError {
    override readonly name = 'PaginationError';

    constructor(
        /** `PAGINATION_CURSOR_REPEATED` or `PAGINATION_PAGE_LIMIT`. */
        readonly code: 'PAGINATION_CURSOR_REPEATED' | 'PAGINATION_PAGE_LIMIT',
        /** The list method being paginated. */
        readonly method: string,
        /** Pages fetched before giving up. */
        readonly pages: number
    ) {
        super(
            code === 'PAGINATION_CURSOR_REPEATED'
                ? `${method}: the server repeated a pagination cursor after ${pages} page(s); stopping`
                : `${method}: more than ${pages} page(s); stopping (raise maxPages if this is expected)`
        );
    }
}

/**
 * A `tools/call` result does not honour the tool's `outputSchema`: structured content is missing (and the result
 * is not an error) or does not validate. Code `-32602` (invalid params), as a schema mismatch.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema
 */
export class ToolOutputValidationError extends McpError {
    override name = 'ToolOutputValidationError';

    constructor(
        /** The tool that was called. */
        readonly toolName: string,
        message: string
    ) {
        super(ErrorCode.InvalidParams, message);
    }
}
