/**
 * Client-side checks around a user's `elicitation/create` handler: the requested mode must be one the client
 * advertised, accepted form content gets the schema's defaults (SEP-1034, when the client opted in with
 * `elicitation.form.applyDefaults`) and must validate against the `requestedSchema`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation
 * @module
 */
import type {
    ClientCapabilities,
    ElicitRequestParams,
    ElicitResult,
    RequestHandlerExtra
} from '@modelcontextprotocol/core';
import { ElicitResultSchema, ErrorCode, formatValidationError, McpError } from '@modelcontextprotocol/core';
import * as z from 'zod/mini';
import type { jsonSchemaValidator } from '@modelcontextprotocol/core/validators';

type ElicitHandler = (
    request: { method: 'elicitation/create'; params: ElicitRequestParams },
    extra: RequestHandlerExtra
) => ElicitResult | Promise<ElicitResult>;

type ElicitContent = NonNullable<ElicitResult['content']>;

/**
 * Wraps a user's elicitation handler with the mode check, defaults and content validation.
 *
 * @param getCapabilities the client's current capabilities (read per request; they may be registered late).
 * @param getValidator the validator to compile `requestedSchema` with (loaded lazily).
 */
export function wrapElicitationHandler(
    handler: ElicitHandler,
    getCapabilities: () => ClientCapabilities,
    getValidator: () => Promise<jsonSchemaValidator>
): ElicitHandler {
    return async (request, extra) => {
        const params = request.params;
        const elicitation = getCapabilities().elicitation;
        const isUrl = params.mode === 'url';
        if (!supportsMode(elicitation, isUrl)) {
            throw new McpError(
                ErrorCode.InvalidParams,
                `Client does not support ${isUrl ? 'URL' : 'form'}-mode elicitation requests`
            );
        }

        const parsed = z.safeParse(ElicitResultSchema, await handler(request, extra));
        if (!parsed.success) {
            throw new McpError(
                ErrorCode.InternalError,
                `Invalid elicitation result from handler: ${formatValidationError(parsed.error)}`
            );
        }
        const result = parsed.data;
        if (params.mode === 'url' || result.action !== 'accept') return result;

        const schema = params.requestedSchema;
        let content = result.content;
        if (isRecord(elicitation?.form) && elicitation.form.applyDefaults === true) {
            content = applyElicitationDefaults(schema.properties, content);
        }
        if (content !== undefined) {
            const validate = (await getValidator()).getValidator(schema);
            const outcome = validate(content);
            if (!outcome.valid) {
                throw new McpError(
                    ErrorCode.InvalidParams,
                    `Elicitation response content does not match the requested schema: ${outcome.errorMessage}`
                );
            }
        }
        return content === undefined ? result : { ...result, content };
    };
}

/**
 * Fills in each property's `default` where `content` lacks the property (SEP-1034). Returns `content` itself when
 * nothing is missing, a new object otherwise (also when `content` is absent and some property has a default).
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#supported-schema-types
 */
export function applyElicitationDefaults(
    properties: Record<string, { default?: unknown }>,
    content: ElicitContent | undefined
): ElicitContent | undefined {
    let out = content;
    for (const [key, property] of Object.entries(properties)) {
        const value = property.default;
        if (value === undefined || (content !== undefined && Object.hasOwn(content, key))) continue;
        if (out === content) out = { ...content };
        (out as ElicitContent)[key] = value as ElicitContent[string];
    }
    return out;
}

/** `{}` (the 2025-06-18 shape) means form mode only. */
function supportsMode(elicitation: ClientCapabilities['elicitation'], url: boolean): boolean {
    if (!elicitation) return false;
    if (url) return elicitation.url !== undefined;
    return elicitation.form !== undefined || elicitation.url === undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null;
}

/**
 * The elicitation modes a client's `elicitation` capability supports: an empty object means form mode (the 2025-06-18
 * meaning), `url` must be declared.
 */
export function getSupportedElicitationModes(capabilities: ClientCapabilities['elicitation']): {
    supportsFormMode: boolean;
    supportsUrlMode: boolean;
} {
    if (capabilities === undefined) return { supportsFormMode: false, supportsUrlMode: false };
    const declared = capabilities as { form?: unknown; url?: unknown };
    const supportsUrlMode = declared.url !== undefined;
    const supportsFormMode = declared.form !== undefined || !supportsUrlMode;
    return { supportsFormMode, supportsUrlMode };
}
