/**
 * The per-operation-scope test server, its real authorization servers and the legacy HTTP+SSE server transport
 * (private package: tests and the demo).
 *
 * @module
 */
export {
    AuthorizationApprovalError,
    DEFAULT_MCP_SCOPES,
    approveAuthorization,
    startOidcAuthServer,
    startSimpleAuthServer
} from './authServer/index.js';
export type {
    AccessTokenClaims,
    AuthServerStats,
    AuthorizationApprovalErrorCode,
    AuthorizationRecord,
    OidcAuthServer,
    OidcAuthServerOptions,
    RefreshScopeBehaviour,
    SimpleAuthServer,
    SimpleAuthServerOptions,
    TestAuthServer,
    TokenRequestRecord
} from './authServer/index.js';
export { createToolServer, startPerOperationServer } from './perOperationServer.js';
export type { ChallengeRecord, PerOperationServer, PerOperationServerOptions } from './perOperationServer.js';
export { LegacySseServerTransport, legacySseHandlers } from './legacySse.js';
