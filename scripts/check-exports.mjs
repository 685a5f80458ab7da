// Verifies the built packages: every `exports` entry has its ESM, CJS and declaration files, the ESM and CJS
// builds load in plain Node (no source condition) and expose the same names, and the key public names exist.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const expected = {
    'packages/core': {
        '.': ['Protocol', 'McpError', 'parseJSONRPCMessage', 'CallToolResultSchema', 'InMemoryTransport'],
        './validators': ['AjvEngineValidator', 'CfWorkerEngineValidator', 'validateStandardSchema'],
        './validators/ajv': ['Ajv', 'AjvJsonSchemaValidator', 'addFormats'],
        './validators/cf-worker': ['CfWorkerJsonSchemaValidator']
    },
    'packages/client': {
        '.': [
            'Client',
            'StreamableHTTPClientTransport',
            'SSEClientTransport',
            'auth',
            'UnauthorizedError',
            'InsufficientScopeError',
            'withOAuth'
        ],
        './stdio': ['StdioClientTransport'],
        './validators/ajv': ['Ajv', 'AjvJsonSchemaValidator', 'addFormats'],
        './validators/cf-worker': ['CfWorkerJsonSchemaValidator'],
        './_shims': ['DefaultJsonSchemaValidator']
    },
    'packages/server': {
        '.': ['McpServer', 'Server', 'createMcpHandler', 'createScopePolicy', 'authorizeRequest'],
        './stdio': ['StdioServerTransport', 'serveStdio'],
        './validators/ajv': ['Ajv', 'AjvJsonSchemaValidator', 'addFormats'],
        './validators/cf-worker': ['CfWorkerJsonSchemaValidator'],
        './adapter': ['BodyAccumulator', 'readJsonBody', 'authorizeHttpRequest', 'WebRequestView', 'toResponse']
    },
    'packages/middleware/node': { '.': ['NodeStreamableHTTPServerTransport', 'toNodeHandler', 'authorizeNodeRequest'] },
    'packages/middleware/express': { '.': ['createMcpExpressApp', 'mountMcp', 'requireBearerAuth'] },
    'packages/middleware/hono': { '.': ['createMcpHonoApp', 'originValidation', 'requireBearerAuth'] },
    'packages/middleware/fastify': { '.': ['createMcpFastifyApp', 'originValidation', 'requireBearerAuth'] },
    'packages/redis': { '.': ['RedisEventStore', 'RedisEventStoreError'] }
};

let problems = 0;
const fail = message => {
    problems++;
    console.error(`✗ ${message}`);
};

for (const [dir, entries] of Object.entries(expected)) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    // An entry is `{ import, require }`, or runtime conditions (`browser`, `node`…) each mapping to one.
    const targets = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
        'import' in target
            ? [[subpath, '', target]]
            : Object.entries(target)
                  .filter(([condition]) => condition !== 'mcp-source')
                  .map(([condition, branch]) => [subpath, ` [${condition}]`, branch])
    );
    for (const [subpath, condition, target] of targets) {
        const label = `${pkg.name}${subpath === '.' ? '' : subpath.slice(1)}${condition}`;
        const files = [target.import.default, target.import.types, target.require.default, target.require.types];
        const missing = files.filter(file => !existsSync(join(root, dir, file)));
        if (missing.length > 0) {
            fail(`${label}: missing ${missing.join(', ')}`);
            continue;
        }
        const esm = await import(pathToFileURL(join(root, dir, target.import.default)).href);
        const cjs = require(join(root, dir, target.require.default));
        const esmNames = Object.keys(esm).sort();
        const cjsNames = Object.keys(cjs)
            .filter(name => name !== '__esModule' && !name.startsWith('__'))
            .sort();
        if (esmNames.join() !== cjsNames.join()) fail(`${label}: ESM and CJS builds export different names`);
        for (const name of entries[subpath] ?? []) {
            if (!(name in esm)) fail(`${label}: ESM build lacks ${name}`);
            if (!(name in cjs)) fail(`${label}: CJS build lacks ${name}`);
        }
        console.log(`✓ ${label}: ${esmNames.length} exports, ESM + CJS + types`);
    }
}
if (problems > 0) process.exit(1);
