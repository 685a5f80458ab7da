/**
 * docs/deployment.md shows the nginx configs these tests run: each block marked `<!-- nginx.conf: <routing> -->`
 * must be exactly what `renderNginxConfig` produces for instances i1…i3 on ports 8101…8103 and the front on 8080.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../src/nginx.js';
import type { Routing } from '../src/nginx.js';

const DOC = readFileSync(new URL('../../../docs/deployment.md', import.meta.url), 'utf8');
const UPSTREAMS = [1, 2, 3].map(i => ({ id: `i${i}`, port: 8100 + i }));

/** The fenced block that follows `<!-- nginx.conf: <routing> -->`. */
function documented(routing: Routing): string | undefined {
    const marker = `<!-- nginx.conf: ${routing} -->`;
    const at = DOC.indexOf(marker);
    if (at === -1) return undefined;
    return /```nginx\n([\s\S]*?)```/.exec(DOC.slice(at + marker.length))?.[1];
}

describe('docs/deployment.md', () => {
    it.each(['round-robin', 'session-owner'] as const)('shows the %s config the tests run', routing => {
        expect(documented(routing)).toBe(renderNginxConfig({ upstreams: UPSTREAMS, fronts: { [routing]: 8080 } }));
    });
});
