/**
 * Bounded body reading for the auth layer (introspection responses, request bodies read to find the operation).
 *
 * @module
 */

/** Thrown by {@link readTextCapped} when a body is longer than allowed. */
export class BodyTooLargeError extends Error {
    readonly code = 'BODY_TOO_LARGE' as const;
    override readonly name = 'BodyTooLargeError';
}

/**
 * Reads a body stream as UTF-8 text, stopping (and cancelling the stream) as soon as more than `maxBytes`
 * arrive, so a hostile peer cannot make the server buffer without bound.
 *
 * @throws {@link BodyTooLargeError} when the body exceeds `maxBytes`.
 */
export async function readTextCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
    if (body === null) return '';
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let received = 0;
    let text = '';
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > maxBytes) {
            await reader.cancel().catch(() => undefined);
            throw new BodyTooLargeError(`Body exceeds ${maxBytes} bytes`);
        }
        text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
}
