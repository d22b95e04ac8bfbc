import { isAuthError } from '@portcullis/sdk';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';

/** formErrorsFrom, with the wording of the MFA forms (password + code) for a wrong code or password. */
export function mfaFormErrors(error: unknown, fields: string[]): FormErrors {
  const found = formErrorsFrom(error, fields);
  if (isAuthError(error) && error.code === 'INVALID_MFA_CODE') found.fields.code = 'That code is not right. Check your app and try again.';
  if (isAuthError(error) && error.code === 'INVALID_CREDENTIALS') {
    found.message = 'Your password is not right.';
    found.fields.password = 'This is not your password.';
  }
  return found;
}
