/**
 * The contract between bearer authentication and whatever knows how to validate an access token.
 *
 * Implementations here: {@link createJwtVerifier} (RFC 9068 JWT access tokens, signature checked against a JWKS)
 * and {@link createIntrospectionVerifier} (RFC 7662 token introspection).
 *
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/core';

/**
 * Validates an access token and describes it.
 *
 * @see RFC 6750 §3.1, MCP 2025-11-25 "Token Handling": servers MUST validate that tokens were issued for them.
 */
export interface TokenVerifier {
    /**
     * Resolves to the token's {@link AuthInfo}.
     *
     * @throws {@link InvalidTokenError} when the token is invalid, expired, revoked or meant for another resource.
     * @throws {@link ServerError} when validity cannot be decided (key set or introspection endpoint unavailable).
     */
    verifyAccessToken(token: string): Promise<AuthInfo>;
}
