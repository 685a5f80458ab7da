/**
 * The official v2 export names our entries do not have yet, each with its reason: the only exception the
 * api-compat test allows. Entries leave this list as they are implemented (the test fails on a stale entry), so the
 * list only shrinks. Reasons:
 * - `STEP_7`: belongs to protocol revision 2026-07-28 (stateless requests, discover, input-required, listen, cache
 *   hints, era negotiation), which is Step 7; nothing is exported for it before it works.
 * - `DPOP`: DPoP-bound tokens (RFC 9449), part of the auth extensions of Step 7 (issue "Step 7", item 17).
 * - `TYPED_ERRORS`: replaced by our typed transport errors (`SSEError` for the legacy HTTP+SSE transport, whose
 *   `code` is a string and `status` the HTTP status, where the official `SseError.code` is the status), documented
 *   in docs/migration.md.
 * - `TODO`: not implemented yet (Step 6 in progress).
 *
 * @module
 */

/** Why a name is missing. */
export const STEP_7 = 'protocol revision 2026-07-28 (Step 7)';
export const DPOP = 'DPoP (RFC 9449) comes with the auth extensions of Step 7';
export const TYPED_ERRORS = 'replaced by the typed transport errors (TransportError subclasses)';
export const TODO = 'not implemented yet (Step 6 in progress)';

/** Missing names by official entry (`<alias> <subpath>`). */
export const DIFFERENCES: Record<string, Record<string, string>> = {
    'official-core .': {},
    'official-client .': {
        SseError: TYPED_ERRORS
    },
    'official-client ./stdio': {},
    'official-client ./validators/ajv': {},
    'official-client ./validators/cf-worker': {},
    'official-server .': {},
    'official-server ./stdio': {},
    'official-server ./validators/ajv': {},
    'official-server ./validators/cf-worker': {},
    'official-node .': {},
    'official-express .': {},
    'official-hono .': {},
    'official-fastify .': {}
};
