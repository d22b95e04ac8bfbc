'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { isAuthError } from '@portcullis/sdk';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { ReauthFields } from '@/components/FreshSignIn';
import { useHasPassword } from '@/components/useHasPassword';
import { formErrorsFrom } from '@/lib/form-errors';
import { staleSignInErrors, type ReauthFormErrors } from '@/lib/reauthentication';
import styles from './profile.module.css';

const NO_ERRORS: ReauthFormErrors = { fields: {} };

/** The wording of this form for the API's refusals. */
function deleteErrors(error: unknown): ReauthFormErrors {
  const stale = staleSignInErrors(error);
  if (stale) return stale;
  const found = formErrorsFrom(error, ['password', 'code']);
  if (!isAuthError(error)) return found;
  if (error.code === 'INVALID_CREDENTIALS') return { message: 'Your password is not right.', fields: { password: 'This is not your password.' } };
  if (error.code === 'INVALID_MFA_CODE')
    return { message: 'That code is not right.', fields: { code: 'Check your app (or your recovery codes) and try again.' } };
  return found;
}

/**
 * The danger zone: two steps, then DELETE /api/auth/me with the password (when the account has
 * one) and a code (when MFA is on). Afterwards the browser is signed out and lands on /login.
 */
export function DeleteAccount({ email, mfaEnabled }: { email: string; mfaEnabled: boolean }) {
  const { client, ready } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const hasPassword = useHasPassword(confirming);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReauthFormErrors>(NO_ERRORS);

  function cancel() {
    setConfirming(false);
    setPassword('');
    setCode('');
    setErrors(NO_ERRORS);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = code.trim();
    const found: Record<string, string> = {};
    if (hasPassword && !password) found.password = 'Enter your password.';
    if (mfaEnabled && !value) found.code = 'Enter a code from your app, or a recovery code.';
    if (Object.keys(found).length) return setErrors({ message: 'Please fill in the fields marked below.', fields: found });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await ready();
      const digits = value.replace(/\s+/g, '');
      const secondFactor = !mfaEnabled ? {} : /^\d{6}$/.test(digits) ? { code: digits } : { recoveryCode: value };
      await client.deleteAccount({ ...(hasPassword ? { password } : {}), ...secondFactor });
      // A full load: nothing of the signed-in pages stays in memory.
      window.location.assign('/login?notice=account_deleted');
    } catch (error) {
      setErrors(deleteErrors(error));
      setBusy(false);
    }
  }

  if (!confirming) {
    return (
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete account…
        </Button>
      </div>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label="Confirm deleting your account">
      <ReauthFields
        email={email}
        hasPassword={hasPassword}
        password={password}
        onPassword={setPassword}
        errors={errors}
        returnTo="/settings/profile"
        intro={
          <p className={styles.note}>
            Your account <strong>{email}</strong>, your projects and every session will be deleted at once. We will email you to confirm.
          </p>
        }
      />
      {mfaEnabled && (
        <Field
          label="Code from the app, or a recovery code"
          name="code"
          autoComplete="one-time-code"
          maxLength={LIMITS.recoveryCodeMax}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.fields.code}
          autoFocus={!hasPassword}
        />
      )}
      <div className={styles.actions}>
        <Button type="submit" variant="danger" loading={busy} loadingText="Deleting…">
          Delete my account for good
        </Button>
        <Button variant="ghost" onClick={cancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
