/**
 * Whether an app (or a plugin context inside it) reads JSON bodies through the server's one parse, i.e. was made by
 * `createMcpFastifyApp`.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify';

/** The decoration `createMcpFastifyApp` puts on its app (inherited by plugin contexts). */
export const ONE_PARSE_DECORATION = 'mcpOneParse';

/** True when `instance` is (inside) an app whose JSON bodies go through the one parse. */
export function usesOneParse(instance: FastifyInstance): boolean {
    return (instance as unknown as Record<string, unknown>)[ONE_PARSE_DECORATION] === true;
}
