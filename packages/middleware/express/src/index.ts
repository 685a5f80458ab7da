/**
 * Express adapters for Model Context Protocol servers: an app factory with DNS-rebinding protection, a helper to
 * mount a Streamable HTTP transport, bearer authentication with per-operation scope policies, and the RFC 9728
 * protected resource metadata router. All decisions are made in `@modelcontextprotocol/server`; this package only
 * translates between Express and it.
 *
 * @module
 */
export * from './app.js';
export * from './mount.js';
export * from './auth.js';
