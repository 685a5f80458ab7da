import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(packageDir, '../../node_modules/.bin/tsx');

describe('the demo (README’s first command)', () => {
    it('runs the seed workload with exactly three authorizations and exits 0', async () => {
        const { stdout } = await promisify(execFile)(tsx, ['--conditions=mcp-source', 'src/demo.ts'], {
            cwd: packageDir,
            env: { ...process.env, NO_COLOR: '1' },
            timeout: 60_000
        });
        const requested = [...stdout.matchAll(/authorization #\d requesting scope (.+)/g)].map(m => m[1]);
        expect(requested).toEqual([
            'init offline_access',
            'init mcp:tools:read offline_access',
            'init mcp:tools:read mcp:tools:write offline_access'
        ]);
        expect(stdout).toContain('operations:     8');
        expect(stdout).toContain('✓ the minimum of 3 authorizations');
    });
});

describe('the redirect-flow example (docs/progressive-authorization.md)', () => {
    it('handles every redirect, completes the parallel calls and the reload, with exactly three authorizations', async () => {
        const { stdout } = await promisify(execFile)(tsx, ['--conditions=mcp-source', 'src/redirectExample.ts'], {
            cwd: packageDir,
            env: { ...process.env, NO_COLOR: '1' },
            timeout: 60_000
        });
        expect([...stdout.matchAll(/→ redirect, asking for scope "(.+)"/g)].map(m => m[1])).toEqual([
            'init',
            'init mcp:tools:read',
            'init mcp:tools:read mcp:tools:write'
        ]);
        expect(stdout).toContain('parallel calls: 3 completed');
        expect(stdout).toContain('after a reload: no new authorization');
        expect(stdout).toContain('authorizations: 3');
    });
});
