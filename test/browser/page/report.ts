/**
 * Reporting from the page to the test: one call of the function the test exposed ({@link REPORT_BINDING}), and
 * the error text that ends up in the test's failure message.
 *
 * @module
 */
import { REPORT_BINDING } from './protocol.js';
import type { PageReport } from './protocol.js';

type ReportFunction = (report: PageReport) => Promise<void>;

/** Sends the report to the test (or logs it when the page is opened by hand), and shows it in the title. */
export async function sendReport(report: PageReport): Promise<void> {
    document.title = report.ok ? `done: ${report.scenario}` : 'failed';
    const binding = (window as unknown as Record<string, ReportFunction | undefined>)[REPORT_BINDING];
    if (binding === undefined) console.log('report', JSON.stringify(report));
    else await binding(report);
}

/** An error with its name, message, stack and causes, for a failure report. */
export function describeError(error: unknown): string {
    const lines: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 5; depth++) {
        if (current instanceof Error) {
            lines.push(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? `${current.name}: ${current.message}`}`);
            current = current.cause;
        } else {
            lines.push(`${depth === 0 ? '' : 'caused by: '}${String(current)}`);
            current = undefined;
        }
    }
    return lines.join('\n');
}

/** The text of a tool result's first content block (`''` when it has none). */
export function firstText(result: { content?: unknown }): string {
    const content = Array.isArray(result.content) ? (result.content as Array<{ text?: unknown }>) : [];
    const text = content[0]?.text;
    return typeof text === 'string' ? text : '';
}
