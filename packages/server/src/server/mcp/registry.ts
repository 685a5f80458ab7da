/**
 * The bookkeeping every `McpServer` registry shares (tools, prompts, resources, resource templates; MCP
 * 2025-11-25, Server › Tools / Prompts / Resources): entries by key with a list result cached until the set
 * changes, duplicate and rename checks, the enable / disable handle methods, and installing a feature's request
 * handlers and capability on the low-level `Server` once, on first registration.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server
 * @module
 */
import type { Server } from '../index.js';
import { RegistrationError } from './errors.js';
import type { RegistryHost } from './host.js';

/** The part of every handle update this module understands. */
export interface EntryUpdates {
    enabled?: boolean;
}

/**
 * Base of the registry entries (which are also the handles `register*` returns): `enable()` and `disable()` in
 * terms of the entry's `update`.
 */
export abstract class RegistryEntry<U extends EntryUpdates> {
    enabled = true;

    /** Changes the entry; clients are told the list changed. */
    abstract update(updates: U): void;

    /** Unregisters the entry. */
    abstract remove(): void;

    /** Lists and serves the entry again. */
    enable(): void {
        this.update({ enabled: true } as U);
    }

    /** Hides the entry from listings; requests for it fail. */
    disable(): void {
        this.update({ enabled: false } as U);
    }
}

/**
 * A feature that sets its request handlers on the server once, on first need: {@link ensureHandlers} first
 * checks that none of {@link handlerMethods} already has a handler set directly on the `Server`
 * ({@link RegistrationError} `HANDLER_CONFLICT` otherwise), then runs {@link installHandlers} (capabilities and
 * handlers). A base class rather than a set of callbacks, so a feature costs no closures until it is used.
 */
export abstract class HandlerInstaller {
    private _installed = false;

    /** The request methods the feature handles (read when installing). */
    protected abstract handlerMethods(server: Server): readonly string[];

    /** Registers the capability and sets the handlers for `methods`. */
    protected abstract installHandlers(server: Server, methods: readonly string[]): void;

    /** Installs the handlers unless already done. @throws {@link RegistrationError} `HANDLER_CONFLICT`. */
    ensureHandlers(server: Server): void {
        if (this._installed) return;
        const methods = this.handlerMethods(server);
        for (const method of methods) {
            try {
                server.assertCanSetRequestHandler(method);
            } catch (error) {
                throw new RegistrationError('HANDLER_CONFLICT', `A ${method} handler is already set on the Server`, {
                    cause: error
                });
            }
        }
        this.installHandlers(server, methods);
        this._installed = true;
    }
}

/** What a registry keeps: something that can be hidden, and its definition in list results. */
export interface ListedEntry<D> {
    enabled: boolean;
    definition(): D;
}

/**
 * Entries by key, in registration order, with the list result of the enabled ones cached until something
 * changes. Request handlers read {@link entries} directly.
 */
export class Registry<E extends ListedEntry<D>, D, L> {
    /** The registered entries by key (name or URI). */
    readonly entries = new Map<string, E>();
    private _list: L | undefined;

    /**
     * @param _kind what an entry is called in error messages ("Tool", "Resource template")
     * @param _host told after every change
     * @param _installer installs the feature's handlers; {@link Registry.add} ensures it ran
     * @param _wrap wraps the definitions of the enabled entries into the list result (e.g. `{ tools }`); pass
     *   a module-level function so registries share it
     */
    constructor(
        private readonly _kind: string,
        private readonly _host: RegistryHost,
        private readonly _installer: HandlerInstaller,
        private readonly _wrap: (definitions: D[]) => L
    ) {}

    /** @throws {@link RegistrationError} `ALREADY_REGISTERED` when `key` is taken. */
    assertFree(key: string): void {
        if (this.entries.has(key)) {
            throw new RegistrationError('ALREADY_REGISTERED', `${this._kind} ${key} is already registered`);
        }
    }

    /**
     * Registers the entry `create` builds under `key` (checked free first, so `create` may throw for a bad
     * definition without side effects), installing the handlers on first use.
     */
    add(key: string, create: () => E): E {
        this.assertFree(key);
        const entry = create();
        this._installer.ensureHandlers(this._host.server);
        this.entries.set(key, entry);
        this.changed();
        return entry;
    }

    /**
     * Applies a handle update. Ignored when `entry` is no longer registered under `key`. `newKey === null`
     * removes it; otherwise a new key is checked free, `apply` changes the entry's fields (including the key
     * field; it may throw, leaving the entry as it was), and the entry moves to the new key.
     */
    update(entry: E, key: string, newKey: string | null | undefined, apply: () => void): void {
        if (this.entries.get(key) !== entry) return;
        if (newKey === null) {
            this.entries.delete(key);
            this.changed();
            return;
        }
        const renamed = newKey !== undefined && newKey !== key;
        if (renamed) this.assertFree(newKey);
        apply();
        if (renamed) {
            this.entries.delete(key);
            this.entries.set(newKey, entry);
        }
        this.changed();
    }

    /** The list result of the enabled entries, rebuilt only after a change. */
    list(): L {
        if (this._list !== undefined) return this._list;
        const definitions: D[] = [];
        for (const entry of this.entries.values()) if (entry.enabled) definitions.push(entry.definition());
        return (this._list = this._wrap(definitions));
    }

    /** Drops the cached list and tells the host. */
    changed(): void {
        this._list = undefined;
        this._host.listChanged();
    }
}
