// Turns an SDK error into what a form shows: one message at the top and one per field. The
// sentences are the catalogue's (`error.*`, `loginError.*`), in the page's language: the
// I18nProvider hands its translator over (useFormErrorsLocale), English until it has.
import type { OAuthLoginErrorCode } from '@portcullis/contract/codes';
import { isAuthError } from '@portcullis/sdk';
import { createTranslator, type MessageKey, type Translate } from './i18n/core';

export interface FormErrors {
  message?: string;
  fields: Record<string, string | undefined>;
}

let translate: Translate = createTranslator({}, 'Portcullis');

/** Called by the I18nProvider (lib/i18n/client.tsx): this page's language for every form's errors. */
export function setFormErrorsTranslator(t: Translate): void {
  translate = t;
}

const MESSAGES: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: 'error.INVALID_CREDENTIALS',
  EMAIL_TAKEN: 'error.EMAIL_TAKEN',
  INVALID_MFA_CODE: 'error.INVALID_MFA_CODE',
  VALIDATION_FAILED: 'error.VALIDATION_FAILED',
  NETWORK_ERROR: 'error.NETWORK_ERROR',
  SERVICE_UNAVAILABLE: 'error.SERVICE_UNAVAILABLE',
  CSRF_REJECTED: 'error.CSRF_REJECTED',
  // An answer not in the contract's shape (a proxy's page): the SDK's "Request failed with status" says nothing to a person.
  HTTP_ERROR: 'error.generic',
};

/**
 * `fieldFor` maps an API field name to the form's (e.g. `newPassword` → `newPassword`); details
 * for fields the form does not have go into the top message, so nothing is silently lost.
 */
export function formErrorsFrom(error: unknown, knownFields: readonly string[], t: Translate = translate): FormErrors {
  if (!isAuthError(error)) return { message: t('error.generic'), fields: {} };
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const detail of error.details) {
    if (knownFields.includes(detail.field) && !fields[detail.field]) fields[detail.field] = detail.message;
    else if (detail.message) unplaced.push(detail.message);
  }
  if (error.code === 'EMAIL_TAKEN' && knownFields.includes('email')) fields.email = t('error.emailTakenField');
  const known = Object.hasOwn(MESSAGES, error.code) ? MESSAGES[error.code] : undefined;
  let message = known ? t(known) : error.message;
  if (error.code === 'RATE_LIMITED') message = rateLimitMessage(t, error.retryAfterSec);
  if (error.code === 'VALIDATION_FAILED' && unplaced.length > 0) message = unplaced.join(' ');
  if (error.status >= 500 && !known) message = t('error.server');
  return { message, fields };
}

function rateLimitMessage(t: Translate, retryAfterSec: number | undefined): string {
  if (!retryAfterSec) return t('error.rateLimited');
  return retryAfterSec < 90
    ? t('error.rateLimitedSeconds', { seconds: Math.ceil(retryAfterSec) })
    : t('error.rateLimitedMinutes', { minutes: Math.ceil(retryAfterSec / 60) });
}

/**
 * Messages for `/login?error=<code>`: the contract's OAuth login error codes, each with its own
 * sentence (a code added to the contract fails compilation here until it has one).
 */
const LOGIN_ERRORS: Record<string, MessageKey> = {
  oauth_state_invalid: 'loginError.oauth_state_invalid',
  oauth_access_denied: 'loginError.oauth_access_denied',
  oauth_provider_error: 'loginError.oauth_provider_error',
  oauth_provider_unavailable: 'loginError.oauth_provider_unavailable',
  oauth_exchange_failed: 'loginError.oauth_exchange_failed',
  oauth_profile_failed: 'loginError.oauth_profile_failed',
  oauth_email_missing: 'loginError.oauth_email_missing',
  oauth_email_unverified_conflict: 'loginError.oauth_email_unverified_conflict',
  oauth_email_not_verified: 'loginError.oauth_email_not_verified',
  oauth_account_locked: 'loginError.oauth_account_locked',
} satisfies Record<OAuthLoginErrorCode, MessageKey>;

/** A readable sentence for a login error code; unknown codes get a generic one (never echoed). */
export function loginErrorMessage(code: string | null | undefined, t: Translate = translate): string | undefined {
  if (!code) return undefined;
  const key = code.toLowerCase();
  // Own keys only: `?error=constructor` must not find Object's.
  return t(Object.hasOwn(LOGIN_ERRORS, key) ? LOGIN_ERRORS[key]! : 'loginError.generic');
}
