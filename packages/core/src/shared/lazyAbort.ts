/**
 * An abort controller whose `AbortSignal` is made only when someone reads it. Every incoming request gets one (a
 * handler may watch `ctx.mcpReq.signal`; cancellation and a closed connection abort it), but most handlers never
 * read the signal, and building an `AbortSignal` (an `EventTarget`) is a measurable part of a small request's cost.
 *
 * @module
 */

/** {@link AbortController}'s `signal` and `abort`, with the signal built on first read. */
export class LazyAbortController {
    private _controller: AbortController | undefined;
    private _aborted = false;
    private _reason: unknown;

    /** The signal; aborted already (with the reason) when `abort` ran before the first read. */
    get signal(): AbortSignal {
        if (this._controller === undefined) {
            this._controller = new AbortController();
            if (this._aborted) this._controller.abort(this._reason);
        }
        return this._controller.signal;
    }

    /** Whether `abort` has run. */
    get aborted(): boolean {
        return this._controller === undefined ? this._aborted : this._controller.signal.aborted;
    }

    /** Aborts the signal (now, or when it is first read); later calls change nothing. */
    abort(reason?: unknown): void {
        if (this._controller !== undefined) {
            this._controller.abort(reason);
        } else if (!this._aborted) {
            this._aborted = true;
            this._reason = reason;
        }
    }
}
