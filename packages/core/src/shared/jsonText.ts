/**
 * Parsing JSON text received from a peer, with a bound on nesting: `JSON.parse` itself copes with deep input, but
 * everything that walks the value afterwards (schema validation, structured clones, user code) recurses, so a
 * hostile `[[[[…]]]]` a megabyte deep would end as a stack overflow far from where it came in. Refused here
 * instead, as invalid input.
 *
 * @module
 */

/** Deepest nesting of arrays and objects accepted in a received JSON text. */
export const MAX_JSON_DEPTH = 512;

/** A received JSON text nests arrays and objects deeper than allowed. */
export class JsonNestingError extends Error {
    override name = 'JsonNestingError';
    /** Stable error code. */
    readonly code = 'JSON_TOO_DEEP' as const;
    constructor(
        /** The depth that was exceeded. */
        readonly maxDepth: number
    ) {
        super(`JSON text nests deeper than ${maxDepth} levels`);
    }
}

/**
 * `JSON.parse`, refusing texts that nest deeper than `maxDepth` (one linear scan, skipped for texts too short to
 * be that deep).
 *
 * @throws {@link JsonNestingError} when the text nests too deep; `SyntaxError` (from `JSON.parse`) when it is not
 * JSON.
 */
export function parseJsonText(text: string, maxDepth: number = MAX_JSON_DEPTH): unknown {
    if (text.length > maxDepth && nestsDeeperThan(text, maxDepth)) throw new JsonNestingError(maxDepth);
    return JSON.parse(text);
}

function nestsDeeperThan(text: string, maxDepth: number): boolean {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (inString) {
            if (code === 0x5c) i++;
            else if (code === 0x22) inString = false;
        } else if (code === 0x22) {
            inString = true;
        } else if (code === 0x5b || code === 0x7b) {
            if (++depth > maxDepth) return true;
        } else if (code === 0x5d || code === 0x7d) {
            depth--;
        }
    }
    return false;
}
