/**
 * Reading test messages back.
 *
 * @module
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

/** The `params[name]` of a request or notification (`undefined` for a response). */
export function param(message: JSONRPCMessage, name: string): unknown {
    return 'params' in message ? (message.params as Record<string, unknown> | undefined)?.[name] : undefined;
}
