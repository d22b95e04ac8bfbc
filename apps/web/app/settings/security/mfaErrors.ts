import { isAuthError } from '@portcullis/sdk';
import { formErrorsFrom } from '@/lib/form-errors';
import type { Translate } from '@/lib/i18n/core';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';

/**
 * formErrorsFrom, with the wording of the MFA forms (password + code) for a wrong code or password,
 * and "Sign in again" for an account without a password whose sign-in is too old.
 */
export function mfaFormErrors(error: unknown, fields: string[], t: Translate): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  const found = formErrorsFrom(error, fields, t);
  if (isAuthError(error) && error.code === 'INVALID_MFA_CODE') found.fields.code = t('error.INVALID_MFA_CODE');
  if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS') {
    found.message = t('settings.wrongPassword');
    found.fields.password = t('settings.notYourPassword');
  }
  return found;
}
