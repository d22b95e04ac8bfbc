// Error sentences: what a form says for an API error code (lib/form-errors.ts), and `/login?error=`.
export const errors = {
  'error.generic': 'Something went wrong. Please try again.',
  'error.server': 'Something went wrong on our side. Please try again.',
  'error.INVALID_CREDENTIALS': 'That email and password do not match an account.',
  'error.EMAIL_TAKEN': 'An account with this email already exists. Sign in instead?',
  'error.emailTakenField': 'An account with this email already exists.',
  'error.INVALID_MFA_CODE': 'That code is not right. Check your app and try again.',
  'error.VALIDATION_FAILED': 'Please correct the fields marked below.',
  'error.NETWORK_ERROR': 'We could not reach the server. Check your connection and try again.',
  'error.SERVICE_UNAVAILABLE': 'The service is temporarily unavailable. Please try again in a moment.',
  'error.CSRF_REJECTED': 'This request was blocked because it did not come from this site. Reload the page and try again.',
  'error.rateLimited': 'Too many attempts. Please wait a little and try again.',
  'error.rateLimitedSeconds': 'Too many attempts. Try again in {seconds} seconds.',
  'error.rateLimitedMinutes': 'Too many attempts. Try again in {minutes} minutes.',
  'loginError.generic': 'Sign-in did not complete. Please try again.',
  'loginError.oauth_state_invalid': 'That sign-in link expired or was already used. Please start again.',
  'loginError.oauth_access_denied': 'Sign-in was cancelled at the provider. You can try again or use your password.',
  'loginError.oauth_provider_error': 'The provider could not complete the sign-in. Please try again.',
  'loginError.oauth_provider_unavailable': 'That sign-in provider is not available right now. Please try again later.',
  'loginError.oauth_exchange_failed': 'We could not confirm your sign-in with the provider. Please try again.',
  'loginError.oauth_profile_failed': 'We could not read your profile from the provider. Please try again.',
  'loginError.oauth_email_missing': 'The provider did not share an email address with us, so we cannot sign you in with it.',
  'loginError.oauth_email_unverified_conflict':
    'An account with this email already exists. Sign in with your password, then link this provider in Settings → Security.',
  'loginError.oauth_email_not_verified':
    'Verify your email address before signing in: we sent a link to it. Open the link, then continue with the same provider.',
  'loginError.oauth_account_locked': 'This account is locked. Contact your administrator.',
} as const;
