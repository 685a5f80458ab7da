/**
 * Test-only reader for the Bearer challenges this package writes (one challenge, auth-params as quoted strings).
 * Independent of the implementation under test and of the client package's parser.
 */
export function parseBearerChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
    if (header === null) throw new Error('no WWW-Authenticate header');
    const match = /^(\S+)(?: (.*))?$/s.exec(header);
    if (!match) throw new Error(`unparseable challenge: ${header}`);
    const params: Record<string, string> = {};
    const rest = match[2] ?? '';
    const param = /([A-Za-z_]+)="((?:[^"\\]|\\.)*)"(?:, |$)/gy;
    let consumed = 0;
    for (let m = param.exec(rest); m !== null; m = param.exec(rest)) {
        const name = m[1] as string;
        if (name in params) throw new Error(`duplicate parameter ${name}`);
        params[name] = (m[2] as string).replace(/\\(.)/g, '$1');
        consumed = param.lastIndex;
    }
    if (consumed !== rest.length) throw new Error(`trailing garbage in challenge: ${header}`);
    return { scheme: match[1] as string, params };
}
