/**
 * Strict recognition of the JSON media type in a `Content-Type` field value, so that every part of the server
 * (the scope policy, the body reader, the transport) agrees on which bodies are JSON.
 *
 * RFC 9110 §8.3.1: `media-type = type "/" subtype parameters`, `parameters = *( OWS ";" OWS [ parameter ] )`,
 * `parameter = parameter-name "=" ( token / quoted-string )`, with `OWS = *( SP / HTAB )` (§5.6.3) and the
 * field value's own leading and trailing SP / HTAB ignored (§5.5). Nothing else counts as whitespace: a
 * no-break space (0xA0), a vertical tab or a line break makes the value invalid. RFC 8259 §8.1: JSON text is
 * UTF-8, so a `charset` parameter, when present, must name UTF-8.
 *
 * The parser is a single left-to-right scan (no regular expression with nested repetition), so its cost is
 * linear in the length of the value, whatever a client sends.
 *
 * @module
 */

/** A parsed media type: lower-case type and subtype, parameters by lower-case name (values unquoted). */
export interface MediaType {
    readonly type: string;
    readonly subtype: string;
    readonly parameters: ReadonlyMap<string, string>;
}

/** Longest `Content-Type` value considered; longer ones are not a media type this server accepts. */
const MAX_LENGTH = 1024;

/** `tchar` (RFC 9110 §5.6.2). */
function isTokenChar(code: number): boolean {
    return (
        (code >= 0x30 && code <= 0x39) || // DIGIT
        (code >= 0x41 && code <= 0x5a) || // ALPHA upper
        (code >= 0x61 && code <= 0x7a) || // ALPHA lower
        "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code))
    );
}

function isOws(code: number): boolean {
    return code === 0x20 || code === 0x09;
}

/** A cursor over the field value. */
class Scanner {
    index = 0;
    constructor(readonly text: string) {}

    get done(): boolean {
        return this.index >= this.text.length;
    }

    peek(): number {
        return this.text.charCodeAt(this.index);
    }

    skipOws(): void {
        while (!this.done && isOws(this.peek())) this.index++;
    }

    /** Reads `1*tchar`; `undefined` when there is none here. */
    token(): string | undefined {
        const start = this.index;
        while (!this.done && isTokenChar(this.peek())) this.index++;
        return this.index === start ? undefined : this.text.slice(start, this.index);
    }

    /** Reads a quoted-string (without obs-text) and returns its unescaped content; `undefined` when malformed. */
    quoted(): string | undefined {
        this.index++; // the opening DQUOTE
        let value = '';
        while (!this.done) {
            const code = this.peek();
            this.index++;
            if (code === 0x22) return value;
            if (code === 0x5c) {
                if (this.done) return undefined;
                const escaped = this.peek();
                if (!(escaped === 0x09 || (escaped >= 0x20 && escaped <= 0x7e))) return undefined;
                value += String.fromCharCode(escaped);
                this.index++;
            } else if (code === 0x09 || code === 0x20 || code === 0x21 || (code >= 0x23 && code <= 0x7e)) {
                value += String.fromCharCode(code);
            } else {
                return undefined;
            }
        }
        return undefined;
    }
}

/** Strips the field value's leading and trailing SP / HTAB (RFC 9110 §5.5), in linear time. */
function trimOws(value: string): string {
    let start = 0;
    let end = value.length;
    while (start < end && isOws(value.charCodeAt(start))) start++;
    while (end > start && isOws(value.charCodeAt(end - 1))) end--;
    return value.slice(start, end);
}

/**
 * Parses a `Content-Type` field value (RFC 9110 §8.3.1). Returns `undefined` for anything that is not exactly
 * one syntactically valid media type, including a parameter repeated with the same name, and for values over
 * 1 KiB.
 */
export function parseMediaType(value: string | null | undefined): MediaType | undefined {
    if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
    const scan = new Scanner(trimOws(value));
    const type = scan.token();
    if (type === undefined || scan.done || scan.peek() !== 0x2f) return undefined;
    scan.index++;
    const subtype = scan.token();
    if (subtype === undefined) return undefined;
    const parameters = new Map<string, string>();
    while (!scan.done) {
        scan.skipOws();
        if (scan.done || scan.peek() !== 0x3b) return undefined;
        scan.index++;
        scan.skipOws();
        if (scan.done || scan.peek() === 0x3b) continue; // an empty parameter
        const name = scan.token();
        if (name === undefined || scan.done || scan.peek() !== 0x3d) return undefined;
        scan.index++;
        const parameterValue = !scan.done && scan.peek() === 0x22 ? scan.quoted() : scan.token();
        if (parameterValue === undefined) return undefined;
        const key = name.toLowerCase();
        if (parameters.has(key)) return undefined;
        parameters.set(key, parameterValue);
    }
    return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), parameters };
}

/**
 * True when a `Content-Type` field value is `application/json` (any letter case) with optional parameters, the
 * only whitespace being SP and HTAB where RFC 9110 allows it, and no `charset` other than UTF-8.
 *
 * @example
 * ```ts
 * isJsonContentType('application/json; charset=utf-8'); // true
 * isJsonContentType('application/json\u00a0'); // false: U+00A0 is not HTTP whitespace
 * isJsonContentType('text/plain'); // false
 * ```
 */
export function isJsonContentType(value: string | null | undefined): boolean {
    if (value === 'application/json') return true; // the common case, without parsing
    const media = parseMediaType(value);
    if (!media || media.type !== 'application' || media.subtype !== 'json') return false;
    const charset = media.parameters.get('charset');
    return charset === undefined || charset.toLowerCase() === 'utf-8';
}
