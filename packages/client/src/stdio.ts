/**
 * The `@modelcontextprotocol/client/stdio` entry: the stdio transport, kept apart from the main entry because it
 * needs `node:child_process`.
 *
 * @module
 */
export type { StdioServerParameters } from './client/stdio.js';
export { DEFAULT_INHERITED_ENV_VARS, getDefaultEnvironment, StdioClientTransport } from './client/stdio.js';
