/**
 * OAuth 2.1 for MCP clients (MCP 2025-11-25 "Authorization"): the `OAuthClientProvider` interface and the minimal
 * `AuthProvider`, the `auth()` orchestrator, progressive (step-up) authorization (`AuthSession`, `withOAuth`),
 * machine-client providers, the official SDK's step-by-step functions, and the building blocks they compose
 * (challenge parsing, scope algebra, discovery, registration, PKCE, token endpoint). The OAuth types and errors
 * shared with the server (`OAuthTokens`, `OAuthError`, `OAuthErrorCode`, `checkResourceAllowed`…) come from
 * `@modelcontextprotocol/core`.
 *
 * @module
 */
export { auth, authorize, refreshTokens } from './auth.js';
export type { AuthOptions, AuthorizeOptions, AuthorizeOutcome, AuthResult } from './auth.js';
export type { AuthProvider, UnauthorizedContext } from './authProvider.js';
export {
    buildAuthorizationUrl,
    parseAuthorizationResponse,
    validateAuthorizationResponseIssuer
} from './authorizationRequest.js';
export type {
    AuthorizationRequestParams,
    AuthorizationResponse,
    AuthorizationResponseChecks
} from './authorizationRequest.js';
export { AuthSession } from './authSession.js';
export type { AuthSessionOptions, InsufficientScopeMode, StepUpDecision, StepUpRequest } from './authSession.js';
export {
    applyClientAuthentication,
    basicAuthorizationHeader,
    createClientAssertion,
    createPrivateKeyJwtAuth,
    selectClientAuthMethod
} from './clientAuth.js';
export type {
    ClientAssertionKey,
    ClientAuthMethod,
    ClientAuthMethodInput,
    ClientCredentials,
    ClientInformationLike,
    TokenRequestParts
} from './clientAuth.js';
export { ClientCredentialsProvider, PrivateKeyJwtProvider, StaticPrivateKeyJwtProvider } from './clientCredentials.js';
export type {
    ClientCredentialsProviderOptions,
    MachineClientOptions,
    PrivateKeyJwtProviderOptions,
    StaticPrivateKeyJwtProviderOptions
} from './clientCredentials.js';
export {
    CrossAppAccessProvider,
    exchangeIdJag,
    ID_TOKEN_TYPE,
    JWT_BEARER_GRANT_TYPE,
    requestIdJag,
    TOKEN_EXCHANGE_GRANT_TYPE
} from './crossAppAccess.js';
export type {
    AssertionCallback,
    CrossAppAccessAssertionOptions,
    CrossAppAccessClientOptions,
    CrossAppAccessContext,
    CrossAppAccessIdpOptions,
    CrossAppAccessProviderOptions,
    IdJag,
    IdJagRequestOptions
} from './crossAppAccess.js';
export {
    authorizationServerMetadataUrls,
    buildDiscoveryUrls,
    canonicalResourceUrl,
    defaultAuthorizationServerMetadata,
    discoverAuthorizationServerMetadata,
    discoverOAuth,
    discoverOAuthMetadata,
    discoverProtectedResourceMetadata,
    issuerMatches,
    metadataRequest,
    processAuthorizationServerMetadataResponse,
    processProtectedResourceMetadataResponse,
    protectedResourceMetadataUrls
} from './discovery.js';
export type {
    AuthorizationServerMetadataDiscoveryOptions,
    DiscoverOAuthOptions,
    DiscoveryRequestOptions,
    IssuerCheck,
    OAuthDiscovery,
    ProtectedResourceMetadataResult
} from './discovery.js';
export {
    AuthorizationResponseError,
    AuthorizationServerChangedError,
    DiscoveryError,
    InsecureEndpointError,
    InsufficientScopeError,
    InvalidResponseError,
    InvalidAuthOptionsError,
    InvalidScopeError,
    IssuerMismatchError,
    OAuthSecurityError,
    PkceUnsupportedError,
    RegistrationError,
    RequestFailedError,
    ResourceMismatchError,
    StateMismatchError,
    UnauthorizedError,
    UnsupportedClientAuthMethodError
} from './errors.js';
export type { ChallengeDetails, OAuthClientErrorCode } from './errors.js';
export {
    AuthorizationServerMismatchError,
    InsecureTokenEndpointError,
    InvalidClientMetadataError,
    OAuthClientFlowError,
    RegistrationRejectedError
} from './flowErrors.js';
export { assertSecureEndpoint, DEFAULT_REQUEST_TIMEOUT_MS, isLoopbackHost, MAX_JSON_BODY_BYTES } from './http.js';
export { InMemoryOAuthClientProvider } from './inMemoryProvider.js';
export type { InMemoryOAuthClientProviderOptions } from './inMemoryProvider.js';
export { discoverAndRequestJwtAuthGrant, exchangeJwtAuthGrant, requestJwtAuthorizationGrant } from './jwtAuthGrant.js';
export type {
    DiscoverAndRequestJwtAuthGrantOptions,
    JwtAuthGrantResult,
    RequestJwtAuthGrantOptions
} from './jwtAuthGrant.js';
export { withLogging } from './logging.js';
export type { LoggingOptions, RequestLogger } from './logging.js';
export { applyMiddlewares, createMiddleware, withOAuth } from './middleware.js';
export { JwtBearerProvider } from './jwtBearerProvider.js';
export type { JwtBearerProviderOptions } from './jwtBearerProvider.js';
export {
    DPOP_SUPPORTED_ALGS,
    DpopSession,
    generateDpopKeyPair,
    isDpopNonceChallenge,
    withDpop,
    withDpopFromProvider
} from './dpop.js';
export type {
    DpopAlg,
    DpopKeyPair,
    DpopProofRequest,
    DpopSessionSource,
    DpopTokenSource,
    GenerateDpopKeyPairOptions
} from './dpop.js';
export type { Middleware, WithOAuthOptions } from './middleware.js';
export {
    exchangeAuthorization,
    fetchToken,
    prepareAuthorizationCodeRequest,
    refreshAuthorization,
    startAuthorization
} from './oauthFlow.js';
export { operationOf } from './operation.js';
export {
    accessTokenHash,
    assertPkceSupported,
    base64url,
    computeCodeChallenge,
    generatePkce,
    generateState,
    randomBase64url
} from './pkce.js';
export type { Pkce } from './pkce.js';
export { SCOPE_STATE_MEMBER } from './provider.js';
export type {
    AddClientAuthentication,
    CredentialScope,
    MaybePromise,
    OAuthClientInformationContext,
    OAuthClientProvider,
    OAuthDiscoveryState,
    OAuthServerInfo,
    ScopeStateSnapshot
} from './provider.js';
export {
    isClientMetadataUrl,
    isHttpsUrl,
    processRegistrationResponse,
    registerClient,
    registrationRequest,
    resolveClientMetadata,
    selectClientRegistration,
    supportsClientIdMetadataDocument,
    validateClientMetadataUrl,
    withApplicationType
} from './registration.js';
export type { ClientRegistrationStrategy, RegisterClientOptions, RegistrationOptions } from './registration.js';
export {
    computeScopeUnion,
    differenceScopes,
    equalScopes,
    formatScope,
    intersectScopes,
    isEmptyScope,
    isStrictScopeSuperset,
    isSuperset,
    isValidScopeToken,
    parseScope,
    ScopeSet,
    scopeSet,
    unionScopes
} from './scope.js';
export type { ScopeInput } from './scope.js';
export type { LedgerSnapshot } from './scopeLedger.js';
export {
    discoverOAuthProtectedResourceMetadata,
    discoverOAuthServerInfo,
    extractResourceMetadataUrl,
    extractWWWAuthenticateParams,
    selectResourceURL
} from './serverInfo.js';
export {
    assertSecureTokenEndpoint,
    exchangeAuthorizationCode,
    parseErrorResponse,
    processTokenResponse,
    refreshAccessToken,
    requestClientCredentialsToken,
    requestToken,
    tokenRequest
} from './tokenEndpoint.js';
export type { ProcessTokenResponseOptions, TokenEndpointOptions, TokenResult } from './tokenEndpoint.js';
export {
    InvalidClientError,
    InvalidGrantError,
    InvalidTargetError,
    InvalidTokenRequestError,
    OAuthTokenError,
    ScopeRejectedError,
    tokenErrorFor,
    UnauthorizedClientError,
    UnsupportedGrantTypeError
} from './tokenErrors.js';
export type { OAuthErrorDetails, OAuthTokenErrorCode } from './tokenErrors.js';
export { createTransportAuth, TransportAuth } from './transportOptions.js';
export type { TransportAuthInit, TransportAuthOptions } from './transportOptions.js';
export {
    bearerChallenge,
    MAX_WWW_AUTHENTICATE_LENGTH,
    parseWWWAuthenticate,
    readChallenge
} from './wwwAuthenticate.js';
export type { BearerChallenge, Challenge, ObservedChallenge } from './wwwAuthenticate.js';
