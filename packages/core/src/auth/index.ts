/**
 * OAuth metadata and message schemas shared by the MCP client and server (RFC 6749, 7591, 8414, 9728, OpenID
 * Connect Discovery).
 *
 * @module
 */
export * from './authorizationServerMetadata.js';
export * from './clientRegistration.js';
export * from './protectedResourceMetadata.js';
export * from './tokens.js';
export * from './urls.js';
