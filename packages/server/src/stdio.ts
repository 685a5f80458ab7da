/**
 * `@modelcontextprotocol/server/stdio`: the stdio server transport and `serveStdio`, kept out of the main entry so
 * that entry stays free of `process` streams.
 *
 * @module
 */
export { StdioServerTransport } from './server/stdio.js';
export { serveStdio } from './server/serveStdio.js';
export type { ServeStdioOptions, StdioServerHandle } from './server/serveStdio.js';
