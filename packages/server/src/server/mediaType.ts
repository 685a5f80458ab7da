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
 * @module
 */

/** `token = 1*tchar` (RFC 9110 §5.6.2). */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** `quoted-string` without obs-text (RFC 9110 §5.6.4): qdtext and quoted-pairs of visible ASCII, SP or HTAB. */
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\t \\x21-\\x7E])*"';
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})((?:[ \\t]*;[ \\t]*(?:${TOKEN}=(?:${TOKEN}|${QUOTED}))?)*)$`);
const PARAMETER = new RegExp(`[ \\t]*;[ \\t]*(?:(${TOKEN})=(${TOKEN}|${QUOTED}))?`, 'gy');

/** A parsed media type: lower-case type and subtype, parameters by lower-case name (values unquoted). */
export interface MediaType {
    readonly type: string;
    readonly subtype: string;
    readonly parameters: ReadonlyMap<string, string>;
}

function unquote(value: string): string {
    return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/**
 * Parses a `Content-Type` field value (RFC 9110 §8.3.1). Returns `undefined` for anything that is not exactly
 * one syntactically valid media type, including a parameter repeated with the same name.
 */
export function parseMediaType(value: string | null | undefined): MediaType | undefined {
    if (typeof value !== 'string') return undefined;
    const match = MEDIA_TYPE.exec(value.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (!match) return undefined;
    const parameters = new Map<string, string>();
    const rest = match[3] as string;
    PARAMETER.lastIndex = 0;
    while (PARAMETER.lastIndex < rest.length) {
        const param = PARAMETER.exec(rest);
        if (!param) return undefined;
        if (param[1] === undefined) continue;
        const name = param[1].toLowerCase();
        if (parameters.has(name)) return undefined;
        parameters.set(name, unquote(param[2] as string));
    }
    return { type: (match[1] as string).toLowerCase(), subtype: (match[2] as string).toLowerCase(), parameters };
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
    const media = parseMediaType(value);
    if (!media || media.type !== 'application' || media.subtype !== 'json') return false;
    const charset = media.parameters.get('charset');
    return charset === undefined || charset.toLowerCase() === 'utf-8';
}
