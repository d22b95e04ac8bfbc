import { isAuthError } from '@portcullis/sdk';
import { formErrorsFrom } from '@/lib/form-errors';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';

/**
 * formErrorsFrom, with the wording of the MFA forms (password + code) for a wrong code or password,
 * and "Sign in again" for an account without a password whose sign-in is too old.
 */
export function mfaFormErrors(error: unknown, fields: string[]): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  const found = formErrorsFrom(error, fields);
  if (isAuthError(error) && error.code === 'INVALID_MFA_CODE') found.fields.code = 'That code is not right. Check your app and try again.';
  if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS') {
    found.message = 'Your password is not right.';
    found.fields.password = 'This is not your password.';
  }
  return found;
}
