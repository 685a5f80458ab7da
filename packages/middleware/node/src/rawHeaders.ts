/**
 * Reading one header of a Node request without building Node's whole `headersDistinct` record (an object and an
 * array for every header, on every request): a scan of `rawHeaders`, allocating only for the header asked for.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';

const NONE: readonly string[] = Object.freeze([]);

/**
 * Every value of header `name` (lower case) as received, in order — what `req.headersDistinct[name]` holds, an
 * empty array when absent.
 */
export function rawHeaderValues(req: IncomingMessage, name: string): readonly string[] {
    const raw = req.rawHeaders;
    let values: string[] | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
        const key = raw[i]!;
        if (key.length === name.length && (key === name || key.toLowerCase() === name)) {
            (values ??= []).push(raw[i + 1]!);
        }
    }
    return values ?? NONE;
}
