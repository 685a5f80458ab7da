/**
 * What the `McpServer` registries need from their owner.
 *
 * @module
 */
import type { Server } from '../index.js';

/** Registry hooks into the owning server. */
export interface RegistryHost {
    /** The low-level server the registry installs its handlers and capabilities on. */
    readonly server: Server;
    /** Called after the set of listed items changed (the owner tells connected clients). */
    listChanged(): void;
}
