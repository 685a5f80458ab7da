/**
 * `subscriptions/listen` on the client (MCP 2026-07-28, Subscriptions): open the long-lived request, resolve once
 * the server's `notifications/subscriptions/acknowledged` for it arrives (within the request timeout), let the
 * stream's notifications reach the client's ordinary notification handlers, and end it on `close()` (cancellation),
 * a result from the server (graceful) or the connection's end (remote).
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/subscriptions
 * @module
 */
import { RequestTimeoutError, SUBSCRIPTION_ID_META_KEY } from '@modelcontextprotocol/core';
import type { RequestId, SubscriptionFilter } from '@modelcontextprotocol/core';

/** A handle to an open `subscriptions/listen` stream. */
export interface McpSubscription {
    /** The part of the requested filter the server agreed to honour (from its acknowledgement). */
    readonly honoredFilter: SubscriptionFilter;
    /** Ends the subscription (cancels the listen request). Idempotent. */
    close(): Promise<void>;
    /**
     * Resolves once, when the subscription ends: `local` (closed here), `graceful` (the server answered the listen
     * request) or `remote` (the stream or connection ended without an answer). Never rejects.
     */
    readonly closed: Promise<'local' | 'graceful' | 'remote'>;
}

/** Acknowledgements awaited by subscription id. */
export class PendingAcknowledgements {
    private readonly _waiting = new Map<string, (filter: SubscriptionFilter) => void>();

    /** Waits for the acknowledgement of subscription `id`. */
    expect(id: RequestId, resolve: (filter: SubscriptionFilter) => void): () => void {
        const key = String(id);
        this._waiting.set(key, resolve);
        return () => {
            if (this._waiting.get(key) === resolve) this._waiting.delete(key);
        };
    }

    /** Handles a `notifications/subscriptions/acknowledged`. */
    acknowledged(params: Record<string, unknown> | undefined): void {
        const meta = params?._meta as Record<string, unknown> | undefined;
        const id = meta?.[SUBSCRIPTION_ID_META_KEY];
        if (typeof id !== 'string' && typeof id !== 'number') return;
        const resolve = this._waiting.get(String(id));
        if (resolve === undefined) return;
        this._waiting.delete(String(id));
        const filter = params?.notifications;
        resolve(typeof filter === 'object' && filter !== null ? (filter as SubscriptionFilter) : {});
    }
}

/** What {@link openSubscription} needs from the client. */
export interface ListenSession {
    /** Sends the listen request (no timeout), telling `onId` its id; settles when the subscription ends. */
    send(signal: AbortSignal, onId: (id: RequestId) => void): Promise<unknown>;
    /** The acknowledgements the client awaits. */
    acknowledgements: PendingAcknowledgements;
    /** How long to wait for the acknowledgement, in ms. */
    ackTimeoutMs: number;
    /** A signal that also closes the subscription (the caller's `RequestOptions.signal`). */
    signal?: AbortSignal | undefined;
}

/** Opens a subscription: resolves once acknowledged; rejects when the listen request fails or times out first. */
export function openSubscription(session: ListenSession): Promise<McpSubscription> {
    const controller = new AbortController();
    let settleClosed!: (how: 'local' | 'graceful' | 'remote') => void;
    const closed = new Promise<'local' | 'graceful' | 'remote'>(resolve => (settleClosed = resolve));
    let local = false;
    const close = async (): Promise<void> => {
        if (local) return;
        local = true;
        controller.abort(new Error('Subscription closed'));
    };
    session.signal?.addEventListener('abort', () => void close(), { once: true });

    return new Promise<McpSubscription>((resolve, reject) => {
        let stopWaiting: (() => void) | undefined;
        let acknowledged = false;
        const timer = setTimeout(() => {
            if (acknowledged) return;
            stopWaiting?.();
            reject(
                new RequestTimeoutError('subscriptions/listen was not acknowledged in time', {
                    timeout: session.ackTimeoutMs
                })
            );
            void close();
        }, session.ackTimeoutMs);
        const listening = session.send(controller.signal, id => {
            stopWaiting = session.acknowledgements.expect(id, honoredFilter => {
                acknowledged = true;
                clearTimeout(timer);
                resolve({ honoredFilter, close, closed });
            });
        });
        listening.then(
            () => {
                settleClosed(local ? 'local' : 'graceful');
                if (!acknowledged) {
                    clearTimeout(timer);
                    resolve({ honoredFilter: {}, close, closed });
                }
            },
            (error: unknown) => {
                stopWaiting?.();
                settleClosed(local ? 'local' : 'remote');
                if (!acknowledged) {
                    clearTimeout(timer);
                    reject(error);
                }
            }
        );
    });
}
