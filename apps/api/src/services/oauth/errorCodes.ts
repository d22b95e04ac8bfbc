/**
 * The codes an OAuth callback puts in `?error=` when it redirects back to the web app. Stable:
 * the web app maps each to a sentence (apps/web/lib/form-errors.ts and the security settings).
 */
export const LOGIN_ERROR_CODES = [
  'oauth_state_invalid',
  'oauth_access_denied',
  'oauth_provider_error',
  'oauth_provider_unavailable',
  'oauth_exchange_failed',
  'oauth_profile_failed',
  'oauth_email_missing',
  'oauth_email_unverified_conflict',
  'oauth_email_not_verified',
] as const;

/** Only for link flows, which return to /settings/security. */
export const LINK_ERROR_CODES = ['oauth_identity_in_use', 'oauth_provider_already_linked', 'oauth_link_session_expired', 'oauth_link_wrong_browser'] as const;

export type OAuthErrorCode = (typeof LOGIN_ERROR_CODES)[number] | (typeof LINK_ERROR_CODES)[number];
