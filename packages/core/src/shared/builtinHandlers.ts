/**
 * Handler tables for `Protocol`: the stored entry shapes and {@link BuiltinHandlers}, the per-class set of
 * handlers every session starts with (built once, shared by all instances of the class).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/ping
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
 * @module
 */
import type * as z from 'zod/mini';
import type { Result } from '../types/base.js';
import type { JSONRPCNotification, JSONRPCRequest } from '../types/jsonrpc.js';
import { getNotificationParamsSchema, getRequestParamsSchema } from '../types/methods.js';
import type { Protocol } from './protocol.js';

/** A `Protocol` of any handler-context type (the context type is invariant, so `Protocol` alone would not do). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyProtocol = Protocol<any>;
import type { RequestHandlerExtra } from './protocolTypes.js';

/** A request handler as stored in a table (any `this` binding is applied by the caller). */
export type StoredRequestHandler = (request: JSONRPCRequest, extra: RequestHandlerExtra) => Promise<Result> | Result;
/** A notification handler as stored in a table. */
export type StoredNotificationHandler = (notification: JSONRPCNotification) => Promise<void> | void;

/**
 * A request handler shared by every instance of a `Protocol` subclass (see {@link BuiltinHandlers}); it runs
 * with `this` bound to the receiving instance. Params of known methods are validated before it runs.
 */
export type SharedRequestHandler<T extends AnyProtocol = Protocol> = (
    this: T,
    request: JSONRPCRequest,
    extra: RequestHandlerExtra
) => Promise<Result> | Result;

/** A notification handler shared by every instance of a `Protocol` subclass; `this` is the instance. */
export type SharedNotificationHandler<T extends AnyProtocol = Protocol> = (
    this: T,
    notification: JSONRPCNotification
) => Promise<void> | void;

/** A registered request handler with the params schema of its method (if the method is known). */
export interface RequestHandlerEntry {
    handler: StoredRequestHandler;
    paramsSchema: z.core.$ZodType | undefined;
    /** A {@link SharedRequestHandler}: called with `this` = the receiving instance. */
    shared: boolean;
}

/** A registered notification handler with the params schema of its method (if the method is known). */
export interface NotificationHandlerEntry {
    handler: StoredNotificationHandler;
    paramsSchema: z.core.$ZodType | undefined;
    /** A {@link SharedNotificationHandler}: called with `this` = the receiving instance. */
    shared: boolean;
}

/**
 * The handlers every instance of a `Protocol` subclass starts with, built once per class and shared by all
 * its instances (a session only allocates a table of its own once it registers or removes a handler). The
 * base set is `Protocol.builtinHandlers`: `ping` (Basic › Utilities › Ping), `notifications/cancelled` and
 * `notifications/progress`; subclasses {@link BuiltinHandlers.extend} it and pass the result to the
 * `Protocol` constructor.
 */
export class BuiltinHandlers {
    /** @internal */
    readonly requests: ReadonlyMap<string, RequestHandlerEntry>;
    /** @internal */
    readonly notifications: ReadonlyMap<string, NotificationHandlerEntry>;

    private constructor(
        requests: ReadonlyMap<string, RequestHandlerEntry>,
        notifications: ReadonlyMap<string, NotificationHandlerEntry>
    ) {
        this.requests = requests;
        this.notifications = notifications;
    }

    /** @internal The empty set. */
    static empty(): BuiltinHandlers {
        return new BuiltinHandlers(new Map(), new Map());
    }

    /** A new set with these handlers added (replacing any of the same method). */
    extend<T extends AnyProtocol>(additions: {
        requests?: Record<string, SharedRequestHandler<T>>;
        notifications?: Record<string, SharedNotificationHandler<T>>;
    }): BuiltinHandlers {
        const requests = new Map(this.requests);
        for (const [method, handler] of Object.entries(additions.requests ?? {})) {
            requests.set(method, {
                handler: handler as unknown as StoredRequestHandler,
                paramsSchema: getRequestParamsSchema(method),
                shared: true
            });
        }
        const notifications = new Map(this.notifications);
        for (const [method, handler] of Object.entries(additions.notifications ?? {})) {
            notifications.set(method, {
                handler: handler as unknown as StoredNotificationHandler,
                paramsSchema: getNotificationParamsSchema(method),
                shared: true
            });
        }
        return new BuiltinHandlers(requests, notifications);
    }
}
