/**
 * Integrity-protected `requestState` for multi-round requests (MCP 2026-07-28): the state a handler returns with
 * `input_required` travels through the client, so it is sealed with an HMAC-SHA-256 under a server key and checked
 * when it comes back — a client that alters a byte, replays it after its expiry, or (with `bind`) replays another
 * principal's or another method's state gets `-32602` instead of a handler acting on forged state.
 *
 * Wire form: `base64url(JSON envelope) "." base64url(HMAC(envelope))`, the envelope holding the payload, its expiry
 * and an optional binding tag (itself an HMAC, so a principal id is never readable in the state). WebCrypto only.
 *
 * @module
 */
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/core';
import type { ServerContext } from '@modelcontextprotocol/core';

/** Options of {@link createRequestStateCodec}. */
export interface RequestStateCodecOptions {
    /** The HMAC key, at least 32 bytes (a string is UTF-8 encoded). Every instance serving a flow needs the same key. */
    key: Uint8Array | string;
    /** How long a minted state stays valid, in seconds. Default 600. */
    ttlSeconds?: number;
    /**
     * Binds a state to its context (e.g. `ctx => ctx.http?.authInfo?.clientId ?? ''`): a state minted under one value
     * is refused under another. When set, `mint` needs its `ctx`.
     */
    bind?: (ctx: ServerContext) => string;
}

/** Seals payloads into `requestState` strings and opens them again. */
export interface RequestStateCodec<T = unknown> {
    /** Seals `payload` (JSON-serialisable) into a `requestState` string. */
    mint(payload: T, ctx?: ServerContext): Promise<string>;
    /** Opens a `requestState`: its payload, or a {@link RequestStateError} when it was altered, expired or rebound. */
    verify(state: string, ctx: ServerContext): Promise<T>;
}

/** A `requestState` failed its integrity check, expired, or was bound to another context (`-32602`). */
export class RequestStateError extends ProtocolError {
    override name = 'RequestStateError';
    constructor(reason: string) {
        super(ProtocolErrorCode.InvalidParams, `requestState integrity check failed: ${reason}`);
    }
}

const MIN_KEY_BYTES = 32;
const MAX_STATE_CHARS = 64 * 1024;
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | undefined {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
    try {
        const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
        return Uint8Array.from(binary, c => c.charCodeAt(0));
    } catch {
        return undefined;
    }
}

interface Envelope {
    /** The payload. */
    p: unknown;
    /** Expiry, ms since the epoch. */
    e: number;
    /** Binding tag, when the codec binds. */
    b?: string;
}

/**
 * Creates a codec that seals `requestState` with HMAC-SHA-256.
 *
 * @example
 * ```ts
 * const state = createRequestStateCodec<{ round: number }>({ key: process.env.STATE_KEY! });
 * return inputRequired({ inputRequests, requestState: await state.mint({ round: 1 }) });
 * // next round: const { round } = await state.verify(params.requestState, ctx);
 * ```
 * @throws {@link SdkError} `INVALID_OPTIONS` for a key shorter than 32 bytes or a `ttlSeconds` that is not positive.
 */
export function createRequestStateCodec<T = unknown>(options: RequestStateCodecOptions): RequestStateCodec<T> {
    const raw = typeof options.key === 'string' ? encoder.encode(options.key) : options.key;
    if (raw.byteLength < MIN_KEY_BYTES) {
        throw new SdkError(SdkErrorCode.InvalidOptions, `requestState key must be at least ${MIN_KEY_BYTES} bytes`);
    }
    const ttlSeconds = options.ttlSeconds ?? 600;
    if (!(Number.isFinite(ttlSeconds) && ttlSeconds > 0)) {
        throw new SdkError(SdkErrorCode.InvalidOptions, `ttlSeconds must be a positive number, got ${ttlSeconds}`);
    }
    const key = crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify'
    ]);
    const sign = async (data: string): Promise<Uint8Array> =>
        new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(data)));
    const bindTag = async (ctx: ServerContext | undefined): Promise<string | undefined> => {
        if (options.bind === undefined) return undefined;
        if (ctx === undefined) throw new SdkError(SdkErrorCode.InvalidOptions, 'mint needs ctx when the codec binds');
        return base64url(await sign(`bind\0${options.bind(ctx)}`));
    };

    return {
        async mint(payload, ctx) {
            const envelope: Envelope = { p: payload, e: Date.now() + ttlSeconds * 1000 };
            const tag = await bindTag(ctx);
            if (tag !== undefined) envelope.b = tag;
            const body = base64url(encoder.encode(JSON.stringify(envelope)));
            return `${body}.${base64url(await sign(`state\0${body}`))}`;
        },
        async verify(state, ctx) {
            if (typeof state !== 'string' || state.length > MAX_STATE_CHARS) throw new RequestStateError('malformed');
            const dot = state.indexOf('.');
            const body = state.slice(0, dot);
            const mac = fromBase64url(state.slice(dot + 1));
            if (dot < 1 || mac === undefined) throw new RequestStateError('malformed');
            const valid = await crypto.subtle.verify(
                'HMAC',
                await key,
                new Uint8Array(mac),
                encoder.encode(`state\0${body}`)
            );
            if (!valid) throw new RequestStateError('signature mismatch');
            const bytes = fromBase64url(body);
            let envelope: Envelope;
            try {
                envelope = JSON.parse(new TextDecoder().decode(bytes)) as Envelope;
            } catch {
                throw new RequestStateError('malformed');
            }
            if (typeof envelope.e !== 'number' || envelope.e < Date.now()) throw new RequestStateError('expired');
            if ((await bindTag(ctx)) !== envelope.b) throw new RequestStateError('bound to another context');
            return envelope.p as T;
        }
    };
}
