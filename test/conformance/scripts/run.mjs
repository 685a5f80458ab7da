// Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`) against this SDK.
//
//   node test/conformance/scripts/run.mjs server [scenario…]   our server fixture, every server scenario
//   node test/conformance/scripts/run.mjs client [scenario…]   our client fixture, every client scenario
//   node test/conformance/scripts/run.mjs server-2026 [scenario…]   the server scenarios protocol revision
//       2026-07-28 requires (`--requirements 2026-07-28`, suite 0.2.0-alpha), at that revision's wire
//   node test/conformance/scripts/run.mjs client-2026 [scenario…]   the client scenarios it requires, one by one
//       with `--spec-version 2026-07-28` (the client fixture then pins that revision)
//
// Revision 2025-11-25 runs on the suite's stable line (0.1.16, installed in `.conformance/`); revision 2026-07-28
// on its alpha line (installed in `.conformance-2026/`), whose required scenarios are frozen for the revision.
//
// The suite's CLI needs Node 22 (it imports `fs.globSync`), so it is installed once, with a Node 22 binary from the
// `node` npm package, into `<repo>/.conformance/`. Only the CLI runs on that binary (invoked by absolute path, so
// PATH is left alone); our fixtures run on the project's Node via `tsx --conditions=mcp-source`, against `src/`.
//
// A scenario passes when the CLI exits cleanly for it and its checks hold no FAILURE and no WARNING. The script
// prints a line per scenario and a totals line, writes `.tmp/results/conformance-<mode>.json`
// (`{ numPassedTests, numFailedTests }`, scenarios as tests; full runs only) and exits non-zero if any scenario
// did not pass.
// Full CLI output goes to `.tmp/results/conformance-<mode>.log`; per-scenario checks under `.tmp/conformance/`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MAJOR = '22';
/** Per mode: the suite's version, where it is installed, and the protocol revision it runs at. */
const SUITES = {
    server: { version: '0.1.16', dir: '.conformance', revision: undefined },
    client: { version: '0.1.16', dir: '.conformance', revision: undefined },
    'server-2026': { version: '0.2.0-alpha.12', dir: '.conformance-2026', revision: '2026-07-28' },
    'client-2026': {
        version: '0.2.0-alpha.12',
        dir: '.conformance-2026',
        revision: '2026-07-28',
        // Extension scenarios the revision does not score, run (and required to pass) all the same.
        extensions: ['auth/dpop', 'auth/dpop-nonce', 'auth/enterprise-managed-authorization', 'auth/wif-jwt-bearer']
    }
};
/** Timing-sensitive (reconnect delay measured in ms): always run alone, never beside other scenarios. */
const SOLO_CLIENT_SCENARIOS = ['sse-retry'];
const FIXTURE_START_TIMEOUT_MS = 60_000;

const [mode, ...only] = process.argv.slice(2);
const suite = SUITES[mode];
if (suite === undefined) {
    console.error(`usage: node test/conformance/scripts/run.mjs ${Object.keys(SUITES).join('|')} [scenario…]`);
    process.exit(2);
}
const CONFORMANCE_VERSION = suite.version;
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const installDir = join(root, suite.dir);
const nodeBin = join(installDir, 'node_modules/.bin/node');
const cliJs = join(installDir, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const tsxBin = join(root, 'node_modules/.bin/tsx');
const fixtureDir = resolve(here, '../src');
const resultsDir = join(root, '.tmp/results');
const checksRoot = join(root, '.tmp/conformance');

const concurrency = Math.max(1, Number.parseInt(process.env.CONFORMANCE_CONCURRENCY ?? '', 10) || 4);

function readVersion(packageJson) {
    try {
        return JSON.parse(readFileSync(packageJson, 'utf8')).version;
    } catch {
        return undefined;
    }
}

/** Installs the CLI and Node 22 into `.conformance/` unless the right versions are already there. */
function ensureInstalled() {
    const cliVersion = readVersion(join(installDir, 'node_modules/@modelcontextprotocol/conformance/package.json'));
    const nodeVersion = readVersion(join(installDir, 'node_modules/node/package.json'));
    if (cliVersion === CONFORMANCE_VERSION && nodeVersion?.startsWith(`${NODE_MAJOR}.`) && existsSync(nodeBin)) return;
    console.log(
        `Installing @modelcontextprotocol/conformance@${CONFORMANCE_VERSION} and node@${NODE_MAJOR} into .conformance/ …`
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
        npm,
        [
            'install',
            '--no-audit',
            '--no-fund',
            '--prefix',
            installDir,
            `node@${NODE_MAJOR}`,
            `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`
        ],
        { cwd: root, stdio: 'inherit' }
    );
    if (result.status !== 0 || !existsSync(nodeBin) || !existsSync(cliJs)) {
        console.error('Installing the conformance suite failed.');
        process.exit(1);
    }
}

/** Runs the CLI on Node 22; resolves with its exit code and combined output. */
function runCli(args, { echo = false } = {}) {
    return new Promise(resolvePromise => {
        const child = spawn(nodeBin, [cliJs, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        const collect = chunk => {
            output += chunk;
            if (echo) process.stdout.write(chunk);
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.on('close', code => resolvePromise({ code: code ?? 1, output }));
        child.on('error', error => resolvePromise({ code: 1, output: `${output}\n${error.message}` }));
    });
}

/** Scenario names from `conformance list` (for a revision: the ones it requires, of `kind`). */
async function listScenarios(kind) {
    if (suite.revision === undefined) {
        const { code, output } = await runCli(['list', `--${kind}`]);
        if (code !== 0) throw new Error(`conformance list failed:\n${output}`);
        return [...output.matchAll(/^\s+- (\S+)/gm)].map(match => match[1]);
    }
    const { code, output } = await runCli(['list', '--requirements', suite.revision]);
    if (code !== 0) throw new Error(`conformance list failed:\n${output}`);
    const heading = kind === 'server' ? /^Server scenarios.*$/m : /^Client scenarios.*$/m;
    const start = output.search(heading);
    if (start < 0) throw new Error(`conformance list printed no ${kind} scenarios:\n${output}`);
    const section = output.slice(start).split(/\n\s*\n/)[0];
    return [...section.matchAll(/^\s+- (\S+)/gm)].map(match => match[1]);
}

/** Every `checks.json` below `dir`, with its directory relative to `dir`. */
function findChecks(dir) {
    const found = [];
    const walk = current => {
        if (!existsSync(current)) return;
        for (const entry of readdirSync(current, { withFileTypes: true })) {
            const path = join(current, entry.name);
            if (entry.isDirectory()) walk(path);
            else if (entry.name === 'checks.json') found.push({ dir: relative(dir, current), checks: readJson(path) });
        }
    };
    walk(dir);
    return found;
}

function readJson(path) {
    try {
        return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
        return [];
    }
}

/** Judges one scenario from its checks (and, when known, the CLI's exit code). */
function judge(scenario, checks, exitCode, note) {
    const count = status => checks.filter(check => check.status === status).length;
    const problems = checks
        .filter(check => check.status === 'FAILURE' || check.status === 'WARNING')
        .map(check => `${check.status} ${check.id}: ${check.errorMessage ?? check.description}`);
    if (checks.length === 0) problems.push('no checks recorded');
    if (exitCode !== undefined && exitCode !== 0 && problems.length === 0) {
        problems.push(`conformance CLI exited with ${exitCode}${note ? ` (${note})` : ''}`);
    }
    return {
        scenario,
        passed: problems.length === 0,
        successes: count('SUCCESS'),
        failures: count('FAILURE'),
        warnings: count('WARNING'),
        problems
    };
}

/** Writes `.tmp/results/conformance-<mode>.json` in the shape the CI totals script sums (vitest's field names). */
function writeResults(passed, failed) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
        join(resultsDir, `conformance-${mode}.json`),
        `${JSON.stringify({ numPassedTests: passed, numFailedTests: failed }, null, 2)}\n`
    );
}

function report(results, startedAt) {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(`\n=== conformance ${mode}: per-scenario summary ===`);
    for (const result of results) {
        const counts = `${result.successes} passed, ${result.failures} failed, ${result.warnings} warnings`;
        console.log(`${result.passed ? '✓' : '✗'} ${result.scenario}: ${counts}`);
        for (const problem of result.problems) console.log(`    ${problem}`);
    }
    const passed = results.filter(result => result.passed).length;
    const failed = results.length - passed;
    // A run of chosen scenarios is a spot check: it leaves the CI result file alone.
    if (only.length === 0) writeResults(passed, failed);
    console.log(`\nconformance ${mode}: ${passed}/${results.length} scenarios passed, ${failed} failed (${seconds} s)`);
    return failed === 0;
}

/** Starts the server fixture and resolves with its URL (the first `http://…` line it prints). */
function startServerFixture() {
    const child = spawn(tsxBin, ['--conditions=mcp-source', join(fixtureDir, 'server.ts')], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOST: '127.0.0.1', PORT: '0' }
    });
    let log = '';
    child.stderr.on('data', chunk => (log += chunk));
    const url = new Promise((resolveUrl, reject) => {
        let buffered = '';
        const timer = setTimeout(
            () => reject(new Error(`server fixture printed no URL:\n${log}`)),
            FIXTURE_START_TIMEOUT_MS
        );
        child.stdout.on('data', chunk => {
            buffered += chunk;
            log += chunk;
            const match = /(http:\/\/\S+)/.exec(buffered);
            if (match) {
                clearTimeout(timer);
                resolveUrl(match[1]);
            }
        });
        child.on('exit', code => {
            clearTimeout(timer);
            reject(new Error(`server fixture exited with ${code}:\n${log}`));
        });
    });
    return { child, url, log: () => log };
}

async function runServer(startedAt) {
    const all = await listScenarios('server');
    const scenarios = only.length > 0 ? only : all;
    const outDir = join(checksRoot, mode);
    rmSync(outDir, { recursive: true, force: true });
    const fixture = startServerFixture();
    let cliOutput = '';
    try {
        const url = await fixture.url;
        console.log(`Server fixture listening at ${url}`);
        const whole = suite.revision === undefined ? ['--suite', 'all'] : ['--requirements', suite.revision];
        const one = suite.revision === undefined ? [] : ['--spec-version', suite.revision];
        if (only.length === 0) {
            const run = await runCli(['server', '--url', url, ...whole, '-o', outDir]);
            cliOutput = run.output;
        } else {
            for (const scenario of scenarios) {
                const run = await runCli(['server', '--url', url, '--scenario', scenario, ...one, '-o', outDir]);
                cliOutput += run.output;
            }
        }
    } finally {
        fixture.child.kill('SIGTERM');
    }
    writeFileSync(join(resultsDir, `conformance-${mode}.log`), `${cliOutput}\n--- fixture ---\n${fixture.log()}`);
    const byScenario = new Map();
    for (const { dir, checks } of findChecks(outDir)) {
        const name = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
        byScenario.set(name, checks);
    }
    const results = scenarios.map(scenario => judge(scenario, byScenario.get(scenario) ?? [], undefined, undefined));
    return report(results, startedAt);
}

async function runClientScenario(scenario, outDir) {
    const command = `${tsxBin} --conditions=mcp-source ${join(fixtureDir, 'client.ts')}`;
    const dir = join(outDir, scenario.replaceAll('/', '__'));
    const revision = suite.revision === undefined ? [] : ['--spec-version', suite.revision];
    if (suite.extensions?.includes(scenario)) revision.push('--force'); // not on the revision's timeline
    const run = await runCli(['client', '--command', command, '--scenario', scenario, ...revision, '-o', dir]);
    const checks = findChecks(dir).flatMap(found => found.checks);
    const note = /CLIENT TIMED OUT/.test(run.output) ? 'client timed out' : undefined;
    return { result: judge(scenario, checks, run.code, note), output: run.output };
}

async function runClient(startedAt) {
    if ([tsxBin, fixtureDir].some(path => /\s/.test(path))) {
        throw new Error('the suite splits --command on spaces: the repository path must not contain whitespace');
    }
    const all = [...(await listScenarios('client')), ...(suite.extensions ?? [])];
    const scenarios = only.length > 0 ? only : all;
    const outDir = join(checksRoot, mode);
    rmSync(outDir, { recursive: true, force: true });
    const results = new Map();
    const logs = [];
    const record = ({ result, output }) => {
        results.set(result.scenario, result);
        logs.push(`=== ${result.scenario} ===\n${output}`);
    };
    // Timing-sensitive scenarios first, one at a time, with the machine otherwise idle.
    for (const scenario of scenarios.filter(name => SOLO_CLIENT_SCENARIOS.includes(name))) {
        record(await runClientScenario(scenario, outDir));
    }
    const queue = scenarios.filter(name => !SOLO_CLIENT_SCENARIOS.includes(name));
    const worker = async () => {
        for (let scenario = queue.shift(); scenario !== undefined; scenario = queue.shift()) {
            record(await runClientScenario(scenario, outDir));
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    writeFileSync(join(resultsDir, `conformance-${mode}.log`), logs.join('\n'));
    return report(
        scenarios.map(scenario => results.get(scenario)),
        startedAt
    );
}

const startedAt = Date.now();
ensureInstalled();
mkdirSync(resultsDir, { recursive: true });
try {
    const ok = mode.startsWith('server') ? await runServer(startedAt) : await runClient(startedAt);
    process.exit(ok ? 0 : 1);
} catch (error) {
    console.error(error instanceof Error ? error.message : error);
    if (only.length === 0) writeResults(0, 1);
    process.exit(1);
}
