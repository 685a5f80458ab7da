/**
 * `@modelcontextprotocol/server/stdio`: the stdio server transport, kept out of the main entry so that entry
 * stays free of `process` streams.
 *
 * @module
 */
export { StdioServerTransport } from './server/stdio.js';
