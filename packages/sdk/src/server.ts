// @portcullis/sdk/server: verify Portcullis access tokens in other Node services.
export { createVerifier } from '#sdk/verifier';
export type { AccessTokenAlgorithm, AccessTokenClaims, Verifier, VerifierOptions } from '#sdk/verifier';
export { bearerToken, requireAccessToken, requirePermission } from '#sdk/middleware';
export { hasPermission, PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '#sdk/permissions';
export type { Permission, Role } from '#sdk/permissions';
export type { BearerMiddleware, BearerRequest, BearerResponse, NextFunction } from '#sdk/middleware';
export { AuthError, isAuthError } from '#sdk/errors';
export type { ErrorCode, ErrorDetail } from '#sdk/errors';
// The API refuses non-canonical tokens with the same check (one rule for both).
export { isCanonicalBase64url, isCanonicalCompactJws } from '#sdk/tokenFormat';
// Services: access tokens from a service account's id and secret (client credentials grant).
export { clientCredentials } from '#sdk/clientCredentials';
export type { ClientCredentialsOptions, ServiceTokenSource } from '#sdk/clientCredentials';
// Organizations (issue 16): the token's active organization and its role table.
export { requireOrgPermission } from '#sdk/orgMiddleware';
export type { OrgPermissionOptions } from '#sdk/orgMiddleware';
export { hasOrgPermission, ORG_PERMISSIONS, ORG_ROLE_PERMISSIONS, ORG_ROLES } from '#sdk/permissions';
export type { OrgPermission, OrgRole } from '#sdk/permissions';
