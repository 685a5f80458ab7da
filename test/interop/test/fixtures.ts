/**
 * The one scenario every interop server implements, whichever SDK it is built with: an `add` tool with an output
 * schema, a `count-up` tool that reports progress, a text resource and a prompt with one argument. Tests compare
 * against these constants.
 *
 * @module
 */

/** `add({ a, b })` → text `"a + b = sum"` and `structuredContent: { sum }`; declares `outputSchema { sum: number }`. */
export const ADD_TOOL = 'add';
/** `count-up({ steps })` sends `steps` progress notifications (1..steps of steps), then answers `"counted <steps>"`. */
export const PROGRESS_TOOL = 'count-up';
/**
 * `pause-and-resume()` (registered only by the resumability tests): progress 1, then closes its own SSE stream
 * (SSE polling, MCP 2025-11-25 "Resumability and Redelivery"), waits {@link RESUME_PAUSE_MS}, progress 2, then
 * answers `"resumed"`. The client must reconnect with `Last-Event-ID` to see the rest.
 */
export const RESUME_TOOL = 'pause-and-resume';
/** How long {@link RESUME_TOOL} waits after closing its stream. */
export const RESUME_PAUSE_MS = 50;
/** The SSE `retry:` the resumable servers advertise, in ms. */
export const RESUME_RETRY_MS = 20;

/** A fixed text resource. */
export const GREETING_URI = 'interop://greeting';
/** The prompt `greet({ name })` → one user message {@link greetingFor}(name). */
export const GREET_PROMPT = 'greet';

/** The text of {@link GREETING_URI} served by `serverName`. */
export function greetingText(serverName: string): string {
    return `Hello from ${serverName}`;
}

/** The text of the `greet` prompt's message. */
export function greetingFor(name: string): string {
    return `Please greet ${name} warmly.`;
}

/** The text content of `add`. */
export function sumText(a: number, b: number): string {
    return `${a} + ${b} = ${a + b}`;
}

/** The progress message of step `i`. */
export function stepMessage(i: number): string {
    return `step ${i}`;
}

/** The protocol revision every SDK under test implements as its latest. */
export const EXPECTED_PROTOCOL_VERSION = '2025-11-25';

/** How an HTTP server under test is run. */
export interface ServeMode {
    /** No sessions: a fresh server and transport per request. */
    stateless: boolean;
    /** POST responses as one JSON body instead of an SSE stream. */
    json: boolean;
    /** Keep SSE events in an event store and advertise `retry:` {@link RESUME_RETRY_MS} (stateful only). */
    resumable?: boolean;
}

/** The four combinations, named for test titles. */
export const SERVE_MODES: ReadonlyArray<{ name: string; mode: ServeMode }> = [
    { name: 'stateful, SSE responses', mode: { stateless: false, json: false } },
    { name: 'stateful, JSON responses', mode: { stateless: false, json: true } },
    { name: 'stateless, SSE responses', mode: { stateless: true, json: false } },
    { name: 'stateless, JSON responses', mode: { stateless: true, json: true } }
];
