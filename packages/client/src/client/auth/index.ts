/**
 * OAuth 2.1 for MCP clients (MCP 2025-11-25 "Authorization"): the `OAuthClientProvider` interface, the `auth()`
 * orchestrator, progressive (step-up) authorization (`AuthSession`, `withOAuth`), machine-client providers, and the
 * building blocks they compose (challenge parsing, scope algebra, discovery, registration, PKCE, token endpoint).
 *
 * @module
 */
export * from './auth.js';
export * from './authorizationRequest.js';
export * from './clientAuth.js';
export * from './clientCredentials.js';
export * from './crossAppAccess.js';
export * from './discovery.js';
export * from './errors.js';
export * from './inMemoryProvider.js';
export type { FetchLike } from './http.js';
export { assertSecureEndpoint, DEFAULT_REQUEST_TIMEOUT_MS, isLoopbackHost, MAX_JSON_BODY_BYTES } from './http.js';
export * from './middleware.js';
export * from './pkce.js';
export * from './provider.js';
export * from './registration.js';
export * from './scope.js';
export { AuthSession } from './authSession.js';
export type { AuthSessionOptions, InsufficientScopeMode, StepUpDecision, StepUpRequest } from './authSession.js';
export { operationOf } from './operation.js';
export type { LedgerSnapshot } from './scopeLedger.js';
export * from './tokenEndpoint.js';
export * from './transportOptions.js';
export * from './wwwAuthenticate.js';
