export {};
export * from './authServer/index.js';
export { createToolServer, startPerOperationServer } from './perOperationServer.js';
export type { ChallengeRecord, PerOperationServer, PerOperationServerOptions } from './perOperationServer.js';
export { LegacySseServerTransport, legacySseHandlers } from './legacySse.js';
