/**
 * URL checks shared by the verifiers and the metadata builder.
 *
 * @module
 */
import { AuthConfigError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.0/8` and `[::1]` hosts. */
export function isLoopbackHost(hostname: string): boolean {
    return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

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
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
    throw new AuthConfigError(`${where}: ${url.href} must use https (http is allowed only on loopback hosts)`);
}
