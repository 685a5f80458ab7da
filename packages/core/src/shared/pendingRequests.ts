/**
 * Bookkeeping for the requests a `Protocol` has sent and not yet seen answered: response correlation, the
 * request timeout (optionally reset by progress, capped by `maxTotalTimeout`), progress routing and
 * cancellation (`notifications/cancelled` sent on abort or timeout; late responses then ignored quietly).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#timeouts
 * @module
 */
import * as z from 'zod/mini';
import { InvalidResultError, McpError, RequestTimeoutError } from '../errors.js';
import { ErrorCode, JSONRPC_VERSION } from '../types/constants.js';
import type {
    JSONRPCErrorResponse,
    JSONRPCNotification,
    JSONRPCResultResponse,
    ProgressToken,
    RequestId
} from '../types/jsonrpc.js';
import type { Progress, RequestOptions } from './protocolTypes.js';
import type { Transport } from './transport.js';
import { formatValidationError } from './validation.js';

/** How many cancelled request ids are remembered so that their late responses are ignored quietly. */
const CANCELLED_IDS_KEPT = 1024;

/** What the bookkeeping needs from its session: the transport to send cancellations on, and the error sink. */
export interface PendingRequestsHost {
    readonly transport: Transport | undefined;
    onerror?: ((error: Error) => void) | undefined;
}

/** State of one outgoing request awaiting its response. */
export interface PendingRequest {
    method: string;
    schema: z.core.$ZodType;
    resolve: (value: unknown) => void;
    reject: (reason: unknown) => void;
    onprogress: ((progress: Progress) => void) | undefined;
    relatedRequestId: RequestId | undefined;
    timer: ReturnType<typeof setTimeout> | undefined;
    timeout: number;
    startedAt: number;
    maxTotalTimeout: number | undefined;
    /** The armed timer ends at `maxTotalTimeout` (not at `timeout`). */
    timerAtCap: boolean;
    resetTimeoutOnProgress: boolean;
    signal: AbortSignal | undefined;
    onabort: (() => void) | undefined;
}

/**
 * The outgoing requests of one connection, by id. A session creates it on its first request and drops it
 * when the connection closes.
 */
export class PendingRequests {
    private readonly _host: PendingRequestsHost;
    private readonly _requests = new Map<RequestId, PendingRequest>();
    /** Requests this side cancelled (abort, timeout), oldest first; bounded by {@link CANCELLED_IDS_KEPT}. */
    private _cancelled: Set<RequestId> | undefined;

    constructor(host: PendingRequestsHost) {
        this._host = host;
    }

    /**
     * Starts tracking request `id`: arms its timeout and cancels it when `options.signal` aborts. The request
     * settles through `resolve` (with the result parsed by `schema`) or `reject`.
     */
    track(
        id: RequestId,
        method: string,
        schema: z.core.$ZodType,
        resolve: (value: unknown) => void,
        reject: (reason: unknown) => void,
        timeout: number,
        options: RequestOptions | undefined
    ): void {
        const signal = options?.signal;
        const pending: PendingRequest = {
            method,
            schema,
            resolve,
            reject,
            onprogress: options?.onprogress,
            relatedRequestId: options?.relatedRequestId,
            timer: undefined,
            timeout,
            startedAt: Date.now(),
            maxTotalTimeout: options?.maxTotalTimeout,
            timerAtCap: false,
            resetTimeoutOnProgress: options?.resetTimeoutOnProgress ?? false,
            signal,
            onabort: undefined
        };
        this._requests.set(id, pending);
        this._armTimer(id, pending, timeout);
        if (signal) {
            pending.onabort = () => this.cancel(id, abortReason(signal));
            signal.addEventListener('abort', pending.onabort, { once: true });
        }
    }

    /** Rejects request `id` with `error` if it is still pending (no cancellation is sent). */
    fail(id: RequestId, error: unknown): void {
        this._settle(id)?.reject(error);
    }

    /**
     * Rejects every pending request with the error `makeError` builds (the connection closed); it is built only
     * when a request is pending, so closing an idle connection costs no error object and stack trace.
     */
    failAll(makeError: () => Error): void {
        if (this._requests.size === 0) return;
        const error = makeError();
        for (const id of [...this._requests.keys()]) this._settle(id)?.reject(error);
    }

    /**
     * Settles the request a response answers: rejects with {@link McpError} for an error response or
     * {@link InvalidResultError} for a result that does not match its schema, else resolves.
     *
     * @returns false when the response answers no known request (neither pending nor recently cancelled).
     */
    complete(response: JSONRPCResultResponse | JSONRPCErrorResponse): boolean {
        const id = response.id;
        const pending = id === undefined ? undefined : this._settle(id);
        if (!pending) {
            // Cancellation: "The sender of the cancellation notification SHOULD ignore any response to the
            // request that arrives afterward."
            return id !== undefined && this._cancelled?.delete(id) === true;
        }
        if ('error' in response) {
            pending.reject(McpError.fromError(response.error));
            return true;
        }
        const parsed = z.safeParse(pending.schema, response.result);
        if (parsed.success) pending.resolve(parsed.data);
        else pending.reject(new InvalidResultError(pending.method, formatValidationError(parsed.error)));
        return true;
    }

    /**
     * Routes a validated `notifications/progress` to its request's `onprogress`, restarting the timeout when
     * the request asked for `resetTimeoutOnProgress`.
     *
     * @returns false when the token matches no pending request that asked for progress.
     */
    progress(notification: JSONRPCNotification): boolean {
        const { progressToken, progress, total, message } = notification.params as {
            progressToken: ProgressToken;
            progress: number;
            total?: number;
            message?: string;
        };
        const pending = this._requests.get(progressToken);
        if (!pending?.onprogress) return false;
        if (pending.resetTimeoutOnProgress) {
            if (pending.timer !== undefined) clearTimeout(pending.timer);
            this._armTimer(progressToken, pending, pending.timeout);
        }
        const update: Progress = { progress };
        if (total !== undefined) update.total = total;
        if (message !== undefined) update.message = message;
        try {
            pending.onprogress(update);
        } catch (error) {
            this._reportError(error);
        }
        return true;
    }

    /** Fails a pending request locally and tells the peer with `notifications/cancelled`. */
    cancel(id: RequestId, reason: Error): void {
        const pending = this._settle(id);
        if (!pending) return;
        const cancelled = (this._cancelled ??= new Set());
        if (cancelled.size >= CANCELLED_IDS_KEPT) cancelled.delete(cancelled.values().next().value!);
        cancelled.add(id);
        const transport = this._host.transport;
        if (transport) {
            const notification: JSONRPCNotification = {
                jsonrpc: JSONRPC_VERSION,
                method: 'notifications/cancelled',
                params: { requestId: id, reason: reason.message }
            };
            transport
                .send(
                    notification,
                    pending.relatedRequestId === undefined ? undefined : { relatedRequestId: pending.relatedRequestId }
                )
                .catch((error: unknown) => this._reportError(error));
        }
        pending.reject(reason);
    }

    private _armTimer(id: RequestId, pending: PendingRequest, timeout: number): void {
        if (timeout === Infinity && pending.maxTotalTimeout === undefined) return; // no timer: a long-lived request
        let delay = timeout;
        if (pending.maxTotalTimeout !== undefined) {
            const remaining = pending.maxTotalTimeout - (Date.now() - pending.startedAt);
            pending.timerAtCap = remaining <= timeout;
            delay = Math.max(0, Math.min(delay, remaining));
        }
        pending.timer = setTimeout(PendingRequests._onTimeout, delay, this, id);
    }

    /** One callback for every request timer (no closure per request or per instance). */
    private static _onTimeout(this: void, self: PendingRequests, id: RequestId): void {
        const pending = self._requests.get(id);
        if (!pending) return;
        const elapsed = Date.now() - pending.startedAt;
        // Which limit fired is known from how the timer was armed: timers may fire a millisecond before
        // `Date.now()` shows the full delay elapsed.
        const error = pending.timerAtCap
            ? new RequestTimeoutError(`Request ${pending.method} exceeded maximum total timeout`, {
                  maxTotalTimeout: pending.maxTotalTimeout,
                  elapsed
              })
            : new RequestTimeoutError(`Request ${pending.method} timed out`, { timeout: pending.timeout });
        self.cancel(id, error);
    }

    /** Removes a pending request and releases its timer and abort listener; undefined if already settled. */
    private _settle(id: RequestId): PendingRequest | undefined {
        const pending = this._requests.get(id);
        if (!pending) return undefined;
        this._requests.delete(id);
        if (pending.timer !== undefined) clearTimeout(pending.timer);
        if (pending.onabort) pending.signal?.removeEventListener('abort', pending.onabort);
        return pending;
    }

    private _reportError(error: unknown): void {
        this._host.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
}

/** The rejection for an aborted signal: its reason when that is an Error, else an {@link McpError}. */
export function abortReason(signal: AbortSignal): Error {
    const reason: unknown = signal.reason;
    if (reason instanceof Error) return reason;
    return new McpError(ErrorCode.InternalError, `Request cancelled: ${String(reason)}`, { reason });
}
