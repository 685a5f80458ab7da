/**
 * OAuth metadata and message schemas shared by the MCP client and server (RFC 6749, 7591, 8414, 9728, OpenID
 * Connect Discovery), OAuth errors, and resource identifiers (RFC 8707).
 *
 * @module
 */
export {
    OAuthMetadataSchema,
    OpenIdProviderDiscoveryMetadataSchema,
    OpenIdProviderMetadataSchema
} from './authorizationServerMetadata.js';
export type {
    AuthorizationServerMetadata,
    OAuthMetadata,
    OpenIdProviderDiscoveryMetadata,
    OpenIdProviderMetadata
} from './authorizationServerMetadata.js';
export {
    OAuthClientInformationFullSchema,
    OAuthClientInformationSchema,
    OAuthClientMetadataSchema,
    OAuthClientRegistrationErrorSchema
} from './clientRegistration.js';
export type {
    OAuthClientInformation,
    OAuthClientInformationFull,
    OAuthClientInformationMixed,
    OAuthClientMetadata,
    OAuthClientRegistrationError,
    StoredOAuthClientInformation
} from './clientRegistration.js';
export { OAuthProtectedResourceMetadataSchema } from './protectedResourceMetadata.js';
export type { OAuthProtectedResourceMetadata } from './protectedResourceMetadata.js';
export {
    ID_JAG_TOKEN_TYPE,
    IdJagTokenExchangeResponseSchema,
    OAuthErrorResponseSchema,
    OAuthTokenRevocationRequestSchema,
    OAuthTokensSchema
} from './tokens.js';
export type {
    IdJagTokenExchangeResponse,
    OAuthErrorResponse,
    OAuthTokenRevocationRequest,
    OAuthTokens,
    StoredOAuthTokens
} from './tokens.js';
export { AnyUrlSchema, HttpUrlSchema } from './urls.js';
export { OAuthError, OAuthErrorCode } from './errors.js';
export type { OAuthErrorOptions } from './errors.js';
export { checkResourceAllowed, resourceUrlFromServerUrl } from './resourceUrl.js';
export type { ResourceAllowedInput } from './resourceUrl.js';
