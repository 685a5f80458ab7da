/**
 * `@modelcontextprotocol/redis`: a Redis-backed event store for the Streamable HTTP server transport, so a
 * client's `Last-Event-ID` is answered by any server instance sharing the Redis (MCP 2025-11-25, Basic ›
 * Transports › Streamable HTTP › Resumability and Redelivery), and a Redis-backed session directory, so a stateful
 * session's requests can reach its owner through any instance.
 *
 * @module
 */
export { RedisEventStore } from './redisEventStore.js';
export type { RedisEventStoreOptions } from './redisEventStore.js';
export { RedisSessionDirectory } from './redisSessionDirectory.js';
export type { RedisSessionDirectoryOptions } from './redisSessionDirectory.js';
export { RedisEventStoreError, RedisSessionDirectoryError } from './errors.js';
export type { RedisEventStoreErrorCode, RedisSessionDirectoryErrorCode } from './errors.js';
export type { RedisCommandClient } from './streamCommands.js';
export { MAX_EVENT_ID_LENGTH, MAX_STREAM_ID_BYTES } from './eventId.js';
