/**
 * Event storage for resumable Streamable HTTP streams.
 *
 * MCP 2025-11-25, Basic › Transports › Streamable HTTP › Resumability and Redelivery: the server attaches an
 * SSE `id` to each event; a client that lost the stream reconnects with `GET` and `Last-Event-ID`, and the
 * server replays the events of *that* stream sent after that id.
 *
 * @module
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/core';
import { ServerTransportError } from './transportErrors.js';

/** Identifies one SSE stream (a POST's response stream or the standalone GET stream) of a session. */
export type StreamId = string;
/** Identifies one stored event; sent to the client as the SSE `id` field. */
export type EventId = string;

/**
 * Persists the messages a server writes to SSE streams so a reconnecting client can be sent what it missed.
 *
 * Besides JSON-RPC messages, the transport stores one empty object (`{}`) at the start of each stream to mint
 * the id of the stream's priming event (an SSE event with an id and empty data); a store keeps it like any
 * other event, and the transport skips it if it is ever replayed.
 */
export interface EventStore {
    /** Stores a message written to `streamId` and returns the new event's id, unique across streams. */
    storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId>;
    /**
     * The stream an event belongs to, or `undefined` if unknown. Optional, but a store that implements it lets
     * the transport attach the reconnecting client before replaying, so no event is lost or sent twice.
     */
    getStreamIdForEventId?(eventId: EventId): Promise<StreamId | undefined>;
    /**
     * Sends, in order, every event of `lastEventId`'s stream stored after it, and returns that stream's id.
     * Rejects when `lastEventId` is unknown.
     */
    replayEventsAfter(
        lastEventId: EventId,
        sink: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }
    ): Promise<StreamId>;
}

/** Limits of an {@link InMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
    /** Events kept per stream; older ones are dropped first. Default 1000. */
    maxEventsPerStream?: number;
    /** Streams kept; the least recently written stream is dropped first. Default 10 000. */
    maxStreams?: number;
}

interface StoredStream {
    /** Sequence number of the first retained event. */
    first: number;
    /** Retained messages; `messages[i]` has sequence number `first + i`. */
    messages: JSONRPCMessage[];
}

/**
 * A bounded, process-local {@link EventStore}, for single-process servers and tests. Event ids have the form
 * `<streamId>_<sequence>`.
 */
export class InMemoryEventStore implements EventStore {
    private readonly _streams = new Map<StreamId, StoredStream>();
    private readonly _maxEvents: number;
    private readonly _maxStreams: number;

    constructor(options: InMemoryEventStoreOptions = {}) {
        this._maxEvents = positiveInteger(options.maxEventsPerStream ?? 1000, 'maxEventsPerStream');
        this._maxStreams = positiveInteger(options.maxStreams ?? 10_000, 'maxStreams');
    }

    /** @inheritDoc */
    async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
        let stream = this._streams.get(streamId);
        if (stream) {
            // Re-insert so Map order tracks recency of writes.
            this._streams.delete(streamId);
        } else {
            stream = { first: 0, messages: [] };
            if (this._streams.size >= this._maxStreams) {
                const oldest = this._streams.keys().next();
                if (!oldest.done) this._streams.delete(oldest.value);
            }
        }
        this._streams.set(streamId, stream);
        stream.messages.push(message);
        if (stream.messages.length > this._maxEvents) {
            stream.messages.shift();
            stream.first++;
        }
        return `${streamId}_${stream.first + stream.messages.length - 1}`;
    }

    /** @inheritDoc */
    async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
        const parsed = this._parse(eventId);
        return parsed && this._streams.has(parsed.streamId) ? parsed.streamId : undefined;
    }

    /** @inheritDoc */
    async replayEventsAfter(
        lastEventId: EventId,
        sink: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }
    ): Promise<StreamId> {
        const parsed = this._parse(lastEventId);
        const stream = parsed && this._streams.get(parsed.streamId);
        if (!parsed || !stream) {
            throw new ServerTransportError('UNKNOWN_EVENT_ID', `Unknown event id ${JSON.stringify(lastEventId)}`);
        }
        const end = stream.first + stream.messages.length;
        for (let seq = Math.max(parsed.seq + 1, stream.first); seq < end; seq++) {
            const message = stream.messages[seq - stream.first];
            if (message) await sink.send(`${parsed.streamId}_${seq}`, message);
        }
        return parsed.streamId;
    }

    private _parse(eventId: EventId): { streamId: StreamId; seq: number } | undefined {
        const sep = eventId.lastIndexOf('_');
        if (sep <= 0) return undefined;
        const digits = eventId.slice(sep + 1);
        if (!/^\d+$/.test(digits)) return undefined;
        return { streamId: eventId.slice(0, sep), seq: Number(digits) };
    }
}

function positiveInteger(value: number, name: string): number {
    if (!Number.isInteger(value) || value < 1) {
        throw new ServerTransportError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`);
    }
    return value;
}
