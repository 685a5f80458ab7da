/**
 * Real authorization servers for integration tests and the demo: oidc-provider configured hands-free, a small
 * configurable server of our own, and a helper that completes an authorization request in-process.
 *
 * @module
 */
export { AuthorizationApprovalError, approveAuthorization } from './approve.js';
export type { AuthorizationApprovalErrorCode } from './approve.js';
export { startOidcAuthServer } from './oidcAuthServer.js';
export type { OidcAuthServer, OidcAuthServerOptions } from './oidcAuthServer.js';
export { startSimpleAuthServer } from './simpleAuthServer.js';
export type { RefreshScopeBehaviour, SimpleAuthServer, SimpleAuthServerOptions } from './simpleAuthServer.js';
export type { AccessTokenClaims } from './simpleTokens.js';
export { DEFAULT_MCP_SCOPES } from './types.js';
export type { AuthServerStats, AuthorizationRecord, TestAuthServer, TokenRequestRecord } from './types.js';
