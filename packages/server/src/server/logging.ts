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
