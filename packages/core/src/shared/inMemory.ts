/**
 * An in-process transport pair, for tests and for embedding a client and server in one process.
 *
 * @module
 */
import { TransportClosedError } from '../errors.js';
import type { JSONRPCMessage } from '../types/jsonrpc.js';
import type { AuthInfo, MessageExtraInfo, Transport, TransportSendOptions } from './transport.js';

/** Send options of {@link InMemoryTransport}: the usual ones plus `authInfo` to hand to the peer. */
export interface InMemoryTransportSendOptions extends TransportSendOptions {
    /** Delivered to the peer's `onmessage` as `extra.authInfo` (simulates a verified bearer token). */
    authInfo?: AuthInfo;
}

interface QueuedMessage {
    message: JSONRPCMessage;
    extra: MessageExtraInfo | undefined;
}

/**
 * One end of a linked in-memory pair. Messages are delivered asynchronously (one microtask each, in order);
 * messages sent before the peer calls {@link InMemoryTransport.start} are held until it does.
 */
export class InMemoryTransport implements Transport {
    private _peer: InMemoryTransport | undefined;
    private _started = false;
    private _closed = false;
    private _queue: QueuedMessage[] = [];

    /** @inheritDoc */
    onclose?: () => void;
    /** @inheritDoc */
    onerror?: (error: Error) => void;
    /** @inheritDoc */
    onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
    /** @inheritDoc */
    sessionId?: string | undefined;

    /** Creates two transports wired to each other: what one sends, the other receives. */
    static createLinkedPair(): [InMemoryTransport, InMemoryTransport] {
        const a = new InMemoryTransport();
        const b = new InMemoryTransport();
        a._peer = b;
        b._peer = a;
        return [a, b];
    }

    /** Starts delivery, flushing anything the peer sent earlier. */
    async start(): Promise<void> {
        if (this._started) return;
        this._started = true;
        const queued = this._queue;
        this._queue = [];
        for (const item of queued) this._schedule(item.message, item.extra);
    }

    /**
     * Delivers `message` to the peer.
     *
     * @throws {@link TransportClosedError} after either side closed.
     */
    async send(message: JSONRPCMessage, options?: InMemoryTransportSendOptions): Promise<void> {
        const peer = this._peer;
        if (this._closed || !peer) throw new TransportClosedError();
        const extra = options?.authInfo ? { authInfo: options.authInfo } : undefined;
        if (peer._started) peer._schedule(message, extra);
        else peer._queue.push({ message, extra });
    }

    /** Closes both ends; each side's `onclose` fires once. */
    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        const peer = this._peer;
        this._peer = undefined;
        this._queue = [];
        this.onclose?.();
        await peer?.close();
    }

    private _schedule(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
        queueMicrotask(() => {
            if (this._closed) return;
            try {
                this.onmessage?.(message, extra);
            } catch (error) {
                this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            }
        });
    }
}
