/**
 * URL checks shared by the verifiers and the metadata builder.
 *
 * @module
 */
import { AuthConfigError } from './errors.js';

import { isLoopbackHostname } from '@modelcontextprotocol/core';

/**
 * Parses `value` as an absolute URL that is `https:`, or `http:` on a loopback host (for local development).
 *
 * @throws {@link AuthConfigError} naming `where` when the value is not such a URL.
 */
export function toSecureUrl(value: string | URL, where: string): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch (cause) {
        throw new AuthConfigError(`${where}: ${JSON.stringify(String(value))} is not an absolute URL`, { cause });
    }
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && isLoopbackHostname(url.hostname)) return url;
    throw new AuthConfigError(`${where}: ${url.href} must use https (http is allowed only on loopback hosts)`);
}
