/**
 * Recovering from an expired session (MCP 2025-11-25, Transports, "Session Management" item 4: a client that gets
 * 404 for a request carrying `Mcp-Session-Id` must start a new session with a new `initialize`). With
 * `sessionRecovery: 'reinitialize'` the client does this itself: the requests that met the 404 wait for one
 * re-initialization (however many failed together) and are each sent once more; the application hears of it
 * through `Client.onsessionrecovered`. A request the server refused with 404 was never dispatched, so sending it
 * again runs it once; a request whose response stream broke and whose resumption met the 404
 * (`SessionExpiredError.afterDispatch`) may have run, so it fails with that error and is not sent again.
 *
 * @module
 */
import { SessionExpiredError } from './transportErrors.js';

/** What the client does when its session expires: surface `SessionExpiredError` (`'off'`, default) or recover. */
export type SessionRecoveryMode = 'off' | 'reinitialize';

/** Told to `Client.onsessionrecovered` after a new session replaced an expired one. */
export interface SessionRecoveredEvent {
    /** The session the server no longer knew. */
    expiredSessionId: string;
    /** The new session (`undefined` when the server runs without sessions). */
    sessionId: string | undefined;
}

/** The recovery decision and its single re-initialization in flight. */
export class SessionRecovery {
    private _inFlight: Promise<void> | undefined;

    constructor(
        private readonly _mode: SessionRecoveryMode,
        private readonly _reinitialize: (expired: SessionExpiredError) => Promise<void>
    ) {}

    /**
     * Whether a request that failed with `error` is to be sent again, after the session was re-initialized (once
     * for all the requests that failed together; a request whose 404 arrives after a newer session is in place is
     * simply sent again).
     *
     * @throws whatever the re-initialization threw: the waiting requests fail with it.
     */
    async retry(error: unknown, method: string, currentSessionId: string | undefined): Promise<boolean> {
        if (this._mode !== 'reinitialize' || !(error instanceof SessionExpiredError) || method === 'initialize') {
            return false;
        }
        // Accepted before the session ended, it may have run: never sent twice. The next request recovers.
        if (error.afterDispatch) return false;
        if (this._inFlight === undefined && currentSessionId !== undefined && currentSessionId !== error.sessionId) {
            return true;
        }
        this._inFlight ??= this._reinitialize(error).finally(() => (this._inFlight = undefined));
        await this._inFlight;
        return true;
    }
}
