/**
 * `completion/complete` for `McpServer` (MCP 2025-11-25, Server › Utilities › Completion): suggestions for
 * prompt arguments (from {@link completable} schemas) and resource template variables (from
 * `ResourceTemplate` `complete` callbacks), at most 100 values per response with `total` and `hasMore`.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/completion
 * @module
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/core';
import type { AuthInfo, CompleteRequestParams, CompleteResult, JSONRPCRequest } from '@modelcontextprotocol/core';
import { enforceScopeChallenge } from '../auth/scopeChallenge.js';
import type { CompleteCallback } from './completable.js';
import type { PromptRegistry } from './prompts.js';
import { HandlerInstaller } from './registry.js';
import type { Server } from '../index.js';
import type { CompleteResourceTemplateCallback } from './resourceTemplate.js';
import type { ResourceRegistry } from './resources.js';

/** The most values one completion response carries (spec: "MUST NOT exceed 100"). */
export const MAX_COMPLETION_VALUES = 100;

/** The completion result for a list of candidate values: the first 100, the total, and whether more exist. */
export function completionResult(values: readonly string[]): CompleteResult {
    return {
        completion: {
            values: values.length > MAX_COMPLETION_VALUES ? values.slice(0, MAX_COMPLETION_VALUES) : [...values],
            total: values.length,
            hasMore: values.length > MAX_COMPLETION_VALUES
        }
    };
}

const COMPLETION_METHODS: readonly string[] = ['completion/complete'];

const NO_COMPLETIONS: CompleteResult = Object.freeze({
    completion: Object.freeze({ values: [] as string[], hasMore: false })
}) as CompleteResult;

/** Answers `completion/complete` from the prompt and resource registries; installed on first need. */
export class CompletionProvider extends HandlerInstaller {
    constructor(
        private readonly _server: Server,
        private readonly _prompts: PromptRegistry,
        private readonly _resources: ResourceRegistry
    ) {
        super();
    }

    /** Advertises `completions` and installs the handler (once). */
    install(): void {
        this.ensureHandlers(this._server);
    }

    protected handlerMethods(): readonly string[] {
        return COMPLETION_METHODS;
    }

    protected installHandlers(server: Server): void {
        server.registerCapabilities({ completions: {} });
        server.setRequestHandler('completion/complete', (request, extra) =>
            this._complete(request.params, request as unknown as JSONRPCRequest, extra.authInfo)
        );
    }

    private async _complete(
        params: CompleteRequestParams,
        request: JSONRPCRequest,
        authInfo: AuthInfo | undefined
    ): Promise<CompleteResult> {
        const { ref, argument } = params;
        // A completion tells about the prompt or template it asks for: it needs what they need.
        const challenge =
            ref.type === 'ref/prompt'
                ? this._prompts.scopeChallengeFor(ref.name)
                : this._resources.scopeChallengeForTemplate(ref.uri);
        await enforceScopeChallenge(challenge, request, authInfo);
        let complete: CompleteCallback | CompleteResourceTemplateCallback | undefined;
        if (ref.type === 'ref/prompt') {
            const found = this._prompts.completer(ref.name, argument.name);
            if (found === null) throw new McpError(ErrorCode.InvalidParams, `Prompt ${ref.name} not found`);
            complete = found;
        } else {
            const template = this._resources.findTemplate(ref.uri);
            if (template) complete = template.completeCallback(argument.name);
            else if (!this._resources.hasResource(ref.uri)) {
                throw new McpError(ErrorCode.InvalidParams, `Resource template ${ref.uri} not found`);
            }
        }
        if (!complete) return NO_COMPLETIONS;
        const context = params.context?.arguments ? { arguments: params.context.arguments } : undefined;
        const values = (await complete(argument.value, context)) as unknown[];
        return completionResult(values.map(String));
    }
}
