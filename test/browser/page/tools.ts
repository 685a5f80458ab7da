/**
 * The tools page: connect over Streamable HTTP, tools/list, tools/call, and a call whose progress must stream in
 * while it is still open — the server holds `countdown` after progress 1 until the page, on seeing that progress,
 * calls `release`; a buffered response would never release it.
 *
 * @module
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { MCP_PATH, TOOL_NAMES } from './protocol.js';
import type { ProgressSeen, ToolsReport } from './protocol.js';
import { firstText } from './report.js';

/** Steps of the countdown; progress 1 arrives before the release. */
const COUNTDOWN_STEPS = 4;

/** Runs the tools scenario against the MCP endpoint on the page's origin. */
export async function runToolsPage(): Promise<ToolsReport> {
    const client = new Client({ name: 'browser-tools-page', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(MCP_PATH, location.origin)));
    try {
        const { tools } = await client.listTools();
        const echo = await client.callTool({ name: TOOL_NAMES.echo, arguments: { text: 'hello from the browser' } });
        const add = await client.callTool({ name: TOOL_NAMES.add, arguments: { a: 2, b: 3 } });

        const progress: ProgressSeen[] = [];
        let release: Promise<string> | undefined;
        const countdown = await client.callTool(
            { name: TOOL_NAMES.countdown, arguments: { steps: COUNTDOWN_STEPS } },
            {
                onprogress: update => {
                    progress.push({
                        progress: update.progress,
                        ...(update.total === undefined ? {} : { total: update.total }),
                        ...(update.message === undefined ? {} : { message: update.message })
                    });
                    if (update.progress === 1) {
                        release = client.callTool({ name: TOOL_NAMES.release, arguments: {} }).then(firstText);
                    }
                }
            }
        );
        return {
            ok: true,
            scenario: 'tools',
            tools: tools.map(tool => tool.name).sort(),
            echo: firstText(echo),
            add: firstText(add),
            progress,
            countdown: firstText(countdown),
            release: release === undefined ? '(never called)' : await release
        };
    } finally {
        await client.close();
    }
}
