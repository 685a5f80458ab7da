/**
 * A real nginx in front of the instances (Debian's `nginx-light`, installed by `.ci/run`): a config rendered from
 * the instances' ports into a temporary prefix directory (pid, logs and temp files inside it, nothing in /var),
 * run in the foreground as a single process so that stopping it by pid stops all of it.
 *
 * `renderNginxConfig` is pure: docs/deployment.md shows its output for fixed ports, and a test keeps the two equal.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { accepts, freePort, spawnChild } from './processes.js';
import type { Child } from './processes.js';

/**
 * How a front (one `listen` port) picks an instance:
 * - `round-robin`: any instance serves any request (stateless deployments);
 * - `session-hash`: `hash $http_mcp_session_id consistent` — which does NOT keep a session on the instance that
 *   created it (the `initialize` that creates it carries no id), see docs/deployment.md;
 * - `session-owner`: the instance named by the session id's prefix (`i2.<uuid>` → i2), round-robin without an id,
 *   and `404 Session not found` (so clients re-initialize) when the owner is unreachable.
 */
export type Routing = 'round-robin' | 'session-hash' | 'session-owner';

/** One instance as the balancer sees it. */
export interface Upstream {
    readonly id: string;
    readonly port: number;
}

/** Options of {@link renderNginxConfig}. */
export interface NginxConfigOptions {
    readonly upstreams: readonly Upstream[];
    /** The listen port of each front. */
    readonly fronts: Readonly<Partial<Record<Routing, number>>>;
}

const SESSION_GONE_BODY = '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Session not found"},"id":null}';

function pool(name: string, upstreams: readonly Upstream[], hash: boolean): string[] {
    return [
        `    upstream ${name} {`,
        ...(hash ? ['        hash $http_mcp_session_id consistent;'] : []),
        ...upstreams.map(({ port }) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=10s;`),
        '        keepalive 32;',
        '    }',
        ''
    ];
}

function front(port: number, target: string, location: readonly string[] = [], more: readonly string[] = []): string[] {
    return [
        '    server {',
        `        listen 127.0.0.1:${port};`,
        '        location / {',
        `            proxy_pass http://${target};`,
        ...location,
        '        }',
        ...more,
        '    }',
        ''
    ];
}

function sessionOwner(port: number, upstreams: readonly Upstream[]): string[] {
    return [
        '    # A session id names the instance that minted it (`i2.<uuid>`): send the session there.',
        '    map $http_mcp_session_id $mcp_owner {',
        '        default mcp_pool;',
        ...upstreams.map(({ id }) => `        "~^${id}\\." mcp_${id};`),
        '    }',
        '',
        ...upstreams.flatMap(({ id, port: upstreamPort }) => [
            `    upstream mcp_${id} {`,
            `        server 127.0.0.1:${upstreamPort};`,
            '        keepalive 8;',
            '    }',
            ''
        ]),
        ...front(
            port,
            '$mcp_owner',
            [
                '            # The owner is unreachable: its sessions are gone, say so as the spec does (404), so that',
                '            # clients start a new session instead of failing on 502.',
                '            error_page 502 504 = @mcp_session_gone;'
            ],
            [
                '        location @mcp_session_gone {',
                '            if ($http_mcp_session_id = "") {',
                '                return 502;',
                '            }',
                '            default_type application/json;',
                `            return 404 '${SESSION_GONE_BODY}';`,
                '        }'
            ]
        )
    ];
}

/**
 * The nginx config of a deployment: round-robin upstream(s) without stickiness, proxying tuned for MCP's SSE
 * responses, and one `server` per front. Paths are relative to nginx's prefix (`-p`).
 */
export function renderNginxConfig(options: NginxConfigOptions): string {
    const { upstreams, fronts } = options;
    const lines = [
        '# MCP server instances behind nginx, no shared state (see docs/deployment.md).',
        '# Run from the directory holding this file: nginx -p "$PWD" -c "$PWD/nginx.conf" -e stderr -g \'daemon off;\'',
        'worker_processes 1;',
        'pid nginx.pid;',
        'error_log error.log warn;',
        '',
        'events {',
        '    worker_connections 1024;',
        '}',
        '',
        'http {',
        '    log_format mcp \'$remote_addr "$request" $status upstream=$upstream_addr \'',
        "                   'upstream_status=$upstream_status upstream_bytes_sent=$upstream_bytes_sent '",
        "                   'session=$http_mcp_session_id';",
        '    access_log access.log mcp;',
        '    client_body_temp_path client_body_temp;',
        '    proxy_temp_path proxy_temp;',
        '',
        '    client_max_body_size 4m;              # the MCP server refuses bodies over 4 MiB itself',
        '    proxy_http_version 1.1;               # keep-alive to the instances, chunked SSE bodies',
        '    proxy_set_header Connection "";',
        '    proxy_set_header Host $http_host;',
        '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '    proxy_buffering off;                  # each SSE event reaches the client when it is written',
        '    proxy_read_timeout 1h;                # SSE streams may stay quiet for long',
        '    proxy_connect_timeout 5s;',
        '    # A failed connection moves the request to the next instance. nginx never re-sends a POST that',
        '    # reached an instance (no `non_idempotent`): the tool call may have run there.',
        '    proxy_next_upstream error timeout;',
        '    proxy_next_upstream_tries 3;',
        '    proxy_next_upstream_timeout 10s;',
        '',
        ...pool('mcp_pool', upstreams, false)
    ];
    if (fronts['round-robin'] !== undefined) lines.push(...front(fronts['round-robin'], 'mcp_pool'));
    if (fronts['session-hash'] !== undefined) {
        lines.push(...pool('mcp_by_session_hash', upstreams, true));
        lines.push(...front(fronts['session-hash'], 'mcp_by_session_hash'));
    }
    if (fronts['session-owner'] !== undefined) lines.push(...sessionOwner(fronts['session-owner'], upstreams));
    return `${lines.join('\n').trimEnd()}\n}\n`;
}

/**
 * The requests of an access log (in the `mcp` format above) that nginx passed to another instance after it had
 * sent them to one: a POST re-sent that way may run its tool twice. Passing on a request that could not be sent
 * (connection refused: 0 bytes sent) is fine.
 */
export function resentAfterSending(accessLog: string): string[] {
    return accessLog.split('\n').filter(line => {
        const sent = / upstream_bytes_sent=(.*?) session=/.exec(line)?.[1]?.split(', ');
        return sent !== undefined && sent.slice(0, -1).some(bytes => bytes !== '0' && bytes !== '-');
    });
}

/** The nginx binary: `NGINX_PATH`, else `nginx` on `PATH` or in /usr/sbin (Debian's place for it). */
export function nginxBinary(): string {
    if (process.env.NGINX_PATH) return process.env.NGINX_PATH;
    const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
    const found = dirs
        .filter(dir => dir.startsWith('/'))
        .map(dir => join(dir, 'nginx'))
        .find(path => existsSync(path));
    if (found === undefined) throw new Error("nginx not found: install Debian's nginx-light (`.ci/run` does)");
    return found;
}

/** A running nginx. */
export interface Nginx extends Child {
    /** The prefix directory (config, logs). */
    readonly dir: string;
    /** `http://127.0.0.1:<front port><path>`. */
    url(routing: Routing, path: string): URL;
    /** The access log so far. */
    accessLog(): Promise<string>;
}

const READY_TIMEOUT_MS = 10_000;

/** Starts nginx with the given fronts on free ports; retries on other ports if one was taken meanwhile. */
export async function startNginx(upstreams: readonly Upstream[], routings: readonly Routing[]): Promise<Nginx> {
    const binary = nginxBinary();
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
        const prefix = await mkdtemp(join(tmpdir(), 'mcp-nginx-'));
        const fronts: Partial<Record<Routing, number>> = {};
        for (const routing of routings) fronts[routing] = await freePort();
        const config = join(prefix, 'nginx.conf');
        await writeFile(config, renderNginxConfig({ upstreams, fronts }));
        // `master_process off`: one process, so stopping the pid stops every part of nginx (tests only).
        const child = spawnChild(binary, [
            '-p',
            `${prefix}/`,
            '-c',
            config,
            '-e',
            'stderr',
            '-g',
            'daemon off; master_process off;'
        ]);
        try {
            await waitReady(child, Object.values(fronts));
            return {
                ...child,
                dir: prefix,
                url: (routing, path) => {
                    const port = fronts[routing];
                    if (port === undefined) throw new Error(`no ${routing} front`);
                    return new URL(`http://127.0.0.1:${port}${path}`);
                },
                accessLog: () => readFile(join(prefix, 'access.log'), 'utf8').catch(() => ''),
                stop: async () => {
                    await child.stop();
                    await rm(prefix, { recursive: true, force: true });
                }
            };
        } catch (error) {
            lastError = error;
            await child.stop();
            await rm(prefix, { recursive: true, force: true });
        }
    }
    throw new Error(`nginx did not start: ${String(lastError)}`, { cause: lastError });
}

async function waitReady(child: Child, ports: readonly number[]): Promise<void> {
    let exited = false;
    void child.exited.then(() => (exited = true));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (exited) throw new Error(`nginx exited:\n${child.output()}`);
        if ((await Promise.all(ports.map(accepts))).every(Boolean)) return;
        await sleep(25);
    }
    throw new Error(`nginx did not listen within ${READY_TIMEOUT_MS} ms:\n${child.output()}`);
}
