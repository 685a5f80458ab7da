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

/**
 * Whether arrays and objects nest deeper than `maxDepth`, outside strings. Jumps from one structural character to
 * the next with a regular expression and over each string with `indexOf`, so text-heavy payloads (a large tool
 * result is mostly one string) are scanned at native speed; linear in the text's length.
 */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
    const structural = /["[\]{}]/g;
    let depth = 0;
    for (let match = structural.exec(text); match !== null; match = structural.exec(text)) {
        const code = text.charCodeAt(match.index);
        if (code === 0x22) {
            const end = closingQuote(text, match.index);
            if (end === -1) return false; // unterminated string: JSON.parse refuses the text
            structural.lastIndex = end + 1;
        } else if (code === 0x5b || code === 0x7b) {
            if (++depth > maxDepth) return true;
        } else {
            depth--;
        }
    }
    return false;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function closingQuote(text: string, open: number): number {
    let at = text.indexOf('"', open + 1);
    while (at !== -1 && isEscaped(text, at)) at = text.indexOf('"', at + 1);
    return at;
}

/** True when an odd run of backslashes precedes `at` (each run is counted once, at the quote it precedes). */
function isEscaped(text: string, at: number): boolean {
    let backslashes = 0;
    for (let i = at - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
    return backslashes % 2 === 1;
}
