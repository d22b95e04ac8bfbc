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
