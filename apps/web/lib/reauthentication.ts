// An account without a password (OAuth sign-in only) has nothing to type before a sensitive
// change: the API accepts a sign-in of the last few minutes instead, and otherwise refuses with
// 401 INVALID_CREDENTIALS and a detail on the `session` field (apps/api services/reauthentication.ts).
import { isAuthError } from '@portcullis/sdk';
import type { FormErrors } from '@/lib/form-errors';

export const FRESH_SIGN_IN_MINUTES = 10;
const SESSION_FIELD = 'session';

/** A form's errors, and whether to offer "Sign in again". */
export type ReauthFormErrors = FormErrors & { signInAgain?: boolean };

/** The API's explanation when it wants a fresh sign-in first, as form errors; undefined for any other error. */
export function staleSignInErrors(error: unknown): ReauthFormErrors | undefined {
  if (!isAuthError(error) || error.code !== 'INVALID_CREDENTIALS') return undefined;
  const stale = error.details.find((d) => d.field === SESSION_FIELD);
  return stale ? { message: stale.message, fields: {}, signInAgain: true } : undefined;
}
