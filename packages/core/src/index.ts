/**
 * `@modelcontextprotocol/core`: MCP 2025-11-25 schemas and types, JSON-RPC envelopes, errors, the `Protocol`
 * base class and the in-memory transport. Shared by the client and server packages.
 *
 * @module
 */
export * from './types/constants.js';
export * from './types/jsonrpc.js';
export * from './types/base.js';
export * from './types/initialize.js';
export * from './types/content.js';
export * from './types/tools.js';
export * from './types/resources.js';
export * from './types/prompts.js';
export * from './types/completion.js';
export * from './types/logging.js';
export * from './types/sampling.js';
export * from './types/elicitation.js';
export * from './types/roots.js';
export * from './types/methods.js';
export * from './errors.js';
export type * from './shared/transport.js';
export * from './shared/protocol.js';
export * from './shared/inMemory.js';
export * from './shared/validation.js';
export * from './shared/uriTemplate.js';
export * from './auth/index.js';
