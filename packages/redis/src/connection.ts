/**
 * What the Redis-backed stores share: the node-redis client they use — one the application passed in (used, never
 * closed), or one created from a URL (owned: connected on first use, closed with the store) — and the checks of
 * their common options. Each store turns failures into its own coded error through the factories it passes.
 *
 * @module
 */
import { createClient } from 'redis';
import type { RedisCommandClient } from './streamCommands.js';

/** Makes a store's `INVALID_OPTIONS` error from a reason. */
export type InvalidOptions = (reason: string) => Error;

/** The client options every store takes: exactly one of `client` and `url`. */
export interface ConnectionOptions {
    client?: RedisCommandClient | undefined;
    url?: string | undefined;
    onConnectionError?: ((error: Error) => void) | undefined;
}

/** What a store uses of a client it created from a URL, and so owns. */
interface OwnedClient extends RedisCommandClient {
    readonly isOpen: boolean;
    connect(): Promise<unknown>;
    close(): Promise<void>;
    destroy(): void;
}

/** A store's Redis client and its lifecycle. */
export class RedisConnection {
    private readonly _client: RedisCommandClient;
    private readonly _owned: OwnedClient | undefined;
    private _connecting: Promise<void> | undefined;
    private _closed = false;

    /** @throws the error of `invalid` unless exactly one of `client` (with `sendCommand`) and a Redis `url` is given. */
    constructor(options: ConnectionOptions, invalid: InvalidOptions) {
        if ((options.client === undefined) === (options.url === undefined)) {
            throw invalid('pass exactly one of client and url');
        }
        if (options.client !== undefined) {
            if (typeof options.client.sendCommand !== 'function') throw invalid('client has no sendCommand');
            this._client = options.client;
            return;
        }
        const owned = createClient({ url: checkUrl(options.url, invalid) });
        const onError = options.onConnectionError;
        // A listener must exist: an `error` event without one would crash the process.
        owned.on('error', (error: unknown) => onError?.(error instanceof Error ? error : new Error(String(error))));
        this._owned = owned;
        this._client = owned;
    }

    /** Whether {@link RedisConnection.close} was called. */
    get closed(): boolean {
        return this._closed;
    }

    /**
     * The client, connected first when owned. Rejects with `closed()` once closed (also when closing raced the
     * connection), and with `connectFailed(cause)` when connecting failed (the next call tries again).
     */
    async ready(closed: () => Error, connectFailed: (cause: unknown) => Error): Promise<RedisCommandClient> {
        if (this._closed) throw closed();
        const owned = this._owned;
        if (owned !== undefined) {
            this._connecting ??= owned.connect().then(
                () => undefined,
                (error: unknown) => {
                    this._connecting = undefined;
                    throw this._closed ? closed() : connectFailed(error);
                }
            );
            await this._connecting;
            if (this._closed) throw closed();
        }
        return this._client;
    }

    /** Marks the connection closed and closes the client if owned (a passed-in client stays open). Idempotent. */
    async close(): Promise<void> {
        if (this._closed) return;
        this._closed = true;
        const owned = this._owned;
        if (owned === undefined || !owned.isOpen) return;
        try {
            await owned.close();
        } catch {
            owned.destroy();
        }
    }
}

/** `value` when it is a safe integer from `min` to `max`; else the error of `invalid`. */
export function checkInteger(
    value: unknown,
    name: string,
    invalid: InvalidOptions,
    min: number,
    max = Number.MAX_SAFE_INTEGER
): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        throw invalid(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
    return value;
}

/** Control characters (C0 and DEL), refused in key prefixes. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** `prefix` when it ends with `:`, has at most 256 characters and no control characters; else `invalid`'s error. */
export function checkKeyPrefix(prefix: unknown, invalid: InvalidOptions): string {
    if (typeof prefix !== 'string' || prefix.length > 256 || !prefix.endsWith(':') || CONTROL_CHARACTER.test(prefix)) {
        throw invalid('keyPrefix must end with ":", have at most 256 characters and no control characters');
    }
    return prefix;
}

function checkUrl(url: unknown, invalid: InvalidOptions): string {
    let parsed: URL | undefined;
    try {
        parsed = typeof url === 'string' ? new URL(url) : undefined;
    } catch {
        parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
        throw invalid('url must be a redis:// or rediss:// URL');
    }
    return url as string;
}
