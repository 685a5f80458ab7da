export * from './types/constants.js';
export * from './types/jsonrpc.js';
export type * from './shared/transport.js';
