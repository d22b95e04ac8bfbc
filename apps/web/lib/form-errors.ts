// Turns an SDK error into what a form shows: one message at the top and one per field.
import type { OAuthLoginErrorCode } from '@portcullis/contract/codes';
import { isAuthError } from '@portcullis/sdk';

export interface FormErrors {
  message?: string;
  fields: Record<string, string | undefined>;
}

const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead?',
  INVALID_MFA_CODE: 'That code is not right. Check your app and try again.',
  VALIDATION_FAILED: 'Please correct the fields marked below.',
  NETWORK_ERROR: 'We could not reach the server. Check your connection and try again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Please try again in a moment.',
  CSRF_REJECTED: 'This request was blocked because it did not come from this site. Reload the page and try again.',
  // An answer not in the contract's shape (a proxy's page): the SDK's "Request failed with status" says nothing to a person.
  HTTP_ERROR: 'Something went wrong. Please try again.',
};

/**
 * `fieldFor` maps an API field name to the form's (e.g. `newPassword` → `newPassword`); details
 * for fields the form does not have go into the top message, so nothing is silently lost.
 */
export function formErrorsFrom(error: unknown, knownFields: readonly string[]): FormErrors {
  if (!isAuthError(error)) return { message: 'Something went wrong. Please try again.', fields: {} };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of error.details) {
    if (knownFields.includes(detail.field) && !fields[detail.field]) fields[detail.field] = detail.message;
    else if (detail.message) unplaced.push(detail.message);
  }
  if (error.code === 'EMAIL_TAKEN' && knownFields.includes('email')) fields.email = 'An account with this email already exists.';
  let message = MESSAGES[error.code] ?? error.message;
  if (error.code === 'RATE_LIMITED') message = rateLimitMessage(error.retryAfterSec);
  if (error.code === 'VALIDATION_FAILED' && unplaced.length > 0) message = unplaced.join(' ');
  if (error.status >= 500 && !MESSAGES[error.code]) message = 'Something went wrong on our side. Please try again.';
  return { message, fields };
}

function rateLimitMessage(retryAfterSec: number | undefined): string {
  if (!retryAfterSec) return 'Too many attempts. Please wait a little and try again.';
  const minutes = Math.ceil(retryAfterSec / 60);
  return retryAfterSec < 90 ? `Too many attempts. Try again in ${Math.ceil(retryAfterSec)} seconds.` : `Too many attempts. Try again in ${minutes} minutes.`;
}

/**
 * Messages for `/login?error=<code>`: the contract's OAuth login error codes, each with its own
 * sentence (a code added to the contract fails compilation here until it has one).
 */
const LOGIN_ERRORS: Record<string, string> = {
  oauth_state_invalid: 'That sign-in link expired or was already used. Please start again.',
  oauth_access_denied: 'Sign-in was cancelled at the provider. You can try again or use your password.',
  oauth_provider_error: 'The provider could not complete the sign-in. Please try again.',
  oauth_provider_unavailable: 'That sign-in provider is not available right now. Please try again later.',
  oauth_exchange_failed: 'We could not confirm your sign-in with the provider. Please try again.',
  oauth_profile_failed: 'We could not read your profile from the provider. Please try again.',
  oauth_email_missing: 'The provider did not share an email address with us, so we cannot sign you in with it.',
  oauth_email_unverified_conflict: 'An account with this email already exists. Sign in with your password, then link this provider in Settings → Security.',
  oauth_email_not_verified: 'Verify your email address before signing in: we sent a link to it. Open the link, then continue with the same provider.',
  oauth_account_locked: 'This account is locked. Contact your administrator.',
} satisfies Record<OAuthLoginErrorCode, string>;

/** A readable sentence for a login error code; unknown codes get a generic one (never echoed). */
export function loginErrorMessage(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const key = code.toLowerCase();
  // Own keys only: `?error=constructor` must not find Object's.
  return Object.hasOwn(LOGIN_ERRORS, key) ? LOGIN_ERRORS[key] : 'Sign-in did not complete. Please try again.';
}
