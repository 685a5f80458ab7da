/**
 * The page script bundled into the single-file browser bundle: runs the scenario the page's path names and
 * reports the outcome to the test (see `protocol.ts`).
 *
 * @module
 */
import { REDIRECT_PAGE_PATH, TOOLS_PAGE_PATH } from './protocol.js';
import type { PageReport } from './protocol.js';
import { runRedirectPage } from './redirect.js';
import { describeError, sendReport } from './report.js';
import { runToolsPage } from './tools.js';

async function main(): Promise<void> {
    let report: PageReport | undefined;
    try {
        if (location.pathname === TOOLS_PAGE_PATH) report = await runToolsPage();
        else if (location.pathname === REDIRECT_PAGE_PATH) report = await runRedirectPage();
        else throw new Error(`no scenario at ${location.pathname}`);
    } catch (error) {
        console.error(describeError(error));
        report = { ok: false, error: describeError(error) };
    }
    if (report !== undefined) await sendReport(report);
}

void main();
