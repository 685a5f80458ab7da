/**
 * RFC 6570 URI templates: expansion (levels 1–4: all operators, prefix `:n` and explode `*`) and the reverse,
 * matching a URI against a template to recover variables (used to route `resources/read` to resource
 * templates).
 *
 * Matching is best-effort, as RFC 6570 §1.4 notes expansion is not generally reversible: values are split on
 * the operator's separators and percent-decoded; query-style expressions (`{?a,b}`, `{&c}`) match by name in
 * any order and ignore unknown parameters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6570
 * @module
 */

/** Values a template can expand: a string, a list, or absent. Numbers and booleans are stringified. */
export type UriTemplateValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

/** Variables for {@link UriTemplate.expand}. */
export type UriTemplateVariables = Record<string, UriTemplateValue>;

/** Variables recovered by {@link UriTemplate.match}. Exploded or comma-listed multi-variable values are arrays. */
export type UriTemplateMatch = Record<string, string | string[]>;
/** The variables {@link UriTemplate.match} returns (official v2 name of {@link UriTemplateMatch}). */
export type Variables = UriTemplateMatch;

/** Thrown for a malformed template. */
export class UriTemplateError extends Error {
    override name = 'UriTemplateError';
    /** Stable error code. */
    readonly code = 'INVALID_URI_TEMPLATE' as const;
}

/** Upper bounds that keep matching linear-ish on hostile input. */
const MAX_TEMPLATE_LENGTH = 4096;
const MAX_EXPRESSIONS = 32;
const MAX_URI_LENGTH = 16_384;

interface OperatorSpec {
    first: string;
    sep: string;
    named: boolean;
    ifEmpty: string;
    allowReserved: boolean;
}

// RFC 6570 Appendix A table.
const OPERATORS: Record<string, OperatorSpec> = {
    '': { first: '', sep: ',', named: false, ifEmpty: '', allowReserved: false },
    '+': { first: '', sep: ',', named: false, ifEmpty: '', allowReserved: true },
    '.': { first: '.', sep: '.', named: false, ifEmpty: '', allowReserved: false },
    '/': { first: '/', sep: '/', named: false, ifEmpty: '', allowReserved: false },
    ';': { first: ';', sep: ';', named: true, ifEmpty: '', allowReserved: false },
    '?': { first: '?', sep: '&', named: true, ifEmpty: '=', allowReserved: false },
    '&': { first: '&', sep: '&', named: true, ifEmpty: '=', allowReserved: false },
    '#': { first: '#', sep: ',', named: false, ifEmpty: '', allowReserved: true }
};

interface VarSpec {
    name: string;
    explode: boolean;
    prefix: number | undefined;
}

interface Expression {
    operator: string;
    spec: OperatorSpec;
    vars: VarSpec[];
}

type Part = string | Expression;

const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*$/;

function parse(template: string): Part[] {
    if (template.length > MAX_TEMPLATE_LENGTH) throw new UriTemplateError('URI template is too long');
    const parts: Part[] = [];
    let index = 0;
    let expressions = 0;
    while (index < template.length) {
        const open = template.indexOf('{', index);
        if (open === -1) {
            parts.push(template.slice(index));
            break;
        }
        if (open > index) parts.push(template.slice(index, open));
        const close = template.indexOf('}', open);
        if (close === -1) throw new UriTemplateError(`Unclosed expression at offset ${open}`);
        if (++expressions > MAX_EXPRESSIONS) throw new UriTemplateError('URI template has too many expressions');
        parts.push(parseExpression(template.slice(open + 1, close)));
        index = close + 1;
    }
    for (const part of parts) {
        if (typeof part === 'string' && /[{}]/.test(part)) throw new UriTemplateError('Unbalanced braces');
    }
    return parts;
}

function parseExpression(body: string): Expression {
    let operator = body.charAt(0);
    let list = body;
    if (operator in OPERATORS && operator !== '') list = body.slice(1);
    else if (/^[=,!@|]/.test(operator)) throw new UriTemplateError(`Reserved operator "${operator}"`);
    else operator = '';
    const vars = list.split(',').map((raw): VarSpec => {
        let name = raw;
        let explode = false;
        let prefix: number | undefined;
        if (name.endsWith('*')) {
            explode = true;
            name = name.slice(0, -1);
        } else {
            const colon = name.indexOf(':');
            if (colon !== -1) {
                const length = name.slice(colon + 1);
                if (!/^[1-9][0-9]{0,3}$/.test(length)) throw new UriTemplateError(`Invalid prefix in "${raw}"`);
                prefix = Number(length);
                name = name.slice(0, colon);
            }
        }
        if (!VARNAME.test(name)) throw new UriTemplateError(`Invalid variable name "${raw}"`);
        return { name, explode, prefix };
    });
    return { operator, spec: OPERATORS[operator]!, vars };
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function encode(value: string, allowReserved: boolean): string {
    let out = '';
    for (let i = 0; i < value.length; i++) {
        const ch = value[i]!;
        if (UNRESERVED.test(ch)) out += ch;
        else if (allowReserved && RESERVED.test(ch)) out += ch;
        else if (allowReserved && ch === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) out += ch;
        else {
            const code = value.codePointAt(i)!;
            const char = String.fromCodePoint(code);
            if (char.length === 2) i++;
            out += encodeURIComponent(char).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        }
    }
    return out;
}

function expandExpression(expression: Expression, variables: UriTemplateVariables): string {
    const { spec } = expression;
    const pieces: string[] = [];
    for (const v of expression.vars) {
        const value = variables[v.name];
        if (value === undefined) continue;
        if (Array.isArray(value)) {
            const list = (value as readonly (string | number | boolean)[]).map(String);
            if (list.length === 0) continue;
            if (v.explode) {
                for (const item of list) {
                    const encoded = encode(item, spec.allowReserved);
                    pieces.push(spec.named ? namedPair(v.name, encoded, spec) : encoded);
                }
            } else {
                const joined = list.map(item => encode(item, spec.allowReserved)).join(',');
                pieces.push(spec.named ? `${v.name}=${joined}` : joined);
            }
            continue;
        }
        let text = String(value);
        if (v.prefix !== undefined) text = Array.from(text).slice(0, v.prefix).join('');
        const encoded = encode(text, spec.allowReserved);
        pieces.push(spec.named ? namedPair(v.name, encoded, spec) : encoded);
    }
    return pieces.length === 0 ? '' : spec.first + pieces.join(spec.sep);
}

function namedPair(name: string, encoded: string, spec: OperatorSpec): string {
    return encoded === '' ? name + spec.ifEmpty : `${name}=${encoded}`;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regex fragment capturing one expression's whole expansion (possibly empty). */
function expressionPattern(expression: Expression): string {
    // Lazy quantifiers: with the anchored regex, earlier expressions take the shortest text that lets the rest
    // of the template match (so `{+path}{?q}` leaves the query to `{?q}`).
    switch (expression.operator) {
        case '':
            return '([^/?#]*?)';
        case '+':
            return '(.*?)';
        case '#':
            return '((?:#.*)?)';
        case '.':
            return '((?:\\.[^/?#]*?)?)';
        case '/':
            // One plain variable is one segment; lists and several variables may span segments.
            return expression.vars.length === 1 && !expression.vars[0]!.explode ? '((?:/[^/?#]*)?)' : '((?:/[^?#]*?)?)';
        case ';':
            return '((?:;[^/?#]*?)?)';
        case '?':
            return '((?:\\?[^#]*?)?)';
        default:
            return '((?:&[^#]*?)?)';
    }
}

function decode(text: string): string | undefined {
    try {
        return decodeURIComponent(text);
    } catch {
        return undefined;
    }
}

/** Splits one expression's matched text back into variables; false if it cannot be decoded. */
function readExpression(expression: Expression, text: string, out: UriTemplateMatch): boolean {
    if (text === '') return true;
    const { spec, vars } = expression;
    const body = text.slice(spec.first.length);
    const items = body.split(spec.sep);
    if (spec.named) return readNamed(vars, items, out);
    if (vars.length === 1 && !vars[0]!.explode) {
        const value = decode(body);
        if (value === undefined) return false;
        out[vars[0]!.name] = value;
        return true;
    }
    const decoded: string[] = [];
    for (const item of items) {
        const value = decode(item);
        if (value === undefined) return false;
        decoded.push(value);
    }
    // Positional: each non-exploded variable takes one item; an exploded one takes the rest.
    let i = 0;
    for (const v of vars) {
        if (i >= decoded.length) break;
        if (v.explode) {
            out[v.name] = decoded.slice(i);
            i = decoded.length;
        } else {
            out[v.name] = decoded[i++]!;
        }
    }
    return true;
}

function readNamed(vars: VarSpec[], items: string[], out: UriTemplateMatch): boolean {
    const wanted = new Map(vars.map(v => [v.name, v]));
    for (const item of items) {
        const eq = item.indexOf('=');
        const name = decode(eq === -1 ? item : item.slice(0, eq));
        if (name === undefined) return false;
        const v = wanted.get(name);
        if (!v) continue;
        const raw = eq === -1 ? '' : item.slice(eq + 1);
        if (v.explode) {
            const value = decode(raw);
            if (value === undefined) return false;
            const previous = out[name];
            out[name] = Array.isArray(previous) ? [...previous, value] : [value];
        } else if (raw.includes(',')) {
            const list: string[] = [];
            for (const piece of raw.split(',')) {
                const value = decode(piece);
                if (value === undefined) return false;
                list.push(value);
            }
            out[name] = list;
        } else {
            const value = decode(raw);
            if (value === undefined) return false;
            out[name] = value;
        }
    }
    return true;
}

/**
 * A parsed RFC 6570 URI template.
 *
 * @example
 * ```ts
 * const t = new UriTemplate('file:///{+path}{?rev}');
 * t.expand({ path: 'src/a.ts', rev: '3' }); // 'file:///src/a.ts?rev=3'
 * t.match('file:///src/a.ts?rev=3'); // { path: 'src/a.ts', rev: '3' }
 * ```
 */
export class UriTemplate {
    /** The template text. */
    readonly template: string;
    private readonly _parts: Part[];
    private _regex: RegExp | undefined;

    /** @throws {@link UriTemplateError} for a malformed template. */
    constructor(template: string) {
        this.template = template;
        this._parts = parse(template);
    }

    /** True when `text` contains at least one `{expression}`. */
    static isTemplate(text: string): boolean {
        return /\{[^{}\s]+\}/.test(text);
    }

    /** The names of all variables, in order of appearance. */
    get variableNames(): string[] {
        const names: string[] = [];
        for (const part of this._parts) if (typeof part !== 'string') for (const v of part.vars) names.push(v.name);
        return names;
    }

    /** Expands the template (RFC 6570 §3). Undefined variables and empty lists are omitted. */
    expand(variables: UriTemplateVariables): string {
        let out = '';
        for (const part of this._parts) out += typeof part === 'string' ? part : expandExpression(part, variables);
        return out;
    }

    /**
     * Matches `uri` against the template and returns the decoded variables, or `null` if it does not match
     * (or is longer than 16 KiB). Variables absent from the URI are absent from the result.
     */
    match(uri: string): UriTemplateMatch | null {
        if (uri.length > MAX_URI_LENGTH) return null;
        this._regex ??= new RegExp(
            `^${this._parts.map(p => (typeof p === 'string' ? escapeRegExp(p) : expressionPattern(p))).join('')}$`
        );
        const found = this._regex.exec(uri);
        if (!found) return null;
        const out: UriTemplateMatch = {};
        let group = 1;
        for (const part of this._parts) {
            if (typeof part === 'string') continue;
            if (!readExpression(part, found[group++] ?? '', out)) return null;
        }
        return out;
    }

    /** The template text. */
    toString(): string {
        return this.template;
    }
}
