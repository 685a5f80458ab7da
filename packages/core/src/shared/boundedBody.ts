/**
 * Reading a body stream (a request's or a response's) whole, but never more than a limit: the one bounded reader
 * the client's transports, its OAuth requests and the server's `readRequestBody` share. Web-standard.
 *
 * @module
 */

/** The outcome of {@link readBoundedBytes}: the bytes, or the fact that there were more than the limit. */
export type BoundedRead = { readonly tooLarge: true } | { readonly tooLarge: false; readonly bytes: Uint8Array };

/** Options of {@link readBoundedBytes}. */
export interface ReadBoundedOptions {
    /** A declared length (`Content-Length`): over the limit, nothing is read. */
    declaredLength?: number | undefined;
    /** Wraps each read (e.g. to race it against a deadline); its rejection ends the read. */
    wait?: (<T>(read: Promise<T>) => Promise<T>) | undefined;
}

/**
 * Reads `stream` to its end, stopping — and cancelling the stream — as soon as more than `limit` bytes arrived (or
 * at once when `declaredLength` is over the limit). A failing stream rejects (after the stream is cancelled).
 */
export async function readBoundedBytes(
    stream: ReadableStream<Uint8Array> | null,
    limit: number,
    options: ReadBoundedOptions = {}
): Promise<BoundedRead> {
    if (stream === null) return { tooLarge: false, bytes: new Uint8Array(0) };
    if (options.declaredLength !== undefined && options.declaredLength > limit) {
        stream.cancel().catch(() => {});
        return { tooLarge: true };
    }
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
        for (;;) {
            const read = reader.read();
            const { done, value } = await (options.wait === undefined ? read : options.wait(read));
            if (done) break;
            size += value.byteLength;
            if (size > limit) {
                reader.cancel().catch(() => {});
                return { tooLarge: true };
            }
            chunks.push(value);
        }
    } catch (error) {
        reader.cancel().catch(() => {});
        throw error;
    }
    return { tooLarge: false, bytes: concatBytes(chunks, size) };
}

/** The `Content-Length` of `headers` as a number, when it is one (digits only). */
export function declaredContentLength(headers: Headers): number | undefined {
    const value = headers.get('content-length')?.trim();
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Joins chunks of a known total size into one array (no copy for a single chunk). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
    if (chunks.length === 1) return chunks[0]!;
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return bytes;
}
