/**
 * Server-Sent Events decoding (WHATWG HTML, "Server-sent events", §9.2.6 "Interpreting an event stream") over
 * `eventsource-parser`, shared by the Streamable HTTP and the legacy HTTP+SSE client transports.
 *
 * Reads a `fetch` response body; no `EventSource` is involved, so every request goes through the transport's own
 * `fetch` (and, later, its auth layer).
 *
 * @module
 */
import type { EventSourceMessage, ParseError } from 'eventsource-parser';
import { createParser } from 'eventsource-parser';
import { MessageTooLargeError } from './transportErrors.js';

/** One dispatched SSE event. `event` is `undefined` for the default type (`message`). */
export type SseEvent = EventSourceMessage;

/** Callbacks for {@link readSseStream}. */
export interface SseHandlers {
    /** Called for each dispatched event (an event needs at least one `data` field, possibly empty). */
    onEvent(event: SseEvent): void;
    /** Called when the server sets the reconnection time (`retry:` field), in milliseconds. */
    onRetry?(milliseconds: number): void;
}

/** The media type of an SSE body. */
export const SSE_CONTENT_TYPE = 'text/event-stream';

/** Room, beyond the data limit, for the field name and line ending of the line being buffered (`data: `…`\r\n`). */
const FIELD_SLACK = 16;

/**
 * Returns the media type of a response (`Content-Type` without parameters, lower case; empty when absent).
 */
export function mediaType(response: Response): string {
    const value = response.headers.get('content-type');
    if (value === null) return '';
    const semicolon = value.indexOf(';');
    return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Reads an SSE body to its end, calling the handlers as events arrive.
 *
 * Resolves when the server ends the stream; rejects with the underlying error when the connection breaks or
 * the request is aborted. A handler that throws stops reading and rejects too.
 *
 * At most about `maxEventSize` characters of one event are buffered (the event's data, or a line not yet
 * ended); an event that grows larger stops reading and rejects with {@link MessageTooLargeError}, so a hostile
 * server cannot make the client buffer without bound. A character never takes less than one UTF-8 byte, so
 * a limit in bytes admits every message of at most that many bytes.
 */
export async function readSseStream(
    body: ReadableStream<Uint8Array> | null,
    handlers: SseHandlers,
    maxEventSize: number
): Promise<void> {
    if (body === null) return;
    const { onEvent, onRetry } = handlers;
    const parser = createParser({
        // The parser bounds what it buffers across `feed` calls; an event whose data arrives within one chunk
        // is only seen whole, so it is measured here.
        onEvent: event => {
            if (event.data.length > maxEventSize) throw new MessageTooLargeError(maxEventSize);
            onEvent(event);
        },
        onRetry,
        onError: (error: ParseError) => {
            if (error.type === 'max-buffer-size-exceeded') throw new MessageTooLargeError(maxEventSize);
        },
        maxBufferSize: maxEventSize + FIELD_SLACK
    });
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
        }
        const rest = decoder.decode();
        if (rest !== '') parser.feed(rest);
    } catch (error) {
        reader.cancel(error).catch(() => {});
        throw error;
    }
}

/** Releases a response body the caller does not read (so the connection can be reused). Never throws. */
export function discardBody(response: Response): void {
    response.body?.cancel().catch(() => {});
}
