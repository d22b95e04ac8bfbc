// The contract's stable codes as plain data (no zod): error codes with their statuses, audit event
// types and the OAuth redirect error codes. Safe to import in a browser bundle.

/**
 * Every error code the API answers with, and the statuses it may carry (the first is the usual
 * one). A token in a body (`email/verify`, `password/reset`) is a `400 INVALID_TOKEN`, a bearer
 * token a `401`; a wrong MFA code is `401` at sign-in and `400` where the contract says so.
 */
export const ERROR_STATUSES = {
  // 408: the request did not arrive in time (http/clientError.ts, written by Node before Express).
  VALIDATION_FAILED: [400, 408],
  INVALID_JSON: [400],
  UNSUPPORTED_MEDIA_TYPE: [415],
  PAYLOAD_TOO_LARGE: [413],
  UNAUTHENTICATED: [401],
  INVALID_CREDENTIALS: [401],
  TOKEN_EXPIRED: [401],
  INVALID_TOKEN: [401, 400],
  REFRESH_TOKEN_REUSED: [401],
  MFA_REQUIRED: [401],
  INVALID_MFA_CODE: [401, 400],
  EMAIL_NOT_VERIFIED: [403],
  // An extension: an admin locked the account (sign-in and refresh refused until unlocked).
  ACCOUNT_LOCKED: [403],
  FORBIDDEN: [403],
  CSRF_REJECTED: [403],
  NOT_FOUND: [404],
  METHOD_NOT_ALLOWED: [405],
  EMAIL_TAKEN: [409],
  LAST_ADMIN: [409],
  CONFLICT: [409],
  RATE_LIMITED: [429],
  INTERNAL: [500],
  SERVICE_UNAVAILABLE: [503],
} as const satisfies Record<string, readonly number[]>;

export type ErrorCode = keyof typeof ERROR_STATUSES;
export const ERROR_CODES = Object.freeze(Object.keys(ERROR_STATUSES) as ErrorCode[]);

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_STATUSES, value);

/** Every event type the API records; the admin audit filter lists the same. */
export const AUDIT_EVENT_TYPES = [
  'user.registered',
  'login.succeeded',
  'login.failed',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.failed',
  'mfa.setup_started',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  'mfa.reset',
  'mfa.locked',
  'refresh.reuse_detected',
  'logout',
  'logout.all',
  'session.revoked',
  'password.changed',
  'password.change_failed',
  'password.reset_requested',
  'password.reset',
  'email.verification_sent',
  'email.verified',
  'user.updated',
  'user.email_changed',
  'user.role_changed',
  'user.deleted',
  'user.sessions_revoked',
  // Extensions (the admin console): an admin's lock and unlock, and an account created by invitation.
  'user.locked',
  'user.unlocked',
  'user.invited',
  'user.invitation_resent',
  'project.updated',
  'project.deleted',
  'oauth.linked',
  'oauth.unlinked',
  'keys.rotated',
  // Extensions (issue 15): webhook endpoints, API keys and service accounts.
  'webhook.endpoint_created',
  'webhook.endpoint_updated',
  'webhook.endpoint_deleted',
  'webhook.resent',
  'api_key.created',
  'api_key.revoked',
  'service_account.created',
  'service_account.deleted',
  'service_account.token_issued',
  'passkey.added',
  'passkey.renamed',
  'passkey.removed',
  'passkey.failed',
  'email_sign_in.requested',
  // Organizations (issue 16): details always carry `organizationId`.
  'org.created',
  'org.updated',
  'org.deleted',
  'org.member_added',
  'org.member_role_changed',
  'org.member_removed',
  'org.member_left',
  'org.ownership_transferred',
  'org.invitation_created',
  'org.invitation_resent',
  'org.invitation_revoked',
  'org.invitation_accepted',
  'org.project_created',
  'org.project_updated',
  'org.project_deleted',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * The codes an OAuth callback puts in `?error=` when it redirects back to the web app. Stable:
 * the web app maps each to a sentence.
 */
export const OAUTH_LOGIN_ERROR_CODES = [
  'oauth_state_invalid',
  'oauth_access_denied',
  'oauth_provider_error',
  'oauth_provider_unavailable',
  'oauth_exchange_failed',
  'oauth_profile_failed',
  'oauth_email_missing',
  'oauth_email_unverified_conflict',
  'oauth_email_not_verified',
  'oauth_account_locked',
] as const;

/** Only for link flows, which return to /settings/security. */
export const OAUTH_LINK_ERROR_CODES = [
  'oauth_identity_in_use',
  'oauth_provider_already_linked',
  'oauth_link_session_expired',
  'oauth_link_wrong_browser',
] as const;

export type OAuthLoginErrorCode = (typeof OAUTH_LOGIN_ERROR_CODES)[number];
export type OAuthErrorCode = OAuthLoginErrorCode | (typeof OAUTH_LINK_ERROR_CODES)[number];

/** Sign-in providers the API can be configured with. */
export const OAUTH_PROVIDERS = ['google', 'github', 'oidc'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

/** Second factors accepted at sign-in. */
export const MFA_METHODS = ['totp', 'recovery_code'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/**
 * Webhook event types (an extension, issue 15): what an endpoint may subscribe to. Each is written
 * to the webhook outbox in the transaction of the change it reports (Standard Webhooks payload:
 * `{ type, timestamp, data }`).
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.locked',
  'session.created',
  'session.revoked',
  'role.changed',
  'mfa.enabled',
  'mfa.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
