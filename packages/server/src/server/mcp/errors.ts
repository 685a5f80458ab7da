/**
 * Errors `McpServer` throws at registration time (misuse, never sent on the wire).
 *
 * @module
 */

/** Stable codes of {@link RegistrationError}. */
export type RegistrationErrorCode =
    /** A tool, prompt, resource URI or resource template name is already registered. */
    | 'ALREADY_REGISTERED'
    /** A tool input/output schema or prompt argument schema cannot be used. */
    | 'INVALID_SCHEMA'
    /** The request handler of a feature was already set directly on the low-level `Server`. */
    | 'HANDLER_CONFLICT'
    /** An `McpServer` option has a value it cannot use. */
    | 'INVALID_OPTIONS';

/** Registering a tool, resource or prompt failed. */
export class RegistrationError extends Error {
    override name = 'RegistrationError';
    /** The stable error code. */
    readonly code: RegistrationErrorCode;

    constructor(code: RegistrationErrorCode, message: string, options?: ErrorOptions) {
        super(message, options);
        this.code = code;
    }
}
