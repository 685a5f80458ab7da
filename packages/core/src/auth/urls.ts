/**
 * URL-valued string schemas shared by the OAuth metadata schemas.
 *
 * @module
 */
import * as z from 'zod/mini';

/**
 * An absolute `http:` or `https:` URL, kept as the string the document carried. Whether plain `http:` is acceptable
 * (loopback only) is decided where the URL is used, not here.
 */
export const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'Expected an absolute http(s) URL' });

/** An absolute URL of any scheme (for example a redirect URI with a private-use scheme, RFC 8252 §7.1). */
export const AnyUrlSchema = z.url({ error: 'Expected an absolute URL' });
