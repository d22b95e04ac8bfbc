// @portcullis/sdk: the framework-agnostic client for browsers and Node. No React, no Node-only
// imports: the web app consumes this file as TypeScript source. Server-side token
// verification lives in '@portcullis/sdk/server'.
export { createAuthClient } from '#sdk/client';
export { createOrganizationsClient } from '#sdk/organizations';
export type { OrganizationsClient, PageOptions } from '#sdk/organizations';
export { refreshBufferMs, refreshDelayMs } from '#sdk/buffer';
export { parseSessionAnswer, parseUser, SESSION_COOKIE } from '#sdk/sessionAnswer';
export type { SessionAnswer } from '#sdk/sessionAnswer';
export { AuthError, ERROR_CODES, errorFromResponse, isAuthError, networkError, parseErrorResponse } from '#sdk/errors';
export { grantsMore, hasPermission, mayAccessAll, PERMISSIONS, ROLE_PERMISSIONS, ROLE_SCOPE, ROLES } from '#sdk/permissions';
export type { Permission, Scope, OrgPermission, OrgRole } from '#sdk/permissions';
export { hasOrgPermission, ORG_PERMISSIONS, ORG_ROLE_PERMISSIONS, ORG_ROLES, orgRoleAtMost } from '#sdk/permissions';
export type { AuthErrorInit, ErrorCode, ErrorDetail, HeaderLookup, KnownErrorCode } from '#sdk/errors';
export type {
  AccountListQuery,
  AdminAccount,
  AdminAccountList,
  AdminConsoleClient,
  AdminUser,
  AuditEntry,
  AuditLogPage,
  AuditLogQuery,
} from '#sdk/adminConsole';
export type {
  CreatedServiceAccount,
  CreatedWebhookEndpoint,
  IntegrationsAdminClient,
  ServiceAccount,
  ServiceAccountInput,
  ServiceAccountsAdminClient,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointChanges,
  WebhookEndpointInput,
  WebhooksAdminClient,
} from '#sdk/integrations';
export type {
  ApiKey,
  AuthClient,
  AuditEvent,
  CreatedApiKey,
  AuthClientOptions,
  AuthResult,
  DeleteAccountInput,
  FetchLike,
  LoginResult,
  MfaChallenge,
  MfaLoginInput,
  MfaMethod,
  MfaResetResult,
  Passkey,
  PasskeyProof,
  SignInMethods,
  EmailSignInRedeemInput,
  WebAuthnCredentialJSON,
  WebAuthnOptionsJSON,
  Project,
  Role,
  Session,
  SessionEndListener,
  SessionEndReason,
  SignedIn,
  TokenTransport,
  TotpSetup,
  User,
} from '#sdk/types';
