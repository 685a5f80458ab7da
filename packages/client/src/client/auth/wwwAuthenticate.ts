/**
 * The `WWW-Authenticate` parser (RFC 9110 §11.6.1) and the Bearer challenge reader (RFC 6750 §3, RFC 9728 §5.1,
 * RFC 9470 §3). This is the only place challenges are parsed.
 *
 * ```
 * WWW-Authenticate = #challenge
 * challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param       = token BWS "=" BWS ( token / quoted-string )
 * token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 * ```
 *
 * The parser runs in one left-to-right pass (linear time), never throws, and drops a challenge it cannot parse
 * rather than guessing: a header sent by a hostile or broken server yields the challenges that are well formed.
 * {@link readChallenge} turns a 401 / 403 response into the challenge the step-up session acts on.
 *
 * @module
 */
import type { ScopeSet } from './scope.js';
import { parseScope, ScopeSet as Scopes } from './scope.js';

/** One authentication challenge (RFC 9110 §11.6.1). */
export interface Challenge {
    /** The auth-scheme, lower-cased (schemes are case-insensitive, RFC 9110 §11.1). */
    scheme: string;
    /** The token68 credentials form, when the challenge uses it instead of parameters. */
    token68?: string;
    /** Parameters by lower-cased name, values unquoted. When a name repeats, the first occurrence wins. */
    params: Record<string, string>;
}

/** Inputs longer than this (in characters, per header value) are ignored as hostile. */
export const MAX_WWW_AUTHENTICATE_LENGTH = 16 * 1024;

/**
 * Parses `WWW-Authenticate` header values into challenges (RFC 9110 §11.6.1).
 *
 * Accepts a single value, several values (each parsed on its own, so a broken one cannot swallow the next), or a
 * `Headers` object (whose `get` joins repeated headers with `", "`, which the list grammar absorbs). Returns `[]` for
 * empty, garbage, or over-long input.
 *
 * @example
 * ```ts
 * parseWWWAuthenticate('Bearer realm="mcp", scope="a b", Basic abc==');
 * // [{ scheme: 'bearer', params: { realm: 'mcp', scope: 'a b' } }, { scheme: 'basic', token68: 'abc==', params: {} }]
 * ```
 */
export function parseWWWAuthenticate(
    headerValues: string | readonly string[] | Headers | null | undefined
): Challenge[] {
    if (headerValues === null || headerValues === undefined) return [];
    if (typeof headerValues === 'string') return parseOne(headerValues);
    if (isHeaders(headerValues)) return parseOne(headerValues.get('www-authenticate') ?? '');
    const result: Challenge[] = [];
    for (const value of headerValues) {
        if (typeof value === 'string') result.push(...parseOne(value));
    }
    return result;
}

function isHeaders(value: unknown): value is Headers {
    return typeof value === 'object' && value !== null && typeof (value as Headers).get === 'function';
}

/** RFC 9110 §5.6.2 `tchar`. */
function isTchar(code: number): boolean {
    return (
        (code >= 0x61 && code <= 0x7a) || // a-z
        (code >= 0x41 && code <= 0x5a) || // A-Z
        (code >= 0x30 && code <= 0x39) || // 0-9
        code === 0x21 || // !
        (code >= 0x23 && code <= 0x27) || // # $ % & '
        code === 0x2a || // *
        code === 0x2b || // +
        code === 0x2d || // -
        code === 0x2e || // .
        code === 0x5e || // ^
        code === 0x5f || // _
        code === 0x60 || // `
        code === 0x7c || // |
        code === 0x7e // ~
    );
}

/** RFC 9110 §11.2 token68 characters, before the trailing `=` padding. */
function isToken68Char(code: number): boolean {
    return (
        (code >= 0x61 && code <= 0x7a) ||
        (code >= 0x41 && code <= 0x5a) ||
        (code >= 0x30 && code <= 0x39) ||
        code === 0x2d || // -
        code === 0x2e || // .
        code === 0x5f || // _
        code === 0x7e || // ~
        code === 0x2b || // +
        code === 0x2f // /
    );
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A cursor over one header value. Every method advances `pos` monotonically, which keeps the parse linear. */
class Cursor {
    pos = 0;
    constructor(readonly input: string) {}

    get done(): boolean {
        return this.pos >= this.input.length;
    }
    peek(): number {
        return this.input.charCodeAt(this.pos);
    }
    skipWhitespace(): void {
        while (!this.done && (this.peek() === SP || this.peek() === HTAB)) this.pos++;
    }
    /** Skips whitespace and empty list elements (RFC 9110 §5.6.1). */
    skipListSeparators(): void {
        while (!this.done && (this.peek() === SP || this.peek() === HTAB || this.peek() === COMMA)) this.pos++;
    }
    readWhile(predicate: (code: number) => boolean): string {
        const start = this.pos;
        while (!this.done && predicate(this.peek())) this.pos++;
        return this.input.slice(start, this.pos);
    }
    /** Reads a quoted-string starting at `"`; `undefined` when it is unterminated (the cursor is then at the end). */
    readQuoted(): string | undefined {
        this.pos++; // opening quote
        let value = '';
        let chunkStart = this.pos;
        while (!this.done) {
            const code = this.peek();
            if (code === DQUOTE) {
                value += this.input.slice(chunkStart, this.pos);
                this.pos++;
                return value;
            }
            if (code === BACKSLASH) {
                value += this.input.slice(chunkStart, this.pos);
                this.pos++;
                if (this.done) return undefined;
                chunkStart = this.pos; // the escaped character starts the next chunk (quoted-pair)
            } else if ((code < 0x20 && code !== HTAB) || code === 0x7f) {
                this.pos = this.input.length; // control characters are not allowed in a quoted-string
                return undefined;
            }
            this.pos++;
        }
        return undefined;
    }
    /** Skips to just past the next comma outside a quoted-string (error recovery). */
    skipElement(): void {
        while (!this.done) {
            const code = this.peek();
            if (code === COMMA) {
                this.pos++;
                return;
            }
            if (code === DQUOTE) {
                if (this.readQuoted() === undefined) return;
            } else {
                this.pos++;
            }
        }
    }
}

/**
 * Reads token68 at the cursor when what follows the scheme is token68 rather than an auth-param list: token68
 * characters, `=` padding, then only whitespace before a comma or the end. Leaves the cursor untouched otherwise.
 */
function tryToken68(cursor: Cursor): string | undefined {
    const start = cursor.pos;
    const input = cursor.input;
    let end = start;
    while (end < input.length && isToken68Char(input.charCodeAt(end))) end++;
    if (end === start) return undefined;
    while (end < input.length && input.charCodeAt(end) === EQUALS) end++;
    let after = end;
    while (after < input.length && (input.charCodeAt(after) === SP || input.charCodeAt(after) === HTAB)) after++;
    if (after < input.length && input.charCodeAt(after) !== COMMA) return undefined;
    cursor.pos = after;
    return input.slice(start, end);
}

/** Reads an auth-param value: a token or a quoted-string. `undefined` when neither is there. */
function readValue(cursor: Cursor): string | undefined {
    if (cursor.done) return undefined;
    if (cursor.peek() === DQUOTE) return cursor.readQuoted();
    const token = cursor.readWhile(isTchar);
    return token === '' ? undefined : token;
}

/** A parameter record without a prototype, so names like `__proto__` or `constructor` are plain keys. */
function emptyParams(): Record<string, string> {
    return Object.create(null) as Record<string, string>;
}

/** Parses a single header value (which may itself hold several challenges). */
function parseOne(input: string): Challenge[] {
    if (input.length > MAX_WWW_AUTHENTICATE_LENGTH) return [];
    const cursor = new Cursor(input);
    const challenges: Challenge[] = [];
    for (;;) {
        cursor.skipListSeparators();
        if (cursor.done) break;
        const scheme = cursor.readWhile(isTchar);
        if (scheme === '') {
            cursor.skipElement(); // not a challenge: skip this list element
            continue;
        }
        const afterScheme = cursor.pos;
        cursor.skipWhitespace();
        if (!cursor.done && cursor.peek() === EQUALS) {
            // `name=value` where a scheme was expected: a parameter of a challenge we dropped. Skip it.
            cursor.skipElement();
            continue;
        }
        const challenge: Challenge = { scheme: scheme.toLowerCase(), params: emptyParams() };
        if (cursor.done || cursor.peek() === COMMA) {
            challenges.push(challenge);
            continue;
        }
        if (cursor.pos === afterScheme) {
            cursor.skipElement(); // the scheme must be followed by 1*SP
            continue;
        }
        const token68 = tryToken68(cursor);
        if (token68 !== undefined) {
            challenge.token68 = token68;
            challenges.push(challenge);
            continue;
        }
        if (parseParams(cursor, challenge.params)) challenges.push(challenge);
    }
    return challenges;
}

/**
 * Parses the auth-param list of one challenge into `params`. Stops, with the cursor at the next challenge's scheme,
 * when a list element is not `name=value`. Returns `false` (the challenge is dropped) on malformed input; the
 * cursor is then past the broken element.
 */
function parseParams(cursor: Cursor, params: Record<string, string>): boolean {
    let count = 0;
    for (;;) {
        const nameStart = cursor.pos;
        const name = cursor.readWhile(isTchar);
        if (name === '') {
            cursor.skipElement();
            return false;
        }
        cursor.skipWhitespace();
        if (cursor.done || cursor.peek() !== EQUALS) {
            if (count === 0) {
                cursor.skipElement();
                return false;
            }
            cursor.pos = nameStart; // the start of the next challenge
            return true;
        }
        cursor.pos++; // '='
        cursor.skipWhitespace();
        const value = readValue(cursor);
        if (value === undefined) {
            cursor.skipElement();
            return false;
        }
        const key = name.toLowerCase();
        if (!Object.hasOwn(params, key)) params[key] = value;
        count++;
        cursor.skipWhitespace();
        if (cursor.done) return true;
        if (cursor.peek() !== COMMA) {
            cursor.skipElement();
            return false;
        }
        cursor.skipListSeparators();
        if (cursor.done) return true;
    }
}

/** The Bearer challenge members an OAuth client acts on (RFC 6750 §3, RFC 9728 §5.1, RFC 9470 §3). */
export interface BearerChallenge {
    /** `realm` (RFC 6750 §3). */
    realm?: string;
    /** `error`: `invalid_request`, `invalid_token`, `insufficient_scope` (RFC 6750 §3.1), or `insufficient_user_authentication` (RFC 9470 §3). */
    error?: string;
    /** `error_description`. */
    errorDescription?: string;
    /** `error_uri`. */
    errorUri?: string;
    /** `scope`, raw: the scope needed for this request (RFC 6750 §3). Parse it with `parseScope`. */
    scope?: string;
    /** `resource_metadata` (RFC 9728 §5.1), present only when it is an absolute http(s) URL. */
    resourceMetadata?: URL;
    /** `acr_values` (RFC 9470 §3), raw. */
    acrValues?: string;
    /** `max_age` in seconds (RFC 9470 §3), present only when it is a non-negative integer. */
    maxAge?: number;
    /** Every parameter of the challenge, as parsed. */
    params: Record<string, string>;
}

/**
 * Reads the first `Bearer` challenge of a parsed header (RFC 6750 §3). `undefined` when there is none. `scheme`
 * reads another scheme whose challenges carry the same parameters instead, e.g. `dpop` (RFC 9449 §7.1).
 *
 * @example
 * ```ts
 * const challenge = bearerChallenge(parseWWWAuthenticate(response.headers));
 * if (challenge?.error === 'insufficient_scope') { … }
 * ```
 */
export function bearerChallenge(challenges: readonly Challenge[], scheme = 'bearer'): BearerChallenge | undefined {
    const wanted = scheme.toLowerCase();
    const found = challenges.find(challenge => challenge.scheme === wanted);
    if (found === undefined) return undefined;
    const params = found.params;
    const result: BearerChallenge = { params };
    if (params.realm !== undefined) result.realm = params.realm;
    if (params.error !== undefined) result.error = params.error;
    if (params.error_description !== undefined) result.errorDescription = params.error_description;
    if (params.error_uri !== undefined) result.errorUri = params.error_uri;
    if (params.scope !== undefined) result.scope = params.scope;
    if (params.acr_values !== undefined) result.acrValues = params.acr_values;
    const resourceMetadata = httpUrl(params.resource_metadata);
    if (resourceMetadata !== undefined) result.resourceMetadata = resourceMetadata;
    if (params.max_age !== undefined && /^\d{1,10}$/.test(params.max_age)) result.maxAge = Number(params.max_age);
    return result;
}

function httpUrl(value: string | undefined): URL | undefined {
    if (value === undefined) return undefined;
    try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
    } catch {
        return undefined;
    }
}

/** A challenge the step-up session acts on (RFC 6750 §3, RFC 9470 §3), read by {@link readChallenge}. */
export interface ObservedChallenge {
    /** `401` (no or invalid token), `401 insufficient_user_authentication`, or `403 insufficient_scope`. */
    kind: 'unauthorized' | 'user-authentication' | 'insufficient-scope';
    /** The challenge's `scope` (empty when absent or malformed). */
    scopes: ScopeSet;
    /** RFC 6750 §3 `error_description`, as sent. */
    errorDescription?: string | undefined;
    /** RFC 9728 §5.1 `resource_metadata`. */
    resourceMetadata?: URL | undefined;
    /** RFC 9470 `acr_values`. */
    acrValues?: string | undefined;
    /** RFC 9470 `max_age`. */
    maxAge?: number | undefined;
}

function safeScope(scope: string | undefined): ScopeSet {
    try {
        return parseScope(scope);
    } catch {
        return Scopes.EMPTY;
    }
}

/**
 * Reads the challenge of a `401` / `403` response: a Bearer challenge, except a `403` without
 * `insufficient_scope` (not an authorization problem). A `401` with no `WWW-Authenticate` at all (2025-03-26
 * servers) counts as a bare Bearer challenge; a `401` with only other schemes is not ours. `undefined` otherwise.
 */
export function readChallenge(response: Response): ObservedChallenge | undefined {
    const status = response.status;
    if (status !== 401 && status !== 403) return undefined;
    const challenges = parseWWWAuthenticate(response.headers);
    // A DPoP-protected resource challenges with the DPoP scheme and the same parameters (RFC 9449 §7.1).
    const bearer = bearerChallenge(challenges) ?? bearerChallenge(challenges, 'dpop');
    if (bearer === undefined) {
        return status === 401 && challenges.length === 0 ? { kind: 'unauthorized', scopes: Scopes.EMPTY } : undefined;
    }
    if (status === 403 && bearer.error !== 'insufficient_scope') return undefined;
    const kind =
        status === 403
            ? 'insufficient-scope'
            : bearer.error === 'insufficient_user_authentication'
              ? 'user-authentication'
              : 'unauthorized';
    return {
        kind,
        scopes: safeScope(bearer.scope),
        errorDescription: bearer.errorDescription,
        resourceMetadata: bearer.resourceMetadata,
        acrValues: bearer.acrValues,
        maxAge: bearer.maxAge
    };
}
