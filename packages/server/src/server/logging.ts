/**
 * Log level filtering for `notifications/message` (MCP 2025-11-25, Server › Utilities › Logging): after
 * `logging/setLevel`, only messages at or above the chosen severity are sent.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging
 * @module
 */
import type { LoggingLevel } from '@modelcontextprotocol/core';

/** RFC 5424 §6.2.1 severities, least severe first (the order `LoggingLevelSchema` lists them). */
const SEVERITY: Record<LoggingLevel, number> = {
    debug: 0,
    info: 1,
    notice: 2,
    warning: 3,
    error: 4,
    critical: 5,
    alert: 6,
    emergency: 7
};

/** The minimum level each session asked for, keyed by transport session id (`undefined` without sessions). */
export class LogLevels {
    private readonly _levels = new Map<string | undefined, LoggingLevel>();

    /** Records the level a session set with `logging/setLevel`. */
    set(sessionId: string | undefined, level: LoggingLevel): void {
        this._levels.set(sessionId, level);
    }

    /** The level a session set, if any. */
    get(sessionId: string | undefined): LoggingLevel | undefined {
        return this._levels.get(sessionId);
    }

    /** True when a message at `level` is below what the session asked for. Without a level, nothing is dropped. */
    isDropped(level: LoggingLevel, sessionId: string | undefined): boolean {
        const minimum = this._levels.get(sessionId);
        return minimum !== undefined && SEVERITY[level] < SEVERITY[minimum];
    }
}

/**
 * For a modern (2026-07-28) request, which carries its log level in `_meta` (`io.modelcontextprotocol/logLevel`):
 * true when a message at `level` must not be sent — always when the request set no level (the client did not opt
 * in), else when it is below that level.
 */
export function isDroppedForRequest(level: LoggingLevel, requested: unknown): boolean {
    if (typeof requested !== 'string' || !Object.hasOwn(SEVERITY, requested)) return true;
    return SEVERITY[level] < SEVERITY[requested as LoggingLevel];
}
