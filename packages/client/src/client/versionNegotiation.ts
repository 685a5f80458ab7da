/**
 * Which protocol era a client speaks with a server (MCP 2026-07-28, Versioning › Backward Compatibility): the
 * options, the per-request `_meta` a modern client sends, and the verdict on a `server/discover` probe — modern on a
 * discover result or a recognised modern error, legacy (fall back to `initialize`) on anything else a server could
 * answer, and a thrown error for what no server answered (network failure, timeout, authorization).
 *
 * Pure decisions; `Client.connect` runs the probe.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning
 * @module
 */
import {
    CLIENT_CAPABILITIES_META_KEY,
    CLIENT_INFO_META_KEY,
    isModernProtocolVersion,
    PROTOCOL_VERSION_META_KEY,
    ProtocolError,
    ProtocolErrorCode,
    RequestTimeoutError,
    SUPPORTED_MODERN_PROTOCOL_VERSIONS,
    UnsupportedProtocolVersionError
} from '@modelcontextprotocol/core';
import type { ClientCapabilities, DiscoverResult, Implementation, Transport } from '@modelcontextprotocol/core';
import { StreamableHTTPError } from './transportErrors.js';

/**
 * How `connect()` picks the era:
 * - `'legacy'` (the default, as in the official v2 client): the `initialize` handshake, nothing else;
 * - `'auto'`: probe with `server/discover` first; a modern answer selects 2026-07-28, anything a legacy server
 *   would answer falls back to `initialize`;
 * - `{ pin: '2026-07-28' }`: modern at exactly that revision, no fallback.
 */
export type VersionNegotiationMode = 'legacy' | 'auto' | { pin: string };

/** Probe policy of the probing modes. */
export interface VersionNegotiationProbeOptions {
    /** Timeout of the `server/discover` probe, in ms. Default: the request timeout (or `connect()`'s `timeout`). */
    timeoutMs?: number;
    /** Re-sends after a probe timeout before giving up. Default `0`. */
    maxRetries?: number;
}

/** `ClientOptions.versionNegotiation`. */
export interface VersionNegotiationOptions {
    /** Default `'legacy'`. */
    mode?: VersionNegotiationMode;
    /** Probe timeout and retries. */
    probe?: VersionNegotiationProbeOptions;
}

/** `ClientOptions.inputRequired`: how `input_required` results (2026-07-28 multi-round requests) are handled. */
export interface InputRequiredOptions {
    /**
     * Fulfil input requests with this client's own `elicitation/create`, `sampling/createMessage` and `roots/list`
     * handlers and repeat the request (default `true`); `false` rejects with `UNSUPPORTED_RESULT_TYPE`.
     */
    autoFulfill?: boolean;
    /** Most rounds of one request before it fails with `INPUT_REQUIRED_ROUNDS_EXCEEDED`. Default 10. */
    maxRounds?: number;
}

/** A server's era: `legacy` (`initialize`) or `modern` (per-request `_meta`). */
export type ProtocolEra = 'legacy' | 'modern';

/** The default of {@link InputRequiredOptions.maxRounds}. */
export const DEFAULT_MAX_INPUT_ROUNDS = 10;

/** The `_meta` every request of a modern client carries: its version, capabilities and identity. */
export function modernMeta(
    version: string,
    capabilities: ClientCapabilities,
    clientInfo: Implementation
): Record<string, unknown> {
    return {
        [PROTOCOL_VERSION_META_KEY]: version,
        [CLIENT_CAPABILITIES_META_KEY]: capabilities,
        [CLIENT_INFO_META_KEY]: clientInfo
    };
}

/** `params` with the modern `_meta` added; keys the caller set in its own `_meta` win. */
export function withModernMeta(
    params: Record<string, unknown> | undefined,
    meta: Record<string, unknown>
): Record<string, unknown> {
    const own = params?._meta;
    const merged = typeof own === 'object' && own !== null ? { ...meta, ...(own as Record<string, unknown>) } : meta;
    return { ...params, _meta: merged };
}

/** The version a pinned or automatic client probes with first. */
export function firstProbeVersion(mode: VersionNegotiationMode): string {
    return typeof mode === 'object' ? mode.pin : SUPPORTED_MODERN_PROTOCOL_VERSIONS[0]!;
}

/** What a probe's outcome means. */
export type ProbeVerdict =
    /** The server is modern and serves `version`. */
    | { kind: 'modern'; version: string; discover: DiscoverResult }
    /** Modern, but not at the version asked: probe again at `version`. */
    | { kind: 'retry'; version: string }
    /** A legacy server: fall back to `initialize`. */
    | { kind: 'legacy' }
    /** No usable answer: `connect()` fails with `error`. */
    | { kind: 'fail'; error: unknown };

/** The modern version both sides speak, newest first by this client's order. */
function mutualModern(supported: readonly string[]): string | undefined {
    return SUPPORTED_MODERN_PROTOCOL_VERSIONS.find(version => supported.includes(version));
}

/** Judges a discover result received for a probe at `asked`. */
export function judgeDiscover(discover: DiscoverResult, asked: string, mode: VersionNegotiationMode): ProbeVerdict {
    if (discover.supportedVersions.includes(asked)) return { kind: 'modern', version: asked, discover };
    if (typeof mode === 'object') {
        return {
            kind: 'fail',
            error: new UnsupportedProtocolVersionError({ supported: discover.supportedVersions, requested: asked })
        };
    }
    const mutual = mutualModern(discover.supportedVersions);
    return mutual === undefined ? { kind: 'legacy' } : { kind: 'modern', version: mutual, discover };
}

/**
 * Judges a probe that failed. A recognised modern error means a modern server: `-32022` names the versions to
 * retry with (once: `retried`; the same version again too, since the server lists it), the other 2026 codes mean a
 * request it refused. An HTTP 4xx without one, or any
 * other JSON-RPC error (a legacy server does not know `server/discover`), means legacy — in `'auto'` mode only.
 * A probe timeout means legacy on stdio (`overHttp` false: some legacy servers stay silent) and an outage on HTTP.
 */
export function judgeProbeError(
    error: unknown,
    asked: string,
    mode: VersionNegotiationMode,
    retried: boolean,
    overHttp = true
): ProbeVerdict {
    const pinned = typeof mode === 'object';
    // stdio: a server that never answers an unknown pre-initialize request is a legacy one (Versioning, stdio).
    if (error instanceof RequestTimeoutError && !overHttp && !pinned) return { kind: 'legacy' };
    if (error instanceof UnsupportedProtocolVersionError) {
        const mutual = pinned ? (error.supported.includes(asked) ? asked : undefined) : mutualModern(error.supported);
        if (mutual !== undefined && !retried) return { kind: 'retry', version: mutual };
        if (!pinned && mutual === undefined && error.supported.some(version => !isModernProtocolVersion(version))) {
            return { kind: 'legacy' };
        }
        return { kind: 'fail', error };
    }
    if (error instanceof ProtocolError) {
        const modernCode =
            error.code === ProtocolErrorCode.HeaderMismatch ||
            error.code === ProtocolErrorCode.MissingRequiredClientCapability;
        return modernCode || pinned ? { kind: 'fail', error } : { kind: 'legacy' };
    }
    if (error instanceof StreamableHTTPError && error.status >= 400 && error.status < 500 && !pinned) {
        if (error.status === 401 || error.status === 403) return { kind: 'fail', error };
        return { kind: 'legacy' };
    }
    return { kind: 'fail', error };
}

/** True for the HTTP transports (they end sessions with `terminateSession`), where silence is an outage. */
export function overHttp(transport: Transport): boolean {
    return typeof (transport as { terminateSession?: unknown }).terminateSession === 'function';
}

/** The 2025-era methods a 2026-07-28 client cannot send, and what replaces each. */
export const LEGACY_ONLY_METHODS: ReadonlyMap<string, string> = new Map([
    ['ping', 'any request: each one shows the server is there'],
    ['logging/setLevel', "the logLevel in each request's _meta"],
    ['resources/subscribe', 'subscriptions/listen'],
    ['resources/unsubscribe', 'closing the subscriptions/listen stream']
]);
