/**
 * Resource identifiers (RFC 8707 §2): the canonical URI of an MCP server, and whether a resource named by protected
 * resource metadata covers the server a client used (RFC 9728 §3.3, §7.3).
 *
 * @module
 */

/**
 * The resource identifier of a server URL (MCP 2025-11-25 "Canonical Server URI", RFC 8707 §2): the URL without its
 * fragment, which a resource identifier must not have. `URL` already lower-cases the scheme and host and drops a
 * default port; the path and query are kept as they are.
 */
export function resourceUrlFromServerUrl(url: URL | string): URL {
    const resource = new URL(url);
    resource.hash = '';
    return resource;
}

/** The two resources {@link checkResourceAllowed} compares, by name. */
export interface ResourceAllowedInput {
    /** The resource the client wants (the MCP server URL it uses). */
    requestedResource: URL | string;
    /** The resource that was configured or published (e.g. protected resource metadata's `resource`). */
    configuredResource: URL | string;
}

/**
 * Whether `configured` covers `requested`: both without fragment, the same scheme, host and port, and
 * `configured`'s path equal to `requested`'s or a parent of it on a `/` boundary (`https://h/` covers
 * `https://h/mcp`; `https://h/mc` does not). A `configured` query must match exactly. Unparsable input is not
 * allowed.
 *
 * Takes the two URLs, or (the official SDK's form) one object naming them.
 */
export function checkResourceAllowed(input: ResourceAllowedInput): boolean;
export function checkResourceAllowed(requested: string | URL, configured: string | URL): boolean;
export function checkResourceAllowed(
    requestedOrInput: string | URL | ResourceAllowedInput,
    configuredResource?: string | URL
): boolean {
    const [requested, configured] =
        typeof requestedOrInput === 'string' || requestedOrInput instanceof URL
            ? [requestedOrInput, configuredResource]
            : [requestedOrInput.requestedResource, requestedOrInput.configuredResource];
    if (configured === undefined) return false;
    let want: URL;
    let have: URL;
    try {
        want = resourceUrlFromServerUrl(requested);
        have = resourceUrlFromServerUrl(configured);
    } catch {
        return false;
    }
    if (want.origin !== have.origin || want.origin === 'null') return false;
    if (have.search !== '') return have.search === want.search && have.pathname === want.pathname;
    if (want.pathname === have.pathname) return true;
    const prefix = have.pathname.endsWith('/') ? have.pathname : `${have.pathname}/`;
    return want.pathname.startsWith(prefix);
}
