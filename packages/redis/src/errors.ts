/**
 * The one error class of `@modelcontextprotocol/redis`, with a stable `code` per failure so callers can
 * `switch (error.code)`.
 *
 * @module
 */

/** Stable codes of {@link RedisEventStoreError}. */
export type RedisEventStoreErrorCode =
    /** The options are missing, contradictory or out of range (checked once, at construction). */
    | 'INVALID_OPTIONS'
    /** `storeEvent` was given a stream id that is empty, too long, or not a string. */
    | 'INVALID_STREAM_ID'
    /** An event id (a client's `Last-Event-ID`) does not have the shape this store mints. */
    | 'MALFORMED_EVENT_ID'
    /** A well-formed event id minted by a store with another key prefix (another deployment or tenant). */
    | 'FOREIGN_EVENT_ID'
    /** An event id of this store whose event is no longer retained (trimmed, expired) or never existed. */
    | 'UNKNOWN_EVENT_ID'
    /** Retention trimmed events of the stream while they were being replayed, so the replay cannot be complete. */
    | 'REPLAY_OVERTAKEN'
    /** A stream entry that this store did not write (or that is damaged) was found where an event was expected. */
    | 'CORRUPT_EVENT'
    /** The store was used after `close()`. */
    | 'STORE_CLOSED'
    /** Redis failed or refused a command (connection lost, out of memory, wrong key type…); see `cause`. */
    | 'REDIS_COMMAND_FAILED';

/** An error raised by {@link RedisEventStore}; the underlying Redis error, if any, is in `cause`. */
export class RedisEventStoreError extends Error {
    override readonly name = 'RedisEventStoreError';

    /**
     * @param code - Stable machine-readable code.
     * @param message - Human-readable explanation.
     * @param options - Standard `cause`, carrying the underlying error when there is one.
     */
    constructor(
        readonly code: RedisEventStoreErrorCode,
        message: string,
        options?: { cause?: unknown }
    ) {
        super(message, options);
    }
}

/** Stable codes of {@link RedisSessionDirectoryError}. */
export type RedisSessionDirectoryErrorCode =
    /** The options are missing, contradictory or out of range (checked once, at construction). */
    | 'INVALID_OPTIONS'
    /** A session id that is empty, over 256 characters or not visible ASCII (refused before any command). */
    | 'INVALID_SESSION_ID'
    /** An owner whose instance id is not 1 to 256 visible ASCII characters, or whose url is not http(s). */
    | 'INVALID_OWNER'
    /** A session key holds a value this directory did not write. */
    | 'CORRUPT_ENTRY'
    /** `claim` for a session id another instance holds (session ids must be unique across instances). */
    | 'SESSION_ID_IN_USE'
    /** The directory was used after `close()`. */
    | 'DIRECTORY_CLOSED'
    /** Redis failed or refused a command (connection lost, out of memory, wrong key type…); see `cause`. */
    | 'REDIS_COMMAND_FAILED';

/** An error raised by {@link RedisSessionDirectory}; the underlying Redis error, if any, is in `cause`. */
export class RedisSessionDirectoryError extends Error {
    override readonly name = 'RedisSessionDirectoryError';

    /**
     * @param code - Stable machine-readable code.
     * @param message - Human-readable explanation.
     * @param options - Standard `cause`, carrying the underlying error when there is one.
     */
    constructor(
        readonly code: RedisSessionDirectoryErrorCode,
        message: string,
        options?: { cause?: unknown }
    ) {
        super(message, options);
    }
}
